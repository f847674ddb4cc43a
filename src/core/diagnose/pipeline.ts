/**
 * The one way from a stopped task to its report:
 *
 *   gathered facts --classify()--> Diagnosis --checksFor()--> checks --judges + collect--> Evidence[]
 *     --applyEvidence()--> Diagnosis with its evidence, causes re-ranked and a verdict
 *
 * The AWS layer gathers the task (describe-tasks, its task definition, its service) and calls
 * diagnose() once with its collector; every decision (what the stop is, which checks run, what
 * each check looks at, what the answers mean) is made here and in judges/. The collector only
 * answers lookups, so the pipeline runs without any endpoint given a fake one.
 */
import { clusterNameOf } from '../arn';
import type { ServiceFacts, TaskDefFacts, TaskFacts } from './facts';
import { JUDGES } from './judges';
import { Denied, deniedEvidence, failedEvidence, pool, type CheckFacts, type Collect } from './live';
import { EVIDENCE_CHECKS, type Diagnosis, type Evidence, type EvidenceCheckId, type StopInput } from './types';
import { fillKnown, knownValues, taskSecrets } from './knownValues';
import { explainTask } from './running';
import { applyEvidence } from './verdict';

/** The task definition as the AWS layer read it, or why it could not. */
export type TaskDefinitionRead =
  /** The task names no task definition. */
  | { kind: 'none' }
  | { kind: 'read'; arn: string; facts: TaskDefFacts }
  /** DescribeTaskDefinition answered without one. */
  | { kind: 'not-returned'; arn: string }
  /** The call failed: a Denied (the permission is missing) or the service's error. */
  | { kind: 'failed'; arn: string; error: unknown };

/** The service that started the task (service tasks only), as read; `cluster` is the one it was asked in. */
export type ServiceRead =
  | { kind: 'read'; name: string; cluster: string; facts: ServiceFacts }
  /** DescribeServices did not return it: the service was deleted. */
  | { kind: 'gone'; name: string; cluster: string }
  | { kind: 'failed'; name: string; cluster: string; error: unknown };

/** What the AWS layer gathers before the diagnosis starts. */
export interface GatheredTask {
  region: string;
  /** The cluster as the caller named it (name or ARN). */
  cluster: string;
  task: TaskFacts;
  /** The classifier's input: describe-tasks' fields, with images and essential flags from the task definition when it was read. */
  stop: StopInput;
  taskDefinition: TaskDefinitionRead;
  service?: ServiceRead;
}

/** A diagnosed task: the diagnosis with its evidence, and the facts it was made from. */
export interface DiagnoseResult {
  diagnosis: Diagnosis;
  task: TaskFacts;
  taskDefinition?: TaskDefFacts;
  service?: ServiceFacts;
  region: string;
}

