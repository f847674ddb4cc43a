/**
 * A tolerant reader for pasted text: a bare stoppedReason, a container's reason, or a whole
 * `aws ecs describe-tasks` output (also a single task object, an array of tasks, the
 * EventBridge "ECS Task State Change" event, the shape of the `describe-tasks --query` the
 * catalogue suggests (CMD.describeTask: lastStatus, stoppedReason, stopCode, containers), or the
 * PascalCase task a Step Functions runTask.sync failure carries in its Cause). Never throws: junk gets a
 * clear error value. Only fixed paths of a parsed document are visited (no recursion), so a huge
 * or deeply nested paste costs one JSON.parse and nothing more.
 */
import { lastSegment } from '../arn';
import type { ContainerFacts, ParseResult, StopInput } from './types';

/** The largest paste read at all (describe-tasks for 100 tasks is a few hundred KB). */
export const MAX_PASTE_CHARS = 4 * 1024 * 1024;
/** describe-tasks takes at most 100 tasks; more than that in one paste is read up to here. */
export const MAX_TASKS = 100;
const MAX_FIELD = 8192;
const MAX_CONTAINERS = 50;

/** Console and log prefixes in front of a copied reason. */
const LABEL = /^(?:stopped\s*reason|stoppedReason|status\s*reason|reason|stop\s*reason)\s*[:=\t]\s*/i;
/** Container-level messages: the ones ECS puts in containers[].reason. */
const CONTAINER_LEVEL = /^(?:OutOfMemoryError|CannotStartContainerError|CannotCreateContainerError|CannotStopContainerError|CannotInspectContainerError|CannotCreateVolumeError|ContainerRuntimeError|ContainerRuntimeTimeoutError|DockerTimeoutError)\b|^Container killed due to memory usage/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** A property by name, case-insensitively (camelCase from the CLI/SDK, PascalCase from Step Functions). */
function get(o: Obj, key: string): unknown {
  if (Object.prototype.hasOwnProperty.call(o, key)) return o[key];
  const pascal = key[0]!.toUpperCase() + key.slice(1);
  if (Object.prototype.hasOwnProperty.call(o, pascal)) return o[pascal];
  return undefined;
}

function text(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.replace(CONTROL, '').trim();
  if (!t) return undefined;
  return t.length > MAX_FIELD ? t.slice(0, MAX_FIELD) : t;
}

function exitCode(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,4}$/.test(v.trim())) return Number(v.trim());
  return null;
}

/** CLI v2 prints ISO strings; raw API JSON has epoch seconds; some tools epoch milliseconds. */
function time(v: unknown): string | undefined {
  if (typeof v === 'string') {
    const d = new Date(v.trim());
    return Number.isNaN(d.getTime()) ? text(v) : d.toISOString();
  }
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) {
    const d = new Date(v < 1e11 ? v * 1000 : v);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  return undefined;
}

const TASK_KEYS = ['stoppedReason', 'stopCode', 'containers', 'taskArn', 'lastStatus', 'StoppedReason', 'StopCode', 'Containers', 'TaskArn', 'LastStatus'];

function looksLikeTask(o: Obj): boolean {
  return TASK_KEYS.some((k) => Object.prototype.hasOwnProperty.call(o, k));
}

function toContainer(v: unknown, i: number): ContainerFacts | undefined {
  if (!isObj(v)) return undefined;
  const c: ContainerFacts = { name: text(get(v, 'name')) ?? `container ${i + 1}`, exitCode: exitCode(get(v, 'exitCode')) };
  const reason = text(get(v, 'reason'));
  if (reason) c.reason = reason;
  for (const k of ['lastStatus', 'image', 'healthStatus'] as const) {
    const t = text(get(v, k));
    if (t) c[k] = t;
  }
  const essential = get(v, 'essential');
  if (typeof essential === 'boolean') c.essential = essential;
  return c;
}

