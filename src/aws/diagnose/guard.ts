import { Denied, errorName } from '../../core/diagnose/live';

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

export function isAccessDenied(err: unknown): boolean {
  const name = errorName(err);
  if (DENIED.has(name)) return true;
  // ECS answers AccessDeniedException; some services wrap it in ClientException with the text.
  const message = (err as { message?: string } | undefined)?.message ?? '';
  return name === 'ClientException' && /not authorized|access denied/i.test(message);
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
