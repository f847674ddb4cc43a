/**
 * What the live checks share. The AWS layer gathers the task (describe-tasks, its task
 * definition, its service) into CheckFacts; each check's judge (judges/) decides what else it
 * needs, asks the injected Collect for it, and turns the answers into Evidence. Pure: no SDK, no
 * I/O; the only way out is the Collect a caller passes in (src/aws/diagnose/ in the product, a
 * fake in the tests).
 */
import { userMessage } from '../awsErrors';
import { describeError } from '../redact';
import type {
  EcrImageLookup,
  EcrImageRef,
  LoadBalancerFacts,
  LogLookup,
  RouteTableFacts,
  SecretRef,
  SecretState,
  SecurityGroupFacts,
  ServiceFacts,
  SubnetFacts,
  TargetGroupFacts,
  TargetHealthFacts,
  TaskDefFacts,
  TaskFacts,
  VpcEndpointFacts,
} from './facts';
import type { PermissionNeed, SimulationOutcome } from '../exec/types';
import type { Diagnosis, Evidence, EvidenceCheckId } from './types';

/** What every check reads: the facts gathered before the checks run. */
export interface CheckFacts {
  region: string;
  /** The cluster as the caller named it (name or ARN). */
  cluster: string;
  task: TaskFacts;
  /** The task definition, unless it could not be read (then `taskDefMissing` says why). */
  taskDef?: TaskDefFacts;
  taskDefMissing?: Evidence;
  /** The service that started the task, for service tasks (unless it could not be read). */
  service?: ServiceFacts;
  serviceMissing?: Evidence;
  /**
   * The offline diagnosis the checks serve, when known: a check that can look at several things
   * (security-groups) looks only at those its causes name.
   */
  diagnosis?: Pick<Diagnosis, 'category' | 'variant' | 'causes' | 'container'>;
}

/**
 * The lookups a judge may ask for, each with its question and its answer in plain facts. A
 * check may need several, and some depend on an earlier answer (the route table decides whether
 * the VPC endpoints are read), so the judges ask one lookup at a time.
 */
export interface Lookups {
  /** ECR DescribeImages for one private ECR image reference. */
  'ecr-image': { query: EcrImageRef; answer: EcrImageLookup };
  /** The last lines of one CloudWatch Logs stream (or which of stream and group is missing). */
  logs: { query: { group: string; stream: string }; answer: LogLookup };
  /** Whether each secret reference exists (never its value); the answers keep the query's order. */
  secrets: { query: SecretRef[]; answer: SecretState[] };
  /** EC2 DescribeSubnets for one subnet (undefined: it no longer exists). */
  subnet: { query: string; answer: SubnetFacts | undefined };
  /** The route table a subnet uses: its explicit association, else the VPC's main table. */
  'route-table': { query: SubnetFacts; answer: RouteTableFacts | undefined };
  /** The VPC endpoints of one VPC. */
  'vpc-endpoints': { query: string; answer: VpcEndpointFacts[] };
  /** Security groups by id (those that no longer exist are left out), or the default group of a VPC. */
  'security-groups': { query: { groupIds: readonly string[] } | { defaultOfVpc: string }; answer: SecurityGroupFacts[] };
  /** ELBv2 DescribeTargetGroups for one ARN (undefined: not returned). */
  'target-group': { query: string; answer: TargetGroupFacts | undefined };
  /** ELBv2 DescribeTargetHealth for one target group. */
  'target-health': { query: string; answer: TargetHealthFacts[] };
  /**
   * IAM SimulatePrincipalPolicy of a role over some needs (the execution role), as the ECS Exec
   * preflight simulates the task role; "unavailable" when the caller may not simulate.
   */
  'role-simulation': { query: { roleArn: string; needs: PermissionNeed[] }; answer: SimulationOutcome };
  /** ELBv2 DescribeLoadBalancers for some ARNs. */
  'load-balancers': { query: readonly string[]; answer: LoadBalancerFacts[] };
}
export type LookupKind = keyof Lookups;

/**
 * The injected collector: answers one lookup, read-only. Throws {@link Denied} when the caller may
 * not make the call, the service's own error otherwise; the judge turns either into a skipped row.
 */
export type Collect = <K extends LookupKind>(kind: K, query: Lookups[K]['query']) => Promise<Lookups[K]['answer']>;

/** One check: what it needs (asked through `collect`), judged into evidence rows. */
export type Judge = (facts: CheckFacts, collect: Collect) => Promise<Evidence[]>;

/** Thrown by a collector when the caller may not run `action`; the judges turn it into a skipped row. */
export class Denied extends Error {
  override name = 'Denied';
  constructor(
    readonly action: string,
    cause: unknown,
  ) {
    super(`needs ${action}: ${describeError(cause)}`);
  }
}

/** A skipped row for a check that could not run because `action` was denied. */
export function deniedEvidence(check: EvidenceCheckId, action: string, opts: { title?: string; command?: string; what?: string } = {}): Evidence {
  const ev: Evidence = {
    check,
    status: 'skipped',
    detail: `Could not check${opts.what ? ` ${opts.what}` : ''} (needs ${action}).`,
    missingPermission: action,
  };
  if (opts.title) ev.title = opts.title;
  if (opts.command) ev.command = opts.command;
  return ev;
}

/** A skipped row for a check that failed for another reason (network, throttling after retries, ...). */
export function failedEvidence(check: EvidenceCheckId, err: unknown, opts: { title?: string; command?: string } = {}): Evidence {
  if (err instanceof Denied) return deniedEvidence(check, err.action, opts);
  const ev: Evidence = { check, status: 'skipped', detail: `Could not check: ${userMessage(err)}` };
  if (opts.title) ev.title = opts.title;
  if (opts.command) ev.command = opts.command;
  return ev;
}

/** The skipped row for a check that needs the task definition when it could not be read. */
export function needsTaskDef(facts: CheckFacts, check: EvidenceCheckId): Evidence {
  const why = facts.taskDefMissing;
  const ev: Evidence = {
    check,
    status: 'skipped',
    detail: why?.missingPermission ? `Could not check (needs ${why.missingPermission} to read the task definition).` : `Could not check: the task definition could not be read${why ? ` (${why.detail})` : ''}.`,
  };
  if (why?.missingPermission) ev.missingPermission = why.missingPermission;
  return ev;
}

/** A check judged from the task definition alone (no lookup); skipped when it could not be read. */
export function fromTaskDef(check: EvidenceCheckId, judge: (facts: CheckFacts & { taskDef: TaskDefFacts }) => Evidence | Evidence[]): Judge {
  return async (facts) => {
    if (!facts.taskDef) return [facts.taskDefMissing && check === 'task-definition' ? facts.taskDefMissing : needsTaskDef(facts, check)];
    const r = judge(facts as CheckFacts & { taskDef: TaskDefFacts });
    return Array.isArray(r) ? r : [r];
  };
}

/** The skipped row for a network check of a task that has no subnet of its own (or reports none). */
export function noSubnet(facts: CheckFacts, check: EvidenceCheckId): Evidence {
  return {
    check,
    status: 'skipped',
    detail:
      facts.task.launchType === 'EC2' || facts.taskDef?.networkMode !== 'awsvpc'
        ? `The task has no network interface of its own (network mode ${facts.taskDef?.networkMode ?? 'not awsvpc'}): check the container instance's subnet instead.`
        : 'The task reports no subnet (it stopped before its network interface was attached).',
    causes: [],
  };
}

/** Runs tasks with at most `limit` in flight; results keep the input order. */
export async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  return results;
}
