// Bad input everywhere it enters: malformed and hostile JSON to the linter and to `explain
// --tasks-json`; names with quotes, spaces, $() and Markdown in clusters, services and containers
// (shown as text in labels and tooltips; passed as-is to ECS Exec); a missing or unreadable AWS
// config; an unknown profile; a Region that does not exist. Never a crash, a hang or a stack trace.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listProfiles, parseIni } from '../../src/core/awsProfiles';
import { ExplorerModel, present, type ExplorerNode } from '../../src/core/explorer/model';
import { escapeMarkdown } from '../../src/core/explorer/present';
import { lintText } from '../../src/core/taskdef/lint';
import { readProfiles } from '../../src/editor/explorer/profiles';
import { readScenario } from '../../sim/scenario';
import { startSimulator, type Simulator } from '../../sim/server';
import type { ScenarioData } from '../../sim/types';
import { loadEverything } from '../../bench/tree';
import { simData } from '../../bench/common';
import { cli, guardDns, lookups, sandboxEnv, STACK, trackUnhandled } from './helpers';

guardDns();
const unhandled = trackUnhandled();
const ROOT = path.resolve(__dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'ecs-doctor-bad-input-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function garbage(n: number, seed = 1): string {
  let x = seed;
  const bytes = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = x & 0xff;
  }
  return bytes.toString('latin1');
}

