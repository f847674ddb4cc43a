import { strict as assert } from 'node:assert';
import path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../../src/cli';
import { fakeIO as makeIO } from './fakeIO';

const FIX = 'test/fixtures/taskdefs';
const fakeIO = (stdin = '') => makeIO({ stdin, cwd: path.resolve('.') });


async function run(args: string[], stdin?: string) {
  const io = fakeIO(stdin);
  const code = await main(['lint', ...args], io);
  return { code, out: io.out, err: io.err };
}

describe('ecs-doctor lint', () => {
  it('exits 0 on clean task definitions of every shape', async () => {
    const r = await run([`${FIX}/good-register.json`, `${FIX}/good-describe.json`, `${FIX}/good-container-definitions.json`]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /0 errors, 0 warnings, 0 info in 3 task definitions/);
  });

  it('exits 1 on error findings and prints file:line:col, rule, message and quick fixes', async () => {
    const r = await run([`${FIX}/bad-register.json`]);
    assert.equal(r.code, 1);
    assert.match(r.out, /^test\/fixtures\/taskdefs\/bad-register\.json:15:28: error health-check\/exec-form-string: /m);
    assert.match(r.out, /quick fix \(preferred\): Add "startPeriod": 60/);
  });

  it('exits 0 when only warnings and infos are found', async () => {
    const strict = await run([`${FIX}/fifty-containers.json`]);
    assert.equal(strict.code, 1, 'it has one depends-on-healthy error');
    const r = await run(['--rule', 'health-check/depends-on-healthy=warning', `${FIX}/fifty-containers.json`]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /warning health-check\/no-start-period/);
  });

  it('--format json prints the documented rows, 1-based', async () => {
    const r = await run(['--format', 'json', `${FIX}/bad-describe.json`]);
    assert.equal(r.code, 1);
    const rows = JSON.parse(r.out) as Array<Record<string, unknown>>;
    assert.ok(rows.length > 0);
    for (const row of rows) assert.deepEqual(Object.keys(row), ['file', 'ruleId', 'severity', 'message', 'line', 'column', 'endLine', 'endColumn']);
    const hostPort = rows.find((x) => x.ruleId === 'ports/awsvpc-host-port');
    assert.deepEqual(
      { line: hostPort?.line, column: hostPort?.column, endLine: hostPort?.endLine, endColumn: hostPort?.endColumn },
      { line: 15, column: 63, endLine: 15, endColumn: 65 },
    );
  });

  it('--format sarif prints a SARIF 2.1.0 log with rules, levels, regions and fixes', async () => {
    const r = await run(['--format=sarif', `${FIX}/bad-register.json`]);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.out);
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    const run0 = log.runs[0];
    assert.equal(run0.tool.driver.name, 'ecs-doctor');
    const ids = run0.tool.driver.rules.map((x: { id: string }) => x.id);
    assert.ok(ids.includes('health-check/no-start-period') && ids.includes('json/parse'));
    for (const res of run0.results) {
      assert.equal(run0.tool.driver.rules[res.ruleIndex].id, res.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(res.level));
      const loc = res.locations[0].physicalLocation;
      assert.equal(loc.artifactLocation.uri, 'test/fixtures/taskdefs/bad-register.json');
      assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
    }
    assert.ok(run0.results.some((x: { level: string }) => x.level === 'note'));
    assert.ok(run0.results.some((x: { fixes?: unknown[] }) => x.fixes && x.fixes.length > 0));
  });

  it('reports malformed JSON as json/parse with its position, never a stack trace', async () => {
    const r = await run(['--format', 'json', `${FIX}/malformed.json`]);
    assert.equal(r.code, 1);
    const rows = JSON.parse(r.out) as Array<{ ruleId: string; line: number; column: number }>;
    const p = rows.find((x) => x.ruleId === 'json/parse');
    assert.deepEqual({ line: p?.line, column: p?.column }, { line: 4, column: 19 });
    assert.equal(r.err, '');
  });

  it('skips JSON that is not a task definition (exit 0) and says so in text mode', async () => {
    const r = await run([`${FIX}/not-a-task-definition.json`, 'package.json']);
    assert.equal(r.code, 0);
    assert.match(r.out, /not-a-task-definition\.json: not an ECS task definition, skipped/);
    const j = await run(['--format', 'json', `${FIX}/not-a-task-definition.json`]);
    assert.deepEqual(JSON.parse(j.out), []);
  });

  it('exits 2 on an unreadable file (after linting the others) and on bad usage', async () => {
    const r = await run([`${FIX}/does-not-exist.json`, `${FIX}/bad-register.json`]);
    assert.equal(r.code, 2);
    assert.match(r.err, /cannot read .*does-not-exist\.json/);
    assert.match(r.out, /bad-register\.json/);
    assert.equal((await run([])).code, 2, 'no file');
    assert.equal((await run(['--format', 'xml', `${FIX}/good-register.json`])).code, 2);
    assert.equal((await run(['--bogus'])).code, 2);
    const bad = await run(['--rule', 'nope/x=off', `${FIX}/good-register.json`]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unknown rule "nope\/x"/);
    assert.ok(!/\n\s+at /.test(bad.err), 'no stack trace');
  });

  it('--rule changes severities and turns rules off', async () => {
    const off = await run(['--format', 'json', '--rule', 'health-check/exec-form-string=off', '--rule', 'fargate/cpu-memory=warning', `${FIX}/bad-register.json`]);
    const rows = JSON.parse(off.out) as Array<{ ruleId: string; severity: string }>;
    assert.ok(!rows.some((x) => x.ruleId === 'health-check/exec-form-string'));
    assert.equal(rows.find((x) => x.ruleId === 'fargate/cpu-memory')?.severity, 'warning');
  });

  it('reads standard input for "-"', async () => {
    const r = await run(['--format', 'json', '-'], JSON.stringify({ family: 'x', containerDefinitions: [{ name: 'a', image: 'nginx:1', essential: false }] }));
    const rows = JSON.parse(r.out) as Array<{ file: string; ruleId: string }>;
    assert.ok(rows.some((x) => x.file === '<stdin>' && x.ruleId === 'container/no-essential'));
    assert.equal(r.code, 1);
  });

  it('lists its rules and appears in the top-level help', async () => {
    const r = await run(['--list-rules']);
    assert.equal(r.code, 0);
    assert.match(r.out, /health-check\/curl-without-fail\s+warning/);
    const io = fakeIO();
    await main(['--help'], io);
    assert.match(io.out, /lint\s+check ECS task-definition files/);
  });

  it('lints CloudFormation YAML, CDK and Terraform files, and searches directories recursively', async () => {
    const r = await run([`${FIX}/iac`]);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /^test\/fixtures\/taskdefs\/iac\/cloudformation\/web\.yaml:33:17: error health-check\/exec-form-string: /m);
    assert.match(r.out, /^test\/fixtures\/taskdefs\/iac\/cdk\.out\/WebStack\.template\.json:\d+:\d+: warning health-check\/curl-without-fail: /m);
    assert.match(r.out, /^test\/fixtures\/taskdefs\/iac\/terraform\/main\.tf:\d+:\d+: error service\/target-type: /m);
    assert.match(r.out, /^test\/fixtures\/taskdefs\/iac\/terraform\/containers\.json\.tftpl:\d+:\d+: warning health-check\/no-start-period: /m);
    assert.match(r.out, /quick fix \(preferred\): Set the target type to "ip"|quick fix \(preferred\): Add target type "ip"/);
    assert.match(r.out, /in 5 task definitions/);
  });

  it('SARIF for templates carries the fixes in the file\'s syntax', async () => {
    const r = await run(['--format', 'sarif', `${FIX}/iac/terraform/main.tf`]);
    const log = JSON.parse(r.out) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; fixes?: Array<{ artifactChanges: Array<{ replacements: Array<{ insertedContent: { text: string } }> }> }> }> }> };
    const run0 = log.runs[0]!;
    assert.ok(run0.tool.driver.rules.some((x) => x.id === 'service/target-type'));
    const tt = run0.results.find((x) => x.ruleId === 'service/target-type')!;
    assert.match(tt.fixes![0]!.artifactChanges[0]!.replacements[0]!.insertedContent.text, /target_type = "ip"/);
  });

  it('a directory with no task definition is an empty report, exit 0', async () => {
    const r = await run(['src/cli']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /0 errors, 0 warnings, 0 info in 0 task definitions/);
  });

  it('reads YAML on standard input', async () => {
    const yaml = 'Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: a\n          Image: nginx:1\n          Essential: false\n';
    const r = await run(['--format', 'json', '-'], yaml);
    const rows = JSON.parse(r.out) as Array<{ ruleId: string }>;
    assert.ok(rows.some((x) => x.ruleId === 'container/no-essential'), r.out);
  });

  it('--list-rules includes the service/ family and the YAML/HCL syntax rules', async () => {
    const r = await run(['--list-rules']);
    for (const id of ['service/grace-period', 'service/container-port', 'service/target-type', 'yaml/parse', 'hcl/parse']) assert.match(r.out, new RegExp(`^${id.replace('/', '\\/')}\\s`, 'm'));
  });
});
