/**
 * What went wrong with an AWS call, in words an operator can act on. Works on the shape of the
 * thrown value only (name, message, $metadata, code), so the editor and the CLI classify without
 * loading the AWS SDK. Messages are redacted and one line long, and never lead with an SDK class
 * name (CredentialsProviderError, TimeoutError, ...Exception): those are for logs.
 */
import { describeError, redact } from './redact';

export type AwsErrorKind =
  | 'credentials-missing'
  | 'sso-expired'
  | 'token-expired'
  | 'credentials-invalid'
  | 'profile-unknown'
  | 'region-missing'
  | 'access-denied'
  | 'not-found'
  | 'throttled'
  | 'server'
  | 'timeout'
  | 'network'
  | 'invalid'
  | 'cancelled'
  | 'not-aws'
  | 'other';

export interface ClassifiedError {
  kind: AwsErrorKind;
  /** One line: the cause and, where there is one, the action that fixes it. */
  message: string;
  /** Retrying the same call may succeed (throttling, 5xx, time-outs, dropped connections). */
  retryable: boolean;
  /** The error means the credentials themselves are the problem (show the welcome/sign-in action). */
  credentials: boolean;
}

interface ErrorShape {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
  $retryable?: unknown;
  cause?: unknown;
}

const THROTTLE_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'EC2ThrottledException',
]);
const SERVER_NAMES = new Set(['ServerException', 'InternalFailure', 'InternalError', 'ServiceUnavailable', 'ServiceUnavailableException', 'InternalServerError']);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED', 'UND_ERR_SOCKET']);

export interface ClassifyContext {
  profile?: string;
  region?: string;
  /** The call that failed ("iam:SimulatePrincipalPolicy"), named in messages that need it. */
  operation?: string;
}

/**
 * Thrown by a caller that knows which call got a non-AWS answer (see {@link isNonAwsAnswer}), so
 * the message can name it: "the endpoint does not implement iam:SimulatePrincipalPolicy".
 */
export class NotAwsAnswer extends Error {
  override name = 'NotAwsAnswer';
  constructor(
    readonly operation: string,
    readonly status: number | undefined,
  ) {
    super(notAwsText(operation, status));
  }
}

function notAwsText(operation: string | undefined, status: number | undefined): string {
  return `the endpoint does not implement ${operation ?? 'this call'} (it answered${status ? ` HTTP ${status}` : ''} with a page that is not an AWS response)`;
}

interface RawResponse {
  statusCode?: number;
  headers?: Record<string, string | undefined>;
}

/**
 * The endpoint answered with something that is not an AWS response: an HTML error page (moto,
 * LocalStack and proxies answer calls they do not implement with HTTP 500 and a web page), which
 * the SDK reports as a deserialization error ("@aws-sdk XML parse error: mismatched tags ...",
 * "Unexpected token '<' ... is not valid JSON"), or as an "Unknown" error whose raw response
 * ($response) has a content type that is neither XML nor JSON. AWS itself answers every API error
 * with an XML or JSON body (AWS API reference, "Common Errors").
 */
export function isNonAwsAnswer(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as ErrorShape & { $response?: RawResponse; $responseBodyText?: unknown };
  if (e.name === 'NotAwsAnswer') return true;
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  if (status === undefined) return false;
  const message = e.message ?? '';
  if (/Deserialization error: to see the raw response/i.test(message) || /XML parse error/i.test(message)) return true;
  if (typeof e.$responseBodyText === 'string' && /^\s*<(!doctype html|html)\b/i.test(e.$responseBodyText)) return true;
  const headers = e.$response?.headers;
  if (headers) {
    const type = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
    if (type && !/xml|json/i.test(type)) return true;
  }
  return false;
}

/** The HTTP status of a failed call, when the SDK recorded one. */
export function httpStatusOf(err: unknown): number | undefined {
  const e = (err && typeof err === 'object' ? err : {}) as ErrorShape & { $response?: RawResponse };
  return e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
}

function profileFlag(profile: string | undefined): string {
  return profile && profile !== 'default' ? ` --profile ${profile}` : '';
}

