import type { CheckFacts } from '../../core/diagnose/live';
import type { Evidence } from '../../core/diagnose/types';
import type { AwsSession } from '../session';

/** Memoised lookups shared by the checks of one diagnosis (e.g. the subnet for vpc-endpoints and subnet-ips). */
export type Memo = <T>(key: string, fn: () => Promise<T>) => Promise<T>;

/** What the AWS collector needs: the session to call with, and the diagnosis' memo. */
export interface LookupContext {
  session: AwsSession;
  once: Memo;
}

/** The check facts with the session and memo: enough to run one check live on its own (COLLECTORS). */
export interface EvidenceContext extends CheckFacts, LookupContext {}

/** One check run live on its own: the core judge with the AWS collector. */
export type Collector = (ctx: EvidenceContext) => Promise<Evidence[]>;

export function memo(): Memo {
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
