/**
 * `ecs-doctor explain`: explains a stopped task's reason offline (no AWS call): from flags, from
 * pasted text, or from a whole `aws ecs describe-tasks` output (--tasks-json FILE, `-` = stdin).
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { taskIdOf } from '../core/arn';
import { describeError, redact } from '../core/redact';
import { explainTask } from '../core/diagnose/running';
import { diagnosisJson, diagnosisText } from '../core/diagnose/format';
import { renderMarkdown } from '../core/diagnose/markdown';
import { MAX_PASTE_CHARS, parseStopText } from '../core/diagnose/parse';
import type { Diagnosis, StopInput } from '../core/diagnose/types';
import { formatFlag, parseFlags, UsageError, type CliCommand, type CliIO } from './io';

const FORMATS = ['text', 'json', 'markdown'] as const;

const usage = `Usage: ecs-doctor explain [--reason TEXT] [--stop-code CODE] [--exit-code N]
                         [--container-reason TEXT] [--container NAME] [--format text|json|markdown]
       ecs-doctor explain --tasks-json FILE|- [--format text|json|markdown]
       ecs-doctor explain "<pasted stoppedReason, container reason or describe-tasks JSON>"

Explains why an ECS task stopped (or, for a running task in describe-tasks output, whether a
container is failing its health check), offline (no AWS call, no credentials): the category and
variant of the stop reason, what it means, where to look first, the likely causes, the fix
with exact AWS CLI commands, prevention and AWS's documentation. Reads the whole message and
refines "Essential container in task exited" by the container's exit code and reason.
For a live diagnosis with evidence, use \`ecs-doctor diagnose\`.

Options:
  --reason <text>            the task's stoppedReason
  --stop-code <code>         the task's stopCode (TaskFailedToStart, EssentialContainerExited, ...)
  --exit-code <n>            the essential container's exitCode
  --container-reason <text>  the container's own reason (containers[].reason)
  --container <name>         the container's name (default "container")
  --tasks-json <file>        the JSON output of aws ecs describe-tasks (- reads standard input)
  --format <f>               text (default), json ({taskArn, category, variant, title, summary,
                             whereToLook, causes, fixes, docs, evidence, ...}; with --tasks-json
                             {"tasks": [...]}) or markdown

Examples:
  ecs-doctor explain --reason "CannotPullContainerError: ... manifest unknown"
  ecs-doctor explain --reason "Essential container in task exited" --exit-code 137
  aws ecs describe-tasks --cluster prod --tasks <id> | ecs-doctor explain --tasks-json -

Exit codes: 0 explained, 1 a reason was not recognised (category Unknown), 2 bad usage or
unreadable input.`;

async function readInput(file: string, io: CliIO): Promise<string> {
  if (file === '-') return io.readStdin();
  const p = path.resolve(io.cwd, file);
  let size: number;
  try {
    const st = await stat(p);
    if (!st.isFile()) throw new UsageError(`--tasks-json ${file} is not a file`);
    size = st.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read --tasks-json ${file}: ${describeError(err)}`);
  }
  if (size > MAX_PASTE_CHARS * 4) throw new UsageError(`--tasks-json ${file} is too large (${Math.round(size / 1024 / 1024)} MiB)`);
  try {
    return await readFile(p, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --tasks-json ${file}: ${describeError(err)}`);
  }
}

function exitCodeFlag(v: string | undefined): number | null | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  if (t === 'null' || t === 'none') return null;
  if (!/^-?\d{1,10}$/.test(t) || !Number.isSafeInteger(Number(t))) throw new UsageError(`--exit-code must be an integer (got "${v}")`);
  return Number(t);
}

function emit(io: CliIO, format: string, diagnoses: Diagnosis[], asTasks: boolean, notes: string[]): void {
  for (const n of notes) io.stderr(`note: ${redact(n)}\n`);
  if (format === 'json') {
    const body = asTasks ? { tasks: diagnoses.map(diagnosisJson) } : diagnosisJson(diagnoses[0]!);
    io.stdout(JSON.stringify(body, null, 2) + '\n');
    return;
  }
  const render = format === 'markdown' ? renderMarkdown : (d: Diagnosis) => diagnosisText(d, { offline: true });
  const parts = diagnoses.map((d, i) => {
    const head = diagnoses.length > 1 ? `${format === 'markdown' ? '' : `=== ${i + 1}/${diagnoses.length} ${d.taskArn !== undefined ? taskIdOf(d.taskArn) : ''}`.trimEnd() + '\n\n'}` : '';
    return head + render(d);
  });
  io.stdout(parts.join(format === 'markdown' ? '\n---\n\n' : '\n'));
}

/** A reason ECS Doctor does not know (a running task is explained, not unrecognised). */
const unrecognised = (d: Diagnosis) => d.category === 'Unknown' && d.variant !== 'running';

