/**
 * "Essential container in task exited": the essential container's exit code tells the story.
 * classify() refines the stop with these when no family names it.
 */
import type { DocLink } from '../types';
import { c, CMD, DOCS, f, NET_WHERE, UNREACHABLE, type VariantSpec } from './shared';

export const ESSENTIAL_EXITED = /Essential container in task exited/i;

const APP_WHERE = (extra: string[] = []) => [
  'The last lines of the container\'s log (CloudWatch Logs): the application usually says why it exited.',
  ...extra,
  'Environment variables and secrets the application needs at start-up.',
];

const EXIT_PREVENTION = [
  'Turn on the deployment circuit breaker with rollback, so a version that crashes at start rolls back by itself.',
  'Run the image with the task definition\'s command and environment in CI before deploying.',
];

export const EXIT_CODES: Readonly<Record<number, Omit<VariantSpec, 'match'>>> = {
  0: {
    variant: 'exit-0',
    title: 'The essential container finished (exit code 0)',
    summary: 'The essential container\'s process ended normally with 0, and an essential container ending stops the whole task. For a batch job that is success; for a service it means the main process returned instead of running in the foreground.',
    whereToLook: APP_WHERE(['The command/entryPoint: does it start a server in the foreground, or a script that backgrounds it (nginx without "daemon off", a shell ending with &)?']),
    causes: [
      c('job-done', 'A one-shot job completed (expected for run-task / scheduled tasks).'),
      c('process-backgrounds', 'The command starts the real process in the background (or a daemon that forks) and returns, so the container exits.', ['task-definition']),
      c('sidecar-essential', 'A container that is meant to finish (init, migration) is marked essential.', ['task-definition']),
    ],
    fixes: [f('Run the main process in the foreground (exec it as PID 1), or mark short-lived helper containers essential=false and use dependsOn SUCCESS/COMPLETE.', CMD.taskDef, 'process-backgrounds')],
    checks: ['logs', 'task-definition', 'service-events'],
    prevention: [
      'Keep the main process in the foreground and exec it as PID 1 (nginx -g "daemon off;", exec in an entry-point script), so it runs for as long as the task.',
      'Mark containers that are meant to finish (init, migration) essential: false, and let the others dependsOn them with condition SUCCESS.',
      'Run one-shot work as a standalone task (RunTask or a scheduled task), not as a service.',
    ],
    examples: [],
    confidence: 'medium',
  },
  1: {
    variant: 'exit-1',
    title: 'The application exited with an error (exit code 1)',
    summary: 'The essential container\'s process exited with 1, the generic "something went wrong" code: an uncaught exception, a failed configuration or connection at start-up. Its own log says what.',
    whereToLook: APP_WHERE(),
    causes: [
      c('app-error', 'The application hit an error it did not handle (see the last log lines).', ['logs'], ['error', 'port-in-use', 'permission-denied', 'access-denied']),
      c('missing-config', 'A required environment variable or secret is missing or wrong.', ['secrets', 'logs'], ['missing-config']),
      c('dependency-down', 'A dependency (database, queue, API) was unreachable at start-up.', ['logs'], UNREACHABLE),
    ],
    fixes: [f('Read the container\'s last log lines.', CMD.logs, 'app-error'), f('Check the secrets the task references exist.', CMD.secret, 'missing-config')],
    checks: ['logs', 'secrets', 'task-definition', 'service-events'],
    prevention: [
      ...EXIT_PREVENTION,
      'Check the configuration the application needs at start-up and log, by name, the setting that is missing before exiting.',
    ],
    examples: [],
  },
  2: {
    variant: 'exit-2',
    title: 'The command was misused (exit code 2)',
    summary: 'Exit 2 is conventionally "misuse of a shell built-in / bad arguments": the command or entry point is malformed (wrong flags, a shell syntax error, a missing argument).',
    whereToLook: ['command and entryPoint in the task definition (exec form vs shell form, quoting).', 'The first log lines (usage messages).'],
    causes: [c('bad-arguments', 'The command line is malformed: wrong flags, bad quoting, or a shell script syntax error.', ['task-definition', 'logs'], ['usage'])],
    fixes: [f('Fix command/entryPoint (each argument its own array element), and reproduce with docker run.', CMD.taskDef, 'bad-arguments')],
    checks: ['logs', 'task-definition'],
    examples: [],
  },
  126: {
    variant: 'exit-126',
    title: 'The command could not be executed (exit code 126)',
    summary: 'Exit 126 means the command was found but could not be run: it is not executable (missing chmod +x), is a directory, or was built for another architecture.',
    whereToLook: ['The entry point\'s file mode in the image.', 'The image architecture vs runtimePlatform.'],
    causes: [c('not-executable', 'The entry point lacks the execute permission or is not a program.', ['task-definition']), c('wrong-architecture', 'The binary is for another CPU architecture.', ['task-definition'])],
    fixes: [f('chmod +x the entry point in the Dockerfile, or build for the task\'s architecture.', CMD.taskDef, 'not-executable')],
    checks: ['task-definition', 'logs'],
    prevention: [
      'Build the image for the task\'s CPU architecture (runtimePlatform) and run its exact command in CI before deploying.',
      'Set the execute bit in the Dockerfile (COPY --chmod=755, or RUN chmod +x) rather than relying on the build machine\'s file modes.',
    ],
    examples: [],
  },
  127: {
    variant: 'exit-127',
    title: 'The command was not found (exit code 127)',
    summary: 'Exit 127 means the shell could not find the command: a typo, a binary not installed in the image, or a PATH that does not include it.',
    whereToLook: ['command/entryPoint in the task definition.', 'Whether the program exists in the image (docker run --rm --entrypoint sh <image> -c "command -v <program>").'],
    causes: [c('command-not-found', 'The command is not in the image or not on PATH (or a health/entry script calls a missing tool).', ['task-definition', 'logs'], ['command-not-found'])],
    fixes: [f('Fix the command or install the program in the image.', CMD.taskDef, 'command-not-found')],
    checks: ['task-definition', 'logs'],
    prevention: [
      'Run the task definition\'s exact command (and health-check command) against the image in CI, so a tool missing from the image fails the build.',
      'Pin the base image by digest, so a rebuilt base cannot drop a program the command uses.',
    ],
    examples: [],
  },
  137: {
    variant: 'exit-137-sigkill',
    title: 'The container was killed (exit code 137, SIGKILL)',
    summary: 'Exit 137 is 128 + 9: the process was killed with SIGKILL. No out-of-memory reason was reported, so either the kernel killed it for memory anyway, or it was asked to stop (SIGTERM) and did not exit within stopTimeout, so ECS killed it.',
    confidence: 'medium',
    whereToLook: ['The container\'s memory settings and its memory just before the stop.', 'Whether a stop was requested first (stopCode, the service events: deployment, health check, scale-in) and the container\'s stopTimeout.', 'The last log lines: a SIGTERM handler that never finished, or nothing at all.'],
    causes: [
      c('memory', 'The container ran out of memory (hard limit or task memory).', ['memory']),
      c('stop-timeout', 'A stop was requested and the process ignored SIGTERM (or drained too slowly) for longer than stopTimeout (default 30 s), so it was killed.', ['task-definition', 'service-events']),
      c('health-check-kill', 'A failing health check led ECS to stop the task, and the process did not exit on SIGTERM in time.', ['container-health-check', 'target-group']),
    ],
    fixes: [
      f('Check memory first: the limits and the peak usage.', CMD.metrics, 'memory'),
      f('Handle SIGTERM (exec the process as PID 1, or use initProcessEnabled so signals are forwarded) and raise stopTimeout (max 120 s) if draining takes longer.', CMD.taskDef, 'stop-timeout'),
    ],
    checks: ['memory', 'task-definition', 'service-events', 'logs', 'container-health-check'],
    prevention: [
      'Size memory from the observed peak (Container Insights MemoryUtilized) with headroom, and alarm well before the limit.',
      'Handle SIGTERM so a stop never needs SIGKILL: finish in-flight work and exit within stopTimeout (default 30 s, at most 120 s).',
    ],
    examples: [],
  },
  139: {
    variant: 'exit-139-sigsegv',
    title: 'The application crashed (exit code 139, segmentation fault)',
    summary: 'Exit 139 is 128 + 11: the process crashed with SIGSEGV, a memory-access bug in the program or a native library (often a library built for another C library or architecture).',
    whereToLook: ['The last log lines (a core dump note, a native stack).', 'Native dependencies and the base image (glibc vs musl/Alpine, architecture).'],
    causes: [c('native-crash', 'A bug in native code or an incompatible native library.', ['logs'], ['segfault']), c('stack-or-memory', 'Stack exhaustion or memory corruption under load.', ['logs', 'memory'], ['out-of-memory'])],
    fixes: [f('Reproduce with the same image locally; check native libraries match the base image and architecture.', CMD.logs, 'native-crash')],
    checks: ['logs', 'task-definition', 'memory'],
    prevention: [
      'Pin the base image and native dependencies, and build them for the same C library (glibc or musl) and CPU architecture the task runs on.',
      'Run the image\'s tests under load in CI on the task\'s architecture.',
    ],
    examples: [],
  },
  143: {
    variant: 'exit-143-sigterm',
    title: 'The container stopped on SIGTERM (exit code 143)',
    summary: 'Exit 143 is 128 + 15: the process received SIGTERM and exited (gracefully). Something asked it to stop: ECS stopping the task (deployment, scale-in, a failed health check, a Spot interruption, StopTask), or the application exiting with 143 itself.',
    confidence: 'medium',
    whereToLook: ['Why a stop was requested: the stopCode, the service events at that time, a health check failing.', 'Other containers in the task: another essential container may have exited first.'],
    causes: [
      c('stop-requested', 'ECS or a person stopped the task (deployment, scale-in, health check, StopTask); this container shut down cleanly.', ['service-events']),
      c('health-check', 'A load balancer or container health check failed and the task was replaced.', ['container-health-check', 'target-group']),
    ],
    fixes: [f('Look at the service events around the stop time.', CMD.serviceEvents, 'stop-requested')],
    checks: ['service-events', 'container-health-check', 'target-group', 'logs'],
    prevention: [
      'Handle SIGTERM: stop taking work, finish what is in flight and exit within stopTimeout (default 30 s, at most 120 s).',
      'Find why the stop was asked for (deployment, scale-in, a failed health check) before changing the container: a clean 143 is the answer to a stop, not its cause.',
    ],
    examples: [],
  },
  255: {
    variant: 'exit-255',
    title: 'The application exited with status 255',
    summary: 'Exit 255 is what a program returns for exit(-1) or an out-of-range status, and some runtimes use it for a fatal error before the program runs (e.g. the entry point cannot be executed). Its log usually says which.',
    confidence: 'medium',
    whereToLook: APP_WHERE(['The entry point and image architecture.']),
    causes: [c('app-fatal', 'The application exited with -1 / a fatal error.', ['logs'], ['error', ...UNREACHABLE]), c('entrypoint-fails', 'The entry point could not be executed (architecture, interpreter).', ['task-definition'])],
    fixes: [f('Read the container\'s last log lines.', CMD.logs, 'app-fatal')],
    checks: ['logs', 'task-definition'],
    examples: [],
  },
};

