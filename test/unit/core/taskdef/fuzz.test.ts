// Fuzz: >= 100,000 generated and mutated documents. The linter never throws, always terminates
// quickly (no pathological backtracking), keeps every range and edit inside the text, and on
// well-formed JSON every fix yields well-formed JSON.
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits, hoverAt, lintText, RULES, type Finding } from '../../../../src/core/taskdef';
import { seededRandom } from '../../../../sim/faults';

const TOTAL = Number(process.env.ECS_DOCTOR_FUZZ_DOCS ?? 100_000);
const KNOWN = new Set(RULES.map((r) => r.id));

const SHELL = [
  'curl -f http://localhost:8080/ || exit 1', 'curl http://localhost/', 'curl -sS http://127.0.0.1:3000/health', 'wget -q localhost:80',
  'curl -o -f http://[::1]:9/', 'echo "$(curl localhost:1)"', 'curl "unterminated', "curl 'a b' -w '%{http_code}' | grep 200", '((((', '))))', '`curl`',
  'sh -c "curl x"', 'curl ' + '-'.repeat(300), 'localhost:'.repeat(200), ' '.repeat(500) + 'curl', '\\'.repeat(99), 'curl\\ -f localhost:65535',
];
const KEYS = [
  'name', 'image', 'essential', 'portMappings', 'containerPort', 'hostPort', 'containerPortRange', 'healthCheck', 'command', 'interval', 'timeout',
  'retries', 'startPeriod', 'dependsOn', 'containerName', 'condition', 'memory', 'memoryReservation', 'cpu', 'logConfiguration', 'logDriver',
  'options', 'awslogs-group', 'awslogs-region', 'awslogs-stream-prefix', 'secrets', 'valueFrom', 'environment', 'value', 'stopTimeout',
  'repositoryCredentials', 'environmentFiles', 'secretOptions', 'requiresCompatibilities', 'networkMode', 'executionRoleArn', 'family',
  'containerDefinitions', 'taskDefinition', '__proto__', 'constructor', '',
];
const STRINGS = [
  'CMD', 'CMD-SHELL', 'cmd', 'HEALTHY', 'COMPLETE', 'SUCCESS', 'START', 'FARGATE', 'EC2', 'awsvpc', 'bridge', 'awslogs', 'app', 'db', 'nginx',
  'nginx:latest', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/x', 'DB_PASSWORD', 'API_KEY', '1 vCPU', '2 GB', '256', '512', '4096', '${x}',
  'arn:aws:ecs:us-east-1:1:task-definition/x:1', '', 'a@b', 'x:y:z', '\u2028', '\ud800', ...SHELL,
];
const NUMBERS = [0, -1, 1, 2, 5, 30, 60, 80, 120, 121, 300, 301, 3.5, 1e308, -0, 8080, 65536, 256, 512, 1024, 4096, 16384, 122880, Number.MAX_SAFE_INTEGER];

function value(r: () => number, depth: number): unknown {
  const k = r();
  if (depth > 2 || k < 0.4) {
    const p = r();
    if (p < 0.45) return STRINGS[Math.floor(r() * STRINGS.length)];
    if (p < 0.8) return NUMBERS[Math.floor(r() * NUMBERS.length)];
    if (p < 0.9) return r() < 0.5;
    return null;
  }
  if (k < 0.6) return Array.from({ length: Math.floor(r() * 5) }, () => value(r, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(r() * 7); i > 0; i--) o[KEYS[Math.floor(r() * KEYS.length)]!] = value(r, depth + 1);
  return o;
}

function container(r: () => number): Record<string, unknown> {
  const c: Record<string, unknown> = { name: STRINGS[Math.floor(r() * 6) + 12], image: STRINGS[Math.floor(r() * 4) + 14] };
  if (r() < 0.7) c.essential = r() < 0.6;
  if (r() < 0.7) c.portMappings = [{ containerPort: NUMBERS[Math.floor(r() * NUMBERS.length)], ...(r() < 0.3 ? { hostPort: 80 } : {}) }];
  if (r() < 0.8) {
    const cmd = r() < 0.8 ? [r() < 0.5 ? 'CMD-SHELL' : 'CMD', ...Array.from({ length: Math.floor(r() * 4) }, () => STRINGS[Math.floor(r() * STRINGS.length)])] : value(r, 2);
    const hc: Record<string, unknown> = { command: cmd };
    for (const k of ['interval', 'timeout', 'retries', 'startPeriod']) if (r() < 0.5) hc[k] = r() < 0.9 ? NUMBERS[Math.floor(r() * NUMBERS.length)] : value(r, 3);
    c.healthCheck = hc;
  }
  if (r() < 0.3) c.dependsOn = [{ containerName: STRINGS[Math.floor(r() * 3) + 12], condition: STRINGS[Math.floor(r() * 4) + 3] }];
  if (r() < 0.4) c.logConfiguration = { logDriver: 'awslogs', ...(r() < 0.5 ? { options: { 'awslogs-group': 'g' } } : {}) };
  if (r() < 0.3) c.environment = [{ name: 'DB_PASSWORD', value: 'x' }];
  if (r() < 0.3) c.memory = NUMBERS[Math.floor(r() * NUMBERS.length)];
  if (r() < 0.3) c.memoryReservation = NUMBERS[Math.floor(r() * NUMBERS.length)];
  if (r() < 0.2) c.stopTimeout = 300;
  for (let i = Math.floor(r() * 3); i > 0; i--) c[KEYS[Math.floor(r() * KEYS.length)]!] = value(r, 2);
  return c;
}

function document(r: () => number): unknown {
  const containers = Array.from({ length: 1 + Math.floor(r() * 4) }, () => container(r));
  const task: Record<string, unknown> = { family: 'web', containerDefinitions: containers };
  if (r() < 0.6) task.requiresCompatibilities = [r() < 0.7 ? 'FARGATE' : 'EC2'];
  if (r() < 0.6) task.networkMode = r() < 0.7 ? 'awsvpc' : 'bridge';
  if (r() < 0.6) task.cpu = STRINGS[Math.floor(r() * 5) + 19] ?? '256';
  if (r() < 0.6) task.memory = r() < 0.5 ? '512' : NUMBERS[Math.floor(r() * NUMBERS.length)];
  if (r() < 0.3) task.executionRoleArn = 'arn:aws:iam::1:role/x';
  const shape = r();
  if (shape < 0.5) return task;
  if (shape < 0.75) return { taskDefinition: task };
  if (shape < 0.95) return containers;
  return value(r, 0);
}

const NOISE = '{}[]",:0123456789abcdefxyz \n\t\\/*-+.eE\'`$()|&;';
function mutate(r: () => number, text: string): string {
  let t = text;
  for (let n = 1 + Math.floor(r() * 4); n > 0; n--) {
    const at = Math.floor(r() * (t.length + 1));
    const op = r();
    if (op < 0.3) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 8));
    else if (op < 0.6) t = t.slice(0, at) + NOISE[Math.floor(r() * NOISE.length)] + t.slice(at);
    else if (op < 0.75) t = t.slice(0, at);
    else if (op < 0.9) {
      const from = Math.floor(r() * t.length);
      t = t.slice(0, at) + t.slice(from, from + Math.floor(r() * 40)) + t.slice(at);
    } else t = t.slice(0, at) + '/* c */' + t.slice(at);
  }
  return t;
}

