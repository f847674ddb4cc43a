// A CliIO for driving `main()` from src/cli.ts in tests: captures stdout and stderr.
import type { CliIO } from '../../../src/cli/io';

export type FakeIO = CliIO & { out: string; err: string };

export function fakeIO(opts: { stdin?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): FakeIO {
  const io: FakeIO = {
    out: '',
    err: '',
    stdout(t: string) {
      io.out += t;
    },
    stderr(t: string) {
      io.err += t;
    },
    readStdin: async () => opts.stdin ?? '',
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
  };
  return io;
}
