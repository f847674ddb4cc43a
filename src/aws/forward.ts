/**
 * Port forwarding to a task, the part that crosses the network: SSM StartSession with a
 * port-forwarding document and the target `ecs:<cluster>_<task id>_<runtime id>`, exactly as
 * `aws ssm start-session` sends it, then the plugin's six arguments (src/core/exec/forward.ts).
 * The task is read through the data layer (src/aws/ecs.ts); the preflight is the ECS Exec one
 * (src/aws/exec.ts gatherExecFacts with the document), since a forward needs the same agent,
 * task role and network path.
 *
 * The StartSession answer holds the session token. It is returned inside the plugin's launch only
 * (its environment when the plugin is new enough, else its first argument, as `aws ssm
 * start-session` decides: src/core/exec/plugin.ts pluginLaunch); nothing here logs it, and
 * errors pass through the callers' userMessage().
 */
import {
  describeForward,
  forwardCliCommand,
  forwardPluginArgs,
  forwardRequest,
  pluginLaunch,
  suggestPorts,
  type ForwardRequest,
  type PortSuggestion,
  type ForwardSpec,
} from '../core/exec';
import { lastSegment } from '../core/arn';
import { ecsDataOf } from './ecs';
import { describeExecTask, terminateExecSession, type StartedPluginSession } from './exec';
import type { AwsSession } from './session';

export interface StartForwardInput extends ForwardSpec {
  cluster: string;
  task: string;
  container: string;
  /** The container's runtimeId, when the preflight already read it. */
  runtimeId?: string | undefined;
  /** Environment to read AWS_PROFILE and endpoint overrides from; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** What `session-manager-plugin --version` printed (PluginLookup.version); see pluginLaunch. */
  pluginVersion?: string | undefined;
}

export interface StartedForward extends StartedPluginSession {
  request: ForwardRequest;
  /** The equivalent AWS CLI command, with real values (no token): safe to log. */
  cliCommand: string;
  /** "localhost:L → container:P". */
  description: string;
}

interface EndpointConfig {
  endpointProvider: (params: Record<string, unknown>, ctx?: Record<string, unknown>) => { url: URL };
  useFipsEndpoint?: boolean | (() => Promise<boolean>);
  useDualstackEndpoint?: boolean | (() => Promise<boolean>);
}

/** The SSM endpoint URL the client sends to: the configured endpoint, else the Region's (the AWS CLI passes client.meta.endpoint_url). */
export async function ssmEndpointUrl(session: AwsSession, env: Record<string, string | undefined> = process.env): Promise<string> {
  if (session.endpoint) return session.endpoint;
  const override = env.AWS_ENDPOINT_URL_SSM?.trim() || env.AWS_ENDPOINT_URL?.trim();
  if (override && !/^true$/i.test(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '')) return override;
  const { SSMClient } = await import('@aws-sdk/client-ssm');
  const region = await session.region();
  const cfg = session.client(SSMClient).config as unknown as EndpointConfig;
  const flag = async (v: boolean | (() => Promise<boolean>) | undefined) => (typeof v === 'function' ? await v() : !!v);
  const url = cfg.endpointProvider({ Region: region, UseFIPS: await flag(cfg.useFipsEndpoint), UseDualStack: await flag(cfg.useDualstackEndpoint) }).url;
  return url.pathname === '/' && !url.search ? url.href.replace(/\/$/, '') : url.href;
}

/**
 * SSM StartSession for a port-forwarding document, then the plugin's launch exactly as `aws ssm
 * start-session` builds it (the session in its environment for a plugin newer than 1.2.497.0).
 */
export async function startForwardSession(session: AwsSession, input: StartForwardInput): Promise<StartedForward> {
  const env = input.env ?? process.env;
  const region = await session.region();
  let runtimeId = input.runtimeId;
  let clusterArn = input.cluster;
  let taskArn = input.task;
  if (!runtimeId) {
    const t = await describeExecTask(session, input.cluster, input.task);
    runtimeId = t?.containers?.find((c) => c.name === input.container)?.runtimeId;
    clusterArn = t?.clusterArn ?? clusterArn;
    taskArn = t?.taskArn ?? taskArn;
  }
  if (!runtimeId) throw new Error(`Container ${input.container} of task ${lastSegment(input.task)} has no runtime id yet; it may not have started.`);
  const request = forwardRequest(clusterArn, taskArn, runtimeId, input);
  const endpointUrl = await ssmEndpointUrl(session, env);
  const { SSMClient, StartSessionCommand } = await import('@aws-sdk/client-ssm');
  const out = await session.client(SSMClient).send(new StartSessionCommand({ Target: request.Target, DocumentName: request.DocumentName, Parameters: request.Parameters }));
  if (!out.SessionId || !out.StreamUrl || !out.TokenValue) {
    if (out.SessionId) await terminateExecSession(session, out.SessionId).catch(() => undefined);
    throw new Error('SSM StartSession returned no session.');
  }
  const profile = session.profile ?? (env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || '');
  const launch = pluginLaunch(forwardPluginArgs({ session: out, region, profile, request, endpointUrl }), input.pluginVersion);
  return {
    sessionId: out.SessionId,
    clusterArn,
    taskArn,
    containerName: input.container,
    region,
    endpointUrl,
    request,
    cliCommand: forwardCliCommand(request, region),
    description: describeForward({ taskArn, containerName: input.container, port: input.port, localPort: input.localPort, host: input.host }),
    ...launch,
  };
}

/** Ends a forward's session (SSM TerminateSession); a session that already ended is fine. */
export async function terminateForwardSession(session: AwsSession, sessionId: string): Promise<void> {
  await terminateExecSession(session, sessionId);
}

/**
 * The container's TCP ports from its task definition's portMappings (to suggest), and its
 * runtime id; an empty list when the task or its definition cannot be read (the user types a port).
 */
export async function readForwardPorts(session: AwsSession, cluster: string, task: string, container: string): Promise<{ ports: PortSuggestion[]; runtimeId?: string | undefined }> {
  try {
    const t = await describeExecTask(session, cluster, task);
    const runtimeId = t?.containers?.find((c) => c.name === container)?.runtimeId;
    if (!t?.taskDefinitionArn) return { ports: [], runtimeId };
    const td = await (await ecsDataOf(session)).describeTaskDefinition(t.taskDefinitionArn);
    return { ports: suggestPorts(td?.containerDefinitions, container), runtimeId };
  } catch {
    return { ports: [] };
  }
}
