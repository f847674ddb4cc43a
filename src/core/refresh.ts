/**
 * Single-flight refresh scheduler.
 *
 * - Refreshes never overlap: at most one `run` is in flight.
 * - Triggers coalesce: a trigger while idle starts a run at once; any number of triggers while a
 *   run is in flight schedule exactly ONE more run, which starts when the current one ends.
 * - Every waiter is answered: each trigger() gets its own promise, kept in a plain list (no shared
 *   signal that a later run could swap out from under a waiter, leaving it waiting forever), and
 *   it settles with the result (or error) of the first run that STARTED after the trigger, so the
 *   state a waiter sees always reflects its trigger, and the final state reflects the last one.
 * - dispose() aborts the run in flight (its AbortSignal) and rejects every waiter with
 *   RefreshCancelledError; later triggers reject at once.
 */

export class RefreshCancelledError extends Error {
  override name = 'RefreshCancelledError';
  constructor() {
    super('Refresh cancelled');
  }
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(err: unknown): void;
}

export interface RefreshSchedulerOptions {
  /** Called when a run fails (its waiters are rejected too); for logging. */
  onError?: (err: unknown) => void;
}

export class RefreshScheduler<T = void> {
  /** Waiters of the run in flight. */
  private current: Waiter<T>[] = [];
  /** Waiters of the one run scheduled after it (undefined: none scheduled). */
  private next: Waiter<T>[] | undefined;
  private inFlight = false;
  private abort: AbortController | undefined;
  private disposed = false;
  private runCount = 0;

  constructor(
    private readonly run: (signal: AbortSignal) => Promise<T>,
    private readonly options: RefreshSchedulerOptions = {},
  ) {}

  /** True while a run is in flight. */
  get running(): boolean {
    return this.inFlight;
  }

  /** True when a run is scheduled after the one in flight. */
  get pending(): boolean {
    return this.next !== undefined;
  }

  /** How many runs have started. */
  get runs(): number {
    return this.runCount;
  }

  /** Asks for a refresh; settles with the first run that starts after this call. */
  trigger(): Promise<T> {
    if (this.disposed) return Promise.reject(new RefreshCancelledError());
    return new Promise<T>((resolve, reject) => {
      const waiter = { resolve, reject };
      if (this.inFlight) {
        (this.next ??= []).push(waiter);
      } else {
        this.current = [waiter];
        this.start();
      }
    });
  }

  /** Cancels the run in flight and answers every waiter with RefreshCancelledError. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.abort?.abort();
    const waiters = [...this.current, ...(this.next ?? [])];
    this.current = [];
    this.next = undefined;
    const err = new RefreshCancelledError();
    for (const w of waiters) w.reject(err);
  }

  private start(): void {
    this.inFlight = true;
    this.runCount++;
    const abort = new AbortController();
    this.abort = abort;
    let result: Promise<T>;
    try {
      result = Promise.resolve(this.run(abort.signal));
    } catch (err) {
      result = Promise.reject(err);
    }
    result.then(
      (value) => this.finish(abort, (w) => w.resolve(value)),
      (err: unknown) => {
        if (!abort.signal.aborted) this.options.onError?.(err);
        this.finish(abort, (w) => w.reject(err));
      },
    );
  }

  private finish(abort: AbortController, answer: (w: Waiter<T>) => void): void {
    if (this.abort === abort) this.abort = undefined;
    this.inFlight = false;
    if (this.disposed) return; // dispose() already answered everyone
    const done = this.current;
    this.current = [];
    for (const w of done) answer(w);
    if (this.next) {
      this.current = this.next;
      this.next = undefined;
      this.start();
    }
  }
}

/**
 * Calls `tick` every `intervalMs` while enabled (the view is visible and the interval is not 0).
 * The timer is re-armed after each tick settles, so slow refreshes never pile up.
 */
export class IntervalTrigger {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private enabled = false;
  private disposed = false;

  constructor(
    private readonly tick: () => Promise<unknown>,
    private intervalMs: number,
    private readonly timers: { set: typeof setTimeout; clear: typeof clearTimeout } = { set: setTimeout, clear: clearTimeout },
  ) {}

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.rearm();
  }

  setInterval(ms: number): void {
    this.intervalMs = ms;
    this.rearm();
  }

  private rearm(): void {
    if (this.timer) this.timers.clear(this.timer);
    this.timer = undefined;
    if (this.disposed || !this.enabled || !(this.intervalMs > 0)) return;
    this.timer = this.timers.set(() => {
      this.timer = undefined;
      void this.tick()
        .catch(() => undefined)
        .finally(() => {
          if (!this.timer) this.rearm();
        });
    }, this.intervalMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) this.timers.clear(this.timer);
    this.timer = undefined;
  }
}
