// The ECS Doctor simulator: one HTTP endpoint on 127.0.0.1 that speaks the AWS wire protocols of
// the services in sim/services (ECS first), answers from a scenario's state, injects faults
// and records every call. Use it from tests:
//
//   const sim = await startSimulator({ scenario: 'demo' });
//   const ecs = new ECSClient(sim.clientConfig());
//   ...
//   await sim.stop();
//
// or from a shell: `npm run sim -- --port 4566 --scenario demo` (sim/main.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Cluster, Service, Task } from '@aws-sdk/client-ecs';
import { realClock, type SimClock } from './clock';
import { Scheduler } from './scheduler';
import { HTML_500_PAGE, listsOperation, matchAccessDenied, seededRandom, THIN_NOT_IMPLEMENTED, throttleKeys, TokenBucket } from './faults';
import {
  defaultErrors,
  encodeEventStreamMessage,
  EVENT_STREAM_CONTENT_TYPE,
  EventStreamAnswer,
  expandQuery,
  hexId,
  JSON_CONTENT_TYPE,
  jsonError,
  parseForm,
  queryError,
  querySuccess,
  SimError,
  toAwsJson,
  XML_CONTENT_TYPE,
  type ErrorSpec,
  type EventStreamIO,
  type OpContext,
  type Protocol,
  type SimService,
} from './protocol';
import { buildState, readScenario, stateForRegion } from './scenario';
import { findTask } from './services/ecs';
import { SERVICES } from './services/index';
import type { CallRecord, FaultKind, Faults, ScenarioData, SimState } from './types';

export type { CallRecord, Faults, ScenarioData, SimState } from './types';
export type { SimClock } from './clock';
export { ManualClock } from './clock';
export { SERVICES } from './services/index';

export interface SimulatorOptions {
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  /** Scenario name (file in sim/scenarios), path to a .json file, or the data itself. Default "empty". */
  scenario?: string | ScenarioData;
  /** Arrival to answer for every response, ms (overrides the scenario's faults.latencyMs). */
  latencyMs?: number;
  /** Token-bucket throttling on/off (overrides the scenario's faults.throttle). */
  throttle?: boolean;
  /** Any other fault settings (override the scenario's). */
  faults?: Partial<Faults>;
  /**
   * The simulator's clock: `now()` for timestamps, relative scenario times, token buckets and call
   * durations; its timers for latency, timed stalls and delayed state changes. Default: the real
   * clock. Pass a ManualClock (sim/clock.ts) and nothing the simulator does depends on how
   * fast the machine is: time moves only when the test advances it.
   */
  clock?: SimClock;
  /** Overrides `clock.now()` alone (timers stay the clock's). */
  now?: () => number;
  /** How long STOPPED tasks stay visible (default 3,600,000: one hour, like ECS). */
  stoppedTaskRetentionMs?: number;
  /** Keep at most this many call records (oldest dropped first). Default 200,000. */
  maxCallLog?: number;
  /**
   * Run the service scheduler (sim/scheduler.ts) on every service an UpdateService or StopTask
   * touches, besides the services a scenario gives a `scheduler` section. Default false.
   */
  scheduler?: boolean;
}