/** The error name an AWS service answered (JSON, awsQuery and EC2 flavours: name, Code, code, __type), or ''. */
export function errorName(err: unknown): string {
  const e = err as { name?: string; Code?: string; code?: string; __type?: string } | null | undefined;
  return e?.name ?? e?.Code ?? e?.code ?? e?.__type ?? '';
}

/** Error names AWS services use for "you may not do this" (JSON, awsQuery, EC2 and wrapped flavours). */
const DENIED_NAMES = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'NotAuthorized',
  'AuthorizationError',
  'ClientException:AccessDenied',
]);
/** Names that contain one of these deny too (KMSAccessDeniedException, NotAuthorizedException, UnrecognizedClientException). */
const DENIED_IN_NAME = /AccessDenied|UnauthorizedOperation|NotAuthorized|UnrecognizedClient/i;

/**
 * The one access-denied detector: AWS said the caller may not make this call. By name (every
 * service's flavour), by a ClientException that says so in its text (ECS wraps some denials in
 * one), or by HTTP 403 unless the name says the credentials themselves were rejected or expired.
 */
export function isAccessDenied(err: unknown): boolean {
  const name = errorName(err);
  if (DENIED_NAMES.has(name) || DENIED_IN_NAME.test(name)) return true;
  const e = (err && typeof err === 'object' ? err : {}) as ErrorShape;
  if (name === 'ClientException' && /not authorized|access denied/i.test(e.message ?? '')) return true;
  return e.$metadata?.httpStatusCode === 403 && !Object.hasOwn(REJECTED_CREDENTIALS, name) && !EXPIRED_TOKEN_NAMES.has(name);
}

const EXPIRED_TOKEN_NAMES = new Set(['ExpiredTokenException', 'ExpiredToken']);

