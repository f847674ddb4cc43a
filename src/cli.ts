import { userMessage } from './core/awsErrors';
import { describeError } from './core/redact';
import { UsageError, type CliCommand, type CliIO } from './cli/io';

/**
 * The `ecs-doctor` command: the same knowledge as the extension, in a terminal and in CI.
 * Each subcommand lives in src/cli/<name>.ts and is loaded only when it runs.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  lint: { summary: 'check ECS task-definition files (health checks, Fargate sizes, roles, logging, ...)', load: async () => (await import('./cli/lint')).command },
  exec: { summary: 'check ECS Exec readiness for a task and open a shell in a container', load: async () => (await import('./cli/exec')).command },
  forward: { summary: 'forward a local port to a port of a running container (or a host the task can reach)', load: async () => (await import('./cli/forward')).command },
  diagnose: { summary: 'diagnose a stopped ECS task live: the cause, the evidence and the fix', load: async () => (await import('./cli/diagnose')).command },
  explain: { summary: 'explain a stopped task\'s reason offline: category, causes, fix (from flags, text or describe-tasks JSON)', load: async () => (await import('./cli/explain')).command },
  status: { summary: 'print clusters, services, tasks and containers with their health', load: async () => (await import('./cli/status')).command },
};

/** package.json's version, put in by the build (esbuild `define`). */
declare const ECS_DOCTOR_VERSION: string;
const VERSION = ECS_DOCTOR_VERSION;

export function usage(): string {
  const width = Math.max(0, ...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: ecs-doctor <command> [options]',
    '',
    'Troubleshoot Amazon ECS (Fargate and EC2) from a terminal or CI.',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `ecs-doctor <command> --help` for the options of one command.',
    'Exit codes: 0 success, 1 findings or failure, 2 bad usage or unreadable input.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`ecs-doctor ${VERSION}\n`);
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.stderr(`ecs-doctor: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage + '\n');
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`ecs-doctor ${name}: ${err.message}\n\n${command.usage}\n`);
      return 2;
    }
    // An AWS error in words (no SDK class names), for the profile the command ran with.
    io.stderr(`ecs-doctor ${name}: ${userMessage(err, { profile: profileOf(rest, io.env) })}\n`);
    if (rest.includes('--verbose') || rest.includes('-v')) io.stderr(`${(err as Error)?.stack ?? ''}\n`);
    return 1;
  }
}

/** The profile a command runs with, as openSession() picks it: --profile, else AWS_PROFILE. */
function profileOf(args: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--profile') return args[i + 1] || undefined;
    if (a.startsWith('--profile=')) return a.slice('--profile='.length) || undefined;
  }
  return env.AWS_PROFILE || undefined;
}

function processIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * The AWS SDK warns on every run under Node 20 that its releases after January 2027 will need
 * Node 22. That says nothing about the command the user ran, so the CLI drops exactly that
 * warning and passes every other one to Node's own handler.
 */
function dropSdkNodeVersionWarning(): void {
  const handlers = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (String(w.message).startsWith('NodeVersionSupportWarning')) return;
    for (const h of handlers) h(w);
  });
}

if (require.main === module) {
  dropSdkNodeVersionWarning();
  main(process.argv.slice(2), processIO()).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`ecs-doctor: ${describeError(err)}\n`);
      process.exitCode = 1;
    },
  );
}
