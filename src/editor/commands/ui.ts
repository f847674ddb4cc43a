/**
 * What the palette commands share in their UI: a notification while work runs, an information
 * message, and an error message with a Show Log button. Each command adds its own pickers.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../context';

export interface CommandUi {
  withProgress<T>(title: string, work: () => Promise<T>): Promise<T>;
  info(message: string): void;
  error(message: string): void;
}

export function commandUi(ctx: Ctx): CommandUi {
  return {
    withProgress: (title, work) => Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: false }, work)),
    info: (m) => void vscode.window.showInformationMessage(m),
    error: (m) => void vscode.window.showErrorMessage(m, 'Show Log').then((c) => c && ctx.log.show()),
  };
}
