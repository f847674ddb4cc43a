/**
 * The text of a logs document: a header, the notices (containers whose lines are elsewhere,
 * missing streams), a "load older lines" marker when older lines exist, the lines oldest first
 * (newest at the bottom), and the follow status last. Pure: the editor shows it read-only.
 */
import { formatLine, formatTimestamp } from './text';
import type { LogLine } from './types';

export interface LogDocumentState {
  /** "task 0b1c… of cluster prod", "container api of task 0b1c…". */
  title: string;
  containers: string[];
  notices: string[];
  lines: LogLine[];
  olderAvailable: boolean;
  /** The last line: "Following…", "The task stopped at …", an error. */
  status?: string | undefined;
}

export const OLDER_MARKER = '··· older lines: Load Older Lines ···';

export interface RenderedLogDocument {
  text: string;
  /** 0-based line of the "load older" marker, when shown. */
  olderLine: number | undefined;
}

export function renderLogDocument(s: LogDocumentState): RenderedLogDocument {
  const out: string[] = [];
  out.push(`Logs of ${s.title}: ${s.containers.join(', ') || 'no containers'}`);
  for (const n of s.notices) out.push(`! ${n.replace(/\s*\n\s*/g, ' ')}`);
  let olderLine: number | undefined;
  if (s.olderAvailable) {
    olderLine = out.length;
    out.push(OLDER_MARKER);
  }
  const width = Math.max(0, ...s.lines.map((l) => l.container.length));
  for (const l of s.lines) out.push(formatLine(l, width));
  if (!s.lines.length) out.push('(no lines in this range)');
  if (s.status) out.push(`--- ${s.status} ---`);
  return { text: `${out.join('\n')}\n`, olderLine };
}

/** The status line of a stopped task. */
export function stoppedStatus(stoppedAt: number | undefined, reason: string | undefined): string {
  return `The task stopped${stoppedAt !== undefined ? ` at ${formatTimestamp(stoppedAt)}` : ''}${reason ? ` (${reason.replace(/\s+/g, ' ')})` : ''}: no new lines will come`;
}