function checkFindings(text: string, findings: Finding[]): void {
  for (const f of findings) {
    assert.ok(KNOWN.has(f.ruleId), f.ruleId);
    assert.ok(f.offset >= 0 && f.length >= 0 && f.offset + f.length <= text.length, `${f.ruleId} range ${f.offset}+${f.length} outside ${text.length}`);
    assert.ok(f.message.length > 0 && f.docsUrl.startsWith('https://'));
    for (const fix of f.fixes) {
      for (const e of fix.edits) assert.ok(e.offset >= 0 && e.length >= 0 && e.offset + e.length <= text.length, `${f.ruleId} fix edit out of range`);
    }
  }
}

describe('taskdef fuzz', () => {
  it(`lints ${TOTAL} generated and mutated documents without throwing, with ranges in bounds`, () => {
    const r = seededRandom(0xec5d0c);
    const fixturesDir = path.resolve('test/fixtures/taskdefs');
    const seeds = readdirSync(fixturesDir).filter((f) => /\.jsonc?$/.test(f)).map((f) => readFileSync(path.join(fixturesDir, f), 'utf8'));
    let slowest = 0;
    let recognised = 0;
    let fixesChecked = 0;
    const started = Date.now();
    for (let i = 0; i < TOTAL; i++) {
      const wellFormed = JSON.stringify(document(r), null, r() < 0.5 ? 2 : undefined) ?? 'null';
      const kind = i % 4;
      const text = kind === 0 ? wellFormed : kind === 3 && seeds.length ? mutate(r, seeds[i % seeds.length]!) : mutate(r, wellFormed);
      const t0 = performance.now();
      let result;
      try {
        result = lintText(text, { includeParseErrors: true });
        hoverAt(result.doc, Math.floor(r() * (text.length + 1)));
      } catch (err) {
        assert.fail(`document #${i} threw ${(err as Error).stack}\n--- document ---\n${text}`);
      }
      slowest = Math.max(slowest, performance.now() - t0);
      if (result.shape) recognised++;
      checkFindings(text, result.findings);
      if (kind === 0 && i % 8 === 0) {
        // Every fix of a well-formed document keeps it well-formed JSON.
        for (const f of result.findings) {
          for (const fix of f.fixes) {
            const fixed = applyEdits(text, fix.edits);
            try {
              JSON.parse(fixed);
            } catch {
              assert.fail(`fix "${fix.title}" of ${f.ruleId} broke the JSON of document #${i}:\n${text}\n--- became ---\n${fixed}`);
            }
            fixesChecked++;
          }
        }
      }
    }
    const elapsed = Date.now() - started;
    // Times are reported, never asserted (the linter's speed is `npm run bench`'s: lint.p50Ms, lint.hostileMaxMs).
    assert.ok(recognised > TOTAL / 4, `only ${recognised} documents were recognised: the generator drifted`);
    assert.ok(fixesChecked > 1000, `only ${fixesChecked} fixes were exercised`);
    console.log(`fuzz: ${TOTAL} documents (${recognised} task definitions, ${fixesChecked} fixes re-parsed) in ${elapsed} ms, slowest ${slowest.toFixed(2)} ms`);
  });
});
