/**
 * Causes and fix steps for a service verdict, from the evidence gathered: exact AWS CLI commands
 * with the real cluster, service, target group and revision; a placeholder only for what the tool
 * cannot know (the path your app answers on, the revision you will register). Never surer than the
 * evidence: a cause the evidence shows is confirmed, one it fits is likely, the rest possible.
 */
import { clusterNameOf, lastSegment } from '../../arn';
import type { DiagnoseResult } from '../pipeline';
import type { TargetGroupFacts, TargetHealthFacts, TaskDefFacts } from '../facts';
import { q } from '../judges/text';
import type { ArithmeticResult } from './arithmetic';
import { meaningOfCodes, recent, type ReadEvent } from './events';
import type { LintedTaskDef } from './taskdef';
import { isHealthRule } from './taskdef';
import type { VerdictDetail } from './verdict';
import type { MemoryReading, ServiceCause, ServiceFix, ServiceInput, StoppedGroup } from './types';

export interface CauseInput {
  cluster: string;
  name: string;
  now: number;
  service: ServiceInput;
  verdict: VerdictDetail;
  events: readonly ReadEvent[];
  groups: readonly StoppedGroup[];
  arithmetic: ArithmeticResult;
  targetGroups: Array<{ arn: string; group?: TargetGroupFacts; targets?: TargetHealthFacts[] }>;
  taskDef?: TaskDefFacts;
  lint?: LintedTaskDef;
  memory?: MemoryReading;
  dominant?: DiagnoseResult;
}

