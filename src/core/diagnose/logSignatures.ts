/**
 * What a container's log line can say about a cause. A cause in the catalogue names the
 * signatures that speak to it (`Cause.logs`); the logs check confirms or makes likely only the
 * causes whose signatures its lines match. A line with "Error" or a Python "Traceback" in it is
 * evidence that the application failed, not that, say, a command backgrounds its process.
 *
 * Specific signatures (a refused connection, a missing variable) win over the generic one: when
 * a line names what went wrong, the causes that speak to that are the ones it points to.
 */
import type { Cause } from './types';

export interface LogSignature {
  /** Short words for people: "a refused connection". */
  what: string;
  pattern: RegExp;
  /** The catch-all "an error was logged": used only when no specific signature matches. */
  generic?: boolean;
}

export const LOG_SIGNATURES = {
  'connection-refused': { what: 'a refused connection', pattern: /ECONNREFUSED|connection refused|connect: connection refused|ECONNRESET|connection reset by peer/i },
  'name-resolution': { what: 'a host name that did not resolve', pattern: /ENOTFOUND|EAI_AGAIN|no such host|Name or service not known|Temporary failure in name resolution|could not translate host name/i },
  'connection-timeout': { what: 'a connection that timed out', pattern: /ETIMEDOUT|connect(?:ion)? timed? ?out|i\/o timeout|context deadline exceeded/i },
  unreachable: { what: 'a dependency that could not be reached', pattern: /\bunreachable\b|no route to host|EHOSTUNREACH|ENETUNREACH|NonExistentQueue|could not connect|failed to connect|unable to connect/i },
  'missing-config': {
    what: 'a missing or invalid setting',
    pattern: /\bKeyError: ['"]?[A-Z_]{2,}|environment variable|env var\b|\b[A-Z][A-Z0-9_]{2,} (?:is )?(?:not set|missing|required|undefined|must be set)|missing required (?:config|configuration|setting|option|env)|ConfigurationError|invalid configuration/i,
  },
  'access-denied': { what: 'a request AWS or a service refused to authorise', pattern: /AccessDenied|not authorized to perform|UnauthorizedOperation|ExpiredToken|InvalidClientTokenId/i },
  'command-not-found': { what: 'a command that was not found', pattern: /command not found|executable file not found|not found in \$PATH|No such file or directory/i },
  'permission-denied': { what: 'a permission the process lacked', pattern: /permission denied|EACCES|operation not permitted/i },
  'port-in-use': { what: 'a port already in use', pattern: /EADDRINUSE|address already in use/i },
  'out-of-memory': { what: 'memory running out', pattern: /out of memory|OutOfMemoryError|\bMemoryError\b|heap out of memory|Cannot allocate memory|\bOOM\b/i },
  segfault: { what: 'a native crash', pattern: /segmentation fault|SIGSEGV|core dumped/i },
  usage: { what: 'a usage or argument error', pattern: /^\s*usage:|unknown (?:option|flag|command)|unrecognized (?:arguments?|option)|invalid (?:option|argument)|syntax error/i },
  'health-path-missing': { what: 'a health-check path the application does not serve (404)', pattern: /\b(?:GET|HEAD) \S*health\S*.*?["\s]404\b/i },
  'health-server-error': { what: 'a health-check path answering a server error (5xx)', pattern: /\b(?:GET|HEAD) \S*health\S*.*?["\s]5\d\d\b/i },
  sigterm: { what: 'a requested shutdown (SIGTERM)', pattern: /SIGTERM|received signal|shutting down|graceful(?:ly)? shut/i },
  error: { what: 'an error', pattern: /\b(?:error|exception|fatal|panic|traceback|failed|unable to|cannot|could not)\b/i, generic: true },
} as const satisfies Record<string, LogSignature>;

export type LogSignatureId = keyof typeof LOG_SIGNATURES;

/** The signatures a line matches, specific ones first. */
export function signaturesOf(line: string): LogSignatureId[] {
  const ids = Object.keys(LOG_SIGNATURES) as LogSignatureId[];
  return ids.filter((id) => LOG_SIGNATURES[id].pattern.test(line));
}

/**
 * The causes some lines speak to: those naming a specific signature the lines match, else those
 * naming the generic one when a line matches it. Never a cause that names no signature.
 */
export function causesSpokenTo(lines: readonly string[], causes: readonly Cause[]): { causes: string[]; signatures: LogSignatureId[] } {
  const seen = new Set<LogSignatureId>();
  for (const l of lines) for (const id of signaturesOf(l)) seen.add(id);
  const specific = [...seen].filter((id) => !(LOG_SIGNATURES[id] as LogSignature).generic);
  const pick = (ids: readonly LogSignatureId[]) => causes.filter((c) => (c.logs ?? []).some((s) => ids.includes(s as LogSignatureId))).map((c) => c.id);
  const bySpecific = pick(specific);
  if (bySpecific.length) return { causes: bySpecific, signatures: specific };
  const generic = [...seen].filter((id) => (LOG_SIGNATURES[id] as LogSignature).generic);
  return { causes: pick(generic), signatures: specific.length ? specific : generic };
}

/**
 * A refused connection, in the one wording every face uses: "connection to 10.0.3.4:5432 refused
 * (nothing accepted it: the service there was down or not listening, or the address or port is
 * wrong)". The target is read from the text when it names one.
 */
export function refusedConnectionText(text: string): string | undefined {
  if (!LOG_SIGNATURES['connection-refused'].pattern.test(text)) return undefined;
  const target = /(?:ECONNREFUSED|ECONNRESET|connect to|dial tcp|refused)\s*\(?((?:\[[0-9a-f:]+\]|[A-Za-z0-9.-]+):\d{1,5})\)?/i.exec(text)?.[1] ?? /\(([A-Za-z0-9.-]+:\d{1,5})\)/.exec(text)?.[1] ?? /\b((?:\d{1,3}\.){3}\d{1,3}:\d{1,5})\b/.exec(text)?.[1];
  return `the connection${target ? ` to ${target}` : ''} was refused: nothing accepted it (the service there was down or not listening yet, or the address or port is wrong)`;
}
