// Shared by the reliability suite (test/reliability, `npm run test:reliability`): a DNS guard so
// no test can reach a real AWS endpoint, a captured CLI, a collecting logger and an
// unhandled-rejection recorder.
import dns from 'node:dns';
import { main } from '../../src/cli';
import type { CliIO } from '../../src/cli/io';
import type { Logger } from '../../src/core/logger';

/** Host names the process tried to resolve (the guard answers ENOTFOUND for every non-local one). */
export const lookups: string[] = [];

/**
 * Every host name but localhost fails to resolve, before any packet leaves: a Region that does not
 * exist then behaves as it does for real (its endpoint's name does not resolve), and nothing in
 * this suite can reach AWS even by mistake.
 */
export function guardDns(): void {
  const d = dns as unknown as { lookup: (...a: unknown[]) => unknown; __ecsDoctorGuard?: boolean };
  if (d.__ecsDoctorGuard) return;
  const original = d.lookup;
  d.lookup = (host: unknown, ...rest: unknown[]) => {
    const cb = rest[rest.length - 1] as (err: NodeJS.ErrnoException | null, ...r: unknown[]) => void;
    const name = String(host);
    if (name === 'localhost' || name === '127.0.0.1' || name === '::1') return original.call(dns, host, ...rest);
    lookups.push(name);
    const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname: name });
    process.nextTick(() => cb(err));
    return undefined;
  };
  d.__ecsDoctorGuard = true;
}

export { sandboxEnv } from '../awsSandbox';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `ecs-doctor <args>` in this process with captured output. */
export async function cli(args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => opts.stdin ?? '',
    env: opts.env ?? process.env,
    cwd: opts.cwd ?? process.cwd(),
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** A logger that keeps every line, at every level (trace included). */
export function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (level: string) => (m: string | Error) => void lines.push(`${level} ${typeof m === 'string' ? m : `${m.name}: ${m.message}\n${m.stack ?? ''}`}`);
  return { lines, trace: add('trace'), debug: add('debug'), info: add('info'), warn: add('warn'), error: add('error') };
}

/** Records unhandled rejections for the whole file; `take()` returns and clears them. */
export function trackUnhandled(): { take(): unknown[] } {
  const seen: unknown[] = [];
  process.on('unhandledRejection', (reason) => void seen.push(reason));
  return {
    take: () => seen.splice(0, seen.length),
  };
}

/** A stack trace printed to a user. */
export const STACK = /\n\s+at .+\(.*:\d+:\d+\)|\n\s+at [\w.<>]+ \(|node:internal/;
