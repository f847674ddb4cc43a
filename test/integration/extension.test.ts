import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { extensionId, getApi, manifest } from './helpers';

suite('Extension', () => {
  test('activates and returns its context', async () => {
    const api = await getApi();
    assert.ok(api.ctx, 'activate() returns { ctx }');
    assert.equal(vscode.extensions.getExtension(extensionId())?.isActive, true);
  });

  test('registers every contributed command', async () => {
    await getApi();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = (manifest().contributes.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0);
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('contributes the ECS Doctor view container and its explorer view', async () => {
    const m = manifest();
    const container = m.contributes.viewsContainers?.activitybar?.find((c) => c.id === 'ecsDoctor');
    assert.equal(container?.title, 'ECS Doctor');
    assert.ok(m.contributes.views?.ecsDoctor?.some((v) => v.id === 'ecsDoctor.explorer'));
    // The view really exists in the workbench: focusing it is a command VS Code derives from the view id.
    await vscode.commands.executeCommand('ecsDoctor.explorer.focus');
    await vscode.commands.executeCommand('workbench.view.extension.ecsDoctor');
  });

  test('activates lazily: no "*" or onStartupFinished', () => {
    const events = manifest().activationEvents ?? [];
    assert.ok(!events.includes('*'));
    assert.ok(!events.includes('onStartupFinished'));
  });

  test('the ECS Doctor log command opens without error', async () => {
    await vscode.commands.executeCommand('ecsDoctor.showLog');
  });
});
