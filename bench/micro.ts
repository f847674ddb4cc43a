// CPU micro-benchmarks: the task-definition linter on the 50-container fixture (against
// jsonc-parser's own parse of the same text) and on hostile documents, and the stop-reason
// classifier on one reason, on a 2 MB one and on a pasted 100-task describe-tasks output. The
// unit and reliability tests assert what these return, never how long they take: that is here.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTree, type ParseError } from 'jsonc-parser';
import { lintText } from '../src/core/taskdef/lint';
import { median, percentile, round } from './common';

const repo = path.resolve(__dirname, '..', '..');

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

export function benchLint(samples = 300): Record<string, number> {
  const file = path.join(repo, 'test', 'fixtures', 'taskdefs', 'fifty-containers.json');
  const text = readFileSync(file, 'utf8');
  const parse = () => {
    const errors: ParseError[] = [];
    // The options the linter's own parse uses (src/core/taskdef/document.ts).
    parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  };
  const lint = () => {
    const r = lintText(text, { includeParseErrors: true });
    if (!r.findings) throw new Error('lint returned no findings list');
  };
  for (let i = 0; i < 100; i++) {
    parse();
    lint();
  }
  const parseMs: number[] = [];
  const lintMs: number[] = [];
  // Interleaved, so a slow patch of the machine hits both.
  for (let i = 0; i < samples; i++) {
    parseMs.push(time(parse));
    lintMs.push(time(lint));
  }
  const lintP50 = median(lintMs);
  const parseP50 = median(parseMs);
  return {
    'lint.p50Ms': round(lintP50, 3),
    'lint.p95Ms': round(percentile(lintMs, 95), 3),
    'lint.parseP50Ms': round(parseP50, 3),
    'lint.ratioToParse': round(lintP50 / parseP50, 2),
    'lint.bytes': Buffer.byteLength(text),
    'lint.hostileMaxMs': round(Math.max(...HOSTILE.map(([, doc]) => median(Array.from({ length: 3 }, () => time(() => lintText(doc, { includeParseErrors: true })))))), 1),
  };
}

/** The heaviest of the reliability suite's hostile documents (test/reliability/bad-input.test.ts). */
const HOSTILE: [string, string][] = [
  ['deep arrays', '['.repeat(100_000)],
  ['deep objects', '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000)],
  ['a 4 MB string', `{"containerDefinitions": [{"name": "${'x'.repeat(4 * 1024 * 1024)}", "image": "nginx"}]}`],
  ['10,000 containers', JSON.stringify({ containerDefinitions: Array.from({ length: 10_000 }, (_, i) => ({ name: `c${i}`, image: 'nginx', dependsOn: [{ containerName: `c${(i + 1) % 10_000}`, condition: 'HEALTHY' }] })) })],
];

/** Representative stopped tasks, one per common family. */
const STOPS = [
  { stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.4.3: not found', lastStatus: 'STOPPED', containers: [{ name: 'web', lastStatus: 'STOPPED' }] },
  { stopCode: 'TaskFailedToStart', stoppedReason: 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): AccessDeniedException', lastStatus: 'STOPPED', containers: [{ name: 'web', lastStatus: 'STOPPED' }] },
  { stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', lastStatus: 'STOPPED', containers: [{ name: 'web', lastStatus: 'STOPPED', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }] },
  { stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', lastStatus: 'STOPPED', containers: [{ name: 'web', lastStatus: 'STOPPED', exitCode: 1 }] },
  { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef)', lastStatus: 'STOPPED', containers: [{ name: 'web', lastStatus: 'STOPPED', exitCode: 143 }] },
  { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed container health checks', lastStatus: 'STOPPED', containers: [{ name: 'web', lastStatus: 'STOPPED', exitCode: 143, healthStatus: 'UNHEALTHY' }] },
  { stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.', lastStatus: 'STOPPED', containers: [{ name: 'web', lastStatus: 'STOPPED', exitCode: 143 }] },
  { stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user', lastStatus: 'STOPPED', containers: [{ name: 'web', lastStatus: 'STOPPED', exitCode: 143 }] },
  { stopCode: 'TaskFailedToStart', stoppedReason: 'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist.', lastStatus: 'STOPPED', containers: [] },
  { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1234567890123456789)', lastStatus: 'STOPPED', containers: [{ name: 'web', lastStatus: 'STOPPED', exitCode: 0 }] },
];

/** A module of src/core/diagnose, if it is built. */
function loadDiagnose<T>(file: string, name: string): T | undefined {
  try {
    // A computed path: the module may land after this file, and the bench must still run.
    const mod = require(path.join(__dirname, '..', 'src', 'core', 'diagnose', file)) as Record<string, unknown>;
    return typeof mod[name] === 'function' ? (mod[name] as T) : undefined;
  } catch {
    return undefined;
  }
}

/** test/fixtures/stop-reasons/real-messages.json, read from the repository (bench runs from its root). */
function realMessages(): Array<{ family: string } & Record<string, unknown>> {
  try {
    const file = path.join(repo, 'test', 'fixtures', 'stop-reasons', 'real-messages.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { messages: Array<{ family: string } & Record<string, unknown>> }).messages;
  } catch {
    return [];
  }
}

export function benchExplain(samples = 400, perSample = 50): Record<string, number> | undefined {
  const classify = loadDiagnose<(input: unknown) => unknown>('classify', 'classify');
  if (!classify) return undefined;
  for (let i = 0; i < 2000; i++) classify(STOPS[i % STOPS.length]);
  const us: number[] = [];
  for (let i = 0; i < samples; i++) {
    const input = STOPS[i % STOPS.length];
    const ms = time(() => {
      for (let k = 0; k < perSample; k++) classify(input);
    });
    us.push((ms * 1000) / perSample);
  }
  const results: Record<string, number> = { 'explain.p50Us': round(median(us), 2), 'explain.p95Us': round(percentile(us, 95), 2) };
  // Accuracy over the project's real-message set (each with its public source), beside the speed.
  const real = realMessages();
  if (real.length) {
    const right = real.filter((m) => (classify(m) as { category?: string }).category === m.family).length;
    results['explain.realMessages'] = real.length;
    results['explain.realAccuracyPct'] = round((100 * right) / real.length, 1);
  }
  // A 2 MB reason: the classifier reads a capped prefix, so this stays near the p50 above.
  const huge = { stoppedReason: 'CannotPullContainerError: ' + 'x'.repeat(2_000_000) + ' manifest unknown' };
  results['explain.hugeReasonMs'] = round(median(Array.from({ length: 5 }, () => time(() => classify(huge)))), 2);
  // A pasted describe-tasks output of 100 tasks: read and every task classified.
  const parse = loadDiagnose<(text: string) => { ok: boolean; inputs?: unknown[] }>('parse', 'parseStopText');
  if (parse) {
    const paste = JSON.stringify({ tasks: Array.from({ length: 100 }, (_, i) => ({ ...STOPS[i % STOPS.length], taskArn: `arn:aws:ecs:us-east-1:123456789012:task/prod/${i.toString(16).padStart(32, '0')}` })) });
    const once = () => {
      const r = parse(paste);
      if (!r.ok || r.inputs?.length !== 100) throw new Error('the 100-task paste was not read whole');
      for (const input of r.inputs) classify(input);
    };
    once();
    results['explain.paste100Ms'] = round(median(Array.from({ length: 20 }, () => time(once))), 2);
  }
  return results;
}