/** Hostile and malformed documents: [name, text]. */
const HOSTILE: [string, string][] = [
  ['empty', ''],
  ['whitespace', ' \n\t '],
  ['null', 'null'],
  ['a string', '"containerDefinitions"'],
  ['a number', '1e309'],
  ['unterminated object', '{"containerDefinitions": [{"name": "web", "image": '],
  ['unterminated string', '{"family": "web'],
  ['binary garbage', garbage(4096)],
  ['BOM then JSON', '\uFEFF{"containerDefinitions": [{"name": "web", "image": "nginx"}]}'],
  ['NUL bytes', '{"containerDefinitions": [{"name": "w\u0000eb", "image": "ng\u0000inx"}]}\u0000'],
  ['lone surrogates', '{"containerDefinitions": [{"name": "\ud800web\udfff", "image": "nginx"}]}'],
  ['deep arrays', '['.repeat(100_000)],
  ['deep objects', '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000)],
  ['a 4 MB string', `{"containerDefinitions": [{"name": "${'x'.repeat(4 * 1024 * 1024)}", "image": "nginx"}]}`],
  ['prototype keys', '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "containerDefinitions": [{"name": "web", "image": "nginx", "__proto__": {"essential": false}, "healthCheck": {"__proto__": {"command": ["CMD", "true"]}}}]}'],
  ['wrong types everywhere', '{"containerDefinitions": [null, 1, "a", [], {"name": 5, "image": {}, "essential": "yes", "healthCheck": "CMD curl", "portMappings": {"0": 1}, "environment": "A=B", "secrets": [1], "memory": "512", "dependsOn": [null]}], "cpu": [], "memory": {}, "networkMode": 7, "requiresCompatibilities": "FARGATE"}'],
  ['extreme numbers', '{"cpu": "1e400", "memory": "-0", "containerDefinitions": [{"name": "web", "image": "nginx", "memory": 1e309, "memoryReservation": -1e309, "healthCheck": {"command": ["CMD", "true"], "interval": 1e400, "timeout": -5, "retries": 0.5, "startPeriod": 9007199254740993}}]}'],
  ['10,000 containers', JSON.stringify({ containerDefinitions: Array.from({ length: 10_000 }, (_, i) => ({ name: `c${i}`, image: 'nginx', dependsOn: [{ containerName: `c${(i + 1) % 10_000}`, condition: 'HEALTHY' }] })) })],
  ['comments and trailing commas', '// a comment\n{"containerDefinitions": [{"name": "web", "image": "nginx",},], /* end */}'],
];

describe('bad input: the linter', () => {
  for (const [name, text] of HOSTILE) {
    it(`lintText survives ${name}`, () => {
      // How long it takes is `npm run bench`'s (lint.hostileMaxMs); here, what it returns.
      const r = lintText(text, { includeParseErrors: true });
      assert.ok(Array.isArray(r.findings));
      for (const f of r.findings) {
        assert.ok(f.offset >= 0 && f.offset + f.length <= text.length, `${f.ruleId} range in bounds`);
        assert.equal(typeof f.message, 'string');
      }
      assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
    });
  }

  it('ecs-doctor lint: every hostile file and stdin, every format: exit 0/1/2 with a message, never a stack', async () => {
    for (const [i, [name, text]] of HOSTILE.entries()) {
      const file = path.join(dir, `hostile-${i}.json`);
      writeFileSync(file, text, 'latin1');
      for (const format of ['text', 'json', 'sarif']) {
        const r = await cli(['lint', file, '--format', format], { cwd: dir });
        assert.ok([0, 1, 2].includes(r.code), `${name} (${format}): exit ${r.code}`);
        assert.ok(!STACK.test(r.stdout + r.stderr), `${name} (${format}): stack trace shown:\n${(r.stdout + r.stderr).slice(0, 500)}`);
        if (format !== 'text' && r.code !== 2) assert.doesNotThrow(() => JSON.parse(r.stdout), `${name}: ${format} output is JSON`);
      }
      const s = await cli(['lint', '-'], { stdin: text, cwd: dir });
      assert.ok([0, 1, 2].includes(s.code), `${name} (stdin): exit ${s.code}`);
      assert.ok(!STACK.test(s.stdout + s.stderr), `${name} (stdin): stack trace`);
    }
    assert.deepEqual(unhandled.take(), []);
  });

  it('ecs-doctor lint: a missing file, an empty name: exit 2 naming the problem', async () => {
    for (const args of [['lint', path.join(dir, 'no-such.json')], ['lint', ''], ['lint', '--rule', 'nope=error', path.join(ROOT, 'test/fixtures/taskdefs/good-register.json')]]) {
      const r = await cli(args, { cwd: dir });
      assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code} ${r.stderr}`);
      assert.ok(r.stderr.trim().length > 0 && !STACK.test(r.stderr), r.stderr);
    }
  });
});

describe('bad input: ecs-doctor explain --tasks-json', () => {
  const SHAPES: [string, string][] = [
    ...HOSTILE.filter(([n]) => n !== '10,000 containers'),
    ['tasks not a list', '{"tasks": "STOPPED"}'],
    ['tasks of wrong types', '{"tasks": [null, 1, "a", [], {"containers": 5}, {"stoppedReason": {"a": 1}, "stopCode": 7, "containers": [null, {"exitCode": "137", "reason": []}]}]}'],
    ['failures only', '{"tasks": [], "failures": [{"arn": "arn:aws:ecs:us-east-1:123456789012:task/x/y", "reason": "MISSING"}]}'],
    ['a bare task', '{"taskArn": "x", "stoppedReason": "Essential container in task exited", "containers": [{"name": "a$(id)", "exitCode": 137}]}'],
    ['10,000 tasks', JSON.stringify({ tasks: Array.from({ length: 10_000 }, (_, i) => ({ taskArn: `arn:aws:ecs:us-east-1:123456789012:task/c/${i}`, stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', containers: [{ name: 'app', exitCode: i % 256 }] })) })],
  ];
  it('every shape, file and stdin, every format: exit 0/1/2 with a message, never a stack or a hang', async () => {
    for (const [i, [name, text]] of SHAPES.entries()) {
      const file = path.join(dir, `tasks-${i}.json`);
      writeFileSync(file, text, 'latin1');
      for (const format of ['text', 'json', 'markdown']) {
        const r = await cli(['explain', '--tasks-json', file, '--format', format], { cwd: dir });
        assert.ok([0, 1, 2].includes(r.code), `${name} (${format}): exit ${r.code}`);
        assert.ok(!STACK.test(r.stdout + r.stderr), `${name} (${format}): stack trace:\n${(r.stdout + r.stderr).slice(0, 500)}`);
        if (r.code === 2) assert.ok(r.stderr.trim().length > 0, `${name}: exit 2 says why`);
        if (format === 'json' && r.code !== 2) assert.doesNotThrow(() => JSON.parse(r.stdout), `${name}: JSON output`);
      }
      const s = await cli(['explain', '--tasks-json', '-'], { stdin: text, cwd: dir });
      assert.ok([0, 1, 2].includes(s.code) && !STACK.test(s.stdout + s.stderr), `${name} (stdin): exit ${s.code}`);
    }
    const missing = await cli(['explain', '--tasks-json', path.join(dir, 'missing.json')], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.ok(!STACK.test(missing.stderr));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(unhandled.take(), []);
  });
});

// Names no console would accept, but an API, a fake or a future rule might hand us (no "/": the
// ARNs the names are read from use it as the separator).
const PWNED = path.join(tmpdir(), 'ecs-doctor-pwned');
const CLUSTER = `prod "blue" $(touch ecs-doctor-pwned) *x*`;
const SERVICE = `web's [click](javascript:alert(1)) <img src=x onerror=alert(1)> \`tick\``;
const CONTAINER = `app; rm -rf ~ $(id) | _em_ # h1`;

function hostileScenario(): ScenarioData {
  const s = readScenario('exec');
  const text = JSON.stringify(s)
    .replaceAll('"name":"exec"', `"name":${JSON.stringify(CLUSTER)}`)
    .replaceAll('"name":"ready"', `"name":${JSON.stringify(SERVICE)}`)
    .replaceAll('"service":"ready"', `"service":${JSON.stringify(SERVICE)}`);
  const data = JSON.parse(text) as ScenarioData;
  // Rename the container of web:1 (used by the ready service) everywhere it is named.
  for (const td of data.taskDefinitions ?? []) if (td.family === 'web') for (const c of td.containerDefinitions ?? []) if (c.name === 'app') c.name = CONTAINER;
  for (const c of data.clusters ?? []) for (const t of c.tasks ?? []) {
    if ((t.taskDefinition ?? '').startsWith('web') || t.service === SERVICE) for (const k of t.containers ?? []) if (k.name === 'app') k.name = CONTAINER;
  }
  return data;
}

describe('bad input: hostile names', () => {
  let sim: Simulator;
  let restore: () => void;
  before(async () => {
    restore = sandboxEnv();
    sim = await startSimulator({ scenario: hostileScenario() });
  });
  after(async () => {
    await sim.stop();
    restore();
  });

  it('the tree shows them as text: labels verbatim, tooltips escaped (no link, HTML or emphasis)', async () => {
    const { session, data } = simData(sim.url);
    const model = new ExplorerModel({ scopes: [{ id: 'names@us-east-1', profile: undefined, region: 'us-east-1', source: data }] });
    try {
      await loadEverything(model);
      const all: ExplorerNode[] = [];
      const walk = (n: ExplorerNode) => {
        all.push(n);
        for (const c of n.kind === 'task' ? model.children(n) : (n.children ?? [])) walk(c);
      };
      walk(model.root);
      const byLabel = (label: string) => all.filter((n) => n.kind !== 'root' && present(n).label === label);
      const cluster = byLabel(CLUSTER);
      const service = byLabel(SERVICE);
      const container = byLabel(CONTAINER);
      assert.equal(cluster.length, 1, 'cluster label verbatim');
      assert.equal(service.length, 1, 'service label verbatim');
      assert.ok(container.length >= 1, 'container label verbatim');
      for (const n of [...cluster, ...service, ...container]) {
        const tip = present(n).tooltip ?? '';
        assert.ok(tip.length > 0, `${n.kind} has a tooltip`);
        const name = present(n).label;
        // Either as inline code (no backtick in it) or escaped text: never live Markdown/HTML.
        assert.ok(tip.includes(`\`${name}\``) || tip.includes(escapeMarkdown(name)), `${n.kind} tooltip shows the name as text:\n${tip}`);
        assert.ok(!tip.includes('[click](javascript:alert(1))') || tip.includes(`\`${name}\``), `${n.kind}: a live link in the tooltip`);
        assert.ok(!/<img/i.test(tip.replaceAll(`\`${name}\``, '')), `${n.kind}: raw HTML in the tooltip`);
      }
      assert.ok(!existsSync(PWNED) || existsSync(path.join(dir, 'ecs-doctor-pwned')), 'nothing was executed');
    } finally {
      model.dispose();
      session.dispose();
    }
  });

  it('ecs-doctor status prints them verbatim (text and JSON)', async () => {
    const base = ['status', '--region', 'us-east-1', '--endpoint-url', sim.url, '--cluster', CLUSTER];
    const j = await cli([...base, '--format', 'json']);
    assert.equal(j.code, 0, j.stderr);
    const json = JSON.parse(j.stdout) as { clusters: { name: string; services: { name: string; tasks: { containers: { name: string }[] }[] }[] }[] };
    assert.equal(json.clusters[0]!.name, CLUSTER);
    const svc = json.clusters[0]!.services.find((s) => s.name === SERVICE);
    assert.ok(svc, 'service name verbatim in JSON');
    assert.equal(svc.tasks[0]!.containers[0]!.name, CONTAINER);
    const t = await cli(base);
    assert.equal(t.code, 0, t.stderr);
    for (const name of [CLUSTER, SERVICE, CONTAINER]) assert.ok(t.stdout.includes(name), `text shows ${name}`);
  });

  it('ecs-doctor exec passes them as-is: ExecuteCommand parameters and the plugin argv, no shell in between', async () => {
    const record = path.join(dir, 'smp-record.jsonl');
    const env: NodeJS.ProcessEnv = {
      PATH: `${path.join(ROOT, 'sim/bin')}${path.delimiter}${process.env.PATH}`,
      HOME: dir,
      ECS_DOCTOR_SMP_RECORD: record,
      ECS_DOCTOR_SMP_EXIT_AFTER_MS: '50',
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY,
      AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE,
      AWS_SHARED_CREDENTIALS_FILE: process.env.AWS_SHARED_CREDENTIALS_FILE,
    };
    const command = `sh -c 'echo "$(whoami)"; ls *' && echo \`id\``;
    sim.clearCalls();
    const r = await cli(
      ['exec', '--cluster', CLUSTER, '--task', 'e0000000000000000000000000000001', '--container', CONTAINER, '--command', command, '--region', 'us-east-1', '--endpoint-url', sim.url],
      { env, cwd: dir },
    );
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const exec = sim.callsTo('ExecuteCommand');
    assert.equal(exec.length, 1);
    assert.equal(exec[0]!.params.container, CONTAINER);
    assert.equal(exec[0]!.params.command, command);
    assert.ok(String(exec[0]!.params.cluster).endsWith(CLUSTER) || exec[0]!.params.cluster === CLUSTER);
    const runs = readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { argv?: string[] }).filter((x) => x.argv && x.argv.length === 6);
    assert.equal(runs.length, 1, 'one plugin session');
    const target = JSON.parse(runs[0]!.argv![4]!) as { Target: string };
    assert.ok(target.Target.startsWith(`ecs:${CLUSTER}_e0000000000000000000000000000001_`), `target verbatim: ${target.Target}`);
    assert.ok(!existsSync(PWNED) || existsSync(path.join(dir, 'ecs-doctor-pwned')), 'nothing was executed');
  });
});

describe('bad input: AWS configuration', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ scenario: 'exec' });
  });
  after(async () => {
    await sim.stop();
  });

  async function statusWith(env: Record<string, string | undefined>, args: string[] = []) {
    const restore = sandboxEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, ...env });
    try {
      return await cli(['status', '--endpoint-url', sim.url, ...args]);
    } finally {
      restore();
    }
  }

  const unreadableDir = path.join(dir, 'config-is-a-directory');
  mkdirSync(unreadableDir, { recursive: true });
  const garbageFile = path.join(dir, 'config-garbage');
  writeFileSync(garbageFile, garbage(2048, 7), 'latin1');
  const CASES: [string, Record<string, string | undefined>][] = [
    ['a missing ~/.aws/config', { AWS_CONFIG_FILE: path.join(dir, 'missing-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'missing-credentials') }],
    ['an unreadable ~/.aws/config (a directory)', { AWS_CONFIG_FILE: unreadableDir, AWS_SHARED_CREDENTIALS_FILE: unreadableDir }],
    ['a ~/.aws/config of binary garbage', { AWS_CONFIG_FILE: garbageFile, AWS_SHARED_CREDENTIALS_FILE: garbageFile }],
  ];
  for (const [name, env] of CASES) {
    it(`${name}: status exits 1 with one line naming the cause; profile listing is empty, not a crash`, async () => {
      const r = await statusWith(env, ['--region', 'us-east-1']);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /credential|profile|config/i);
      assert.ok(!STACK.test(r.stderr), r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
      const noRegion = await statusWith(env);
      assert.equal(noRegion.code, 1);
      assert.match(noRegion.stderr, /region|credential/i);
      assert.ok(!STACK.test(noRegion.stderr));
      const profiles = await readProfiles({ ...process.env, ...env, HOME: dir });
      assert.ok(Array.isArray(profiles));
      assert.deepEqual(unhandled.take(), []);
    });
  }

  it('parseIni/listProfiles take garbage, huge and hostile text without throwing', () => {
    for (const text of [garbage(65536, 3), '[profile', '[]\n=\n==\n[profile a]\nregion', `[profile ${'x'.repeat(100_000)}]\nregion=us-east-1`, '[profile __proto__]\nregion = x\n[profile constructor]\n']) {
      assert.doesNotThrow(() => parseIni(text));
      assert.ok(Array.isArray(listProfiles(text, text)));
    }
    assert.equal(({} as Record<string, unknown>).region, undefined);
  });

  it('an unknown profile: exit 1, one line naming the profile', async () => {
    const cfg = path.join(dir, 'config-known');
    writeFileSync(cfg, '[default]\nregion = us-east-1\n[profile known]\nregion = us-east-1\n');
    const r = await statusWith({ AWS_CONFIG_FILE: cfg, AWS_SHARED_CREDENTIALS_FILE: cfg }, ['--profile', 'no-such-profile', '--region', 'us-east-1']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /no-such-profile/);
    assert.ok(!STACK.test(r.stderr));
  });

  it('a Region that does not exist: exit 1 naming the Region (its endpoint does not resolve), no AWS reached', async () => {
    const restore = sandboxEnv();
    try {
      lookups.length = 0;
      const r = await cli(['status', '--region', 'xx-nowhere-9']);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /xx-nowhere-9/);
      assert.ok(!STACK.test(r.stderr));
      assert.ok(lookups.some((h) => h.includes('xx-nowhere-9')), `the SDK asked for the Region's endpoint: ${lookups.join(', ')}`);
      const bad = await cli(['status', '--region', 'us-east-1; rm -rf ~', '--endpoint-url', sim.url]);
      assert.ok([1, 2].includes(bad.code), `a malformed Region: exit ${bad.code}`);
      assert.ok(!STACK.test(bad.stderr));
    } finally {
      restore();
    }
  });
});