export interface Simulator {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** Live state: change it in place (e.g. a task's lastStatus) and the next call sees it. Replaced by load(). */
  readonly state: SimState;
  /** Every request, in arrival order (records are updated when the response ends). */
  readonly calls: CallRecord[];
  /** The fault settings in force (scenario, then start options, then setFaults()). */
  readonly faults: Readonly<Faults>;
  /** Name of the loaded scenario. */
  readonly scenarioName: string;
  /** SDK v3 client configuration pointing at the simulator with dummy credentials. */
  clientConfig(region?: string): {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  /** Replace the state with another scenario (and its faults); the call log and setFaults() overrides stay. */
  load(scenario: string | ScenarioData): void;
  clearCalls(): void;
  /** Calls of one operation ("DescribeTasks" or "ecs:DescribeTasks"). */
  callsTo(operation: string): CallRecord[];
  /** Calls that have arrived and are not answered yet (held, stalled, delayed or being answered). */
  readonly inFlight: number;
  /** The most calls in flight at once since the simulator started or clearCalls(). */
  readonly maxInFlight: number;
  /**
   * Resolves once `test()` is true: checked now, and again whenever a call arrives, is answered,
   * dropped or abandoned by its client. How a test waits for the simulator to have seen something,
   * instead of sleeping. (A `test` that throws rejects the promise.)
   */
  until(test: () => boolean): Promise<void>;
  /**
   * Holds every call of `operation` ("DescribeTasks", "ecs:DescribeTasks"; "*" for every call)
   * that arrives from now on, after authorisation and throttling, unanswered until the test
   * releases it: a stall that ends when the test says so, not after some time. Released calls go
   * on as if they had just arrived (random faults, the handler, latency).
   */
  hold(operation: string): Hold;
  setLatency(ms: number): void;
  /** Merge fault settings (kept across load()). */
  setFaults(partial: Partial<Faults>): void;
  /**
   * The live state that answers calls signed for `region`: the scenario's own for its Region (and
   * for every Region when the scenario puts no cluster elsewhere), else that Region's.
   */
  stateOf(region: string): SimState;
  /** The live ECS objects, by name/id or ARN, in any Region (undefined when absent). */
  cluster(name: string): Cluster | undefined;
  service(cluster: string, name: string): Service | undefined;
  task(idOrArn: string, cluster?: string): Task | undefined;
  /**
   * Brings the service scheduler up to the clock's time (what every call does before it is
   * answered), so a test can read `state` directly after moving a ManualClock. No-op without one.
   */
  runScheduler(): void;
  /** Stop listening, end open connections and pending timers. */
  stop(): Promise<void>;
}

/** Calls held by {@link Simulator.hold}. */
export interface Hold {
  /** Every call this hold has caught, in arrival order (answered or not). */
  readonly calls: readonly CallRecord[];
  /** Calls caught and not released yet (a call its client abandoned is dropped from here). */
  readonly waiting: number;
  /** Resolves once the hold has caught `count` calls in all (default 1). */
  caught(count?: number): Promise<CallRecord[]>;
  /** Lets every call held now go on to its answer; calls that arrive later are held too. */
  release(): void;
  /** Releases the calls held now and holds no more. */
  end(): void;
}

export const DEFAULT_FAULTS: Faults = {
  latencyMs: 0,
  latencyByOperation: {},
  throttle: false,
  throttleLimits: {},
  throttleNext: {},
  accessDenied: [],
  errorRate: 0,
  dropRate: 0,
  stallRate: 0,
  stallMs: 0,
  faultOperations: [],
  seed: 1,
  thin: false,
  notImplemented: [],
};

const MAX_BODY = 16 * 1024 * 1024;

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const simClock = opts.clock ?? realClock;
  const clock: () => number = opts.now ?? (() => simClock.now());
  // Durations: the injected clock's when there is one (exact under a ManualClock), else the finer performance.now().
  const elapsedSince: (start: number) => number = opts.clock
    ? (start) => clock() - start
    : (start) => Math.round((performance.now() - start) * 10) / 10;
  const startMark = (): number => (opts.clock ? clock() : performance.now());
  const startOverrides: Partial<Faults> = { ...opts.faults };
  if (opts.latencyMs !== undefined) startOverrides.latencyMs = opts.latencyMs;
  if (opts.throttle !== undefined) startOverrides.throttle = opts.throttle;
  let runtimeOverrides: Partial<Faults> = {};
  let scenarioFaults: Partial<Faults> = {};
  let faults: Faults = DEFAULT_FAULTS;
  let rng = seededRandom(1);
  let buckets = new Map<string, TokenBucket>();
  /** What is left of faults.throttleNext (armed by load() and by setFaults({ throttleNext })). */
  let throttlesLeft = new Map<string, number>();
  let state!: SimState;
  let scenarioName = 'empty';
  let idCounter = 0;
  const calls: CallRecord[] = [];
  const maxCalls = opts.maxCallLog ?? 200_000;
  const timers = new Set<unknown>();
  const stalled = new Set<http.ServerResponse>();
  const holds = new Set<HoldState>();
  const watchers = new Set<() => void>();
  let inFlight = 0;
  let maxInFlight = 0;
  let stopping = false;

  function recompute(resetRng: boolean, armThrottles: boolean): void {
    const prevSeed = faults.seed;
    const next = { ...DEFAULT_FAULTS, ...scenarioFaults, ...startOverrides, ...runtimeOverrides };
    validateFaults(next);
    faults = next;
    if (resetRng || faults.seed !== prevSeed) rng = seededRandom(faults.seed);
    buckets = new Map();
    if (armThrottles) throttlesLeft = new Map(Object.entries(faults.throttleNext).filter(([, n]) => n > 0));
  }

  /** Wakes every until() waiter whose test now holds. */
  function notify(): void {
    for (const w of [...watchers]) w();
  }

  function load(scenario: string | ScenarioData): void {
    const data = typeof scenario === 'string' ? readScenario(scenario) : scenario;
    const next = buildState(data, clock());
    if (opts.stoppedTaskRetentionMs !== undefined) {
      next.ecs.stoppedTaskRetentionMs = opts.stoppedTaskRetentionMs;
      for (const r of next.regions?.values() ?? []) r.ecs.stoppedTaskRetentionMs = opts.stoppedTaskRetentionMs;
    }
    next.scheduler = Scheduler.forScenario(next, data, clock(), { adopt: opts.scheduler });
    next.scheduler?.advance(clock());
    state = next;
    scenarioName = typeof scenario === 'string' ? (data.name ?? scenario) : (data.name ?? 'inline');
    scenarioFaults = data.faults ?? {};
    recompute(true, true);
  }

  load(opts.scenario ?? 'empty');

  function later(fn: () => void, ms: number): void {
    const t = simClock.setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  }

  function opMatches(list: readonly string[], service: string, op: string): boolean {
    return list.includes(op) || list.includes(`${service}:${op}`);
  }

  function latencyFor(service: string, op: string): number {
    const by = faults.latencyByOperation;
    return by[`${service}:${op}`] ?? by[op] ?? faults.latencyMs;
  }

  /**
   * A call faults.throttleNext says to throttle: the operation's own count goes first
   * ("ecs:DescribeServices", then "DescribeServices"), then its bucket's ("ecs:service-read").
   * It takes no token: ECS removes a token for each request it serves, and this one is refused.
   */
  function throttledByCount(svc: SimService, op: string): boolean {
    if (!throttlesLeft.size) return false;
    for (const key of throttleKeys(svc, op)) {
      const left = throttlesLeft.get(key);
      if (!left) continue;
      if (left === 1) throttlesLeft.delete(key);
      else throttlesLeft.set(key, left - 1);
      return true;
    }
    return false;
  }

  function throttled(svc: SimService, op: string): boolean {
    if (throttledByCount(svc, op)) return true;
    if (!faults.throttle || !svc.throttleGroup) return false;
    const group = svc.throttleGroup(op);
    if (!group) return false;
    const key = `${svc.name}:${group}`;
    let b = buckets.get(key);
    if (!b) {
      const limit = faults.throttleLimits[key] ?? svc.throttleGroups?.[group];
      if (!limit) return false;
      b = new TokenBucket(limit, clock());
      buckets.set(key, b);
    }
    return !b.take(clock());
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) tooBig = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      if (tooBig) {
        res.writeHead(413, { 'content-type': 'text/plain' }).end('Request body too large');
        return;
      }
      void handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((e) => {
        process.stderr.write(`ecs simulator: internal error: ${(e as Error)?.stack ?? e}\n`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': JSON_CONTENT_TYPE }).end(jsonError('InternalFailure', 'Simulator internal error.'));
      });
    });
    req.on('error', () => undefined);
  });
  server.keepAliveTimeout = 5_000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const arrived = clock();
    const started = startMark();
    const requestId = requestIdFor(++idCounter);

    if (req.method === 'GET' && (req.url === '/' || req.url === '/_sim/health')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ simulator: 'ecs-doctor', scenario: scenarioName }));
      return;
    }

    // Which service and operation?
    const target = header(req, 'x-amz-target');
    let protocol: Protocol;
    let svc: SimService | undefined;
    let operation: string;
    let params: Record<string, any> = {};
    let form: Record<string, string> = {};
    let badBody: string | undefined;
    if (target) {
      protocol = 'json';
      const dot = target.lastIndexOf('.');
      const prefix = dot > 0 ? target.slice(0, dot) : target;
      operation = dot > 0 ? target.slice(dot + 1) : '';
      svc = SERVICES.find((s) => s.protocol === 'json' && s.targetPrefix === prefix);
      if (body.trim()) {
        try {
          const v = JSON.parse(body);
          if (v && typeof v === 'object' && !Array.isArray(v)) params = v;
          else badBody = 'The request body must be a JSON object.';
        } catch {
          badBody = 'Start of structure or map found where not expected.';
        }
      }
    } else {
      form = parseForm(body);
      operation = form.Action ?? '';
      const signing = credentialScope(header(req, 'authorization'))?.service;
      svc =
        SERVICES.find((s) => s.protocol !== 'json' && signing && s.signingName === signing) ??
        SERVICES.find((s) => s.protocol !== 'json' && form.Version && s.apiVersion === form.Version);
      protocol = svc?.protocol ?? (signing === 'ec2' ? 'ec2query' : 'query');
      params = expandQuery(form);
    }

    const region = credentialScope(header(req, 'authorization'))?.region;
    const rec: CallRecord = {
      service: svc?.name ?? 'unknown',
      operation: operation || '(none)',
      params,
      time: arrived,
      status: 0,
      requestId,
      ...(region ? { region } : {}),
    };
    // IAM and STS are global; every other service answers from the state of the call's Region.
    const callState = svc && (svc.name === 'iam' || svc.name === 'sts') ? state : stateForRegion(state, region);
    calls.push(rec);
    if (calls.length > maxCalls) calls.splice(0, calls.length - maxCalls);
    // In flight until answered, dropped or abandoned by the client, whichever comes first.
    let open = true;
    const settled = () => {
      if (!open) return;
      open = false;
      inFlight--;
      notify();
    };
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', settled);
    notify();

    const errs = { ...defaultErrors(protocol), ...svc?.errors };
    /** Answers (after the latency); `sent` runs the moment the answer has been written. */
    const finish = (status: number, payload: string, errorType?: string, fault?: FaultKind, sent?: () => void) => {
      const send = () => {
        stalled.delete(res);
        if (res.destroyed) return;
        rec.status = status;
        if (errorType) rec.errorType = errorType;
        if (fault) rec.fault = fault;
        res.writeHead(status, {
          'content-type': protocol === 'json' ? JSON_CONTENT_TYPE : XML_CONTENT_TYPE,
          'content-length': Buffer.byteLength(payload),
          'x-amzn-RequestId': requestId,
          date: new Date(clock()).toUTCString(),
        });
        res.end(payload, () => {
          rec.durationMs = elapsedSince(started);
          settled();
        });
        sent?.();
      };
      // The latency is the time from arrival to answer, the handler's own time included, as a
      // real endpoint's round trip would be: a slow handler does not add to it.
      const delay = (svc ? latencyFor(svc.name, operation) : faults.latencyMs) - elapsedSince(started);
      if (delay > 0 && !stopping) later(send, delay);
      else send();
    };
    const fail = (e: ErrorSpec | SimError, fault?: FaultKind) => {
      const type = e instanceof SimError ? e.type : e.type;
      const payload =
        protocol === 'json'
          ? jsonError(type, e.message)
          : queryError(protocol, type, e.message, requestId, e.status, svc?.xmlNamespace);
      finish(e.status, payload, type, fault);
    };

    // A thin endpoint's answer to what it does not implement: an HTML page, not an AWS error.
    const htmlOps = faults.thin ? [...faults.notImplemented, ...THIN_NOT_IMPLEMENTED] : faults.notImplemented;
    if (htmlOps.length && listsOperation(htmlOps, svc?.name ?? 'unknown', operation)) {
      const send = () => {
        if (res.destroyed) return;
        rec.status = 500;
        rec.fault = 'notImplemented';
        res.writeHead(500, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(HTML_500_PAGE) });
        res.end(HTML_500_PAGE, () => {
          rec.durationMs = elapsedSince(started);
          settled();
        });
      };
      const delay = svc ? latencyFor(svc.name, operation) : faults.latencyMs;
      if (delay > 0 && !stopping) later(send, delay);
      else send();
      return;
    }

    if (req.method !== 'POST') {
      fail({ ...errs.unknownOperation, status: 405, message: `${req.method} is not supported: AWS APIs are called with POST /.` });
      return;
    }
    if (!svc) {
      const what = target ? `X-Amz-Target ${target}` : `Action ${operation || '(none)'}`;
      fail({ ...errs.unknownOperation, message: `The ECS Doctor simulator does not serve ${what}.` });
      return;
    }
    const handler = Object.hasOwn(svc.operations, operation) ? svc.operations[operation] : undefined;
    if (!handler) {
      fail({ ...errs.unknownOperation, message: operation ? `The ECS Doctor simulator does not implement ${svc.name}:${operation}.` : 'No operation named.' });
      return;
    }
    if (badBody) {
      fail({ type: 'SerializationException', status: 400, message: badBody });
      return;
    }

    // Faults, in the order a real endpoint would meet them: authorisation, throttling, then the wire.
    const denied = matchAccessDenied(faults.accessDenied, svc.name, operation, params);
    if (denied) {
      const resource = denied.resource ?? '*';
      fail(
        {
          ...errs.accessDenied,
          message:
            `User: ${callState.sts.arn ?? `arn:aws:iam::${callState.accountId}:user/sim-user`} is not authorized to perform: ` +
            `${svc.signingName}:${operation} on resource: ${resource} because no identity-based policy allows the ${svc.signingName}:${operation} action`,
        },
        'accessDenied',
      );
      return;
    }
    if (throttled(svc, operation)) {
      fail(errs.throttling, 'throttle');
      return;
    }
    const hold = [...holds].find((h) => h.matches(svc!.name, operation));
    if (hold) {
      rec.fault = 'hold';
      hold.catch(rec, res, () => void proceed().catch(internalError));
      notify();
      return;
    }
    await proceed();

    /** Random faults, then the handler. */
    async function proceed(): Promise<void> {
      if (res.destroyed) return;
      const randomFaults = faults.dropRate + faults.stallRate + faults.errorRate > 0;
      if (randomFaults && (!faults.faultOperations.length || opMatches(faults.faultOperations, svc!.name, operation))) {
        const r = rng();
        if (r < faults.dropRate) {
          rec.fault = 'drop';
          rec.durationMs = elapsedSince(started);
          req.socket.destroy();
          return;
        }
        if (r < faults.dropRate + faults.stallRate) {
          rec.fault = 'stall';
          stalled.add(res);
          res.on('close', () => {
            stalled.delete(res);
            if (rec.durationMs === undefined) rec.durationMs = elapsedSince(started);
          });
          if (faults.stallMs > 0) later(() => void run().catch(internalError), faults.stallMs);
          return;
        }
        if (r < faults.dropRate + faults.stallRate + faults.errorRate) {
          fail(errs.server, 'error');
          return;
        }
      }
      await run();
    }

    /** An event-stream answer (StartLiveTail): 200 now, messages as the handler writes them, open until it ends or the client goes. */
    function streamAnswer(answer: EventStreamAnswer): void {
      if (res.destroyed) return;
      rec.status = 200;
      res.writeHead(200, { 'content-type': EVENT_STREAM_CONTENT_TYPE, 'x-amzn-RequestId': requestId, date: new Date(clock()).toUTCString() });
      const own = new Set<unknown>();
      const closers: Array<() => void> = [];
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        for (const t of own) {
          simClock.clearTimeout(t);
          timers.delete(t);
        }
        own.clear();
        rec.durationMs = elapsedSince(started);
        for (const f of closers) f();
      };
      res.once('close', close);
      const write = (headers: Record<string, string>, payload: unknown) => {
        if (!closed && !res.destroyed) res.write(encodeEventStreamMessage({ ...headers, ':content-type': 'application/json' }, toAwsJson(payload ?? {})));
      };
      const io: EventStreamIO = {
        event: (type, payload) => write({ ':message-type': 'event', ':event-type': type }, payload),
        exception: (type, message) => {
          write({ ':message-type': 'exception', ':exception-type': type }, { message });
          io.end();
        },
        end: () => {
          if (!res.destroyed) res.end();
          close();
        },
        every: (ms, fn) => {
          const tick = () => {
            if (closed || stopping) return;
            const t = simClock.setTimeout(() => {
              own.delete(t);
              timers.delete(t);
              fn();
              tick();
            }, ms);
            own.add(t);
            timers.add(t);
          };
          tick();
        },
        onClose: (fn) => void closers.push(fn),
        get closed() {
          return closed;
        },
      };
      stalled.add(res); // stop() ends open streams
      res.once('close', () => stalled.delete(res));
      answer.start(io);
    }

    function internalError(e: unknown): void {
      process.stderr.write(`ecs simulator: internal error: ${(e as Error)?.stack ?? e}\n`);
      if (!res.headersSent && !res.destroyed) res.writeHead(500, { 'content-type': JSON_CONTENT_TYPE }).end(jsonError('InternalFailure', 'Simulator internal error.'));
    }

    async function run(): Promise<void> {
      if (res.destroyed) return;
      const afterFns: { fn: () => void; delay: number }[] = [];
      const ctx: OpContext = {
        params,
        form,
        state: callState,
        now: clock,
        requestId,
        operation,
        service: svc!,
        faults,
        newId: (kind) => hexId(`${kind}:${++idCounter}`),
        after: (fn, delay = 0) => afterFns.push({ fn, delay }),
      };
      let result: unknown;
      try {
        // What the service scheduler has done since the last call, on the simulator's clock.
        state.scheduler?.advance(clock());
        result = await handler!(ctx);
      } catch (e) {
        if (e instanceof SimError) {
          fail(e, rec.fault);
          return;
        }
        throw e;
      }
      if (result instanceof EventStreamAnswer) {
        streamAnswer(result);
        return;
      }
      const payload = protocol === 'json' ? toAwsJson(result ?? {}) : querySuccess(svc!, operation, result, requestId);
      // A change "right after" the answer (no delay) is made as the answer is written, so the
      // client's next call always sees it; a delayed one then waits on the simulator's clock.
      finish(200, payload, undefined, rec.fault, () => {
        for (const a of afterFns) {
          if (a.delay > 0) later(a.fn, a.delay);
          else a.fn();
        }
      });
    }
  }

  /** The primary Region's state, then the others the scenario names. */
  function allRegions(): SimState[] {
    return [state, ...(state.regions?.values() ?? [])];
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  const sim: Simulator = {
    url,
    port,
    get state() {
      return state;
    },
    calls,
    get faults() {
      return faults;
    },
    get scenarioName() {
      return scenarioName;
    },
    clientConfig: (region?: string) => ({
      endpoint: url,
      region: region ?? state.region,
      credentials: { accessKeyId: 'AKIASIMULATOR0000000', secretAccessKey: 'simulator-secret-key-not-real' },
    }),
    load,
    clearCalls: () => {
      calls.length = 0;
      maxInFlight = inFlight;
    },
    callsTo: (operation: string) => calls.filter((c) => c.operation === operation || `${c.service}:${c.operation}` === operation),
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    until: (test: () => boolean) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          let ok: boolean;
          try {
            ok = test();
          } catch (e) {
            watchers.delete(check);
            reject(e);
            return;
          }
          if (ok) {
            watchers.delete(check);
            resolve();
          }
        };
        watchers.add(check);
        check();
      }),
    hold: (operation: string) => {
      const h = new HoldState(operation, sim, stalled, () => holds.delete(h));
      holds.add(h);
      return h;
    },
    setLatency: (ms: number) => {
      runtimeOverrides = { ...runtimeOverrides, latencyMs: ms };
      recompute(false, false);
    },
    setFaults: (partial: Partial<Faults>) => {
      const next = { ...runtimeOverrides, ...partial };
      const previous = runtimeOverrides;
      runtimeOverrides = next;
      try {
        recompute(partial.seed !== undefined, partial.throttleNext !== undefined);
      } catch (e) {
        runtimeOverrides = previous;
        throw e;
      }
    },
    cluster: (name: string) => {
      const n = name.startsWith('arn:') ? name.slice(name.lastIndexOf('/') + 1) : name;
      for (const s of allRegions()) {
        const c = s.ecs.clusters.get(n)?.cluster;
        if (c) return c;
      }
      return undefined;
    },
    service: (cluster: string, name: string) => {
      const n = cluster.startsWith('arn:') ? cluster.slice(cluster.lastIndexOf('/') + 1) : cluster;
      const s = name.startsWith('arn:') ? name.slice(name.lastIndexOf('/') + 1) : name;
      for (const r of allRegions()) {
        const svc = r.ecs.clusters.get(n)?.services.get(s);
        if (svc) return svc;
      }
      return undefined;
    },
    runScheduler: () => state.scheduler?.advance(clock()),
    task: (idOrArn: string, cluster?: string) => {
      for (const r of allRegions()) {
        for (const st of r.ecs.clusters.values()) {
          if (cluster && st.cluster.clusterName !== cluster && st.cluster.clusterArn !== cluster) continue;
          const t = findTask(r, st, idOrArn);
          if (t) return t;
        }
      }
      return undefined;
    },
    stateOf: (region: string) => stateForRegion(state, region),
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        for (const t of timers) simClock.clearTimeout(t);
        timers.clear();
        holds.clear(); // their calls are in `stalled`: ended below, never answered
        for (const r of stalled) r.destroy();
        stalled.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return sim;
}