/** Exit codes the table above does not list: 1-125 are the application's own; above 128 a signal. */
export const EXIT_OTHER: Omit<VariantSpec, 'match' | 'variant'> = {
  title: 'The application exited with an error',
  summary: 'The essential container exited with a non-zero code the application chose; its log says why.',
  confidence: 'medium',
  whereToLook: APP_WHERE(),
  causes: [c('app-error', 'The application exited with this code on purpose (see its documentation and log).', ['logs'], ['error', ...UNREACHABLE]), c('missing-config', 'A required environment variable or secret is missing or wrong.', ['secrets', 'logs'], ['missing-config'])],
  fixes: [f('Read the container\'s last log lines.', CMD.logs, 'app-error')],
  checks: ['logs', 'secrets', 'task-definition', 'service-events'],
  examples: [],
};

export const SIGNALS: Readonly<Record<number, string>> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL', 11: 'SIGSEGV', 13: 'SIGPIPE', 14: 'SIGALRM', 15: 'SIGTERM' };

/** The exit-null case: the container never ran its process. */
export const EXIT_NULL: Omit<VariantSpec, 'match'> = {
  variant: 'never-started',
  title: 'The essential container never started',
  summary: 'The essential container has no exit code: its process never ran, so the failure is on the agent side (pull, secrets, logging driver, network, start) before the application. The container\'s own reason, when set, names it.',
  confidence: 'medium',
  whereToLook: ['containers[].reason of each container (the agent-side error).', 'The image URI, the execution role, the secrets and the log configuration.', ...NET_WHERE.slice(0, 1)],
  causes: [
    c('agent-side', 'The agent could not prepare the container: image pull, secrets, log driver or network.', ['vpc-endpoints', 'execution-role', 'secrets', 'ecr-image']),
    c('dependency', 'A container it dependsOn failed first, so it was never started.', ['task-definition']),
  ],
  fixes: [f('Read every container\'s reason.', CMD.describeTask, 'agent-side')],
  checks: ['task-definition', 'ecr-image', 'vpc-endpoints', 'execution-role', 'secrets', 'logs'],
  examples: [],
};

