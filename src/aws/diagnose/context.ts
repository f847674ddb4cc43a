import type { ServiceFacts, TaskDefFacts, TaskFacts } from '../../core/diagnose/facts';
import type { Diagnosis, Evidence } from '../../core/diagnose/types';
import type { AwsSession } from '../session';

/** What every collector gets: the facts already fetched, and the session to fetch more. */
export interface EvidenceContext {
  session: AwsSession;
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
  diagnosis?: Pick<Diagnosis, 'category' | 'variant' | 'causes'>;
  /** Memoised lookups shared by checks (e.g. the subnet for vpc-endpoints and subnet-ips). */
  once<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** A collector: one check, read-only, independent; never throws (the runner guards it anyway). */
export type Collector = (ctx: EvidenceContext) => Promise<Evidence[]>;

export function memo(): EvidenceContext['once'] {
  const cache = new Map<string, Promise<unknown>>();
  return <T>(key: string, fn: () => Promise<T>) => {
    let p = cache.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      cache.set(key, p);
    }
    return p;
  };
}

/** The skipped row for a check that needs the task definition when it could not be read. */
export function needsTaskDef(ctx: EvidenceContext, check: Evidence['check']): Evidence {
  const why = ctx.taskDefMissing;
  const ev: Evidence = {
    check,
    status: 'skipped',
    detail: why?.missingPermission ? `Could not check (needs ${why.missingPermission} to read the task definition).` : `Could not check: the task definition could not be read${why ? ` (${why.detail})` : ''}.`,
  };
  if (why?.missingPermission) ev.missingPermission = why.missingPermission;
  return ev;
}
