import * as vscode from 'vscode';
import { describeError } from './core/redact';
import { Ctx } from './editor/context';
import { register as registerDiagnostics, type TaskDefinitionDiagnostics } from './editor/diagnostics';
import { register as registerDiagnose } from './editor/commands/diagnoseStoppedTask';
import { register as registerExplain } from './editor/commands/explainStopReason';
import { register as registerExec } from './editor/exec';
import { register as registerForward, stopAllForwards, type ForwardManager } from './editor/forward';
import { Log } from './editor/log';
import { register as registerExplorer } from './editor/explorer/index';

/** What activate() returns: used by the integration tests, not a public API. */
export interface EcsDoctorApi {
  ctx: Ctx;
  /** How long activate() itself took, in ms (read by `npm run bench`). */
  activationMs: number;
  /** The task-definition diagnostics, code action and hover provider. */
  diagnostics: TaskDefinitionDiagnostics;
  /** The active port forwards (status bar item and list). */
  forwards: ForwardManager;
}

/** Each feature registers its views, providers and commands on the context, and nothing else. */
const features: Array<(ctx: Ctx) => unknown> = [
  (ctx) => ctx.push(vscode.commands.registerCommand('ecsDoctor.showLog', () => ctx.log.show())),
  registerDiagnose,
  registerExplain,
  registerExec,
  registerExplorer,
];

export function activate(context: vscode.ExtensionContext): EcsDoctorApi {
  const started = performance.now();
  const log = new Log();
  context.subscriptions.push(log);
  try {
    const ctx = new Ctx(context, log);
    context.subscriptions.push(ctx);
    const diagnostics = registerDiagnostics(ctx);
    for (const register of features) register(ctx);
    const forwards = registerForward(ctx);
    const activationMs = performance.now() - started;
    log.info(`ECS Doctor ${context.extension.packageJSON.version as string} activated in ${activationMs.toFixed(1)} ms`);
    return { ctx, activationMs, diagnostics, forwards };
  } catch (err) {
    log.error(err instanceof Error ? err : String(err));
    void vscode.window
      .showErrorMessage(`ECS Doctor could not start: ${describeError(err)}`, 'Show Log')
      .then((choice) => choice && log.show());
    throw err;
  }
}

export function deactivate(): Promise<void> {
  // Everything is disposed through context.subscriptions; port forwards also end their SSM
  // sessions (TerminateSession), which VS Code waits for here.
  return stopAllForwards();
}
