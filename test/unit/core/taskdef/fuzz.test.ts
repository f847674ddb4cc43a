// Fuzz: >= 100,000 generated and mutated documents. The linter never throws, always terminates
// quickly (no pathological backtracking), keeps every range and edit inside the text, and on
// well-formed JSON every fix yields well-formed JSON.
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { parseDocument, stringify } from 'yaml';
import { applyEdits, hoverAt, lintText, RULES, type Finding, type Readers } from '../../../../src/core/taskdef';
import { readers as loadReaders } from '../../../../src/iac/index';
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

// YAML templates and Terraform modules: the same generator, written as CloudFormation (PascalCase,
// intrinsic tags) and as HCL (jsonencode objects, variables), then mutated.
const IAC_TOTAL = Number(process.env.ECS_DOCTOR_FUZZ_IAC_DOCS ?? 1_000);
const TAGS = ['!Ref X', '!GetAtt A.B', "!Sub '${AWS::Region}'", '!If [C, 1, 2]', '!ImportValue v', "!Join ['', [a, b]]", '*anchor', '!Split [",", !Ref L]'];
const HCL_VALUES = ['var.x', 'local.y', 'aws_iam_role.r.arn', 'lookup(var.m, "k")', '"${var.tag}"', '[for p in var.ps : p]', 'var.c ? 1 : 2', 'null'];

function pascal(v: unknown, r: () => number): unknown {
  if (Array.isArray(v)) return v.map((x) => pascal(x, r));
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k.charAt(0).toUpperCase() + k.slice(1)] = k === 'options' ? x : pascal(x, r);
    return o;
  }
  return r() < 0.08 ? { __tag: TAGS[Math.floor(r() * TAGS.length)] } : v;
}

function yamlTemplate(r: () => number): string {
  const doc = document(r);
  const task = Array.isArray(doc) ? { containerDefinitions: doc } : (doc as Record<string, unknown>)?.taskDefinition ?? doc;
  const resources: Record<string, unknown> = { TD: { Type: 'AWS::ECS::TaskDefinition', Properties: pascal(task, r) } };
  if (r() < 0.5) {
    resources.S = { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { __tag: '!Ref TD' }, LaunchType: 'FARGATE', HealthCheckGracePeriodSeconds: r() < 0.5 ? 0 : 60, LoadBalancers: [{ ContainerName: STRINGS[12 + Math.floor(r() * 4)], ContainerPort: NUMBERS[Math.floor(r() * NUMBERS.length)], TargetGroupArn: { __tag: '!Ref TG' } }] } };
    resources.TG = { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: r() < 0.5 ? { TargetType: 'instance' } : { Port: 80 } };
  }
  let text = stringify({ Resources: resources }, { lineWidth: 0 });
  text = text.replace(/__tag: (.*)$/gm, (_, t: string) => `__tag: ${JSON.parse(t.startsWith('"') || t.startsWith("'") ? JSON.stringify(t.slice(1, -1)) : JSON.stringify(t)) as string}`);
  // { __tag: !Ref X } -> !Ref X: make the tag the value itself.
  return text.replace(/\n(\s*)(- )?__tag: (.*)/g, (_, _ind: string, _dash: string | undefined, tag: string) => ` ${tag}`).replace(/:\s*\n\s+(![A-Za-z]|\*anchor)/g, ': $1');
}

function hclValue(v: unknown, r: () => number, depth: number): string {
  if (r() < 0.06) return HCL_VALUES[Math.floor(r() * HCL_VALUES.length)]!;
  if (Array.isArray(v)) return `[${v.map((x) => hclValue(x, r, depth + 1)).join(r() < 0.5 ? ', ' : ',\n')}]`;
  if (v && typeof v === 'object') {
    const pad = '  '.repeat(depth + 1);
    const entries = Object.entries(v).map(([k, x]) => `${pad}${/^[A-Za-z_][\w]*$/.test(k) ? k : JSON.stringify(k)} = ${hclValue(x, r, depth + 1)}`);
    return `{\n${entries.join('\n')}\n${'  '.repeat(depth)}}`;
  }
  if (typeof v === 'string') return JSON.stringify(v).replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '0';
  return JSON.stringify(v) ?? 'null';
}

