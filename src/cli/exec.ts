/**
 * `ecs-doctor exec --cluster C --task T [--container N] [--command CMD] [--check-only] ...`:
 * the ECS Exec preflight (the same checks as the editor, from src/core/exec/), then the session
 * in this terminal: ExecuteCommand and session-manager-plugin with the six arguments the AWS CLI
 * passes, with stdio inherited. The session token is never printed.
 */
import { spawn } from 'node:child_process';
import { lastSegment } from '../core/arn';
import { blockingChecks, describePluginArgs, formatChecksText, PLUGIN_INSTALL_URL, runExecChecks, summarizeChecks } from '../core/exec';
import { describeError } from '../core/redact';
import { locatePluginWithVersion } from '../pluginFs';
import { formatFlag, UsageError, type CliCommand, type CliIO } from './io';
import { openSession } from './session';
import { parseAwsFlags, resolveTarget, taskFlags, taskTarget } from './target';

const FORMATS = ['text', 'json'] as const;

const usage = `Usage: ecs-doctor exec --cluster <name|arn> --task <id|arn> [--container <name>] [--command <cmd>]
                       [--check-only] [--format text|json] [--plugin-path <path>]
                       [--profile <p>] [--region <r>] [--endpoint-url <url>] [--verbose]

Checks that ECS Exec can work for a task (plugin, your permissions, task state, platform or agent
version, enableExecuteCommand, the ExecuteCommandAgent, initProcessEnabled, readonlyRootFilesystem,
the cluster's exec configuration, the task role, VPC endpoints), then opens an interactive session
in the container through session-manager-plugin, exactly as \`aws ecs execute-command\` does.

Options:
  --cluster <c>        cluster name or ARN (required)
  --task <t>           task id or ARN (required)
  --container <n>      container name; required when the task has more than one
  --command <cmd>      command to run (default /bin/sh)
  --check-only         run the checks and print them; do not start a session
  --format <f>         text (default) or json (the checks as JSON; implies --check-only)
  --plugin-path <p>    session-manager-plugin to use (default: PATH, then the usual install folders)
  --profile, --region, --endpoint-url   where to talk to AWS (as the AWS CLI)

Exit codes: 0 ready (or the session ended normally), 1 a check failed or the session failed,
2 bad usage. With a session, the plugin's own exit code is returned.`;

export const command: CliCommand = {
  name: 'exec',
  summary: 'check ECS Exec readiness for a task and open a shell in a container',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const values = parseAwsFlags(args, {
      ...taskFlags,
      command: { type: 'string' },
      'check-only': { type: 'boolean' },
      format: { type: 'string' },
      'plugin-path': { type: 'string' },
    });
    const { cluster, task, container } = taskTarget(values);
    const format = formatFlag(values.format, FORMATS);
    const checkOnly = values['check-only'] === true || format === 'json';
    const commandLine = values.command ?? '/bin/sh';
    if (!commandLine.trim()) throw new UsageError('--command must not be empty');
    const verbose = values.verbose === true;

    const { aws, session } = await openSession(values, io);
    const { gatherExecFacts, startExecSession, terminateExecSession } = aws;
    try {
      const plugin = await locatePluginWithVersion(values['plugin-path'], io.env);
      const target = await resolveTarget('exec', io, aws, () => gatherExecFacts(session, { cluster, task, container }, plugin));
      if ('exitCode' in target) return target.exitCode;
      const gathered = target.resolved;
      const checks = runExecChecks(gathered.facts);
      const failing = blockingChecks(checks);

      if (format === 'json') {
        io.stdout(JSON.stringify({ cluster, task, container: gathered.facts.containerName, ready: failing.length === 0, checks }, null, 2) + '\n');
        return failing.length ? 1 : 0;
      }
      if (checkOnly || failing.length) {
        io.stdout(`ECS Exec readiness for ${gathered.facts.containerName || '?'} in task ${lastSegment(task)} (cluster ${lastSegment(cluster)})\n\n`);
        io.stdout(formatChecksText(checks) + '\n\n' + summarizeChecks(checks) + '\n');
      }
      if (failing.length) {
        io.stderr(`\necs-doctor exec: cannot start a session: ${failing.map((c) => c.title).join('; ')}.\n`);
        if (failing.some((c) => c.id === 'plugin')) io.stderr(`Install the Session Manager plugin: ${PLUGIN_INSTALL_URL}\n`);
        return 1;
      }
      if (checkOnly) return 0;

      for (const w of checks.filter((c) => c.status === 'warn')) io.stderr(`warning: ${w.title}: ${w.detail}\n`);
      const started = await startExecSession(session, {
        cluster: gathered.task?.clusterArn ?? cluster,
        task: gathered.task?.taskArn ?? task,
        container: gathered.facts.containerName,
        command: commandLine,
        runtimeId: gathered.task?.containers?.find((c) => c.name === gathered.facts.containerName)?.runtimeId,
        env: io.env,
        pluginVersion: plugin.version,
      });
      if (verbose) io.stderr(`running ${plugin.path} ${describePluginArgs(started.argv)}\n`);
      io.stderr(`Starting ECS Exec session ${started.sessionId} in ${started.containerName} (task ${lastSegment(started.taskArn)}): ${commandLine}\n`);
      // started.env: the session JSON, when the plugin reads it from its environment (not from its command line, which `ps` shows).
      const code = await runPlugin(plugin.path!, started.argv, { ...io.env, ...started.env });
      await terminateExecSession(session, started.sessionId).catch((err: unknown) => {
        if (verbose) io.stderr(`TerminateSession: ${describeError(err)}\n`);
      });
      return code;
    } finally {
      session.dispose();
    }
  },
};

/**
 * Runs the plugin with the terminal attached. Like the AWS CLI, this process ignores Ctrl-C, Ctrl-\
 * and Ctrl-Z while the plugin runs, so they reach the remote shell instead of ending the session.
 */
export function runPlugin(pluginPath: string, argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const ignore = () => undefined;
  const signals: NodeJS.Signals[] = process.platform === 'win32' ? ['SIGINT'] : ['SIGINT', 'SIGQUIT', 'SIGTSTP'];
  for (const s of signals) process.on(s, ignore);
  return new Promise<number>((resolve) => {
    const child = spawn(pluginPath, argv, { stdio: 'inherit', env, shell: false, windowsHide: false });
    child.on('error', (err) => {
      process.stderr.write(`ecs-doctor exec: could not run ${pluginPath}: ${describeError(err)}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  }).finally(() => {
    for (const s of signals) process.off(s, ignore);
  });
}

