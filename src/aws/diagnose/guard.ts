import { httpStatusOf, isAccessDenied, isNonAwsAnswer, NotAwsAnswer } from '../../core/awsErrors';
import { Denied } from '../../core/diagnose/live';

/**
 * Runs one read-only AWS call, turning an access-denied answer into {@link Denied} for `action`
 * (e.g. "logs:GetLogEvents"), and a non-AWS answer (a web page from an endpoint that does not
 * implement the call: moto, LocalStack) into {@link NotAwsAnswer} naming it.
 */
export async function call<T>(action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isNonAwsAnswer(err)) throw new NotAwsAnswer(action, httpStatusOf(err));
    if (isAccessDenied(err)) throw new Denied(action, err);
    throw err;
  }
}
