// Faults: with the simulator failing 20% of calls with a 5xx, dropping 20% of connections,
// answering with throttling storms, and stalling calls past the client time-out, `ecs-doctor
// status` and the tree model still end, with either the complete and correct answer or per-node
// errors that name the cause. No unhandled rejection. "End" is each test's time-out: it only
// bounds a hang, far above a run on a loaded machine; no test asserts how long anything took.
import { strict as assert } from 'node:assert';
import { after, afterEach, before, describe, it } from 'node:test';
import { ExplorerModel, present, type ExplorerNode } from '../../src/core/explorer/model';
import { Pacer } from '../../src/aws/pacer';
import { startSimulator, type Faults, type Simulator } from '../../sim/server';
import { pagingScenario } from '../unit/helpers/simFixture';
import { loadEverything } from '../../bench/tree';
import { simData } from '../../bench/common';
import { cli, guardDns, sandboxEnv, STACK, trackUnhandled } from './helpers';

guardDns();
const unhandled = trackUnhandled();

const NO_FAULTS: Partial<Faults> = { errorRate: 0, dropRate: 0, stallRate: 0, stallMs: 0, throttle: false, throttleLimits: {}, throttleNext: {}, faultOperations: [], latencyMs: 0 };
/** A bound on a hang, never a measure of speed: far above any of these runs on a loaded machine. */
const ENDS = { timeout: 600_000 };

/**
 * A throttling storm that does not depend on timing: the first calls of every List and Describe
 * that reach the server are throttled (up to 5 of each: fewer than the 10 attempts a throttled
 * call gets, even if one call meets them all).
 */
const STORM: Record<string, number> = {
  'ecs:ListClusters': 2,
  'ecs:DescribeClusters': 2,
  'ecs:ListServices': 3,
  'ecs:DescribeServices': 5,
  'ecs:ListTasks': 3,
  'ecs:DescribeTasks': 5,
};

/** The calls the simulator throttled, by "ecs:Operation". */
function throttledByOperation(sim: Simulator): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of sim.calls) if (c.fault === 'throttle') out[`${c.service}:${c.operation}`] = (out[`${c.service}:${c.operation}`] ?? 0) + 1;
  return out;
}
/** What a per-node error must say: the cause, in words. */
const NAMES_A_CAUSE = /server|5\d\d|unavailable|internal|connection|reset|socket|network|time[d ]?\s?out|no answer|throttl|rate/i;

/** The tree as text: every node's label, description and error, in order (what a user sees). */
function snapshot(model: ExplorerModel, skipFailed = false): string[] {
  const out: string[] = [];
  const walk = (n: ExplorerNode, depth: number) => {
    if (skipFailed && (n.error || n.kind === 'error' || n.children?.some((c) => c.kind === 'error'))) return;
    if (n.kind !== 'root') {
      const p = present(n);
      out.push(`${'  '.repeat(depth)}${n.kind} ${p.label} | ${p.description ?? ''}${n.error ? ` | error: ${n.error.message}` : ''}`);
    }
    for (const c of n.kind === 'task' ? (model.children(n) ?? []) : (n.children ?? [])) walk(c, depth + 1);
  };
  walk(model.root, 0);
  return out;
}

function errorsIn(model: ExplorerModel): { node: string; message: string }[] {
  const errs: { node: string; message: string }[] = [];
  const walk = (n: ExplorerNode) => {
    if (n.error) errs.push({ node: n.id, message: n.error.message });
    if (n.kind === 'error') errs.push({ node: n.id, message: n.message });
    for (const c of n.children ?? []) walk(c);
  };
  walk(model.root);
  return errs;
}

