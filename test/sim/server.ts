// The ECS Doctor simulator: one HTTP endpoint on 127.0.0.1 that speaks the AWS wire protocols of
// the services in test/sim/services (ECS first), answers from a scenario's state, injects faults
// and records every call. Use it from tests:
//
//   const sim = await startSimulator({ scenario: 'demo' });
//   const ecs = new ECSClient(sim.clientConfig());
//   ...
//   await sim.stop();
//
// or from a shell: `npm run sim -- --port 4566 --scenario demo` (test/sim/main.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Cluster, Service, Task } from '@aws-sdk/client-ecs';
import { matchAccessDenied, seededRandom, TokenBucket } from './faults';
import {
  defaultErrors,
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
  type OpContext,
  type Protocol,
  type SimService,
} from './protocol';
import { buildState, readScenario } from './scenario';
import { findTask } from './services/ecs';
import { SERVICES } from './services/index';
import type { CallRecord, FaultKind, Faults, ScenarioData, SimState } from './types';

export type { CallRecord, Faults, ScenarioData, SimState } from './types';
export { SERVICES } from './services/index';

export interface SimulatorOptions {
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  /** Scenario name (file in test/sim/scenarios), path to a .json file, or the data itself. Default "empty". */
  scenario?: string | ScenarioData;
  /** Delay before every response, ms (overrides the scenario's faults.latencyMs). */
  latencyMs?: number;
  /** Token-bucket throttling on/off (overrides the scenario's faults.throttle). */
  throttle?: boolean;
  /** Any other fault settings (override the scenario's). */
  faults?: Partial<Faults>;
  /** Clock in epoch ms for timestamps, relative scenario times and token buckets (default Date.now). */
  now?: () => number;
  /** How long STOPPED tasks stay visible (default 3,600,000: one hour, like ECS). */
  stoppedTaskRetentionMs?: number;
  /** Keep at most this many call records (oldest dropped first). Default 200,000. */
  maxCallLog?: number;
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
  setLatency(ms: number): void;
  /** Merge fault settings (kept across load()). */
  setFaults(partial: Partial<Faults>): void;
  /** The live ECS objects, by name/id or ARN (undefined when absent). */
  cluster(name: string): Cluster | undefined;
  service(cluster: string, name: string): Service | undefined;
  task(idOrArn: string, cluster?: string): Task | undefined;
  /** Stop listening, end open connections and pending timers. */
  stop(): Promise<void>;
}

export const DEFAULT_FAULTS: Faults = {
  latencyMs: 0,
  latencyByOperation: {},
  throttle: false,
  throttleLimits: {},
  accessDenied: [],
  errorRate: 0,
  dropRate: 0,
  stallRate: 0,
  stallMs: 0,
  faultOperations: [],
  seed: 1,
};

