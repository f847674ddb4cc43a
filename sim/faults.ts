// Fault injection: a seeded random generator (reproducible runs), token buckets for throttling,
// the keys a counted throttle (faults.throttleNext) matches, and the AccessDenied rule matcher.
import type { SimService } from './protocol';
import type { AccessDeniedRule, ThrottleLimit } from './types';

/** mulberry32: small, fast, seedable. Returns numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A token bucket: `burst` tokens, refilled at `rate` per second; each call takes one, and a call
 * that finds none is throttled. That is how ECS throttles its API, per account and Region, with a
 * bucket per group of operations (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/request-throttling.html).
 * Time is whatever the caller passes as `now` (the simulator's clock: a test's ManualClock makes
 * the refill exact and independent of the machine's speed).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    readonly limit: ThrottleLimit,
    now: number,
  ) {
    this.tokens = limit.burst;
    this.last = now;
  }
  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.limit.burst, this.tokens + elapsed * this.limit.rate);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
  get available(): number {
    return this.tokens;
  }
}

/**
 * The faults.throttleNext keys a call counts down, most specific first: "service:Operation",
 * "Operation", then its bucket "service:group" (when the service has throttle groups).
 */
export function throttleKeys(svc: Pick<SimService, 'name' | 'throttleGroup'>, operation: string): string[] {
  const keys = [`${svc.name}:${operation}`, operation];
  const group = svc.throttleGroup?.(operation);
  if (group) keys.push(`${svc.name}:${group}`);
  return keys;
}

/** The ARN or name a rule hit, or undefined. Operation rules match "Op" or "service:Op". */
export function matchAccessDenied(
  rules: readonly AccessDeniedRule[],
  service: string,
  operation: string,
  params: unknown,
): { resource?: string } | undefined {
  if (!rules.length) return undefined;
  const strings: string[] = [];
  collectStrings(params, strings, 0);
  for (const rule of rules) {
    const r = typeof rule === 'string' ? { resource: rule } : rule;
    if (r.operation && r.operation !== operation && r.operation !== `${service}:${operation}`) continue;
    if (!r.resource) return {};
    const hit = strings.find((s) => resourceMatches(s, r.resource!));
    if (hit) return { resource: hit };
  }
  return undefined;
}

function collectStrings(v: unknown, out: string[], depth: number): void {
  if (depth > 8 || out.length > 10_000) return;
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) collectStrings(x, out, depth + 1);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) collectStrings(x, out, depth + 1);
}

/** "prod" matches "prod", "arn:...:cluster/prod", "arn:...:task/prod/abc", "arn:...:secret:prod"; not "prod-2". */
export function resourceMatches(value: string, resource: string): boolean {
  if (value === resource) return true;
  if (!value.startsWith('arn:')) return false;
  const afterService = value.split(':').slice(5).join(':');
  return afterService.split(/[/:]/).includes(resource) || afterService === resource;
}

/**
 * What a thin endpoint does not implement, answered with an HTML 500 page in `thin` mode: moto
 * and LocalStack answer IAM policy simulation that way.
 */
export const THIN_NOT_IMPLEMENTED: readonly string[] = ['iam:SimulatePrincipalPolicy'];

/** Whether `service:operation` is listed ("Op" or "service:Op"). */
export function listsOperation(list: readonly string[], service: string, operation: string): boolean {
  return list.includes(operation) || list.includes(`${service}:${operation}`);
}

/**
 * The page a Python web framework (moto's server mode, LocalStack) sends for an unhandled error:
 * HTML, not an AWS error, so the SDK cannot parse it (for an awsQuery service: "@aws-sdk XML
 * parse error: mismatched tags <html> and </title>").
 */
export const HTML_500_PAGE =
  '<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n' +
  '<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n';