/** The path a container's own health check asks for ("curl -f http://localhost:8080/health"), if it names one. */
export function pathOfHealthCommand(td: TaskDefFacts | undefined, container?: string): { path: string; port?: number } | undefined {
  for (const c of td?.containers ?? []) {
    if (container && c.name !== container) continue;
    const m = /https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::(\d+))?(\/[^\s'"|;&)]*)/.exec((c.healthCheck?.command ?? []).join(' '));
    if (m?.[2]) return m[1] ? { path: m[2], port: Number(m[1]) } : { path: m[2] };
  }
  return undefined;
}

export function causesAndFixes(input: CauseInput): { causes: ServiceCause[]; fixes: ServiceFix[] } {
  const causes: ServiceCause[] = [];
  const fixes: ServiceFix[] = [];
  const c = q(clusterNameOf(input.cluster));
  const s = q(input.name);
  const cause = (id: string, text: string, status: ServiceCause['status']) => {
    if (!causes.some((x) => x.id === id)) causes.push({ id, text, status });
  };
  const fix = (f: ServiceFix) => {
    if (!fixes.some((x) => x.text === f.text && x.command === f.command)) fixes.push(f);
  };
  const v = input.verdict;
  const lb = input.service.loadBalancers?.[0];

  // Placement.
  if (v.placement?.length) {
    const p = v.placement[0]!;
    cause('placement', `ECS cannot place the tasks: ${p.placement ?? p.message}`, 'confirmed');
    fix({ cause: 'placement', text: /memory|cpu/i.test(p.placement ?? '') ? 'Add capacity to the cluster (more or larger instances, or a capacity provider that scales), or lower the task size.' : 'Give the scheduler somewhere to place the tasks (capacity, Availability Zones, placement constraints).', command: `aws ecs describe-services --cluster ${c} --services ${s} --query 'services[0].events[:5].message'` });
  }

  // The deployment configuration.
  if (v.configurationBlocks) {
    cause('deployment-configuration', v.why ?? 'The deployment configuration cannot make progress.', 'confirmed');
    fix({ cause: 'deployment-configuration', text: 'Let the scheduler start a new task before stopping an old one (maximumPercent 200), or stop one first (minimumHealthyPercent below 100).', command: `aws ecs update-service --cluster ${c} --service ${s} --deployment-configuration maximumPercent=200,minimumHealthyPercent=100` });
  }

  // Load balancer: what the targets and the events say.
  const codes = new Set<string>();
  let timeouts = 0;
  let refused = 0;
  for (const tg of input.targetGroups) {
    for (const t of tg.targets ?? []) {
      const m = /codes:\s*\[([^\]]*)\]/i.exec(t.description ?? '');
      if (m?.[1]) m[1].split(/[,\s]+/).filter(Boolean).forEach((x) => codes.add(x));
      if (t.reason === 'Target.Timeout') timeouts++;
      if (t.reason === 'Target.FailedHealthChecks') refused++;
    }
  }
  for (const e of recent(input.events, 'unhealthy-target', input.now - 3_600_000)) {
    e.codes?.forEach((x) => codes.add(x));
    if (/timed out/i.test(e.reason ?? '')) timeouts++;
  }
  const tg = input.targetGroups.find((t) => t.group)?.group;
  const tgArn = tg?.targetGroupArn ?? input.targetGroups[0]?.arn;
  if (codes.size) {
    const list = [...codes];
    const own = pathOfHealthCommand(input.taskDef, lb?.containerName);
    const serverErrors = list.every((x) => /^5\d\d$/.test(x));
    const id = serverErrors ? 'health-check-error' : 'health-check-path';
    cause(id, `${meaningOfCodes(list)}${tg?.healthCheckPath ? ` The target group checks ${tg.healthCheckPath}.` : ''}`, serverErrors ? 'likely' : 'confirmed');
    // A new path only for answers that say "not here" (404, redirects, auth), and never the same path again.
    if (tgArn && !serverErrors && (!own || own.path !== tg?.healthCheckPath)) {
      fix({
        cause: id,
        text: own ? `Point the target group's health check at the path the container's own check uses (${own.path}).` : "Point the target group's health check at a path the app answers 200 on.",
        command: `aws elbv2 modify-target-group --target-group-arn ${q(tgArn)} --health-check-path ${q(own?.path ?? '<path that answers 200>')}`,
      });
    }
  }
  const hcPort = tg?.healthCheckPort;
  if (tg && hcPort && hcPort !== 'traffic-port' && lb?.containerPort !== undefined && Number(hcPort) !== lb.containerPort) {
    cause('health-check-port', `The target group checks port ${hcPort}, but the service sends traffic to container port ${lb.containerPort}.`, 'confirmed');
    fix({ cause: 'health-check-port', text: 'Check the port the traffic goes to.', command: `aws elbv2 modify-target-group --target-group-arn ${q(tg.targetGroupArn)} --health-check-port traffic-port` });
  }
  if (timeouts || refused) {
    cause('not-answering', `The health checks get no answer (${timeouts ? 'time-outs' : 'refused connections'}): the app is not listening on ${lb?.containerPort ?? 'the port'} yet or at all, or a security group drops the load balancer's checks.`, codes.size ? 'possible' : 'likely');
  }

  // Grace period and start-up.
  const a = input.arithmetic;
  if (a.graceTooShort && a.suggestedGrace) {
    const sure = a.startPeriod !== undefined && a.startPeriod > (input.service.healthCheckGracePeriodSeconds ?? 0);
    cause('grace-period', `The service's health-check grace period (${input.service.healthCheckGracePeriodSeconds ?? 0} s) is shorter than the time the app needs to start${a.startPeriod ? ` (its startPeriod says ${a.startPeriod} s)` : ''}. startPeriod and the grace period are different settings.`, sure && !codes.size ? 'likely' : 'possible');
    fix({ cause: 'grace-period', text: `Give new tasks ${a.suggestedGrace} s before load-balancer failures count.`, command: `aws ecs update-service --cluster ${c} --service ${s} --health-check-grace-period-seconds ${a.suggestedGrace}` });
  } else if (a.noStartAllowance && input.service.loadBalancers?.length && v.kind !== 'healthy') {
    cause('no-start-allowance', 'Neither a grace period nor a container startPeriod gives the app time to start before health checks count.', 'possible');
  }

  // The task definition's own problems (linted). A health-check mistake bears on the verdict when
  // health checks are what fails (unhealthy tasks, health-check stops), and may when tasks keep
  // failing for a reason nothing identified. When the stops have another known cause (an image
  // that does not exist, a secret that cannot be read), it explains none of them: it stays in the
  // task definition's evidence row, not among the causes.
  const healthFailing = v.kind === 'unhealthy' || input.groups.some((g) => g.failure && /HealthCheck/.test(g.category));
  const otherFailure = input.groups.some((g) => g.failure && !/HealthCheck/.test(g.category) && g.category !== 'Unknown');
  const unexplained = !otherFailure && (v.kind === 'restart-loop' || v.kind === 'deployment-stuck' || v.kind === 'deployment-failed');
  for (const f of (input.lint?.findings ?? []).filter((x) => isHealthRule(x.ruleId) && x.severity !== 'info')) {
    if (healthFailing) cause(`lint:${f.ruleId}`, `The running task definition: ${f.message}`, f.ruleId === 'health-check/port-mismatch' ? 'confirmed' : 'likely');
    else if (unexplained) cause(`lint:${f.ruleId}`, `The running task definition: ${f.message}`, 'possible');
  }

  // Memory.
  const m = input.memory;
  if (m && m.pattern !== 'unclear') {
    cause(`memory-${m.pattern}`, m.text, 'likely');
    if (m.pattern === 'too-small' && input.taskDef?.family) fix({ cause: `memory-${m.pattern}`, text: `Register a revision of ${input.taskDef.family} with more memory (the next Fargate size up), then deploy it.`, command: `aws ecs describe-task-definition --task-definition ${q(input.taskDef.arn ? lastSegment(input.taskDef.arn) : input.taskDef.family)} --query taskDefinition > taskdef.json` });
  }

  // The dominant stop, explained by the task diagnosis.
  const d = input.dominant?.diagnosis;
  if (d) {
    const ranked = d.causes.filter((x) => x.status === 'confirmed' || x.status === 'likely');
    for (const x of (ranked.length ? ranked : d.causes.slice(0, 2))) cause(`task:${x.id}`, `${d.title}: ${x.text}`, x.status === 'confirmed' ? 'confirmed' : x.status === 'likely' ? 'likely' : 'possible');
    // Only the steps for causes the evidence supports (all of them when none is supported yet).
    const ids = new Set(ranked.map((x) => x.id));
    const steps = ids.size ? d.fixes.filter((f) => !f.cause || ids.has(f.cause)) : d.fixes;
    for (const f of steps.slice(0, 3)) fix({ cause: 'task', text: f.text, ...(f.command ? { command: f.command } : {}) });
  } else {
    const top = input.groups.find((g) => g.failure);
    if (top) cause(`stop:${top.category}`, `${top.title} (${top.count} tasks).`, 'likely');
  }

  // A failed deployment: look at the failed revision, deploy a fixed one.
  if (v.kind === 'deployment-failed' && v.failed?.taskDefinition) {
    fix({ text: `Read what changed in the failed revision ${v.from ?? ''}, fix it and register a new revision.`.replace('  ', ' '), command: `aws ecs describe-task-definition --task-definition ${q(lastSegment(v.failed.taskDefinition))}` });
    fix({ text: 'Deploy the fixed revision (the circuit breaker will roll back again if it fails).', command: `aws ecs update-service --cluster ${c} --service ${s} --task-definition ${q('<fixed family:revision>')}` });
  }
  if (v.kind === 'deployment-stuck' && !v.configurationBlocks && !v.placement?.length) {
    const prev = (input.service.deployments ?? []).find((x) => x.status === 'ACTIVE' && x.taskDefinition);
    if (prev?.taskDefinition) fix({ text: `If the new revision cannot work, go back to the one still serving (${lastSegment(prev.taskDefinition)}).`, command: `aws ecs update-service --cluster ${c} --service ${s} --task-definition ${q(lastSegment(prev.taskDefinition))}` });
  }
  if (v.kind !== 'healthy') {
    const breaker = input.service.deploymentConfiguration?.deploymentCircuitBreaker;
    if (breaker && !breaker.enable && (v.kind === 'deployment-stuck' || v.kind === 'restart-loop')) {
      fix({ text: 'Turn on the deployment circuit breaker with rollback, so a revision that keeps failing is rolled back instead of looping.', command: `aws ecs update-service --cluster ${c} --service ${s} --deployment-configuration 'deploymentCircuitBreaker={enable=true,rollback=true}'` });
    }
    fix({ text: 'Watch the service events while the fix rolls out.', command: `aws ecs describe-services --cluster ${c} --services ${s} --query 'services[0].events[:10].[createdAt,message]' --output text` });
  }
  const order = { confirmed: 0, likely: 1, possible: 2 } as const;
  causes.sort((x, y) => order[x.status] - order[y.status]);
  return { causes, fixes };
}