const MAX_BODY = 16 * 1024 * 1024;

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const clock = opts.now ?? Date.now;
  const startOverrides: Partial<Faults> = { ...opts.faults };
  if (opts.latencyMs !== undefined) startOverrides.latencyMs = opts.latencyMs;
  if (opts.throttle !== undefined) startOverrides.throttle = opts.throttle;
  let runtimeOverrides: Partial<Faults> = {};
  let scenarioFaults: Partial<Faults> = {};
  let faults: Faults = DEFAULT_FAULTS;
  let rng = seededRandom(1);
  let buckets = new Map<string, TokenBucket>();
  let state!: SimState;
  let scenarioName = 'empty';
  let idCounter = 0;
  const calls: CallRecord[] = [];
  const maxCalls = opts.maxCallLog ?? 200_000;
  const timers = new Set<NodeJS.Timeout>();
  const stalled = new Set<http.ServerResponse>();
  let stopping = false;

  function recompute(resetRng: boolean): void {
    const prevSeed = faults.seed;
    faults = { ...DEFAULT_FAULTS, ...scenarioFaults, ...startOverrides, ...runtimeOverrides };
    validateFaults(faults);
    if (resetRng || faults.seed !== prevSeed) rng = seededRandom(faults.seed);
    buckets = new Map();
  }

  function load(scenario: string | ScenarioData): void {
    const data = typeof scenario === 'string' ? readScenario(scenario) : scenario;
    const next = buildState(data, clock());
    if (opts.stoppedTaskRetentionMs !== undefined) next.ecs.stoppedTaskRetentionMs = opts.stoppedTaskRetentionMs;
    state = next;
    scenarioName = typeof scenario === 'string' ? (data.name ?? scenario) : (data.name ?? 'inline');
    scenarioFaults = data.faults ?? {};
    recompute(true);
  }

  load(opts.scenario ?? 'empty');

  function later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
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

  function throttled(svc: SimService, op: string): boolean {
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
    const started = performance.now();
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
      const signing = signingName(header(req, 'authorization'));
      svc =
        SERVICES.find((s) => s.protocol !== 'json' && signing && s.signingName === signing) ??
        SERVICES.find((s) => s.protocol !== 'json' && form.Version && s.apiVersion === form.Version);
      protocol = svc?.protocol ?? (signing === 'ec2' ? 'ec2query' : 'query');
      params = expandQuery(form);
    }

    const rec: CallRecord = {
      service: svc?.name ?? 'unknown',
      operation: operation || '(none)',
      params,
      time: arrived,
      status: 0,
      requestId,
    };
    calls.push(rec);
    if (calls.length > maxCalls) calls.splice(0, calls.length - maxCalls);

    const errs = { ...defaultErrors(protocol), ...svc?.errors };
    const finish = (status: number, payload: string, errorType?: string, fault?: FaultKind) => {
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
          rec.durationMs = Math.round((performance.now() - started) * 10) / 10;
        });
      };
      const delay = svc ? latencyFor(svc.name, operation) : faults.latencyMs;
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
            `User: ${state.sts.arn ?? `arn:aws:iam::${state.accountId}:user/sim-user`} is not authorized to perform: ` +
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
    const randomFaults = faults.dropRate + faults.stallRate + faults.errorRate > 0;
    if (randomFaults && (!faults.faultOperations.length || opMatches(faults.faultOperations, svc.name, operation))) {
      const r = rng();
      if (r < faults.dropRate) {
        rec.fault = 'drop';
        rec.durationMs = Math.round((performance.now() - started) * 10) / 10;
        req.socket.destroy();
        return;
      }
      if (r < faults.dropRate + faults.stallRate) {
        rec.fault = 'stall';
        stalled.add(res);
        res.on('close', () => {
          stalled.delete(res);
          if (!rec.durationMs) rec.durationMs = Math.round((performance.now() - started) * 10) / 10;
        });
        if (faults.stallMs > 0) later(() => void run(), faults.stallMs);
        return;
      }
      if (r < faults.dropRate + faults.stallRate + faults.errorRate) {
        fail(errs.server, 'error');
        return;
      }
    }
    await run();

    async function run(): Promise<void> {
      if (res.destroyed) return;
      const afterFns: { fn: () => void; delay: number }[] = [];
      const ctx: OpContext = {
        params,
        form,
        state,
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
        result = await handler!(ctx);
      } catch (e) {
        if (e instanceof SimError) {
          fail(e, rec.fault);
          return;
        }
        throw e;
      }
      const payload = protocol === 'json' ? toAwsJson(result ?? {}) : querySuccess(svc!, operation, result, requestId);
      res.once('finish', () => {
        for (const a of afterFns) later(a.fn, a.delay);
      });
      finish(200, payload, undefined, rec.fault);
    }
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
    },
    callsTo: (operation: string) => calls.filter((c) => c.operation === operation || `${c.service}:${c.operation}` === operation),
    setLatency: (ms: number) => {
      runtimeOverrides = { ...runtimeOverrides, latencyMs: ms };
      recompute(false);
    },
    setFaults: (partial: Partial<Faults>) => {
      runtimeOverrides = { ...runtimeOverrides, ...partial };
      recompute(partial.seed !== undefined);
    },
    cluster: (name: string) => {
      const n = name.startsWith('arn:') ? name.slice(name.lastIndexOf('/') + 1) : name;
      return state.ecs.clusters.get(n)?.cluster;
    },
    service: (cluster: string, name: string) => {
      const n = cluster.startsWith('arn:') ? cluster.slice(cluster.lastIndexOf('/') + 1) : cluster;
      const s = name.startsWith('arn:') ? name.slice(name.lastIndexOf('/') + 1) : name;
      return state.ecs.clusters.get(n)?.services.get(s);
    },
    task: (idOrArn: string, cluster?: string) => {
      for (const st of state.ecs.clusters.values()) {
        if (cluster && st.cluster.clusterName !== cluster && st.cluster.clusterArn !== cluster) continue;
        const t = findTask(state, st, idOrArn);
        if (t) return t;
      }
      return undefined;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        for (const t of timers) clearTimeout(t);
        timers.clear();
        for (const r of stalled) r.destroy();
        stalled.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return sim;
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The service from a SigV4 Authorization header's credential scope (any signature is accepted). */
function signingName(auth: string | undefined): string | undefined {
  const m = auth && /Credential=[^/]*\/[^/]*\/[^/]*\/([^/]+)\/aws4_request/.exec(auth);
  return m ? m[1] : undefined;
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
  for (const [k, lim] of Object.entries(f.throttleLimits)) {
    if (!(lim.burst >= 1) || !(lim.rate >= 0)) throw new Error(`Throttle limit ${k} needs burst >= 1 and rate >= 0.`);
  }
}
