// Shared by the benchmarks and the reliability suite: statistics, and an AWS session that points
// at the simulator the way the explorer's does (AwsSession + ecsDataFor), with dummy credentials
// from the environment and no AWS config file, so nothing can reach a real account.
import { AwsSession } from '../src/aws/session';
import { ecsDataFor, type EcsData, type EcsDataOptions } from '../src/aws/ecs';
import type { Logger } from '../src/core/logger';

/** A session and its data layer exactly as the explorer builds them (src/editor/explorer/index.ts). */
export function simData(
  endpoint: string,
  opts: { region?: string; logger?: Logger; data?: Omit<EcsDataOptions, 'profile'>; requestTimeoutMs?: number } = {},
): { session: AwsSession; data: EcsData } {
  const region = opts.region ?? 'us-east-1';
  const session = new AwsSession({ region, endpoint, logger: opts.logger, requestTimeoutMs: opts.requestTimeoutMs });
  const data = ecsDataFor(session, { ...opts.data, logger: opts.logger, region });
  return { session, data };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

export function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('run node with --expose-gc to measure the heap');
  g();
  g();
}

/** Heap in use after a full collection, in MB. */
export async function settledHeapMb(): Promise<number> {
  await new Promise((r) => setImmediate(r));
  gc();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}
