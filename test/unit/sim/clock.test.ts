import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ManualClock } from '../../../sim/clock';

describe('ManualClock', () => {
  it('fires each timer at its own time, in order; equal times in the order they were set', async () => {
    const clock = new ManualClock(1_000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 20);
    await clock.advance(9);
    assert.deepEqual(fired, []);
    assert.equal(clock.now(), 1_009);
    await clock.advance(11);
    assert.deepEqual(fired, ['a@1010', 'b@1020', 'c@1020']);
    assert.equal(clock.now(), 1_020);
    assert.equal(clock.pending, 0);
  });

  it('fires timers set while advancing when they fall due within the step, and runs the promise jobs each one starts', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      void Promise.resolve().then(() => clock.setTimeout(() => fired.push(clock.now()), 5));
    }, 10);
    await clock.advance(15);
    assert.deepEqual(fired, [10, 15]);
  });

  it('clearTimeout, next() and nextAt', async () => {
    const clock = new ManualClock(0);
    let n = 0;
    const h = clock.setTimeout(() => n++, 5);
    clock.setTimeout(() => (n += 10), 7);
    clock.clearTimeout(h);
    assert.equal(clock.nextAt, 7);
    assert.equal(await clock.next(), true);
    assert.equal(n, 10);
    assert.equal(clock.now(), 7);
    assert.equal(await clock.next(), false);
    await assert.rejects(clock.advance(-1), /non-negative/);
  });

  it('waitForTimers resolves once that many timers wait', async () => {
    const clock = new ManualClock(0);
    let resolved = false;
    const p = clock.waitForTimers(2).then(() => (resolved = true));
    clock.setTimeout(() => undefined, 1);
    await Promise.resolve();
    assert.equal(resolved, false);
    clock.setTimeout(() => undefined, 1);
    await p;
    assert.equal(resolved, true);
    await clock.waitForTimers(1); // already true
  });
});