describe('faults: ecs-doctor status', () => {
  let sim: Simulator;
  let restore: () => void;
  let baseline: string;
  const args = () => ['status', '--region', 'us-east-1', '--endpoint-url', sim.url, '--format', 'json', '--include-stopped'];

  before(async () => {
    restore = sandboxEnv();
    sim = await startSimulator({ scenario: pagingScenario() });
    const r = await cli(args());
    assert.equal(r.code, 0, r.stderr);
    baseline = r.stdout;
  });
  after(async () => {
    await sim.stop();
    restore();
  });
  afterEach(() => {
    sim.setFaults(NO_FAULTS);
    assert.deepEqual(unhandled.take(), [], 'no unhandled rejection');
  });

  /** Either the complete answer (exit 0, the fault-free JSON) or exit 1 with per-part errors naming the cause. */
  function completeOrNamed(r: Awaited<ReturnType<typeof cli>>, what: string): 'complete' | 'errors' {
    assert.ok(!STACK.test(r.stdout + r.stderr), `${what}: no stack trace`);
    assert.ok(!/ThrottlingException/.test(r.stdout + r.stderr), `${what}: a ThrottlingException reached the user`);
    if (r.code === 0) {
      assert.equal(r.stdout, baseline, `${what}: exit 0 must be the complete, correct answer`);
      return 'complete';
    }
    assert.equal(r.code, 1, `${what}: exit ${r.code}: ${r.stderr}`);
    assert.match(r.stderr, NAMES_A_CAUSE, `${what}: the failure names its cause: ${r.stderr}`);
    if (r.stdout) {
      const json = JSON.parse(r.stdout) as { clusters: { error?: string; services?: { error?: string }[] }[] };
      const errs = [...json.clusters.map((c) => c.error), ...json.clusters.flatMap((c) => (c.services ?? []).map((s) => s.error))].filter(Boolean);
      for (const e of errs) assert.match(String(e), NAMES_A_CAUSE, `${what}: per-part error names its cause`);
    }
    return 'errors';
  }

  for (const seed of [1, 2, 3]) {
    it(`20% of calls answered with a 5xx (seed ${seed})`, ENDS, async () => {
      sim.setFaults({ errorRate: 0.2, seed });
      const r = await cli(args());
      completeOrNamed(r, '5xx');
      assert.ok(sim.calls.some((c) => c.fault === 'error'), 'the simulator did fail calls');
    });

    it(`20% of connections dropped without an answer (seed ${seed})`, ENDS, async () => {
      sim.setFaults({ dropRate: 0.2, seed });
      const r = await cli(args());
      completeOrNamed(r, 'drops');
    });
  }

  it('a throttling storm: complete, no throttle shown, exactly the calls the server throttled retried', ENDS, async () => {
    sim.clearCalls();
    sim.setFaults({ throttleNext: STORM });
    const r = await cli(args());
    assert.equal(completeOrNamed(r, 'storm'), 'complete', r.stderr);
    assert.deepEqual(throttledByOperation(sim), STORM, 'the server throttled exactly the storm');
  });

  it('calls stalled past the client time-out are abandoned and retried (bounded by the attempt time-out)', ENDS, async () => {
    // The CLI's own attempt time-out (10 s). DescribeServices batches run in parallel, so a few
    // stalls cost about one attempt time-out; a stall that outlasts the retries would be a named error.
    sim.setFaults({ stallRate: 0.3, stallMs: 0, faultOperations: ['DescribeServices'], seed: 7 });
    sim.clearCalls();
    const r = await cli(args());
    assert.ok(sim.calls.some((c) => c.fault === 'stall'), 'calls did stall');
    completeOrNamed(r, 'stalls');
  });

  it('every call failing: exit 1 within the retry budget, one line naming the cause', ENDS, async () => {
    sim.setFaults({ errorRate: 1 });
    sim.clearCalls();
    const r = await cli(args());
    assert.equal(r.code, 1);
    assert.match(r.stderr, NAMES_A_CAUSE);
    assert.ok(!STACK.test(r.stderr));
    assert.equal(sim.callsTo('ListClusters').length, 5, 'the first call, tried as often as the retry budget allows, and no more');
  });
});

