/**
 * Client-side pacing for ECS: one token bucket per ECS throttle group, with the documented
 * burst and sustained rates (per account and Region), so the calls we make stay under ECS's
 * own buckets and a ThrottlingException is the exception, not the rule. When one still comes
 * back (another client shares the account), the bucket is emptied to match the server's and
 * the call is retried through it, with back-off.
 *
 * Waiters are served by priority (List pages before Describe batches), and a caller that pages
 * a list holds a small reserve of tokens for the next page, so a long list appears at the speed
 * of its sequential pages even while Describe calls drain the rest of the bucket.
 */

export interface BucketLimit {
  /** Tokens the bucket holds (requests that may arrive at once). */
  burst: number;
  /** Tokens added per second. */
  rate: number;
}

export type EcsThrottleGroup =
  | 'cluster-read'
  | 'service-read'
  | 'cluster-resource-read'
  | 'task-definition-read'
  | 'cluster-resource-modify'
  | 'service-modify'
  | 'other';

/** ECS's documented request throttles (per account and Region: burst / sustained per second). */
export const ECS_THROTTLE_LIMITS: Record<EcsThrottleGroup, BucketLimit> = {
  'cluster-read': { burst: 50, rate: 20 },
  'service-read': { burst: 100, rate: 20 },
  'cluster-resource-read': { burst: 100, rate: 20 },
  'task-definition-read': { burst: 50, rate: 20 },
  'cluster-resource-modify': { burst: 100, rate: 40 },
  'service-modify': { burst: 50, rate: 5 },
  other: { burst: 50, rate: 20 },
};

const GROUP_OF: Record<string, EcsThrottleGroup> = {
  DescribeClusters: 'cluster-read',
  ListClusters: 'cluster-read',
  DescribeServices: 'service-read',
  ListServices: 'service-read',
  ListServicesByNamespace: 'service-read',
  DescribeTasks: 'cluster-resource-read',
  ListTasks: 'cluster-resource-read',
  DescribeContainerInstances: 'cluster-resource-read',
  ListContainerInstances: 'cluster-resource-read',
  DescribeTaskDefinition: 'task-definition-read',
  ListTaskDefinitions: 'task-definition-read',
  ListTaskDefinitionFamilies: 'task-definition-read',
  ExecuteCommand: 'cluster-resource-modify',
  StopTask: 'cluster-resource-modify',
  RunTask: 'cluster-resource-modify',
  StartTask: 'cluster-resource-modify',
  UpdateService: 'service-modify',
};

/** The throttle group an ECS operation draws from. */
export function ecsThrottleGroup(operation: string): EcsThrottleGroup {
  return GROUP_OF[operation] ?? 'other';
}

/** Higher is served first. */
export const Priority = { list: 2, lookup: 1, describe: 0 } as const;

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

interface Waiter {
  priority: number;
  seq: number;
  resolve(): void;
  reject(err: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class AbortedError extends Error {
  override name = 'AbortError';
  constructor() {
    super('The operation was cancelled');
  }
}

/** Milliseconds of refill kept as a margin: the server clock ticks in milliseconds, and its bucket starts when our first request ARRIVES (a cold client sends it tens of ms late). Costs that much once, not per call. */
const SAFETY_MS = 50;

/** A token bucket with a priority queue of waiters. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly queue: Waiter[] = [];
  private timer: unknown;
  private seq = 0;
  private holds = 0;

  constructor(
    readonly limit: BucketLimit,
    private readonly clock: Clock = realClock,
    /** Tokens low-priority takers leave for a holder (see hold()). */
    private readonly reserve = 3,
  ) {
    this.tokens = limit.burst;
    this.last = clock.now();
  }

  /** Tokens available now (fractional). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /** Waits for one token. Served by priority, then first come first served. */
  take(priority: number = Priority.describe, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new AbortedError());
    this.refill();
    if (this.queue.length === 0 && this.tokens >= this.needed(priority)) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = { priority, seq: this.seq++, resolve, reject, signal };
      if (signal) {
        w.onAbort = () => {
          const i = this.queue.indexOf(w);
          if (i >= 0) this.queue.splice(i, 1);
          reject(new AbortedError());
          this.schedule();
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      // Insert sorted: priority descending, then arrival.
      let i = this.queue.length;
      while (i > 0 && this.queue[i - 1]!.priority < priority) i--;
      this.queue.splice(i, 0, w);
      this.drainQueue();
    });
  }

  /**
   * While held, takers below list priority leave `reserve` tokens in the bucket, so the holder's
   * next sequential request (the next List page) never waits behind a burst of Describe calls.
   * Returns the release function.
   */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.drainQueue();
    };
  }

  /** The server said it is throttling: its bucket is empty, so ours is too. */
  empty(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }

  /**
   * Tokens a taker needs: one, plus a few milliseconds of refill as a margin (the server's clock
   * has millisecond granularity and its own rounding), plus the reserve while a list is held.
   */
  private needed(priority: number): number {
    const margin = (this.limit.rate * SAFETY_MS) / 1000;
    return Math.min(this.limit.burst, 1 + margin + (this.holds > 0 && priority < Priority.list ? this.reserve : 0));
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.limit.burst, this.tokens + elapsed * this.limit.rate);
  }

  private drainQueue(): void {
    this.refill();
    while (this.queue.length) {
      const head = this.queue[0]!;
      if (this.tokens < this.needed(head.priority)) {
        // A lower-priority head may be blocked by the reserve while a list waiter is behind it:
        // the queue is sorted by priority, so the head is the highest; nothing else can go.
        break;
      }
      this.queue.shift();
      this.tokens -= 1;
      if (head.signal && head.onAbort) head.signal.removeEventListener('abort', head.onAbort);
      head.resolve();
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    const head = this.queue[0];
    if (!head) return;
    const missing = this.needed(head.priority) - this.tokens;
    const waitMs = Math.max(1, Math.ceil((missing / this.limit.rate) * 1000));
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.drainQueue();
    }, waitMs);
    (this.timer as { unref?: () => void } | undefined)?.unref?.();
  }
}

/** One bucket per throttle group. Share one Pacer per (account, Region). */
export class Pacer {
  private readonly buckets = new Map<EcsThrottleGroup, TokenBucket>();

  constructor(
    private readonly limits: Partial<Record<EcsThrottleGroup, BucketLimit>> = {},
    private readonly clock: Clock = realClock,
  ) {}

  bucket(group: EcsThrottleGroup): TokenBucket {
    let b = this.buckets.get(group);
    if (!b) {
      b = new TokenBucket(this.limits[group] ?? ECS_THROTTLE_LIMITS[group], this.clock);
      this.buckets.set(group, b);
    }
    return b;
  }

  forOperation(operation: string): TokenBucket {
    return this.bucket(ecsThrottleGroup(operation));
  }
}

/** A counting semaphore: at most `limit` calls in flight; the limit may change (setLimit). */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private limit: number) {}

  setLimit(limit: number): void {
    this.limit = limit;
    while (this.active < this.limit && this.waiting.length) {
      this.active++;
      this.waiting.shift()!();
    }
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    // A released slot is handed to the next waiter directly, so the limit holds exactly.
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.active <= this.limit ? this.waiting.shift() : undefined;
      if (next) next();
      else this.active--;
    }
  }
}