/** One hold (see Simulator.hold): the calls it caught and how to let them go on. */
class HoldState implements Hold {
  readonly calls: CallRecord[] = [];
  private held: { res: http.ServerResponse; go: () => void }[] = [];
  private ended = false;

  constructor(
    private readonly operation: string,
    private readonly sim: Pick<Simulator, 'until'>,
    /** The simulator's stalled responses: stop() ends them unanswered. */
    private readonly stalled: Set<http.ServerResponse>,
    private readonly remove: () => void,
  ) {
    if (!operation) throw new Error('hold(): name an operation ("DescribeTasks", "ecs:DescribeTasks") or "*".');
  }

  matches(service: string, operation: string): boolean {
    return !this.ended && (this.operation === '*' || this.operation === operation || this.operation === `${service}:${operation}`);
  }

  catch(rec: CallRecord, res: http.ServerResponse, go: () => void): void {
    this.calls.push(rec);
    const entry = { res, go };
    this.held.push(entry);
    this.stalled.add(res);
    res.once('close', () => {
      this.stalled.delete(res);
      this.held = this.held.filter((e) => e !== entry);
    });
  }

  get waiting(): number {
    return this.held.length;
  }

  caught(count = 1): Promise<CallRecord[]> {
    return this.sim.until(() => this.calls.length >= count).then(() => this.calls.slice(0, count));
  }

