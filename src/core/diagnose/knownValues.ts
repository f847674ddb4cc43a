/**
 * The values a live diagnosis knows (the task's cluster, id, times, subnet and VPC, log group,
 * roles, security groups, target group), put into every command it prints, so no fix carries a
 * placeholder for something the tool already read. Pure.
 */
import { clusterNameOf, roleNameOf, taskIdOf } from '../arn';
import { fill, type Facts } from './classify/facts';
import type { CheckFacts } from './live';
import type { TaskDefFacts } from './facts';
import { secretRefsOf } from './judges/refs';
import type { Diagnosis, Fix } from './types';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The placeholders a live task answers, by name (as the catalogue spells them). */
export function knownValues(facts: CheckFacts, extra: { vpcId?: string | undefined } = {}): Facts {
  const v: Facts = {};
  const t = facts.task;
  v.cluster = clusterNameOf(t.clusterArn ?? facts.cluster);
  v.task = v['task-id'] = taskIdOf(t.taskArn);
  if (t.group?.startsWith('service:')) v.service = t.group.slice('service:'.length);
  if (t.subnetId) v['subnet-id'] = t.subnetId;
  if (extra.vpcId) v['vpc-id'] = extra.vpcId;
  const from = Date.parse(t.createdAt ?? t.startedAt ?? '');
  const to = Date.parse(t.stoppedAt ?? '');
  if (Number.isFinite(from)) v.start = iso(from - 10 * 60_000);
  if (Number.isFinite(from)) v.end = iso((Number.isFinite(to) ? to : from) + 10 * 60_000);
  const td = facts.taskDef;
  if (td) {
    if (td.family) v.family = td.family;
    if (td.family && td.revision !== undefined) v['task-definition'] = `${td.family}:${td.revision}`;
    if (td.executionRoleArn) {
      v['execution-role'] = roleNameOf(td.executionRoleArn);
      v['execution-role-arn'] = td.executionRoleArn;
    }
    const name = facts.diagnosis?.container;
    const c = td.containers.find((x) => x.name === name) ?? td.containers.find((x) => x.essential !== false && x.logDriver === 'awslogs') ?? td.containers[0];
    if (c) {
      v.container = c.name;
      const group = c.logDriver === 'awslogs' ? c.logOptions?.['awslogs-group'] : undefined;
      if (group) v['log-group'] = group;
      const prefix = c.logOptions?.['awslogs-stream-prefix'];
      if (prefix) v['stream-prefix'] = prefix;
      const port = c.portMappings.find((p) => p.containerPort !== undefined)?.containerPort;
      if (port !== undefined) v['container-port'] = String(port);
    }
  }
  const svc = facts.service;
  if (svc) {
    const groups = svc.securityGroups ?? [];
    // One group fits every command form (--group-ids a, securityGroups=[a]); several do not.
    if (groups.length === 1) v['security-group-id'] = v['task-security-group-id'] = groups[0];
    const tgs = svc.loadBalancers.map((l) => l.targetGroupArn).filter((x): x is string => !!x);
    if (tgs.length === 1) v['target-group-arn'] = tgs[0];
    const port = svc.loadBalancers[0]?.containerPort;
    if (port !== undefined) v['container-port'] = String(port);
  }
  return v;
}

/** The task definition's secret references by store: Secrets Manager secret ARNs and SSM parameter names. */
export interface TaskSecrets {
  secretsManager: string[];
  ssm: string[];
}

export function taskSecrets(td: TaskDefFacts): TaskSecrets {
  const out: TaskSecrets = { secretsManager: [], ssm: [] };
  for (const { ref } of secretRefsOf(td)) {
    if (ref.service === 'secretsmanager') {
      if (!out.secretsManager.includes(ref.secretId)) out.secretsManager.push(ref.secretId);
    } else {
      // An ARN as written (a parameter shared from another account is only found by its ARN), else the name.
      const id = ref.valueFrom.startsWith('arn:') ? ref.valueFrom : ref.name;
      if (!out.ssm.includes(id)) out.ssm.push(id);
    }
  }
  return out;
}

/**
 * A step that checks "the secret" (`<secret-arn>` still blank) for a task whose secrets are known:
 * one step per Secrets Manager secret, the SSM parameters in one get-parameters call, and no step
 * at all for a task that references none.
 */
function secretSteps(x: Fix, secrets: TaskSecrets): Fix[] {
  const more = (n: number, shown: number) => (n > shown ? ` (and ${n - shown} more in the task definition's secrets)` : '');
  const out: Fix[] = secrets.secretsManager.slice(0, 5).map((id) => ({ ...x, command: x.command!.split('<secret-arn>').join(id) }));
  if (out.length) out[out.length - 1] = { ...out[out.length - 1]!, text: `${x.text}${more(secrets.secretsManager.length, 5)}` };
  if (secrets.ssm.length) {
    // GetParameters takes at most 10 names a call.
    out.push({ ...x, text: `${x.text}${more(secrets.ssm.length, 10)}`, command: `aws ssm get-parameters --names ${secrets.ssm.slice(0, 10).join(' ')} --query InvalidParameters` });
  }
  return out;
}

/** Every command of the diagnosis (fix steps, evidence rows and their repairs) with the known values put in. */
export function fillKnown(d: Diagnosis, values: Facts, opts: { noAwslogs?: boolean; secrets?: TaskSecrets } = {}): Diagnosis {
  const f = (s: string) => fill(s, values);
  // A cause with an exact repair from the evidence (real ARNs) needs no generic step that still
  // has a blank to fill in.
  const exact = new Set((d.evidence ?? []).flatMap((e) => (e.fix ? d.fixes.filter((x) => x.command === e.fix!.command && x.cause).map((x) => x.cause!) : [])));
  const fixes = d.fixes
    .map((x) => (x.command ? { ...x, command: f(x.command) } : x))
    .filter((x) => !(x.cause && exact.has(x.cause) && x.command && /<[a-z][a-z-]*>/.test(x.command) && !(d.evidence ?? []).some((e) => e.fix?.command === x.command)))
    // No container logs with awslogs: a step reading a log group that does not exist is no step.
    .filter((x) => !(opts.noAwslogs && x.command?.includes('<log-group>')))
    // The task's own secrets in place of "the secret" (none: no step).
    // Only the describe-secret step: other commands' <secret-arn> (a registry credential, a policy
    // statement) is another secret, or wants them all at once.
    .flatMap((x) => (opts.secrets && x.command?.includes('secretsmanager describe-secret --secret-id <secret-arn>') ? secretSteps(x, opts.secrets) : [x]));
  return {
    ...d,
    fixes,
    ...(d.evidence ? { evidence: d.evidence.map((e) => ({ ...e, ...(e.command ? { command: f(e.command) } : {}), ...(e.fix ? { fix: { ...e.fix, command: f(e.fix.command) } } : {}) })) } : {}),
  };
}
