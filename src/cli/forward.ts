/**
 * `ecs-doctor forward --cluster C --task T [--container N] --port P [--local-port L] [--host H]`:
 * the ECS Exec preflight (the caller checked for ssm:StartSession), then SSM StartSession with a
 * port-forwarding document and session-manager-plugin with the six arguments `aws ssm
 * start-session` passes, in the foreground until Ctrl-C (or the plugin ends). The session token
 * is never printed.
 */
import { lastSegment } from '../core/arn';
import {
  blockingChecks,
  chooseLocalPort,
  checkRemoteHost,
  describePluginArgs,
  formatChecksText,
  forwardDocument,
  localUrl,
  parsePort,
  PLUGIN_INSTALL_URL,
  runExecChecks,
  summarizeChecks,
  webScheme,
} from '../core/exec';
import { describeError } from '../core/redact';
import { startForwardPlugin } from '../forwardPlugin';
import { anyFreeLocalPort, isLocalPortFree } from '../localPorts';
import { locatePluginWithVersion } from '../pluginFs';
import { UsageError, type CliCommand, type CliIO } from './io';
import { openSession } from './session';
import { parseAwsFlags, resolveTarget, taskFlags, taskTarget } from './target';

const usage = `Usage: ecs-doctor forward --cluster <name|arn> --task <id|arn> [--container <name>] --port <port>
                          [--local-port <port>] [--host <host>] [--plugin-path <path>]
                          [--profile <p>] [--region <r>] [--endpoint-url <url>] [--verbose]

Forwards a local port to a port of a container in a running task, or (with --host) to a host the
task can reach, such as a database endpoint, through Session Manager, exactly as
\`aws ssm start-session --target ecs:<cluster>_<task>_<runtime id> --document-name
AWS-StartPortForwardingSession[ToRemoteHost] --parameters ...\` does. The ECS Exec checks run first:
port forwarding needs the same agent, task role and network path. The local listener is
session-manager-plugin's, on 127.0.0.1 only. Stays in the foreground until Ctrl-C.

Options:
  --cluster <c>        cluster name or ARN (required)
  --task <t>           task id or ARN (required)
  --container <n>      container name; required when the task has more than one
  --port <p>           port in the container, or on --host (required)
  --local-port <l>     port on this machine (default: the same port when free and >= 1024, else a free one)
  --host <h>           a host the task can reach (AWS-StartPortForwardingSessionToRemoteHost)
  --plugin-path <p>    session-manager-plugin to use (default: PATH, then the usual install folders)
  --profile, --region, --endpoint-url   where to talk to AWS (as the AWS CLI)

Exit codes: 0 the forward ran and was stopped (Ctrl-C), 1 a check failed or the session failed,
2 bad usage. When the plugin ends by itself, its exit code is returned.`;

