/**
 * What went wrong with an AWS call, in words an operator can act on. Works on the shape of the
 * thrown value only (name, message, $metadata, code), so the editor and the CLI classify without
 * loading the AWS SDK. Messages are redacted and one line long.
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
}

function profileFlag(profile: string | undefined): string {
  return profile && profile !== 'default' ? ` --profile ${profile}` : '';
}

export function classifyAwsError(err: unknown, ctx: ClassifyContext = {}): ClassifiedError {
  const e = (err && typeof err === 'object' ? err : { message: String(err) }) as ErrorShape;
  const name = e.name ?? e.Code ?? e.code ?? '';
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
  if (THROTTLE_NAMES.has(name) || /rate exceeded/i.test(message))
    return make('throttled', 'ECS kept throttling the requests (rate exceeded) after several retries; try again in a minute', true);
  if (
    /sso session .*(expired|invalid)/i.test(message) ||
    /token (is|has) expired/i.test(message) && /sso/i.test(message) ||
    /sso token refresh failed/i.test(message) ||
    name === 'UnauthorizedException' && /sso/i.test(message)
  )
    return make('sso-expired', `The AWS SSO session for ${who} has expired: run \`aws sso login${profileFlag(profile)}\``, false, true);
  if (name === 'ExpiredTokenException' || name === 'ExpiredToken' || /security token included in the request is expired/i.test(message))
    return make('token-expired', `The credentials of ${who} have expired: refresh them (for SSO: \`aws sso login${profileFlag(profile)}\`)`, false, true);
  if (/profile .*(could not be found|not found)/i.test(message) || /could not resolve credentials using profile/i.test(message) || name === 'ProfileNotFound')
    return make(
      'profile-unknown',
      `The AWS profile ${profile ? `"${profile}" ` : ''}is not in ~/.aws/config or ~/.aws/credentials, or has no credentials: pick another profile or run \`aws configure${profileFlag(profile)}\``,
      false,
      true,
    );
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message))
    return make(
      'credentials-missing',
      `No AWS credentials found for ${who}: run \`aws configure${profileFlag(profile)}\` or \`aws sso login${profileFlag(profile)}\`, or pick another profile`,
      false,
      true,
    );
  if (['UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidSignatureException', 'SignatureDoesNotMatch', 'IncompleteSignature', 'AuthFailure'].includes(name))
    return make('credentials-invalid', `AWS rejected the credentials of ${who} (${name}): check the access key or sign in again`, false, true);
  if (/region is missing/i.test(message) || /no aws region/i.test(message))
    return make('region-missing', 'No AWS Region is set: choose one in the ECS Doctor view, the `ecsDoctor.region` setting or AWS_REGION');
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnauthorizedOperation' || status === 403)
    return make('access-denied', `Access denied: ${firstLine(message) || 'the credentials may not make this call'}`);
  if (/NotFoundException$/.test(name) || name === 'ResourceNotFoundException')
    return make('not-found', `${name.replace(/Exception$/, '').replace(/([a-z])([A-Z])/g, '$1 $2')}: ${firstLine(message)}`);
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
    return make('server', `AWS answered with a server error (${name || status}): ${firstLine(message)}`, true);
  if (name === 'InvalidParameterException' || name === 'ValidationException' || name === 'ClientException')
    return make('invalid', `${name}: ${firstLine(message)}`);
  return make('other', describeError(err));
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').trim();
}
