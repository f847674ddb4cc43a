import { isAccessDenied } from '../../core/awsErrors';
import { Denied } from '../../core/diagnose/live';

/** Runs one read-only AWS call, turning an access-denied answer into {@link Denied} for `action` (e.g. "logs:GetLogEvents"). */
export async function call<T>(action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isAccessDenied(err)) throw new Denied(action, err);
    throw err;
  }
}