export const command: CliCommand = {
  name: 'forward',
  summary: 'forward a local port to a port of a running container (or a host the task can reach)',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const values = parseAwsFlags(args, {
      ...taskFlags,
      port: { type: 'string' },
      'local-port': { type: 'string' },
      host: { type: 'string' },
      'plugin-path': { type: 'string' },
    });
    const { cluster, task } = taskTarget(values);
    if (values.port === undefined) throw new UsageError('--port is required');
    const port = parsePort(values.port, '--port');
    if ('error' in port) throw new UsageError(port.error);
    let localPort: number | undefined;
    if (values['local-port'] !== undefined) {
      const l = parsePort(values['local-port'], '--local-port');
      if ('error' in l) throw new UsageError(l.error);
      localPort = l.port;
    }
    const host = values.host?.trim() || undefined;
    if (values.host !== undefined) {
      const bad = checkRemoteHost(values.host);
      if (bad) throw new UsageError(`--host: ${bad}`);
    }
    const verbose = values.verbose === true;

    const { aws, session } = await openSession(values, io);
    const { gatherExecFacts, startForwardSession, terminateForwardSession, readForwardPorts } = aws;
    try {
      const plugin = await locatePluginWithVersion(values['plugin-path'], io.env);
      const document = forwardDocument(host);
      const target = await resolveTarget('forward', io, aws, () =>
        gatherExecFacts(session, { cluster, task, container: values.container }, plugin, { documentName: document }),
      );
      if ('exitCode' in target) return target.exitCode;
      const gathered = target.resolved;
      const checks = runExecChecks(gathered.facts);
      const failing = blockingChecks(checks);
      const container = gathered.facts.containerName;
      if (failing.length) {
        io.stdout(`Port forwarding readiness for ${container || '?'} in task ${lastSegment(task)} (cluster ${lastSegment(cluster)})\n\n`);
        io.stdout(formatChecksText(checks) + '\n\n' + summarizeChecks(checks, 'Port forwarding') + '\n');
        io.stderr(`\necs-doctor forward: cannot start port forwarding: ${failing.map((c) => c.title).join('; ')}.\n`);
        if (failing.some((c) => c.id === 'plugin')) io.stderr(`Install the Session Manager plugin: ${PLUGIN_INSTALL_URL}\n`);
        return 1;
      }
      for (const w of checks.filter((c) => c.status === 'warn')) io.stderr(`warning: ${w.title}: ${w.detail}\n`);

      if (localPort === undefined) localPort = await chooseLocalPort(port.port, isLocalPortFree, anyFreeLocalPort);
      else if (!(await isLocalPortFree(localPort))) {
        io.stderr(`ecs-doctor forward: local port ${localPort} is in use on 127.0.0.1; choose another with --local-port.\n`);
        return 1;
      }
      const t = gathered.task;
      const started = await startForwardSession(session, {
        cluster: t?.clusterArn ?? cluster,
        task: t?.taskArn ?? task,
        container,
        runtimeId: t?.containers?.find((c) => c.name === container)?.runtimeId,
        port: port.port,
        localPort,
        host,
        env: io.env,
        pluginVersion: plugin.version,
      });
      if (verbose) {
        io.stderr(`as: ${started.cliCommand}\n`);
        io.stderr(`running ${plugin.path} ${describePluginArgs(started.argv)}\n`);
      }
      io.stderr(`Starting port forwarding session ${started.sessionId}: ${started.description} (task ${lastSegment(started.taskArn)})\n`);

      // started.env: the session JSON, when the plugin reads it from its environment (not from its command line, which `ps` shows).
      const proc = startForwardPlugin(plugin.path!, started.argv, { ...io.env, ...started.env }, (line) => io.stderr(`${line}\n`));
      let interrupted = false;
      const onStop = () => {
        if (interrupted) return;
        interrupted = true;
        io.stderr('\nStopping the port forward...\n');
        proc.stop();
      };
      const unsubscribe = io.onInterrupt ? io.onInterrupt(onStop) : processSignals(onStop);
      try {
        const ready = await proc.ready.then(
          (p) => ({ port: p }),
          (err: unknown) => ({ error: describeError(err) }),
        );
        if ('port' in ready) {
          const ap = host ? undefined : (await readForwardPorts(session, started.clusterArn, started.taskArn, started.containerName)).ports.find((p) => p.port === port.port)?.appProtocol;
          const scheme = webScheme(port.port, ap);
          io.stdout(`Forwarding ${started.description}${scheme ? `: ${localUrl(scheme, ready.port)}` : ''} (listening on 127.0.0.1 only). Press Ctrl-C to stop.\n`);
        } else if (!interrupted) {
          io.stderr(`ecs-doctor forward: ${ready.error}\n`);
        }
        const { code } = await proc.exited;
        await terminateForwardSession(session, started.sessionId).catch((err: unknown) => {
          if (verbose) io.stderr(`TerminateSession: ${describeError(err)}\n`);
        });
        if (interrupted) {
          io.stderr(`Port forward stopped (session ${started.sessionId} terminated).\n`);
          return 0;
        }
        return 'port' in ready ? (code ?? 1) : code || 1;
      } finally {
        unsubscribe();
      }
    } finally {
      session.dispose();
    }
  },
};

/** Ctrl-C and SIGTERM while the forward runs: stop it instead of dying with the plugin left behind. */
function processSignals(handler: () => void): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}
