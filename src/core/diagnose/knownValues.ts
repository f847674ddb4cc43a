/**
 * The values a live diagnosis knows (the task's cluster, id, times, subnet and VPC, log group,
 * roles, security groups, target group), put into every command it prints, so no fix carries a
 * placeholder for something the tool already read. Pure.
 */
import { clusterNameOf, roleNameOf, taskIdOf } from '../arn';
import { fill, type Facts } from './classify/facts';
import type { CheckFacts } from './live';
import type { Diagnosis } from './types';

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

/** Every command of the diagnosis (fix steps, evidence rows and their repairs) with the known values put in. */
export function fillKnown(d: Diagnosis, values: Facts, opts: { noAwslogs?: boolean } = {}): Diagnosis {
  const f = (s: string) => fill(s, values);
  // A cause with an exact repair from the evidence (real ARNs) needs no generic step that still
  // has a blank to fill in.
  const exact = new Set((d.evidence ?? []).flatMap((e) => (e.fix ? d.fixes.filter((x) => x.command === e.fix!.command && x.cause).map((x) => x.cause!) : [])));
  const fixes = d.fixes
    .map((x) => (x.command ? { ...x, command: f(x.command) } : x))
    .filter((x) => !(x.cause && exact.has(x.cause) && x.command && /<[a-z][a-z-]*>/.test(x.command) && !(d.evidence ?? []).some((e) => e.fix?.command === x.command)))
    // No container logs with awslogs: a step reading a log group that does not exist is no step.
    .filter((x) => !(opts.noAwslogs && x.command?.includes('<log-group>')));
  return {
    ...d,
    fixes,
    ...(d.evidence ? { evidence: d.evidence.map((e) => ({ ...e, ...(e.command ? { command: f(e.command) } : {}), ...(e.fix ? { fix: { ...e.fix, command: f(e.fix.command) } } : {}) })) } : {}),
  };
}
