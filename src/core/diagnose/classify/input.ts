/**
 * What the classifier reads: the stopped task's fields, checked and capped (a pasted text can be
 * anything), and the raw texts a diagnosis keeps verbatim.
 */
import type { ContainerFacts, RawStopTexts, StopInput } from '../types';

/** The longest text (per field) the classifier reads; AWS's own messages are far shorter. */
export const MAX_TEXT = 8192;

export interface Container {
  name: string;
  reason?: string;
  exitCode: number | null;
  lastStatus?: string;
  essential?: boolean;
  image?: string;
}

export function str(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.length > MAX_TEXT ? v.slice(0, MAX_TEXT) : v;
  const trimmed = t.trim();
  return trimmed ? trimmed : undefined;
}

export function exitCodeOf(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,4}$/.test(v.trim())) return Number(v.trim());
  return null;
}

/** Task states in which no container has stopped yet (DescribeTasks, Task.lastStatus). */
const LIVE_TASK = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING']);

/**
 * A container's exit code, if it can be one: only a container whose lastStatus is STOPPED has
 * exited (thin endpoints such as moto report exitCode 0 on running containers). Without the
 * container's lastStatus, a task that is still starting or running says it has not exited; a
 * pasted exit code with no status at all is taken as given.
 */
export function exitCodeIfStopped(exitCode: unknown, containerLastStatus: unknown, taskLastStatus?: unknown): number | null {
  const code = exitCodeOf(exitCode);
  if (code === null) return null;
  const c = typeof containerLastStatus === 'string' ? containerLastStatus.trim().toUpperCase() : '';
  if (c) return c === 'STOPPED' ? code : null;
  const t = typeof taskLastStatus === 'string' ? taskLastStatus.trim().toUpperCase() : '';
  return LIVE_TASK.has(t) ? null : code;
}

export function containersOf(input: StopInput): Container[] {
  const list = Array.isArray(input.containers) ? input.containers : [];
  const out: Container[] = [];
  for (const raw of list.slice(0, 100)) {
    if (!raw || typeof raw !== 'object') continue;
    const r = raw as ContainerFacts;
    const c: Container = { name: str(r.name) ?? `container ${out.length + 1}`, exitCode: exitCodeIfStopped(r.exitCode, r.lastStatus, input.lastStatus) };
    const reason = str(r.reason);
    if (reason) c.reason = reason;
    const last = str(r.lastStatus);
    if (last) c.lastStatus = last;
    if (typeof r.essential === 'boolean') c.essential = r.essential;
    const image = str(r.image);
    if (image) c.image = image;
    out.push(c);
  }
  return out;
}

export function rawOf(input: StopInput, containers: Container[]): RawStopTexts {
  const raw: RawStopTexts = { containers: containers.map((c) => ({ name: c.name, ...(c.reason ? { reason: c.reason } : {}), exitCode: c.exitCode, ...(c.lastStatus ? { lastStatus: c.lastStatus } : {}) })) };
  const reason = str(input.stoppedReason);
  const code = str(input.stopCode);
  if (reason) raw.stoppedReason = reason;
  if (code) raw.stopCode = code;
  return raw;
}