  release(): void {
    const go = this.held;
    this.held = [];
    for (const e of go) {
      this.stalled.delete(e.res);
      e.go();
    }
  }

  end(): void {
    this.ended = true;
    this.remove();
    this.release();
  }
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The Region and service of a SigV4 Authorization header's credential scope
 * (Credential=KEY/DATE/REGION/SERVICE/aws4_request); any signature is accepted.
 */
function credentialScope(auth: string | undefined): { region: string; service: string } | undefined {
  const m = auth && /Credential=[^/]*\/[^/]*\/([^/]*)\/([^/]+)\/aws4_request/.exec(auth);
  return m ? { region: m[1]!, service: m[2]! } : undefined;
}

function requestIdFor(n: number): string {
  const h = n.toString(16).padStart(12, '0');
  return `5a1e0000-0000-4000-8000-${h}`;
}

function validateFaults(f: Faults): void {
  const rate = (n: string, v: number) => {
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new Error(`Fault setting ${n} must be a number from 0 to 1 (got ${v}).`);
  };
  rate('errorRate', f.errorRate);
  rate('dropRate', f.dropRate);
  rate('stallRate', f.stallRate);
  if (f.errorRate + f.dropRate + f.stallRate > 1) throw new Error('errorRate + dropRate + stallRate must not exceed 1.');
  for (const [n, v] of [
    ['latencyMs', f.latencyMs],
    ['stallMs', f.stallMs],
  ] as const) {
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) throw new Error(`Fault setting ${n} must be a non-negative number of milliseconds (got ${v}).`);
  }
  if (!Array.isArray(f.notImplemented) || f.notImplemented.some((o) => typeof o !== 'string' || !o)) {
    throw new Error('Fault setting notImplemented must be a list of operations ("SimulatePrincipalPolicy", "iam:SimulatePrincipalPolicy").');
  }
  for (const [k, lim] of Object.entries(f.throttleLimits)) {
    if (!(lim.burst >= 1) || !(lim.rate >= 0)) throw new Error(`Throttle limit ${k} needs burst >= 1 and rate >= 0.`);
  }
  for (const [k, n] of Object.entries(f.throttleNext)) {
    if (!Number.isInteger(n) || n < 0) throw new Error(`throttleNext ${k} must be a whole number of calls, 0 or more (got ${n}).`);
    if (!knownThrottleKey(k)) {
      throw new Error(`throttleNext ${k}: no such operation ("DescribeServices", "ecs:DescribeServices") or throttle bucket ("ecs:service-read").`);
    }
  }
}

/** An operation some service serves ("Op" or "service:Op"), or a service's throttle bucket ("service:group"). */
function knownThrottleKey(key: string): boolean {
  const colon = key.indexOf(':');
  if (colon < 0) return SERVICES.some((s) => Object.hasOwn(s.operations, key));
  const svc = SERVICES.find((s) => s.name === key.slice(0, colon));
  const rest = key.slice(colon + 1);
  return !!svc && (Object.hasOwn(svc.operations, rest) || Object.hasOwn(svc.throttleGroups ?? {}, rest));
}
