// CPU micro-benchmarks: the task-definition linter on the 50-container fixture (against
// jsonc-parser's own parse of the same text), and the stop-reason classifier.
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
  };
}

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

/** The classifier, if it is built (src/core/diagnose/classify/). */
function loadClassify(): ((input: unknown) => unknown) | undefined {
  try {
    // A computed path: the classifier may land after this file, and the bench must still run.
    const mod = require(path.join(__dirname, '..', 'src', 'core', 'diagnose', 'classify')) as { classify?: (i: unknown) => unknown };
    return typeof mod.classify === 'function' ? mod.classify : undefined;
  } catch {
    return undefined;
  }
}

export function benchExplain(samples = 400, perSample = 50): Record<string, number> | undefined {
  const classify = loadClassify();
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
  return { 'explain.p50Us': round(median(us), 2), 'explain.p95Us': round(percentile(us, 95), 2) };
}