/**
 * "Essential container in task exited" with no container details (a pasted reason, a thin
 * endpoint): the exit code is unknown, so every reading stays open, the commonest first.
 */
export const EXIT_UNKNOWN: Omit<VariantSpec, 'match'> = {
  variant: 'no-container-details',
  title: 'An essential container exited',
  summary: 'An essential container exited, and an essential container ending stops the whole task. Most often the application crashed or quit at start-up (its log says why); the container\'s exit code tells the cases apart (1: an error, 137: killed, often for memory, 0: the process finished, none: it never started). Describe the task to get it.',
  confidence: 'low',
  whereToLook: [
    'containers[].exitCode and containers[].reason of each container (aws ecs describe-tasks).',
    ...APP_WHERE(),
  ],
  causes: [
    c('app-error', 'The application crashed or exited with an error (an unhandled exception, a failed connection or configuration at start-up).', ['logs'], ['error', 'port-in-use', ...UNREACHABLE]),
    c('missing-config', 'A required environment variable or secret is missing or wrong.', ['secrets', 'logs'], ['missing-config']),
    c('memory', 'The container ran out of memory and was killed (exit code 137).', ['memory', 'logs'], ['out-of-memory']),
    c('process-backgrounds', 'The main process returned (exit code 0): a one-shot job finished, or the command starts the real process in the background.', ['task-definition']),
    c('agent-side', 'The container never started (no exit code): image pull, secrets, log driver or network.', ['vpc-endpoints', 'execution-role', 'secrets', 'ecr-image']),
  ],
  fixes: [f('Read every container\'s exit code and reason.', CMD.describeTask, 'app-error'), f('Read the container\'s last log lines.', CMD.logs, 'app-error')],
  checks: ['task-definition', 'logs', 'secrets', 'memory', 'service-events'],
  examples: [],
};

export const ESSENTIAL_DOCS: DocLink[] = [DOCS.viewStopped, DOCS.stoppedErrors, DOCS.circuitBreaker];
export const ESSENTIAL_PREVENTION = EXIT_PREVENTION;
