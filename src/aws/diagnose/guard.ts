import { describeError } from '../../core/redact';
import type { Evidence, EvidenceCheckId } from '../../core/diagnose/types';

/** Error names AWS services use for "you may not do this" (JSON, awsQuery and EC2 flavours). */
const DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'NotAuthorized',
  'AuthorizationError',
  'ClientException:AccessDenied',
]);

export function errorName(err: unknown): string {
  const e = err as { name?: string; Code?: string; code?: string; __type?: string } | undefined;
  return e?.name ?? e?.Code ?? e?.code ?? e?.__type ?? '';
}

export function isAccessDenied(err: unknown): boolean {
  const name = errorName(err);
  if (DENIED.has(name)) return true;
  // ECS answers AccessDeniedException; some services wrap it in ClientException with the text.
  const message = (err as { message?: string } | undefined)?.message ?? '';
  return name === 'ClientException' && /not authorized|access denied/i.test(message);
}

/** Thrown by {@link call} when the caller may not run `action`; the runner turns it into a skipped row. */
export class Denied extends Error {
  override name = 'Denied';
  constructor(
    readonly action: string,
    cause: unknown,
  ) {
    super(`needs ${action}: ${describeError(cause)}`);
  }
}

/** Runs one read-only AWS call, turning an access-denied answer into {@link Denied} for `action` (e.g. "logs:GetLogEvents"). */
export async function call<T>(action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isAccessDenied(err)) throw new Denied(action, err);
    throw err;
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
  const ev: Evidence = { check, status: 'skipped', detail: `Could not check: ${describeError(err)}` };
  if (opts.title) ev.title = opts.title;
  if (opts.command) ev.command = opts.command;
  return ev;
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