/** One describe-tasks task (any of the shapes above) -> the classifier's input. */
export function taskToStopInput(task: Obj): StopInput {
  const input: StopInput = {};
  for (const k of ['taskArn', 'stoppedReason', 'stopCode', 'lastStatus', 'launchType', 'capacityProviderName', 'platformVersion', 'group', 'taskDefinitionArn'] as const) {
    const t = text(get(task, k));
    if (t) input[k] = t;
  }
  for (const k of ['startedAt', 'stoppingAt', 'stoppedAt'] as const) {
    const t = time(get(task, k));
    if (t) input[k] = t;
  }
  const containers = get(task, 'containers');
  if (Array.isArray(containers)) {
    input.containers = containers
      .slice(0, MAX_CONTAINERS)
      .map(toContainer)
      .filter((c): c is ContainerFacts => !!c);
  }
  return input;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null) return 'null';
  if (isObj(v)) {
    const keys = Object.keys(v).slice(0, 6);
    return keys.length ? `an object with ${keys.map((k) => `"${k.slice(0, 40)}"`).join(', ')}${Object.keys(v).length > 6 ? ', ...' : ''}` : 'an empty object';
  }
  return `a ${typeof v}`;
}

function fromTasks(list: unknown[], notes: string[], what: string): ParseResult {
  const objs = list.filter(isObj);
  const tasks = objs.filter(looksLikeTask);
  if (!tasks.length) {
    return { ok: false, error: list.length ? `The ${what} has no task with a stoppedReason, stopCode or containers.` : `The ${what} is empty: there is no task to explain.` };
  }
  if (tasks.length < list.length) notes.push(`Skipped ${list.length - tasks.length} entr${list.length - tasks.length === 1 ? 'y' : 'ies'} that are not tasks.`);
  if (tasks.length > MAX_TASKS) notes.push(`Read the first ${MAX_TASKS} of ${tasks.length} tasks.`);
  const inputs = tasks.slice(0, MAX_TASKS).map(taskToStopInput);
  return { ok: true, kind: inputs.length === 1 && what !== 'tasks array' ? 'task' : 'tasks', inputs, notes };
}

function fromJson(doc: unknown, notes: string[]): ParseResult {
  if (typeof doc === 'string') return fromText(doc, notes);
  if (Array.isArray(doc)) return fromTasks(doc, notes, 'tasks array');
  if (!isObj(doc)) return { ok: false, error: `The JSON is ${describe(doc)}, not describe-tasks output or a stop reason.` };
  // aws ecs describe-tasks
  const tasks = get(doc, 'tasks');
  if (Array.isArray(tasks)) {
    const failures = get(doc, 'failures');
    if (Array.isArray(failures) && failures.length) {
      const f = failures
        .filter(isObj)
        .slice(0, 3)
        .map((x) => {
          const arn = text(get(x, 'arn'));
          return `${arn === undefined ? '?' : lastSegment(arn)}: ${text(get(x, 'reason')) ?? '?'}${text(get(x, 'detail')) ? ` (${text(get(x, 'detail'))})` : ''}`;
        });
      if (!tasks.length) {
        return { ok: false, error: `describe-tasks returned no task, only failures: ${f.join('; ')}. Stopped tasks stay visible for about an hour after they stop.` };
      }
      notes.push(`describe-tasks also reported failures: ${f.join('; ')}.`);
    }
    const r = fromTasks(tasks, notes, 'describe-tasks output');
    return r.ok ? { ...r, kind: 'tasks' } : r;
  }
  // EventBridge "ECS Task State Change" (detail is the task); Step Functions error output (Cause is a JSON string).
  const detail = get(doc, 'detail');
  if (isObj(detail) && looksLikeTask(detail)) return { ok: true, kind: 'task', inputs: [taskToStopInput(detail)], notes };
  const cause = get(doc, 'cause');
  if (typeof cause === 'string' && cause.trim().startsWith('{')) {
    try {
      const inner: unknown = JSON.parse(cause);
      if (isObj(inner) && looksLikeTask(inner)) return { ok: true, kind: 'task', inputs: [taskToStopInput(inner)], notes };
    } catch {
      // fall through
    }
  }
  const task = get(doc, 'task');
  if (isObj(task) && looksLikeTask(task)) return { ok: true, kind: 'task', inputs: [taskToStopInput(task)], notes };
  if (looksLikeTask(doc)) return { ok: true, kind: 'task', inputs: [taskToStopInput(doc)], notes };
  return { ok: false, error: `The JSON is ${describe(doc)}; expected the output of aws ecs describe-tasks ({"tasks": [...]}) or a single task.` };
}

