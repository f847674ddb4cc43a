// Task-definition diagnostics in infrastructure as code, in a real VS Code: squiggles, hovers and
// quick fixes in a CloudFormation YAML template, a CDK cdk.out template and a Terraform file.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { getApi, waitFor } from './helpers';

const repo = process.env.ECS_DOCTOR_REPO ?? path.resolve(__dirname, '..', '..', '..');

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ECS Doctor');
}

function code(d: vscode.Diagnostic): string {
  return String((d.code as { value: string }).value);
}

function describe(doc: vscode.TextDocument): string[] {
  const sev = ['error', 'warning', 'info', 'hint'];
  return ours(doc.uri).map((d) => `${code(d)} ${sev[d.severity]} ${doc.getText(d.range)}`);
}

suite('IaC lint: CloudFormation, CDK and Terraform', () => {
  let dir: string;

  suiteSetup(async () => {
    await getApi();
    // Copies, so quick fixes never touch the fixtures (the editor edits are not saved anyway).
    dir = mkdtempSync(path.join(os.tmpdir(), 'ecs-doctor-iac-'));
    cpSync(path.join(repo, 'test', 'fixtures', 'taskdefs', 'iac'), dir, { recursive: true });
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function open(rel: string): Promise<vscode.TextDocument> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir, rel)));
    await vscode.window.showTextDocument(doc);
    return doc;
  }

  async function hoverText(doc: vscode.TextDocument, needle: string): Promise<string> {
    const at = doc.positionAt(doc.getText().indexOf(needle) + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
    return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  }

  async function applyFix(doc: vscode.TextDocument, rule: string, under: string, title: string): Promise<void> {
    const diag = await waitFor(() => ours(doc.uri).find((d) => code(d) === rule && doc.getText(d.range) === under), `${rule} on ${under}`);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const action = actions.find((a) => a.title === title);
    assert.ok(action?.edit, `no quick fix "${title}"; got ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(action.edit));
    // Lint the edited version now (what the debounced lint does), so the next fix is offered on it.
    const { diagnostics: provider } = await getApi();
    const after = await provider.lint(doc);
    assert.ok(!after.some((d) => code(d) === rule && doc.getText(d.range) === under), `${rule} still reported after "${title}"`);
  }

  test('a CloudFormation YAML template: squiggles on the right text, hovers, a YAML quick fix', async () => {
    const doc = await open('cloudformation/web.yaml');
    await waitFor(() => ours(doc.uri).length >= 5, 'diagnostics on web.yaml');
    const got = describe(doc);
    for (const expected of [
      'health-check/no-start-period warning HealthCheck',
      'health-check/exec-form-string error curl -f http://localhost:8080/health',
      'service/grace-period warning LoadBalancers',
      'service/container-port error 80',
      'service/target-type error instance',
    ]) assert.ok(got.includes(expected), `missing "${expected}" in:\n${got.join('\n')}`);
    assert.equal(got.length, 5, `intrinsics are never judged:\n${got.join('\n')}`);
    assert.match(await hoverText(doc, 'Interval'), /healthCheck\.interval/);
    await applyFix(doc, 'service/target-type', 'instance', 'Set the target type to "ip"');
    assert.match(doc.getText(), /\n {6}TargetType: "ip"\n/);
    await applyFix(doc, 'health-check/no-start-period', 'HealthCheck', 'Add "startPeriod": 60');
    assert.match(doc.getText(), /\n {12}Timeout: !If \[IsProd, 5, 10\]\n {12}StartPeriod: 60\n/);
  });

  test('a CDK template (cdk.out/*.template.json): squiggles and a JSON quick fix', async () => {
    const doc = await open('cdk.out/WebStack.template.json');
    await waitFor(() => ours(doc.uri).length >= 3, 'diagnostics on the CDK template');
    const got = describe(doc);
    for (const expected of ['health-check/curl-without-fail warning curl', 'health-check/timeout-exceeds-interval warning 10', 'service/grace-period warning 10']) {
      assert.ok(got.includes(expected), `missing "${expected}" in:\n${got.join('\n')}`);
    }
    await applyFix(doc, 'health-check/curl-without-fail', 'curl', 'Add -f to curl');
    assert.ok(doc.getText().includes('"curl -f http://localhost:3000/health || exit 1"'));
  });

  test('a Terraform file: squiggles in jsonencode and across resources, hovers, HCL quick fixes', async () => {
    const doc = await open('terraform/main.tf');
    await waitFor(() => ours(doc.uri).length >= 8, 'diagnostics on main.tf');
    const got = describe(doc);
    for (const expected of [
      'fargate/cpu-memory error 4096',
      'health-check/timeout-exceeds-interval warning 30',
      'secrets/plaintext-environment warning "hunter2"',
      'service/grace-period warning 0',
      'service/target-type error "app"',
    ]) assert.ok(got.includes(expected), `missing "${expected}" in:\n${got.join('\n')}`);
    assert.match(await hoverText(doc, 'interval = 30'), /healthCheck\.interval/);
    await applyFix(doc, 'health-check/no-start-period', 'healthCheck', 'Add "startPeriod": 60');
    assert.match(doc.getText(), /timeout {2}= 30\n {8}startPeriod = 60\n/);
    await applyFix(doc, 'service/target-type', '"app"', 'Add target type "ip"');
    assert.match(doc.getText(), /vpc_id {3}= var\.vpc_id\n {2}target_type = "ip"\n/);
  });
});
