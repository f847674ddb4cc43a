// The simulator in a child process, for benchmarks that measure a client against the call floor.
// In the bench's own process the simulator's work (building 100 described tasks a page as JSON)
// runs on the very thread whose time is measured, and lands on the critical path between one
// ListTasks page and the next. A real endpoint's CPU is not the client's: here it gets its own
// process, and the latency it adds is counted from each request's arrival to its answer.
//
// The parent sends { type, ... } messages over the IPC channel; the child answers each in order.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ScenarioData } from '../sim/types';

export interface SimProcessOptions {
  /** The scenario's data, or the name of one in sim/scenarios. */
  scenario: ScenarioData | string;
  latencyMs: number;
  throttle: boolean;
  maxCallLog?: number;
}

/** What the parent needs of a call: its service and operation, its error, and when it arrived and ended (epoch ms). */
export interface CallSummary {
  service: string;
  operation: string;
  errorType?: string;
  time: number;
  durationMs?: number;
}

/** Per cluster name: how many services and tasks the simulator holds. */
export type ClusterCounts = Record<string, { services: number; tasks: number }>;

export interface SimProcess {
  url: string;
  /** Loads the scenario afresh (state, token buckets) and clears the call log. */
  reset(): Promise<void>;
  calls(): Promise<CallSummary[]>;
  counts(): Promise<ClusterCounts>;
  stop(): Promise<void>;
}

type Request = { type: 'reset' } | { type: 'calls' } | { type: 'counts' } | { type: 'stop' };
type Reply =
  | { type: 'ready'; url: string }
  | { type: 'reset' }
  | { type: 'calls'; calls: CallSummary[] }
  | { type: 'counts'; counts: ClusterCounts }
  | { type: 'error'; message: string };

export async function startSimulatorProcess(opts: SimProcessOptions): Promise<SimProcess> {
  // The child has no use for the parent's flags (--expose-gc, --cpu-prof).
  const child: ChildProcess = fork(path.join(__dirname, 'simProcess.js'), ['--child'], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const replies: Reply[] = [];
  const waiting: Array<(r: Reply) => void> = [];
  let exited: Error | undefined;
  child.on('message', (m: Reply) => {
    const w = waiting.shift();
    if (w) w(m);
    else replies.push(m);
  });
  child.on('exit', (code, signal) => {
    exited = new Error(`the simulator process exited (${code ?? signal})`);
    for (const w of waiting.splice(0)) w({ type: 'error', message: exited.message });
  });
  const next = (): Promise<Reply> =>
    new Promise((resolve) => {
      const r = replies.shift();
      if (r) resolve(r);
      else if (exited) resolve({ type: 'error', message: exited.message });
      else waiting.push(resolve);
    });
  const ask = async <T extends Reply['type']>(req: Request, expect: T): Promise<Extract<Reply, { type: T }>> => {
    if (exited) throw exited;
    child.send(req);
    const r = await next();
    if (r.type === 'error') throw new Error(r.message);
    if (r.type !== expect) throw new Error(`the simulator process answered ${r.type} to ${req.type}`);
    return r as Extract<Reply, { type: T }>;
  };

  child.send({ options: opts });
  const ready = await next();
  if (ready.type !== 'ready') {
    child.kill();
    throw new Error(ready.type === 'error' ? ready.message : `the simulator process answered ${ready.type}`);
  }
  return {
    url: ready.url,
    reset: async () => void (await ask({ type: 'reset' }, 'reset')),
    calls: async () => (await ask({ type: 'calls' }, 'calls')).calls,
    counts: async () => (await ask({ type: 'counts' }, 'counts')).counts,
    stop: async () => {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' });
      await gone;
    },
  };
}

/** The child: one simulator, driven by the parent's messages. */
async function child(): Promise<void> {
  const { startSimulator } = await import('../sim/server');
  const send = (r: Reply) => process.send?.(r);
  const first = await new Promise<{ options: SimProcessOptions }>((resolve) => process.once('message', resolve));
  const o = first.options;
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  try {
    sim = await startSimulator({ scenario: o.scenario, latencyMs: o.latencyMs, throttle: o.throttle, ...(o.maxCallLog ? { maxCallLog: o.maxCallLog } : {}) });
  } catch (err) {
    send({ type: 'error', message: `the simulator did not start: ${(err as Error).message}` });
    process.exit(1);
  }
  process.on('message', (m: Request) => {
    switch (m.type) {
      case 'reset':
        sim.load(o.scenario);
        sim.clearCalls();
        send({ type: 'reset' });
        break;
      case 'calls':
        send({
          type: 'calls',
          calls: sim.calls.map((c) => ({
            service: c.service,
            operation: c.operation,
            time: c.time,
            ...(c.errorType ? { errorType: c.errorType } : {}),
            ...(c.durationMs !== undefined ? { durationMs: c.durationMs } : {}),
          })),
        });
        break;
      case 'counts': {
        const counts: ClusterCounts = {};
        for (const [name, st] of sim.state.ecs.clusters) counts[name] = { services: st.services.size, tasks: st.tasks.size };
        send({ type: 'counts', counts });
        break;
      }
      case 'stop':
        void sim.stop().finally(() => process.exit(0));
        break;
    }
  });
  // The parent went away without saying stop: do not outlive it.
  process.on('disconnect', () => void sim.stop().finally(() => process.exit(0)));
  send({ type: 'ready', url: sim.url });
}

if (require.main === module && process.argv.includes('--child')) {
  void child().catch((err) => {
    process.stderr.write(`simulator process: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