export function classifyAwsError(err: unknown, ctx: ClassifyContext = {}): ClassifiedError {
  const e = (err && typeof err === 'object' ? err : { message: String(err) }) as ErrorShape;
  const name = errorName(e);
  const code = e.code ?? '';
  const message = e.message ?? '';
  const status = e.$metadata?.httpStatusCode;
  const profile = ctx.profile;
  const who = profile ? `profile "${profile}"` : 'the default profile';
  const make = (kind: AwsErrorKind, text: string, retryable = false, credentials = false): ClassifiedError => ({
    kind,
    message: redact(text.split('\n')[0] ?? text),
    retryable,
    credentials,
  });

  if (name === 'AbortError' || name === 'RefreshCancelledError') return make('cancelled', 'Cancelled');
  // Before access denied and server errors: a web page is not AWS's word on either.
  if (isNonAwsAnswer(e)) {
    const text = name === 'NotAwsAnswer' && message ? message : notAwsText(ctx.operation, status);
    return make('not-aws', text.charAt(0).toUpperCase() + text.slice(1));
  }
  if (THROTTLE_NAMES.has(name) || /rate exceeded/i.test(message))
    return make('throttled', 'ECS kept throttling the requests (rate exceeded) after several retries; try again in a minute', true);
  if (
    /sso session .*(expired|invalid)/i.test(message) ||
    /token (is|has) expired/i.test(message) && /sso/i.test(message) ||
    /sso token refresh failed/i.test(message) ||
    name === 'UnauthorizedException' && /sso/i.test(message)
  )
    return make('sso-expired', `The AWS SSO session for ${who} has expired: run \`aws sso login${profileFlag(profile)}\``, false, true);
  if (EXPIRED_TOKEN_NAMES.has(name) || /security token included in the request is expired/i.test(message))
    return make('token-expired', `The credentials of ${who} have expired: refresh them (for SSO: \`aws sso login${profileFlag(profile)}\`)`, false, true);
  if (/profile .*(could not be found|not found)/i.test(message) || /could not resolve credentials using profile/i.test(message) || name === 'ProfileNotFound')
    return make(
      'profile-unknown',
      `The AWS profile ${profile ? `"${profile}" ` : ''}is not in ~/.aws/config or ~/.aws/credentials, or has no credentials: pick another profile or run \`aws configure${profileFlag(profile)}\``,
      false,
      true,
    );
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message))
    // The same advice as the explorer's welcome view (package.json viewsWelcome, noCredentials).
    return make(
      'credentials-missing',
      `No AWS credentials were found for ${who}: run \`aws configure${profileFlag(profile)}\` or \`aws configure sso${profileFlag(profile)}\` to create them, or choose another profile`,
      false,
      true,
    );
  const rejected = REJECTED_CREDENTIALS[name];
  if (rejected) return make('credentials-invalid', `AWS rejected the credentials of ${who}: ${rejected}`, false, true);
  if (/region is missing/i.test(message) || /no aws region/i.test(message))
    return make('region-missing', 'No AWS Region is set: choose one in the ECS Doctor view, the `ecsDoctor.region` setting or AWS_REGION');
  if (isAccessDenied(e))
    return make('access-denied', `Access denied: ${firstLine(message) || 'the credentials may not make this call'}`);
  if (/NotFound(Exception)?$/.test(name) || name === 'NoSuchEntity')
    return make('not-found', firstLine(message) || `${words(name)}.`);
  if (TIMEOUT_NAMES.has(name) || /timed? ?out/i.test(message) && !status)
    return make('timeout', `The request timed out${ctx.region ? ` (${ctx.region})` : ''}: ${firstLine(message) || 'no answer'}`, true);
  const causeCode = (e.cause as { code?: string } | undefined)?.code;
  if (NETWORK_CODES.has(code) || NETWORK_CODES.has(name) || (causeCode && NETWORK_CODES.has(causeCode)) || /socket hang up|ECONNRESET|ECONNREFUSED|ENOTFOUND|getaddrinfo/i.test(message)) {
    const nx = /ENOTFOUND|getaddrinfo/i.test(message) || code === 'ENOTFOUND';
    return make(
      'network',
      nx
        ? `Cannot reach the ECS endpoint${ctx.region ? ` for Region "${ctx.region}"` : ''}: the host name does not resolve (is the Region right? is there a network?)`
        : `Network error talking to AWS: ${firstLine(message) || code || name}`,
      !nx,
    );
  }
  if (SERVER_NAMES.has(name) || (status !== undefined && status >= 500) || e.$fault === 'server')
    return make('server', `AWS answered with a server error${status ? ` (HTTP ${status})` : ''}: ${firstLine(message) || words(name)}`, true);
  if (name === 'InvalidParameterException' || name === 'ValidationException' || name === 'ValidationError' || name === 'ClientException')
    return make('invalid', `AWS rejected the request: ${firstLine(message) || words(name)}`);
  // A JavaScript error (TypeError, ...) is a bug: its name helps whoever reads the report. Any
  // other named error (an SDK or service exception) is told by its message, or its name in words.
  if (!name || JS_ERRORS.has(name)) return make('other', describeError(err));
  return make('other', firstLine(message) || `${words(name)}.`);
}

/** What each "your credentials were rejected" error means. */
const REJECTED_CREDENTIALS: Record<string, string> = {
  UnrecognizedClientException: 'the access key is not known to AWS (deleted, mistyped or for another partition); check it or sign in again',
  InvalidClientTokenId: 'the access key is not known to AWS (deleted, mistyped or for another partition); check it or sign in again',
  InvalidSignatureException: "the request signature does not match: the secret access key is wrong, or this computer's clock is off",
  SignatureDoesNotMatch: "the request signature does not match: the secret access key is wrong, or this computer's clock is off",
  IncompleteSignature: 'the request signature is incomplete; check the access key and secret, or sign in again',
  AuthFailure: 'AWS could not validate them; check the access key or sign in again',
};

const JS_ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError']);

/** An error class name in words: "TargetNotConnectedException" -> "Target not connected". */
export function words(name: string): string {
  const bare = name.replace(/(Exception|Error|Fault)$/, '') || name;
  const tokens = bare
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(' ');
  // Capitalised words go lower case after the first; acronyms (KMS, ECS) stay as they are.
  return tokens.map((t, i) => (i > 0 && /^[A-Z][a-z]/.test(t) ? t.toLowerCase() : t)).join(' ');
}

/** The one line to show a user for any thrown value (an AWS error classified, anything else described). */
export function userMessage(err: unknown, ctx: ClassifyContext = {}): string {
  return classifyAwsError(err, ctx).message;
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').trim();
}