describe('faults: the explorer tree model', () => {
  let sim: Simulator;
  let restore: () => void;
  let baseline: string[];
  // The explorer's data layer, with short back-off and roomy client buckets (pacing has its own
  // tests and the storm test below uses ECS's rates). Its attempt time-out is a hang bound, so a
  // slow machine never times a call out; only the stall mix shortens it (STALL_TIMEOUT).
  const roomy = { burst: 10_000, rate: 10_000 };
  const fastRetries = () => ({
    attemptTimeoutMs: 30_000,
    backoffBaseMs: 10,
    pacer: new Pacer({ 'cluster-read': roomy, 'service-read': roomy, 'cluster-resource-read': roomy, 'task-definition-read': roomy }),
  });

  async function loadTree(data: Record<string, unknown> = {}): Promise<{ model: ExplorerModel; dispose(): void }> {
    const { session, data: source } = simData(sim.url, { data: { ...fastRetries(), ...data } });
    const model = new ExplorerModel({ scopes: [{ id: 'rel@us-east-1', profile: undefined, region: 'us-east-1', source }] });
    await loadEverything(model);
    // Stopped groups too: they are their own List streams.
    await Promise.all(model.all('stoppedGroup').map((g) => model.expand(g)));
    return { model, dispose: () => (model.dispose(), session.dispose()) };
  }

  before(async () => {
    restore = sandboxEnv();
    sim = await startSimulator({ scenario: pagingScenario() });
    const t = await loadTree();
    baseline = snapshot(t.model);
    assert.deepEqual(errorsIn(t.model), []);
    t.dispose();
  });
  after(async () => {
    await sim.stop();
    restore();
  });
  afterEach(() => {
    sim.setFaults(NO_FAULTS);
    assert.deepEqual(unhandled.take(), [], 'no unhandled rejection');
  });

  // Stalled calls are abandoned after this; a call a loaded machine answers later than that is
  // abandoned too, one more fault among those the outcome allows (the whole tree, or named errors).
  const STALL_TIMEOUT = { attemptTimeoutMs: 400 };
  const mixes: [string, Partial<Faults>, Record<string, unknown>][] = [
    ['20% 5xx', { errorRate: 0.2 }, {}],
    ['20% dropped', { dropRate: 0.2 }, {}],
    ['10% 5xx + 10% dropped + 5% stalled past the time-out', { errorRate: 0.1, dropRate: 0.1, stallRate: 0.05, stallMs: 0 }, STALL_TIMEOUT],
  ];
  for (const [name, faults, data] of mixes) {
    for (const seed of [11, 12]) {
      it(`${name} (seed ${seed}): the tree identical to the fault-free one, or per-node errors naming the cause`, ENDS, async () => {
        sim.setFaults({ ...faults, seed });
        sim.clearCalls();
        const t = await loadTree(data);
        try {
          assert.ok(sim.calls.some((c) => c.fault), 'faults were injected');
          const errs = errorsIn(t.model);
          // With 5 attempts per call, a call failing for good is ~1e-3: this seed gives the whole tree.
          for (const e of errs) assert.match(e.message, NAMES_A_CAUSE, `per-node error names its cause: ${e.message}`);
          if (!errs.length) assert.deepEqual(snapshot(t.model), baseline);
        } finally {
          t.dispose();
        }
      });
    }
  }

  it('faults that outlast the retries become per-node errors naming the cause; the rest of the tree is complete', ENDS, async () => {
    sim.setFaults({ errorRate: 0.3, dropRate: 0.1, seed: 5, faultOperations: ['DescribeServices', 'DescribeTasks', 'ListTasks'] });
    const t = await loadTree({ errorAttempts: 1 });
    try {
      const errs = errorsIn(t.model);
      assert.ok(errs.length > 0, 'some nodes failed for good');
      for (const e of errs) assert.match(e.message, NAMES_A_CAUSE, `per-node error names its cause: ${e.message}`);
      // Every node outside a failed subtree looks exactly as without faults (the roll-ups above a
      // failure, cluster/service/group rows, may lack the health the failed part would have given).
      const clean = snapshot(t.model, true);
      assert.ok(clean.some((l) => /^\s*task /.test(l)), 'some tasks loaded');
      const base = new Set(baseline);
      const differing = clean.filter((l) => !base.has(l) && !/^\s*(service|cluster|stoppedGroup|standaloneGroup) /.test(l));
      assert.deepEqual(differing, [], 'nodes without errors are unchanged');
    } finally {
      t.dispose();
    }
  });

  it('a throttling storm never reaches the tree', ENDS, async () => {
    sim.clearCalls();
    sim.setFaults({ throttleNext: STORM });
    // The client believes ECS's documented rates (100 burst): the server's storm is what it meets.
    const t = await loadTree({ pacer: new Pacer(), backoffBaseMs: 20 });
    try {
      assert.deepEqual(throttledByOperation(sim), STORM, 'the server throttled exactly the storm');
      assert.deepEqual(errorsIn(t.model), []);
      assert.deepEqual(snapshot(t.model), baseline);
    } finally {
      t.dispose();
    }
  });

  it('refresh under faults keeps the loaded tree and ends', ENDS, async () => {
    const t = await loadTree();
    try {
      sim.setFaults({ errorRate: 0.2, dropRate: 0.1, seed: 21 });
      await Promise.all([t.model.refresh(), t.model.refresh(), t.model.refresh()]);
      for (const e of errorsIn(t.model)) assert.match(e.message, NAMES_A_CAUSE);
      if (!errorsIn(t.model).length) assert.deepEqual(snapshot(t.model), baseline);
    } finally {
      t.dispose();
    }
  });
});
