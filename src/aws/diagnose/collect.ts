import {
  judgeContainerHealthChecks,
  judgeExecutionRole,
  judgeMemory,
  judgeService,
  judgeTaskDefinition,
  judgeTaskFields,
} from '../../core/diagnose/judges';
import { EVIDENCE_CHECKS, type Evidence, type EvidenceCheckId } from '../../core/diagnose/types';
import { failedEvidence, pool } from './guard';
import { needsTaskDef, type Collector, type EvidenceContext } from './context';
import { collectEcrImage } from './ecr';
import { collectLogs } from './logs';
import { collectSubnetIps, collectVpcEndpoints } from './network';
import { collectSecrets } from './secrets';
import { collectSecurityGroups } from './securityGroups';
import { collectTargetGroup } from './targetGroup';

const fromTaskDef =
  (check: EvidenceCheckId, judge: (ctx: EvidenceContext) => Evidence | Evidence[]): Collector =>
  async (ctx) => {
    if (!ctx.taskDef) return [ctx.taskDefMissing && check === 'task-definition' ? ctx.taskDefMissing : needsTaskDef(ctx, check)];
    const r = judge(ctx);
    return Array.isArray(r) ? r : [r];
  };

/** One collector per check. Each is read-only and independent of the others. */
export const COLLECTORS: Record<EvidenceCheckId, Collector> = {
  'task-fields': async (ctx) => [judgeTaskFields({ ...ctx.task, clusterArn: ctx.task.clusterArn ?? ctx.cluster })],
  'task-definition': fromTaskDef('task-definition', (ctx) => judgeTaskDefinition(ctx.taskDef!)),
  logs: collectLogs,
  'service-events': async (ctx) => {
    if (ctx.serviceMissing) return [ctx.serviceMissing];
    if (!ctx.service) return [{ check: 'service-events', status: 'skipped', detail: 'The task was not started by a service.', causes: [] }];
    const since = ctx.task.createdAt ? new Date(Date.parse(ctx.task.createdAt) - 10 * 60_000).toISOString() : undefined;
    const cluster = ctx.task.clusterArn?.split('/').pop() ?? ctx.cluster;
    return judgeService(ctx.service, since ? { since } : {}).map((e) => (e.command ? { ...e, command: e.command.replace('<cluster>', cluster) } : e));
  },
  'ecr-image': collectEcrImage,
  'vpc-endpoints': collectVpcEndpoints,
  'subnet-ips': collectSubnetIps,
  secrets: collectSecrets,
  'execution-role': fromTaskDef('execution-role', (ctx) => judgeExecutionRole(ctx.taskDef!, ctx.region)),
  'target-group': collectTargetGroup,
  'security-groups': collectSecurityGroups,
  'container-health-check': fromTaskDef('container-health-check', (ctx) => judgeContainerHealthChecks(ctx.taskDef!, ctx.task)),
  memory: fromTaskDef('memory', (ctx) => judgeMemory(ctx.taskDef!, ctx.task)),
};

export interface CollectOptions {
  /** Most calls in flight at once (default 4): the diagnosis stays well inside every service's rate. */
  concurrency?: number;
  /** Called as each check finishes (progress in the editor). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Runs the given checks (task-fields and task-definition always, first) concurrently with a bound;
 * each check's rows come back in the order asked, whatever order they finish in. A check that
 * throws becomes a skipped row: one failing service never hides the others.
 */
export async function collectEvidence(ctx: EvidenceContext, checks: readonly EvidenceCheckId[], opts: CollectOptions = {}): Promise<Evidence[]> {
  const wanted = [...new Set<EvidenceCheckId>(['task-fields', 'task-definition', ...checks])].filter((c) => EVIDENCE_CHECKS.includes(c));
  let done = 0;
  const jobs = wanted.map((check) => async () => {
    let rows: Evidence[];
    try {
      rows = await COLLECTORS[check](ctx);
    } catch (err) {
      rows = [failedEvidence(check, err)];
    }
    opts.onProgress?.(++done, wanted.length);
    return rows;
  });
  return (await pool(jobs, opts.concurrency ?? 4)).flat();
}