export interface CollectOptions {
  /** Most checks in flight at once (default 4): the diagnosis stays well inside every service's rate. */
  concurrency?: number;
  /** Called as each check finishes (progress in the editor). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * The live diagnosis of one task: classify the stop, pick the checks, run them through
 * `collect` (read-only, bounded concurrency) and fold their evidence in. Also diagnoses a
 * RUNNING task whose containers fail their health checks. Never throws for a failed lookup:
 * each becomes a skipped row.
 */
export async function diagnose(gathered: GatheredTask, collect: Collect, opts: CollectOptions = {}): Promise<DiagnoseResult> {
  const facts = checkFactsOf(gathered);
  let diagnosis = explainTask(gathered.stop);
  facts.diagnosis = diagnosis;
  const evidence = await collectEvidence(facts, checksFor(diagnosis, facts), collect, opts);
  diagnosis = applyEvidence({ ...diagnosis, taskArn: facts.task.taskArn }, evidence);
  // Commands carry what the diagnosis knows (cluster, task, times, subnet, VPC, log group, roles).
  let vpcId: string | undefined;
  if (facts.task.subnetId && JSON.stringify([diagnosis.fixes, diagnosis.evidence]).includes('<vpc-id>')) {
    vpcId = (await collect('subnet', facts.task.subnetId).catch(() => undefined))?.vpcId;
  }
  const noAwslogs = facts.taskDef ? !facts.taskDef.containers.some((c) => c.logDriver === 'awslogs') : false;
  diagnosis = fillKnown(diagnosis, knownValues(facts, { vpcId }), { noAwslogs, ...(facts.taskDef ? { secrets: taskSecrets(facts.taskDef) } : {}) });
  const result: DiagnoseResult = { diagnosis, task: facts.task, region: gathered.region };
  if (facts.taskDef) result.taskDefinition = facts.taskDef;
  if (facts.service) result.service = facts.service;
  return result;
}

/** The checks the diagnosis asks for, plus those a running-but-unhealthy task and a service task need. */
export function checksFor(d: Pick<Diagnosis, 'checks'>, facts: CheckFacts): EvidenceCheckId[] {
  const checks = [...d.checks];
  const running = facts.task.lastStatus !== 'STOPPED';
  if (running && facts.task.containers.some((x) => x.healthStatus === 'UNHEALTHY')) checks.push('container-health-check', 'logs');
  if (running && facts.service?.loadBalancers.length) checks.push('target-group');
  if (facts.service) checks.push('service-events');
  return [...new Set(checks)];
}

/**
 * Runs the given checks (task-fields and task-definition always, first) concurrently with a bound;
 * each check's rows come back in the order asked, whatever order they finish in. A check that
 * throws becomes a skipped row: one failing service never hides the others.
 */
export async function collectEvidence(facts: CheckFacts, checks: readonly EvidenceCheckId[], collect: Collect, opts: CollectOptions = {}): Promise<Evidence[]> {
  const wanted = [...new Set<EvidenceCheckId>(['task-fields', 'task-definition', ...checks])].filter((c) => EVIDENCE_CHECKS.includes(c));
  let done = 0;
  const jobs = wanted.map((check) => async () => {
    let rows: Evidence[];
    try {
      rows = await JUDGES[check](facts, collect);
    } catch (err) {
      rows = [failedEvidence(check, err)];
    }
    opts.onProgress?.(++done, wanted.length);
    return rows;
  });
  return (await pool(jobs, opts.concurrency ?? 4)).flat();
}

/** The facts the checks read; a task definition or service that could not be read becomes the row that says why. */
export function checkFactsOf(g: GatheredTask): CheckFacts {
  const facts: CheckFacts = { region: g.region, cluster: g.cluster, task: g.task };
  const td = g.taskDefinition;
  if (td.kind === 'none') {
    facts.taskDefMissing = { check: 'task-definition', status: 'skipped', detail: 'The task reports no task definition.' };
  } else {
    const command = `aws ecs describe-task-definition --task-definition ${td.arn}`;
    if (td.kind === 'read') facts.taskDef = td.facts;
    else if (td.kind === 'not-returned') facts.taskDefMissing = { check: 'task-definition', status: 'skipped', detail: `${td.arn} was not returned.`, command };
    else facts.taskDefMissing = td.error instanceof Denied ? deniedEvidence('task-definition', td.error.action, { command, what: 'the task definition' }) : failedEvidence('task-definition', td.error, { command });
  }
  const svc = g.service;
  if (svc) {
    const command = `aws ecs describe-services --cluster ${clusterNameOf(svc.cluster)} --services ${svc.name}`;
    if (svc.kind === 'read') facts.service = svc.facts;
    else if (svc.kind === 'gone') facts.serviceMissing = { check: 'service-events', status: 'skipped', detail: `The service ${svc.name} no longer exists.`, command, causes: [] };
    else facts.serviceMissing = svc.error instanceof Denied ? deniedEvidence('service-events', svc.error.action, { command, what: `the service ${svc.name}` }) : failedEvidence('service-events', svc.error, { command });
  }
  return facts;
}
