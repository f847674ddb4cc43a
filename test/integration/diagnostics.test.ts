// Task-definition diagnostics in a real VS Code: squiggles, ranges, quick fixes, hovers, settings.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { getApi, waitFor, withSettings } from './helpers';

const repo = process.env.ECS_DOCTOR_REPO ?? path.resolve(__dirname, '..', '..', '..');
const fixture = (name: string) => path.join(repo, 'test', 'fixtures', 'taskdefs', name);

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ECS Doctor');
}

function code(d: vscode.Diagnostic): string {
  return String((d.code as { value: string }).value);
}

/** "ruleId severity text-under-range" for each of our diagnostics. */
function describe(doc: vscode.TextDocument): string[] {
  const sev = ['error', 'warning', 'info', 'hint'];
  return ours(doc.uri).map((d) => `${code(d)} ${sev[d.severity]} ${doc.getText(d.range)}`);
}

async function openFile(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(fixture(name)));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** An untitled copy of a fixture: quick fixes change it without touching the file. */
async function openCopy(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language: 'jsonc', content: readFileSync(fixture(name), 'utf8') });
  await vscode.window.showTextDocument(doc);
  return doc;
}

async function closeActive(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

suite('Task-definition diagnostics', () => {
  suiteSetup(async () => {
    await getApi();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('underlines register-task-definition input with rule ids, severities, ranges and documentation links', async () => {
    const doc = await openFile('bad-register.json');
    await waitFor(() => ours(doc.uri).length >= 15, 'diagnostics on bad-register.json');
    const got = describe(doc);
    for (const expected of [
      'fargate/network-mode error "bridge"',
      'fargate/cpu-memory error "4096"',
      'health-check/no-start-period warning "healthCheck"',
      'health-check/exec-form-string error "curl http://localhost/health"',
      'health-check/range error 3',
      'health-check/timeout-exceeds-interval warning 30',
      'secrets/plaintext-environment warning "hunter2"',
      'logging/awslogs-options error "awslogs"',
      'fargate/stop-timeout error 300',
      'container/depends-on-unknown error "init"',
      'health-check/curl-without-fail warning curl',
      'health-check/port-mismatch warning 9000',
      'health-check/no-start-period warning 0',
      'memory/reservation-exceeds-limit error 512',
      'container/image-latest info "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web"',
    ]) {
      assert.ok(got.includes(expected), `missing "${expected}" in:\n${got.join('\n')}`);
    }
    for (const d of ours(doc.uri)) {
      const target = (d.code as { target: vscode.Uri }).target;
      assert.ok(target instanceof vscode.Uri && target.scheme === 'https', `${code(d)} links its documentation`);
    }
  });

  test('recognises describe-task-definition output and bare container arrays', async () => {
    const described = await openFile('bad-describe.json');
    await waitFor(() => ours(described.uri).length > 0, 'diagnostics on bad-describe.json');
    assert.ok(describe(described).includes('ports/awsvpc-host-port error 80'), describe(described).join('\n'));
    const bare = await openFile('bad-container-definitions.json');
    await waitFor(() => ours(bare.uri).length > 0, 'diagnostics on bad-container-definitions.json');
    const got = describe(bare);
    assert.ok(got.includes('container/no-essential error ['), got.join('\n'));
    assert.ok(got.includes('health-check/exec-form-string error "wget -q -O- http://localhost:8080/"'), got.join('\n'));
  });

  test('says nothing about JSON that is not a task definition, nor about a good one', async () => {
    const other = await openFile('not-a-task-definition.json');
    const good = await openFile('good-register.json');
    const bad = await openFile('bad-describe.json');
    await waitFor(() => ours(bad.uri).length > 0, 'diagnostics on the task definition opened last');
    // Lint the other two now, as opening them does (the same computation, cached per version):
    // what the extension publishes for them is nothing, with no guess at when it is done.
    const { diagnostics: provider } = await getApi();
    assert.deepEqual(await provider.lint(other), []);
    assert.deepEqual(await provider.lint(good), []);
    assert.deepEqual(ours(other.uri), []);
    assert.deepEqual(ours(good.uri), []);
  });

  const FIXES: Array<{ rule: string; under: string; title: string; expect: string }> = [
    { rule: 'health-check/no-start-period', under: '"healthCheck"', title: 'Add "startPeriod": 60', expect: '"retries": 3,\n        "startPeriod": 60\n      },' },
    { rule: 'health-check/range', under: '3', title: 'Set interval to 5', expect: '"interval": 5,' },
    { rule: 'health-check/exec-form-string', under: '"curl http://localhost/health"', title: 'Use "CMD-SHELL" (run the string with the shell)', expect: '"command": ["CMD-SHELL", "curl http://localhost/health"],' },
    { rule: 'health-check/curl-without-fail', under: 'curl', title: 'Add -f to curl', expect: '"curl -f -s http://localhost:9000/ || exit 1"' },
    { rule: 'health-check/port-mismatch', under: '9000', title: "Use the container's port 80", expect: '"curl -s http://localhost:80/ || exit 1"' },
    { rule: 'health-check/no-start-period', under: '0', title: 'Set startPeriod to 60', expect: '"startPeriod": 60\n      },\n      "portMappings": [{ "containerPort": 80 }],' },
    { rule: 'logging/awslogs-options', under: '"awslogs"', title: 'Add awslogs-region', expect: '"awslogs-group": "/ecs/web",\n          "awslogs-region": "eu-west-1"\n' },
    { rule: 'fargate/network-mode', under: '"bridge"', title: 'Set networkMode to "awsvpc"', expect: '"networkMode": "awsvpc",' },
    { rule: 'fargate/stop-timeout', under: '300', title: 'Set stopTimeout to 120', expect: '"stopTimeout": 120' },
    { rule: 'fargate/cpu-memory', under: '"4096"', title: 'Set memory to 2048', expect: '"memory": "2048",' },
  ];
  for (const f of FIXES) {
    test(`quick fix "${f.title}" for ${f.rule} yields the expected text`, async () => {
      const doc = await openCopy('bad-register.json');
      const diag = await waitFor(() => ours(doc.uri).find((d) => code(d) === f.rule && doc.getText(d.range) === f.under), `${f.rule} on ${f.under}`);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value);
      const action = actions.find((a) => a.title === f.title);
      assert.ok(action?.edit, `no quick fix "${f.title}"; got ${actions.map((a) => a.title).join(', ')}`);
      // The command above does not hand back action.diagnostics in every host: ask the provider itself.
      const { diagnostics: provider } = await getApi();
      const direct = provider.provideCodeActions(doc, diag.range, { diagnostics: [diag], only: vscode.CodeActionKind.QuickFix, triggerKind: vscode.CodeActionTriggerKind.Invoke });
      const same = direct.find((a) => a.title === f.title);
      assert.ok(same?.diagnostics?.some((d) => code(d) === f.rule), 'the action names the diagnostic it fixes');
      assert.equal(same?.kind?.value, vscode.CodeActionKind.QuickFix.value);
      const before = doc.getText();
      assert.ok(!before.includes(f.expect));
      assert.ok(await vscode.workspace.applyEdit(action.edit));
      assert.ok(doc.getText().includes(f.expect), `after "${f.title}":\n${doc.getText()}`);
      // The finding goes away once the debounced lint has run.
      await waitFor(() => !ours(doc.uri).some((d) => code(d) === f.rule && doc.getText(d.range) === f.under && d.range.isEqual(diag.range)), `${f.rule} to clear`);
      await closeActive();
    });
  }

  test('marks the preferred quick fix', async () => {
    const doc = await openCopy('bad-register.json');
    const diag = await waitFor(() => ours(doc.uri).find((d) => code(d) === 'fargate/cpu-memory'), 'fargate/cpu-memory');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range);
    assert.equal(actions.find((a) => a.title === 'Set memory to 2048')?.isPreferred, true);
    assert.equal(actions.find((a) => a.title === 'Set cpu to 512')?.isPreferred, false);
    await closeActive();
  });

  test('hovers on healthCheck fields give meaning, default and range', async () => {
    const doc = await openFile('bad-register.json');
    const at = doc.positionAt(doc.getText().indexOf('"interval"') + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /healthCheck\.interval/);
    assert.match(text, /Default: 30 seconds/);
    assert.match(text, /Range: 5-300 seconds/);
  });

  test('relints on change (debounced) and clears on close', async () => {
    const doc = await openCopy('good-register.json');
    const { diagnostics: provider } = await getApi();
    assert.deepEqual(await provider.lint(doc), [], 'a good task definition: nothing to say');
    assert.deepEqual(ours(doc.uri), []);
    const offset = doc.getText().indexOf('"startPeriod": 60');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(offset), doc.positionAt(offset + '"startPeriod": 60'.length)), '"startPeriod": 900');
    await vscode.workspace.applyEdit(edit);
    await waitFor(() => describe(doc).includes('health-check/range error 900'), 'the range error after the edit');
    await closeActive();
    await waitFor(() => ours(doc.uri).length === 0, 'diagnostics to clear on close');
  });

  test('settings change severities and turn rules off', async () => {
    const doc = await openFile('bad-register.json');
    await waitFor(() => ours(doc.uri).some((d) => code(d) === 'container/image-latest'), 'image-latest');
    const restore = await withSettings({ 'lint.rules': { 'container/image-latest': 'off', 'health-check/range': 'warning' } });
    try {
      await waitFor(() => !ours(doc.uri).some((d) => code(d) === 'container/image-latest'), 'image-latest off');
      await waitFor(() => describe(doc).includes('health-check/range warning 3'), 'range as a warning');
    } finally {
      await restore();
    }
    await waitFor(() => describe(doc).includes('health-check/range error 3'), 'range back to error');
  });
});