describe("bad input: the simulator's `hostile` scenario", () => {
  let sim: Simulator;
  let restore: () => void;
  before(async () => {
    restore = sandboxEnv();
    sim = await startSimulator({ scenario: 'hostile' });
  });
  after(async () => {
    await sim.stop();
    restore();
  });
  // Control characters (ANSI escapes, carriage returns) would let remote text rewrite a terminal or a label.
  // eslint-disable-next-line no-control-regex
  const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u009b]/;
  const FAKE_SECRETS = ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'];

  it('the whole tree: labels and descriptions without control characters, tooltips without live HTML, no credential shown', async () => {
    const { session, data } = simData(sim.url);
    const model = new ExplorerModel({ scopes: [{ id: 'hostile@us-east-1', profile: undefined, region: 'us-east-1', source: data }] });
    try {
      await loadEverything(model);
      await Promise.all(model.all('stoppedGroup').map((g) => model.expand(g)));
      let count = 0;
      const walk = (n: ExplorerNode) => {
        if (n.kind !== 'root') {
          const p = present(n);
          count++;
          assert.ok(!CONTROL.test(p.label) && !CONTROL.test(p.description ?? ''), `${n.id}: control character in ${JSON.stringify(p.label)} / ${JSON.stringify(p.description)}`);
          assert.ok(!/<script|<img|<b>/i.test(p.tooltip ?? ''), `${n.id}: live HTML in the tooltip: ${p.tooltip}`);
          for (const s of FAKE_SECRETS) assert.ok(!`${p.label}${p.description}${p.tooltip}`.includes(s), `${n.id} shows a credential`);
        }
        for (const c of n.kind === 'task' ? model.children(n) : (n.children ?? [])) walk(c);
      };
      walk(model.root);
      assert.ok(count > 10, `${count} nodes`);
    } finally {
      model.dispose();
      session.dispose();
    }
    assert.deepEqual(unhandled.take(), []);
  });

  it('ecs-doctor status: text without control characters, no credential, exit 0', async () => {
    for (const format of ['text', 'json']) {
      const r = await cli(['status', '--region', 'us-east-1', '--endpoint-url', sim.url, '--include-stopped', '--format', format]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!CONTROL.test(r.stdout.replace(/\n/g, '').replace(/\t/g, '')), `${format}: control character in the output`);
      for (const s of FAKE_SECRETS) assert.ok(!(r.stdout + r.stderr).includes(s), `${format} shows a credential`);
    }
  });
});
