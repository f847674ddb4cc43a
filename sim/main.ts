// `npm run sim -- --port N --scenario NAME [--latency MS] [--throttle] ...`
// Prints exactly one line on stdout once it accepts connections:
//   ecs simulator listening on http://127.0.0.1:PORT
// and stops cleanly on SIGINT / SIGTERM. Diagnostics go to stderr.
import { listScenarios } from './scenario';
import { startSimulator, type Simulator } from './server';
import type { Faults } from './types';

const USAGE = `Usage: npm run sim -- [options]

  --port N           TCP port on 127.0.0.1 (default 0: a free port)
  --scenario NAME    scenario in sim/scenarios, or a path to a .json file (default demo)
  --latency MS       delay every response by MS milliseconds
  --throttle         apply ECS's per-group token buckets (ThrottlingException when exceeded)
  --throttle-next K=N throttle exactly the next N calls of an operation or bucket K
                     (DescribeServices, ecs:DescribeServices, ecs:service-read); repeatable
  --error-rate R     answer a share R (0-1) of calls with a 5xx
  --drop-rate R      drop a share R (0-1) of connections without an answer
  --seed N           seed for the random faults (default 1)
  --deny NAME        AccessDeniedException on calls naming this resource (repeatable)
  --scheduler        run the service scheduler on every service UpdateService or StopTask touches
  --verbose          log every call to stderr
  --help             this text

Scenarios: ${listScenarios().join(', ') || '(none found)'}`;

class UsageError extends Error {}

interface Args {
  port: number;
  scenario: string;
  latencyMs?: number;
  throttle: boolean;
  faults: Partial<Faults>;
  verbose: boolean;
  scheduler: boolean;
}

function parse(argv: string[]): Args | 'help' {
  const a: Args = { port: 0, scenario: 'demo', throttle: false, faults: {}, verbose: false, scheduler: false };
  const deny: string[] = [];
  const rest = [...argv];
  for (let flag = rest.shift(); flag !== undefined; flag = rest.shift()) {
    const [name, inline] = flag.startsWith('--') && flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = (): string => {
      const v = inline ?? rest.shift();
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${name} needs a value.`);
      return v;
    };
    const num = (lo: number, hi: number, int: boolean): number => {
      const raw = value();
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || n < lo || n > hi || (int && !Number.isInteger(n))) {
        throw new UsageError(`${name} must be ${int ? 'a whole number' : 'a number'} from ${lo} to ${hi} (got "${raw}").`);
      }
      return n;
    };
    switch (name) {
      case '--help':
      case '-h':
        return 'help';
      case '--port':
        a.port = num(0, 65535, true);
        break;
      case '--scenario':
        a.scenario = value();
        break;
      case '--latency':
        a.latencyMs = num(0, 600_000, false);
        break;
      case '--throttle':
        a.throttle = true;
        break;
      case '--throttle-next': {
        const raw = value();
        const eq = raw.lastIndexOf('=');
        const count = Number(raw.slice(eq + 1));
        if (eq <= 0 || !/^\d+$/.test(raw.slice(eq + 1)) || !Number.isSafeInteger(count)) {
          throw new UsageError(`--throttle-next needs OPERATION=N or service:bucket=N, for example ecs:service-read=5 (got "${raw}").`);
        }
        a.faults.throttleNext = { ...a.faults.throttleNext, [raw.slice(0, eq)]: count };
        break;
      }
      case '--error-rate':
        a.faults.errorRate = num(0, 1, false);
        break;
      case '--drop-rate':
        a.faults.dropRate = num(0, 1, false);
        break;
      case '--seed':
        a.faults.seed = num(0, 2 ** 32 - 1, true);
        break;
      case '--deny':
        deny.push(value());
        break;
      case '--verbose':
        a.verbose = true;
        break;
      case '--scheduler':
        a.scheduler = true;
        break;
      default:
        throw new UsageError(`Unknown option "${flag}".`);
    }
  }
  if (deny.length) a.faults.accessDenied = deny;
  return a;
}

async function main(): Promise<number> {
  let args: Args | 'help';
  try {
    args = parse(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`ecs simulator: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let sim: Simulator;
  try {
    sim = await startSimulator({ port: args.port, scenario: args.scenario, latencyMs: args.latencyMs, throttle: args.throttle, faults: args.faults, scheduler: args.scheduler });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const msg = err.code === 'EADDRINUSE' ? `port ${args.port} is already in use; pick another or use --port 0.` : err.message;
    process.stderr.write(`ecs simulator: ${msg}\n`);
    return 2;
  }
  if (args.verbose) {
    // Print each call once it has finished (the log entry is filled in when the response ends).
    let printed = 0;
    const timer = setInterval(() => {
      for (let c = sim.calls[printed]; c && (c.durationMs !== undefined || c.fault); c = sim.calls[++printed]) {
        process.stderr.write(`${new Date(c.time).toISOString()} ${c.service}:${c.operation} ${c.status}${c.errorType ? ` ${c.errorType}` : ''}${c.fault ? ` [${c.fault}]` : ''} ${c.durationMs ?? '-'} ms\n`);
      }
    }, 200);
    timer.unref();
  }
  // Handlers first: a harness may signal the moment it reads the line.
  const done = new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`ecs simulator: ${signal}, stopping\n`);
      sim.stop().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
  process.stdout.write(`ecs simulator listening on ${sim.url}\n`);
  return await done;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`ecs simulator: ${(e as Error)?.message ?? e}\n`);
    process.exit(1);
  },
);
