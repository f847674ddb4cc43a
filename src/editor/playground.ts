/**
 * The `npm start` playground's first screen: when its user settings say so
 * (`ecsDoctor.playground.welcome`, set only by sim/playground.mjs, not a documented setting),
 * the ECS Doctor view opens and the "Get started with ECS Doctor" walkthrough beside it says
 * what to try. A product install never sets it, so this does nothing there.
 */
import * as vscode from 'vscode';
import type { Ctx } from './context';

export const WALKTHROUGH_ID = 'ecs-doctor.ecs-doctor#ecsDoctor.gettingStarted';

export function register(ctx: Ctx): void {
  if (vscode.workspace.getConfiguration('ecsDoctor').get<boolean>('playground.welcome') !== true) return;
  void (async () => {
    try {
      await vscode.commands.executeCommand('workbench.view.extension.ecsDoctor');
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
    } catch (err) {
      ctx.log.warn(`Playground: could not open the welcome walkthrough: ${String(err)}`);
    }
  })();
}
