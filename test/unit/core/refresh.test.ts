import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { IntervalTrigger, RefreshCancelledError, RefreshScheduler } from '../../../src/core/refresh';
import { ManualClock, turns } from '../../../sim/clock';


/** A deterministic pseudo-random generator, so a failing stress run can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('RefreshScheduler', () => {
  it('a trigger while idle starts a run at once', async () => {
    let runs = 0;
    const s = new RefreshScheduler(async () => ++runs);
    assert.equal(await s.trigger(), 1);
    assert.equal(s.running, false);
  });

  it('triggers during a run schedule exactly one more run', async () => {
    let runs = 0;
    const gates: Array<() => void> = [];
    const s = new RefreshScheduler(() => {
      runs++;
      return new Promise<number>((r) => gates.push(() => r(runs)));
    });
    const first = s.trigger();
    const during = [s.trigger(), s.trigger(), s.trigger()];
    assert.equal(runs, 1);
    assert.equal(s.pending, true);
    gates.shift()!();
    assert.equal(await first, 1);
    assert.equal(runs, 2, 'one more run, not three: it starts as the first one ends');
    gates.shift()!();
    assert.deepEqual(await Promise.all(during), [2, 2, 2]);
    assert.equal(s.pending, false);
    assert.equal(s.runs, 2);
  });

  it('a failed run rejects its waiters and the scheduled run still happens', async () => {
    let n = 0;
    const s = new RefreshScheduler(async () => {
      n++;
      await turns(1);
      if (n === 1) throw new Error('boom');
      return n;
    });
    const a = s.trigger();
    const b = s.trigger();
    await assert.rejects(a, /boom/);
    assert.equal(await b, 2);
  });

  it('a run that throws synchronously answers its waiters', async () => {
    const s = new RefreshScheduler((): Promise<void> => {
      throw new Error('sync');
    });
    await assert.rejects(s.trigger(), /sync/);
    assert.equal(s.running, false);
  });

  it('dispose aborts the run in flight and rejects every waiter', async () => {
    let signal: AbortSignal | undefined;
    const s = new RefreshScheduler((sig) => {
      signal = sig;
      return new Promise<void>((_r, reject) => sig.addEventListener('abort', () => reject(new Error('aborted'))));
    });
    const a = s.trigger();
    const b = s.trigger();
    s.dispose();
    assert.equal(signal?.aborted, true);
    await assert.rejects(a, RefreshCancelledError);
    await assert.rejects(b, RefreshCancelledError);
    await assert.rejects(s.trigger(), RefreshCancelledError);
  });

  for (const seed of [1, 2, 3]) {
    it(`stress (seed ${seed}): thousands of overlapping triggers with random latencies`, async () => {
      const random = rng(seed);
      let version = 0; // bumped by every trigger: "the world changed"
      let active = 0;
      let maxActive = 0;
      let lastSeen = -1; // the version the last finished run observed
      let failures = true;
      const s = new RefreshScheduler(async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        const seen = version;
        await turns(Math.floor(random() * 4));
        if (failures && random() < 0.1) {
          active--;
          throw new Error(`failed at ${seen}`);
        }
        lastSeen = seen;
        active--;
        return seen;
      });
      const waits: Promise<void>[] = [];
      let answered = 0;
      const TRIGGERS = 3000;
      for (let i = 0; i < TRIGGERS; i++) {
        const mine = ++version;
        waits.push(
          s.trigger().then(
            (seen) => {
              answered++;
              assert.ok(seen >= mine, `waiter ${mine} answered by a run that started before it (saw ${seen})`);
            },
            (err: Error) => {
              answered++;
              assert.match(err.message, /failed at/);
              assert.ok(Number(err.message.split(' ').pop()) >= mine);
            },
          ),
        );
        const pause = random();
        if (pause < 0.3) await turns(Math.floor(random() * 3));
        else if (pause < 0.6) await Promise.resolve();
      }
      await Promise.all(waits);
      assert.equal(answered, TRIGGERS, 'every waiter answered');
      assert.equal(maxActive, 1, 'refreshes never overlap');
      assert.ok(s.runs < TRIGGERS, `triggers coalesced (${s.runs} runs)`);
      // The final state reflects the last trigger: one more successful run observes it.
      failures = false;
      if (lastSeen !== version) assert.equal(await s.trigger(), version);
      assert.equal(lastSeen, version);
      assert.equal(s.running, false);
      assert.equal(s.pending, false);
    });
  }
});

describe('IntervalTrigger', () => {
  it('ticks only while enabled and with an interval above zero, re-armed after each tick settles', async () => {
    // Its timers run on a clock the test moves, so each tick happens exactly when due.
    const clock = new ManualClock(0);
    const timers = { set: ((fn: () => void, ms: number) => clock.setTimeout(fn, ms)) as unknown as typeof setTimeout, clear: ((h: unknown) => clock.clearTimeout(h)) as typeof clearTimeout };
    let ticks = 0;
    let finishTick: (() => void) | undefined;
    const t = new IntervalTrigger(() => {
      ticks++;
      return new Promise<void>((r) => (finishTick = r));
    }, 5, timers);
    await clock.advance(20);
    assert.equal(ticks, 0, 'disabled until the view is visible');
    t.setEnabled(true);
    await clock.advance(4);
    assert.equal(ticks, 0);
    await clock.advance(1);
    assert.equal(ticks, 1, 'the first tick after one interval');
    await clock.advance(50);
    assert.equal(ticks, 1, 'no tick while the previous one runs: slow refreshes never pile up');
    finishTick!();
    await clock.advance(4);
    assert.equal(ticks, 1);
    await clock.advance(1);
    assert.equal(ticks, 2, 'the next one an interval after the last settled');
    t.setInterval(0);
    finishTick!();
    await clock.advance(100);
    assert.equal(ticks, 2, 'interval 0 is off');
    assert.equal(clock.pending, 0);
    t.setInterval(5);
    await clock.advance(5);
    assert.equal(ticks, 3, 'on again');
    t.dispose();
    finishTick!();
    await clock.advance(100);
    assert.equal(ticks, 3, 'disposed');
  });
});
