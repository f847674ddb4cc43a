/**
 * "ECS Doctor: Explain Stop Reason...": pasted text (a stoppedReason, a container reason, or a
 * whole `aws ecs describe-tasks` output) explained offline in the report view. The input box
 * is prefilled from the editor selection, the active JSON document or the clipboard when they
 * look like a stop reason. No AWS call, no credentials needed.
 */
import * as vscode from 'vscode';
import { parseTaskArn, taskIdOf } from '../../core/arn';
import type { TaskFacts } from '../../core/diagnose/facts';
import { redact } from '../../core/redact';
import { explainTask } from '../../core/diagnose/running';
import { looksLikeStopText, parseStopText } from '../../core/diagnose/parse';
import type { StopInput } from '../../core/diagnose/types';
import type { Ctx } from '../context';
import { commandUi } from './ui';
import { showDiagnosisReport, type ReportModel, type ReportPanel } from '../report';

export const COMMAND = 'ecsDoctor.explainStopReason';

export interface TaskPickItem extends vscode.QuickPickItem {
  index: number;
}

/** The UI the command uses; tests pass their own. */
export interface ExplainUi {
  /** The input box; resolves undefined when cancelled. */
  ask(value: string, validate: (text: string) => string | undefined): Promise<string | undefined>;
  /** Several tasks were pasted: which one to explain. */
  pickTask(items: TaskPickItem[]): Promise<TaskPickItem | undefined>;
  /** Text offered as the input box's initial value (selection, active JSON document, clipboard). */
  suggestion(): Promise<string>;
  error(message: string): void;
}

/** The largest text offered from the editor or clipboard as the input's initial value. */
const MAX_SUGGESTION = 512 * 1024;
/**
 * How long the clipboard may take. In a browser-hosted workbench (code-server, vscode.dev) the
 * read can wait on a permission prompt indefinitely; without a bound the input box never opens.
 */
const CLIPBOARD_TIMEOUT_MS = 1500;

async function readClipboard(): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(''), CLIPBOARD_TIMEOUT_MS);
  });
  try {
    return await Promise.race([Promise.resolve(vscode.env.clipboard.readText()), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function suggestion(): Promise<string> {
  const editor = vscode.window.activeTextEditor;
  if (editor) {
    const sel = editor.document.getText(editor.selection);
    if (sel && sel.length <= MAX_SUGGESTION && looksLikeStopText(sel)) return sel.trim();
    const doc = editor.document;
    if (editor.selection.isEmpty && /json/.test(doc.languageId) && doc.getText().length <= MAX_SUGGESTION) {
      const all = doc.getText();
      if (looksLikeStopText(all)) return all.trim();
    }
  }
  try {
    const clip = await readClipboard();
    if (clip && clip.length <= MAX_SUGGESTION && looksLikeStopText(clip)) return clip.trim();
  } catch {
    // No clipboard access (some remote hosts): no suggestion.
  }
  return '';
}

export function defaultUi(ctx: Ctx): ExplainUi {
  return {
    ask: async (value, validate) =>
      vscode.window.showInputBox({
        title: 'ECS Doctor: Explain Stop Reason',
        prompt: 'Paste a stoppedReason, a container reason, or the output of aws ecs describe-tasks (explained offline).',
        placeHolder: 'e.g. CannotPullContainerError: ... manifest unknown',
        value,
        ignoreFocusOut: true,
        validateInput: (t) => (t.trim() ? validate(t) : undefined),
      }),
    pickTask: async (items) => vscode.window.showQuickPick(items, { title: 'ECS Doctor: Explain Stop Reason', placeHolder: 'Several tasks were pasted: which one?', matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true }),
    suggestion,
    error: commandUi(ctx).error,
  };
}

export function register(ctx: Ctx): void {
  ctx.push(vscode.commands.registerCommand(COMMAND, (arg?: unknown) => explainStopReason(ctx, arg)));
}

/** The describe-tasks fields of a pasted task, for the report's "What happened" table. */
function taskFactsOf(input: StopInput): TaskFacts | undefined {
  if (!input.taskArn) return undefined;
  const t: TaskFacts = {
    taskArn: input.taskArn,
    containers: (input.containers ?? []).map((c) => ({ name: c.name, exitCode: c.exitCode ?? null, ...(c.reason ? { reason: c.reason } : {}), ...(c.lastStatus ? { lastStatus: c.lastStatus } : {}), ...(c.image ? { image: c.image } : {}), ...(c.healthStatus ? { healthStatus: c.healthStatus } : {}) })),
  };
  for (const k of ['lastStatus', 'stoppedReason', 'stopCode', 'launchType', 'platformVersion', 'group', 'taskDefinitionArn', 'startedAt', 'stoppingAt', 'stoppedAt'] as const) {
    if (input[k]) t[k] = input[k];
  }
  const cluster = parseTaskArn(input.taskArn)?.cluster;
  if (cluster) t.clusterArn = cluster;
  return t;
}

function taskItems(inputs: StopInput[]): TaskPickItem[] {
  return inputs.map((input, index) => {
    const d = explainTask(input);
    const id = input.taskArn !== undefined ? taskIdOf(input.taskArn) : undefined;
    return {
      index,
      label: id ?? `Task ${index + 1}`,
      description: [input.stopCode, d.category].filter(Boolean).join(' · '),
      detail: redact((input.stoppedReason ?? input.containers?.find((c) => c.reason)?.reason ?? '').slice(0, 200)),
    };
  });
}

/**
 * Runs the command. `arg` may be the text itself (other commands, tests); otherwise the input
 * box asks for it. Returns the report panel, or undefined when cancelled or the text is junk.
 */
export async function explainStopReason(ctx: Ctx, arg?: unknown, ui: ExplainUi = defaultUi(ctx)): Promise<ReportPanel | undefined> {
  let text = typeof arg === 'string' && arg.trim() ? arg : undefined;
  if (text === undefined) {
    const initial = await ui.suggestion();
    text = await ui.ask(initial, (t) => {
      const r = parseStopText(t);
      return r.ok ? undefined : r.error;
    });
    if (text === undefined || !text.trim()) return undefined;
  }
  const parsed = parseStopText(text);
  if (!parsed.ok) {
    ui.error(`ECS Doctor: ${redact(parsed.error)}`);
    return undefined;
  }
  for (const n of parsed.notes) ctx.log.info(`Explain Stop Reason: ${n}`);
  let input = parsed.inputs[0]!;
  if (parsed.inputs.length > 1) {
    const picked = await ui.pickTask(taskItems(parsed.inputs));
    if (!picked) return undefined;
    input = parsed.inputs[picked.index]!;
  }
  const diagnosis = explainTask(input);
  ctx.log.info(`Explained ${input.taskArn !== undefined ? taskIdOf(input.taskArn) : 'pasted text'}: ${diagnosis.category}/${diagnosis.variant} (${diagnosis.confidence} confidence)`);
  const model: ReportModel = { diagnosis, mode: 'offline', generatedAt: new Date().toISOString() };
  const task = taskFactsOf(input);
  if (task) model.task = task;
  if (task?.clusterArn) model.cluster = task.clusterArn;
  return showDiagnosisReport(ctx, model);
}