function unquote(t: string): string {
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) {
    try {
      const v: unknown = JSON.parse(t);
      if (typeof v === 'string') return v;
    } catch {
      return t.slice(1, -1);
    }
  }
  return t;
}

function fromText(raw: string, notes: string[]): ParseResult {
  let t = unquote(raw.replace(CONTROL, '').trim()).trim();
  t = t.replace(LABEL, '').trim();
  if (!t) return { ok: false, error: 'Nothing to explain: paste a stoppedReason, a container reason or the output of aws ecs describe-tasks.' };
  if (t.length > MAX_FIELD) {
    notes.push(`The text is ${t.length} characters long; read the first ${MAX_FIELD}.`);
    t = t.slice(0, MAX_FIELD);
  }
  if (!/[A-Za-z]{2}/.test(t)) return { ok: false, error: 'This does not look like a stop reason (no words in it).' };
  if (CONTAINER_LEVEL.test(t)) return { ok: true, kind: 'container-reason', inputs: [{ containers: [{ name: 'container', reason: t, exitCode: null }] }], notes };
  return { ok: true, kind: 'reason', inputs: [{ stoppedReason: t }], notes };
}

/**
 * Reads pasted text. Returns the StopInput(s) to classify, or `{ ok: false, error }` with a
 * message fit to show as is. Never throws, whatever it is given.
 */
export function parseStopText(input: unknown): ParseResult {
  try {
    if (typeof input !== 'string') return { ok: false, error: 'Nothing to explain: the input is not text.' };
    if (input.length > MAX_PASTE_CHARS) {
      return { ok: false, error: `The input is too large (${Math.round(input.length / 1024)} KiB; at most ${MAX_PASTE_CHARS / 1024 / 1024} MiB is read). Paste one task, or describe-tasks for up to 100 tasks.` };
    }
    const t = input.replace(/^\uFEFF/, '').trim();
    if (!t) return { ok: false, error: 'Nothing to explain: paste a stoppedReason, a container reason or the output of aws ecs describe-tasks.' };
    const notes: string[] = [];
    if (t.startsWith('{') || t.startsWith('[')) {
      let doc: unknown;
      try {
        doc = JSON.parse(t);
      } catch (err) {
        const msg = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : 'invalid JSON';
        return { ok: false, error: `This looks like JSON but cannot be read (${msg}). Paste the whole output of aws ecs describe-tasks, or just the stoppedReason text.` };
      }
      return fromJson(doc, notes);
    }
    return fromText(t, notes);
  } catch (err) {
    // Defensive: nothing above should throw, but a paste must never crash the caller.
    return { ok: false, error: `The input could not be read (${err instanceof Error ? err.message.slice(0, 200) : 'unexpected error'}).` };
  }
}

/** Whether some text looks worth offering to explain (an editor selection or the clipboard). */
export function looksLikeStopText(input: unknown): boolean {
  if (typeof input !== 'string' || !input.trim() || input.length > MAX_PASTE_CHARS) return false;
  const t = input.trim();
  if (t.startsWith('{') || t.startsWith('[')) return /"(?:stoppedReason|stopCode|StoppedReason|StopCode)"\s*:/.test(t.slice(0, 200_000));
  if (t.length > MAX_FIELD) return false;
  return /CannotPullContainer|ResourceInitializationError|OutOfMemoryError|CannotStartContainerError|CannotCreateContainerError|ContainerRuntime(?:Timeout)?Error|DockerTimeoutError|CannotStopContainerError|CannotInspectContainerError|CannotCreateVolumeError|InternalError|Essential container in task exited|Task failed (?:ELB|container) health checks|Spot Task was interrupted|Scaling activity initiated by|Task stopped by user|Unexpected EC2 error while attempting|Timeout waiting for network interface|performing maintenance on the underlying infrastructure|unable to pull secrets or registry auth|Container killed due to memory usage/.test(
    t,
  );
}