export const command: CliCommand = {
  name: 'explain',
  summary: 'explain a stopped task\'s reason offline: category, causes, fix (from flags, text or describe-tasks JSON)',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseFlags(
      args,
      {
        reason: { type: 'string' },
        'stop-code': { type: 'string' },
        'exit-code': { type: 'string' },
        'container-reason': { type: 'string' },
        container: { type: 'string' },
        'tasks-json': { type: 'string' },
        format: { type: 'string' },
      },
      true,
    );
    const format = formatFlag(values.format, FORMATS);
    const flagged = ['reason', 'stop-code', 'exit-code', 'container-reason', 'container'].some((k) => values[k as keyof typeof values] !== undefined);
    const pasted = positionals.join(' ');
    if (values['tasks-json'] !== undefined && (flagged || pasted)) throw new UsageError('--tasks-json cannot be combined with other input');
    if (flagged && pasted) throw new UsageError('give either the text to explain or --reason/--exit-code/... flags, not both');

    if (values['tasks-json'] !== undefined || pasted) {
      const text = values['tasks-json'] !== undefined ? await readInput(values['tasks-json'], io) : pasted;
      if (values['tasks-json'] !== undefined && !/^\s*[[{]/.test(text.replace(/^\uFEFF/, '').slice(0, 1024))) {
        io.stderr(`ecs-doctor explain: --tasks-json ${values['tasks-json']} is not JSON: expected the output of aws ecs describe-tasks (or pass the text itself as an argument)\n`);
        return 2;
      }
      const parsed = parseStopText(text);
      if (!parsed.ok) {
        io.stderr(`ecs-doctor explain: ${redact(parsed.error)}\n`);
        return 2;
      }
      const diagnoses = parsed.inputs.map(explainTask);
      const asTasks = values['tasks-json'] !== undefined || parsed.kind === 'tasks';
      emit(io, format, diagnoses, asTasks, parsed.notes);
      return diagnoses.some(unrecognised) ? 1 : 0;
    }

    if (!flagged) throw new UsageError('nothing to explain: give --reason, --container-reason, --exit-code, --stop-code or --tasks-json');
    const input: StopInput = {};
    const reason = values.reason?.trim();
    const code = values['stop-code']?.trim();
    if (reason) input.stoppedReason = reason;
    if (code) {
      if (!/^[A-Za-z]{1,64}$/.test(code)) throw new UsageError(`--stop-code must be a stop code such as TaskFailedToStart (got "${values['stop-code']}")`);
      input.stopCode = code;
    }
    const exitCode = exitCodeFlag(values['exit-code']);
    const containerReason = values['container-reason']?.trim();
    if (exitCode !== undefined || containerReason || values.container) {
      input.containers = [{ name: values.container?.trim() || 'container', exitCode: exitCode ?? null, ...(containerReason ? { reason: containerReason } : {}), ...(exitCode !== undefined && exitCode !== null ? { lastStatus: 'STOPPED' } : {}) }];
    }
    if (!input.stoppedReason && !input.stopCode && !input.containers) throw new UsageError('nothing to explain: the given values are empty');
    const d = explainTask(input);
    emit(io, format, [d], false, []);
    return unrecognised(d) ? 1 : 0;
  },
};
