// Clocks for the simulator and the tests that drive it. The simulator's timestamps, relative
// scenario times and token buckets read `now()`; its response latency, timed stalls and delayed
// state changes wait on `setTimeout()`. The real clock is the default. A test that must not depend
// on how fast the machine is passes a ManualClock instead: time then moves only when the test says
// so, and a timer fires exactly when the test moves the time past it, never earlier or later.
//
// The shape is the data layer's `Clock` (src/aws/pacer.ts), so one ManualClock can drive the
// client's pacing and the server's buckets together.

export interface SimClock {
  /** Epoch milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: SimClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

interface ManualTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/** A clock the test moves by hand. Timers due at the same time fire in the order they were set. */
export class ManualClock implements SimClock {
  private time: number;
  private seq = 0;
  private readonly timers: ManualTimer[] = [];
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  /** Starts at `start` (epoch ms; default 2023-11-14T22:13:20Z, a fixed, realistic date). */
  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const t: ManualTimer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(t);
    for (const w of [...this.waiters]) {
      if (this.timers.length >= w.count) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
    return t;
  }

  clearTimeout(handle: unknown): void {
    const i = this.timers.indexOf(handle as ManualTimer);
    if (i >= 0) this.timers.splice(i, 1);
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.timers.length;
  }

  /**
   * Resolves once at least `count` timers are waiting: how a test knows that what it started has
   * reached its timer (a response waiting out its latency, a retry its back-off) before it moves
   * the time, without sleeping.
   */
  waitForTimers(count = 1): Promise<void> {
    if (this.timers.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** When the next timer is due (undefined: none). */
  get nextAt(): number | undefined {
    return this.earliest()?.at;
  }

  /**
   * Moves the time forward by `ms`, firing every timer that falls due, in order, each at its own
   * time; the promise jobs a timer starts run before the next one fires. Promise jobs already
   * queued run first, so the timers they set count from the time before the step. Timers set
   * while advancing fire too when they fall due within the step.
   */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new Error(`ManualClock.advance: ${ms} is not a non-negative number of milliseconds`);
    const end = this.time + ms;
    await settle();
    for (let t = this.earliest(); t && t.at <= end; t = this.earliest()) await this.fire(t);
    this.time = end;
    await settle();
  }

  /** Moves the time to the next timer and fires it (and every other timer due then). False when none is set. */
  async next(): Promise<boolean> {
    const t = this.earliest();
    if (!t) return false;
    await this.advance(t.at - this.time);
    return true;
  }

  private earliest(): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.timers) if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    return best;
  }

  private async fire(t: ManualTimer): Promise<void> {
    this.timers.splice(this.timers.indexOf(t), 1);
    this.time = t.at;
    t.fn();
    await settle();
  }
}

/** Lets the promise jobs queued so far (and the ones they queue) run: one macrotask turn. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Waits `n` macrotask turns: a stand-in for latency in stress tests that orders the same way on
 * every run (no timers, no I/O), so a run depends on its seed alone, never on the machine's speed.
 */
export async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await settle();
}
