/**
 * Log text is text: what a container printed is shown as it is, never interpreted. ANSI escape
 * sequences (colours, cursor moves, terminal titles, hyperlinks) are removed, other control
 * characters and Unicode bidirectional overrides are replaced by visible stand-ins, and a
 * multi-line event stays one event. Credentials a container printed (access key ids, secret keys,
 * session tokens, bearer tokens, passwords) are masked, as in every other output of ECS Doctor.
 * Pure.
 */
import { redact } from '../redact';
import type { LogLine } from './types';

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC (ESC P|X|^|_ ... ST), two-byte ESC sequences, 8-bit CSI.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]|\x9b[0-?]*[ -/]*[@-~]/g;
// C0 except tab and newline, DEL, C1.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
// Bidirectional embeddings, overrides and isolates (they reorder what follows on screen).
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

/** The message with escapes removed, control characters made visible and credentials masked; inner newlines kept, the trailing one dropped. */
export function sanitizeMessage(message: string): string {
  return redact(message)
    .replace(/\r\n?/g, '\n')
    .replace(/\n+$/, '')
    .replace(ANSI, '')
    .replace(CONTROL, (ch) => {
      const code = ch.charCodeAt(0);
      // Control pictures (U+2400..U+241F, U+2421 for DEL) for C0; U+FFFD for C1.
      if (code < 0x20) return String.fromCharCode(0x2400 + code);
      if (code === 0x7f) return '\u2421';
      return '\ufffd';
    })
    .replace(BIDI, '\ufffd');
}

/** ISO 8601 UTC with milliseconds. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

/** `timestamp container message` lines; continuation lines of a multi-line message are indented under the message. */
export function formatLine(line: LogLine, labelWidth = line.container.length): string {
  const head = `${formatTimestamp(line.timestamp)} ${line.container.padEnd(labelWidth)} `;
  const [first, ...rest] = sanitizeMessage(line.message).split('\n');
  return [head + (first ?? ''), ...rest.map((r) => ' '.repeat(head.length) + r)].join('\n');
}

/** One JSON object a line: timestamp (ISO 8601), container, message (sanitised, inner newlines kept as \n). */
export function formatJsonLine(line: LogLine): string {
  return JSON.stringify({ timestamp: formatTimestamp(line.timestamp), container: line.container, message: sanitizeMessage(line.message) });
}

/**
 * Merges per-container lists (each oldest first) into one, oldest first: by timestamp, then by
 * the lists' order, then by position, so equal timestamps keep each container's own order.
 */
export function mergeByTime(lists: ReadonlyArray<readonly LogLine[]>): LogLine[] {
  const out: LogLine[] = [];
  const at = lists.map(() => 0);
  for (;;) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      const l = lists[i]![at[i]!];
      if (!l) continue;
      if (best < 0 || l.timestamp < lists[best]![at[best]!]!.timestamp) best = i;
    }
    if (best < 0) return out;
    out.push(lists[best]![at[best]!]!);
    at[best]!++;
  }
}

/** "10m", "2h", "30s", "1d", "1w" (back from now) or an ISO 8601 time, as epoch ms; undefined when it is neither. */
export function parseSince(value: string, now: number): number | undefined {
  const v = value.trim();
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/i.exec(v);
  if (m) {
    const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
    return now - Number(m[1]) * unit[m[2]!.toLowerCase()]!;
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}