function tfModule(r: () => number): string {
  const doc = document(r);
  const task = (Array.isArray(doc) ? { containerDefinitions: doc } : (doc as Record<string, unknown>)?.taskDefinition ?? doc) as Record<string, unknown> | null;
  const attrs: string[] = [];
  for (const [k, v] of Object.entries(task && typeof task === 'object' ? task : {})) {
    if (k === 'containerDefinitions') attrs.push(`  container_definitions = jsonencode(${hclValue(v, r, 1)})`);
    else attrs.push(`  ${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)} = ${hclValue(v, r, 1)}`);
  }
  let text = `resource "aws_ecs_task_definition" "td" {\n${attrs.join('\n')}\n}\n`;
  if (r() < 0.5) {
    text += `resource "aws_ecs_service" "s" {\n  task_definition = aws_ecs_task_definition.td.arn\n  launch_type = "FARGATE"\n  health_check_grace_period_seconds = ${r() < 0.5 ? 0 : 60}\n  load_balancer {\n    target_group_arn = aws_lb_target_group.tg.arn\n    container_name = ${JSON.stringify(STRINGS[12 + Math.floor(r() * 4)])}\n    container_port = ${NUMBERS[Math.floor(r() * 8)]}\n  }\n}\n`;
    text += `resource "aws_lb_target_group" "tg" {\n  ${r() < 0.5 ? 'target_type = "instance"' : 'port = 80'}\n}\n`;
  }
  return text;
}

describe('taskdef fuzz: YAML templates and Terraform modules', () => {
  let readers: Readers;
  before(async () => {
    readers = await loadReaders(['yaml', 'hcl']);
  });

  for (const [syntax, fileName, generate, wellFormedAfterFix] of [
    ['YAML', 'template.yaml', yamlTemplate, (t: string) => parseDocument(t).errors.length === 0],
    ['HCL', 'main.tf', tfModule, (t: string) => lintText(t, { fileName: 'main.tf', readers, includeParseErrors: true }).parseErrors.length === 0],
  ] as const) {
    it(`lints ${IAC_TOTAL} generated and mutated ${syntax} files without throwing; fixes of well-formed files stay well-formed`, () => {
      const r = seededRandom(syntax === 'YAML' ? 0x7a41 : 0x4c1);
      let recognised = 0;
      let fixesChecked = 0;
      for (let i = 0; i < IAC_TOTAL; i++) {
        const wellFormed = generate(r);
        const kind = i % 3;
        const text = kind === 0 ? wellFormed : mutate(r, wellFormed);
        let result;
        try {
          result = lintText(text, { fileName, readers, includeParseErrors: true });
          hoverAt(result.file, Math.floor(r() * (text.length + 1)));
        } catch (err) {
          assert.fail(`${syntax} file #${i} threw ${(err as Error).stack}\n--- file ---\n${text}`);
        }
        if (result.shape) recognised++;
        checkFindings(text, result.findings);
        if (kind === 0 && result.parseErrors.length === 0 && i % 6 === 0) {
          for (const f of result.findings) {
            for (const fix of f.fixes) {
              const fixed = applyEdits(text, fix.edits);
              assert.ok(wellFormedAfterFix(fixed), `fix "${fix.title}" of ${f.ruleId} broke the ${syntax} of file #${i}:\n${text}\n--- became ---\n${fixed}`);
              fixesChecked++;
            }
          }
        }
      }
      assert.ok(recognised > IAC_TOTAL / 3, `only ${recognised} ${syntax} files were recognised: the generator drifted`);
      assert.ok(fixesChecked > 50, `only ${fixesChecked} ${syntax} fixes were exercised`);
      console.log(`fuzz ${syntax}: ${IAC_TOTAL} files (${recognised} recognised, ${fixesChecked} fixes re-parsed)`);
    });
  }
});
