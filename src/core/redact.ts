/**
 * Secrets stay secret: every string that may reach a log line, an error message, a report or
 * CLI output passes through redact(). It removes AWS access key ids, secret keys, session
 * tokens, ECS Exec session tokens (tokenValue), SigV4 signatures and bearer tokens, whether
 * they appear as JSON fields, headers, INI lines or query parameters.
 */

const MASK = '***';

/** Field names whose values are always secret, in JSON, INI, header or query form. */
const SECRET_FIELDS = [
  'aws_secret_access_key',
  'aws_session_token',
  'aws_security_token',
  'secretAccessKey',
  'SecretAccessKey',
  'sessionToken',
  'SessionToken',
  'tokenValue',
  'TokenValue',
  'X-Amz-Security-Token',
  'x-amz-security-token',
  'X-Amz-Signature',
  'accessToken',
  'refreshToken',
  'clientSecret',
  'SecretString',
  'SecretBinary',
  'password',
  'Password',
];

const fieldAlternation = SECRET_FIELDS.map((f) => f.replace(/[-]/g, '\\-')).join('|');

// "field": "value"  (JSON, also with escaped quotes inside a JSON string)
const jsonField = new RegExp(`((?:\\\\?")(?:${fieldAlternation})(?:\\\\?")\\s*:\\s*(?:\\\\?"))((?:[^"\\\\]|\\\\(?!"))+)`, 'gi');
// field = value / field: value (INI, headers, logs)
const assignField = new RegExp(`(\\b(?:${fieldAlternation})\\b\\s*[=:]\\s*)([^\\s"',;&}]+)`, 'gi');
// Authorization: AWS4-HMAC-SHA256 Credential=AKIA.../..., Signature=...
const sigv4Signature = /(Signature=)[0-9a-f]{16,}/gi;
const bearer = /(\bBearer\s+)[A-Za-z0-9\-._~+/]+=*/g;
// Access key ids: AKIA (long-term) and ASIA (temporary) followed by 16 upper-case alphanumerics.
const accessKeyId = /\b((?:AKIA|ASIA|AIDA|AROA|ABIA|ACCA)[A-Z0-9]{16})\b/g;

export function redact(text: string): string {
  if (!text) return text;
  return text
    .replace(jsonField, (_m, prefix: string) => `${prefix}${MASK}`)
    .replace(assignField, (_m, prefix: string) => `${prefix}${MASK}`)
    .replace(sigv4Signature, `$1${MASK}`)
    .replace(bearer, `$1${MASK}`)
    .replace(accessKeyId, (key: string) => `${key.slice(0, 4)}${MASK}`);
}

/** Redacts every string in a JSON-like value; used before a value is logged or printed. */
export function redactValue<T>(value: T, extraSecrets: readonly string[] = []): T {
  const seen = new WeakSet<object>();
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') {
      if (key && SECRET_FIELDS.some((f) => f.toLowerCase() === key.toLowerCase())) return MASK;
      let out = redact(v);
      for (const s of extraSecrets) if (s) out = out.split(s).join(MASK);
      return out;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') {
      if (seen.has(v)) return '[circular]';
      seen.add(v);
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, k);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

/** A one-line, secret-free description of any thrown value, for a message shown to a user. */
export function describeError(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { name?: string; message?: string; Code?: string; code?: string };
    const name = e.name && e.name !== 'Error' ? e.name : (e.Code ?? e.code);
    const message = (e.message ?? String(err)).split('\n')[0] ?? '';
    return redact(name && !message.startsWith(String(name)) ? `${name}: ${message}` : message);
  }
  return redact(String(err));
}
