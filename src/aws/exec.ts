/**
 * ECS Exec, the part that crosses the network: fetch the facts the preflight judges
 * (src/core/exec/), start a session the way the AWS CLI does (ExecuteCommand, then the plugin's
 * six arguments), end it (SSM TerminateSession), and turn exec on for a service. Every ECS call
 * goes through the session's data layer (src/aws/ecs.ts), paced with the explorer's.
 *
 * The ExecuteCommand answer holds the session token. It is returned to the caller inside the
 * plugin's launch only (its environment when the plugin is new enough, else its first argument:
 * src/core/exec/plugin.ts pluginLaunch); nothing here logs it, and errors pass through userMessage().
 */
import type { Task } from '@aws-sdk/client-ecs';
import {
  callerNeeds,
  chooseContainer,
  forwardCallerNeeds,
  pluginArgs,
  pluginLaunch,
  policySourceFor,
  taskRoleNeeds,
  type ExecConfigurationFacts,
  type ExecFacts,
  type NetworkFacts,
  type PermissionNeed,
  type PluginLookup,
  type SimulationOutcome,
} from '../core/exec';
import { lastSegment } from '../core/arn';
import { errorName, httpStatusOf, isAccessDenied, isNonAwsAnswer, NotAwsAnswer, userMessage } from '../core/awsErrors';
import { redact } from '../core/redact';
import { ecsDataOf } from './ecs';
import type { AwsSession } from './session';

export interface ExecTargetInput {
  /** Cluster name or ARN. */
  cluster: string;
  /** Task id or ARN. */
  task: string;
  /** Container name; may be omitted when the task has one container. */
  container?: string | undefined;
}

/** Thrown when the request itself cannot be answered (no such cluster, ambiguous container). */
export class ExecInputError extends Error {
  override name = 'ExecInputError';
  constructor(
    message: string,
    readonly choices: string[] = [],
  ) {
    super(message);
  }
}

export interface GatheredExec {
  facts: ExecFacts;
  /** The task as DescribeTasks returned it (undefined when not found). */
  task?: Task | undefined;
}

/** An AWS error in words for a check's detail (redacted, no SDK class names). */
function errorText(err: unknown, operation?: string): string {
  return userMessage(err, operation ? { operation } : {});
}

/** DescribeTasks for one task; undefined when ECS reports it MISSING. */
export async function describeExecTask(session: AwsSession, cluster: string, task: string): Promise<Task | undefined> {
  try {
    return (await (await ecsDataOf(session)).describeTask(cluster, task)).task;
  } catch (err) {
    if (errorName(err) === 'ClusterNotFoundException') throw new ExecInputError(`Cluster "${cluster}" was not found in this account and Region.`);
    if (errorName(err) === 'InvalidParameterException') {
      const said = redact(String((err as { message?: unknown }).message ?? '').split('\n')[0] ?? '');
      throw new ExecInputError(`ECS rejected the task "${task}"${said ? `: ${said}` : '.'}`);
    }
    throw err;
  }
}

export interface GatherOptions {
  /** Port forwarding: the SSM session document (the caller needs ssm:StartSession, not ecs:ExecuteCommand). */
  documentName?: string | undefined;
}

/** Fetches every fact the preflight needs, in parallel where the calls do not depend on each other. */
export async function gatherExecFacts(session: AwsSession, target: ExecTargetInput, plugin: PluginLookup, options: GatherOptions = {}): Promise<GatheredExec> {
  const region = await session.region();
  const task = await describeExecTask(session, target.cluster, target.task);
  let containerName = target.container?.trim() ?? '';
  if (task) {
    const chosen = chooseContainer(task, target.container);
    if ('error' in chosen) throw new ExecInputError(chosen.error, chosen.choices);
    containerName = chosen.name;
  }
  const clusterRef = task?.clusterArn ?? target.cluster;
  const ecs = await ecsDataOf(session);

  const clusterP = readExecConfig(session, clusterRef);
  const taskDefP = task?.taskDefinitionArn
    ? ecs.describeTaskDefinition(task.taskDefinitionArn).then(
        (taskDefinition) => ({ taskDefinition }),
        (err: unknown) => ({ error: errorText(err) }),
      )
    : Promise.resolve({ error: task ? 'the task names no task definition' : 'the task was not found' });
  const instanceP = task?.containerInstanceArn
    ? ecs.describeContainerInstance(clusterRef, task.containerInstanceArn).then(
        (r) => ({ instance: r.containerInstance, error: r.containerInstance ? undefined : `container instance ${lastSegment(task.containerInstanceArn!)} ${r.failure?.reason ?? 'not found'}` }),
        (err: unknown) => ({ instance: undefined, error: errorText(err) }),
      )
    : Promise.resolve({ instance: undefined, error: undefined });

  const cluster = await clusterP;
  const execConfig = cluster.config;
  const taskArn = task?.taskArn ?? target.task;
  const callerP = simulateCaller(session, options.documentName ? forwardCallerNeeds(taskArn, options.documentName, execConfig, region) : callerNeeds(taskArn, execConfig, region));
  const taskDef = await taskDefP;
  const roleArn = 'taskDefinition' in taskDef ? taskDef.taskDefinition?.taskRoleArn : undefined;
  const roleP: Promise<SimulationOutcome | undefined> = task && roleArn ? simulatePrincipal(session, roleArn, taskRoleNeeds(taskArn, execConfig, region)) : Promise.resolve(undefined);
  const instance = await instanceP;
  const networkP: Promise<NetworkFacts> = task ? readNetwork(session, task, instance.instance?.attributes) : Promise.resolve({});

  const [caller, taskRole, network] = await Promise.all([callerP, roleP, networkP]);
  const facts: ExecFacts = {
    region,
    plugin,
    cluster: target.cluster,
    task,
    containerName,
    execConfig,
    clusterError: cluster.error,
    taskDefinition: 'taskDefinition' in taskDef ? taskDef.taskDefinition : undefined,
    taskDefinitionError: 'error' in taskDef ? taskDef.error : undefined,
    agentVersion: instance.instance?.versionInfo?.agentVersion,
    agentError: instance.error,
    caller,
    taskRole,
    network,
    ...(options.documentName ? { documentName: options.documentName } : {}),
  };
  return { facts, task };
}

async function readExecConfig(session: AwsSession, cluster: string): Promise<{ config?: ExecConfigurationFacts | undefined; error?: string | undefined }> {
  try {
    const r = await (await ecsDataOf(session)).describeClusterConfiguration(cluster);
    const c = r.cluster;
    if (!c) return { error: `cluster ${lastSegment(cluster)} ${r.failure?.reason ?? 'not found'}` };
    return { config: c.configuration?.executeCommandConfiguration };
  } catch (err) {
    return { error: errorText(err) };
  }
}

// ---------------------------------------------------------------------------------------------
// IAM policy simulation

/** Simulates `needs` for the identity the session runs as (STS GetCallerIdentity, assumed roles resolved with GetRole). */
export async function simulateCaller(session: AwsSession, needs: PermissionNeed[]): Promise<SimulationOutcome> {
  const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  let callerArn: string;
  try {
    const id = await session.client(STSClient).send(new GetCallerIdentityCommand({}));
    callerArn = id.Arn ?? '';
  } catch (err) {
    return { kind: 'unavailable', reason: `STS GetCallerIdentity failed: ${errorText(err, 'sts:GetCallerIdentity')}`, cause: 'no-identity' };
  }
  const source = policySourceFor(callerArn);
  if (source.kind === 'unsupported') return { kind: 'unavailable', principalArn: callerArn, reason: source.reason, cause: 'unsupported' };
  if (source.kind === 'root') return { kind: 'root', principalArn: source.arn };
  let principal = source.kind === 'arn' ? source.arn : source.guess;
  let guessed = false;
  if (source.kind === 'role') {
    const { GetRoleCommand } = await import('@aws-sdk/client-iam');
    try {
      const r = await (await session.iam()).send(new GetRoleCommand({ RoleName: source.roleName }));
      if (r.Role?.Arn) principal = r.Role.Arn;
      else guessed = true;
    } catch {
      // Without iam:GetRole the role's path is unknown; most roles live at "/", so simulate the guess.
      guessed = true;
    }
  }
  const outcome = await simulatePrincipal(session, principal, needs);
  return outcome.kind === 'missing' && guessed ? { ...outcome, guessed } : outcome;
}

/** IAM SimulatePrincipalPolicy for each resource the needs name; "unavailable" when the caller may not simulate. */
export async function simulatePrincipal(session: AwsSession, principalArn: string, needs: PermissionNeed[]): Promise<SimulationOutcome> {
  const { SimulatePrincipalPolicyCommand } = await import('@aws-sdk/client-iam');
  const iam = await session.iam();
  const byResource = new Map<string, PermissionNeed[]>();
  for (const n of needs) byResource.set(n.resource, [...(byResource.get(n.resource) ?? []), n]);
  const results: Array<PermissionNeed & { decision: string }> = [];
  try {
    for (const [resource, group] of byResource) {
      const decisions = new Map<string, string>();
      let marker: string | undefined;
      do {
        const out = await iam.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: principalArn,
            ActionNames: group.map((g) => g.action),
            ...(resource === '*' ? {} : { ResourceArns: [resource] }),
            ...(marker ? { Marker: marker } : {}),
          }),
        );
        for (const r of out.EvaluationResults ?? []) if (r.EvalActionName) decisions.set(r.EvalActionName.toLowerCase(), r.EvalDecision ?? 'implicitDeny');
        marker = out.IsTruncated ? out.Marker : undefined;
      } while (marker);
      for (const n of group) results.push({ ...n, decision: decisions.get(n.action.toLowerCase()) ?? 'implicitDeny' });
    }
  } catch (err) {
    // A web page instead of an AWS answer: the endpoint (moto, LocalStack, a proxy) does not implement it.
    if (isNonAwsAnswer(err)) return { kind: 'unavailable', principalArn, reason: new NotAwsAnswer('iam:SimulatePrincipalPolicy', httpStatusOf(err)).message, cause: 'not-implemented' };
    if (errorName(err) === 'NoSuchEntity' || errorName(err) === 'NoSuchEntityException') return { kind: 'missing', principalArn };
    if (isAccessDenied(err)) return { kind: 'unavailable', principalArn, reason: `not permitted to run iam:SimulatePrincipalPolicy (${errorText(err)})`, cause: 'not-permitted' };
    return { kind: 'unavailable', principalArn, reason: errorText(err), cause: 'error' };
  }
  return { kind: 'simulated', principalArn, results };
}

// ---------------------------------------------------------------------------------------------
// The task's VPC and its endpoints

async function readNetwork(session: AwsSession, task: Task, instanceAttributes: Array<{ name?: string | undefined; value?: string | undefined }> | undefined): Promise<NetworkFacts> {
  const { EC2Client, DescribeSubnetsCommand, DescribeVpcEndpointsCommand } = await import('@aws-sdk/client-ec2');
  const ec2 = session.client(EC2Client);
  try {
    const eni = task.attachments?.find((a) => a.type === 'ElasticNetworkInterface' || a.type === 'eni');
    const subnetId = eni?.details?.find((d) => d.name === 'subnetId')?.value;
    let vpcId: string | undefined;
    if (subnetId) {
      const s = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }));
      vpcId = s.Subnets?.[0]?.VpcId;
      if (!vpcId) return { error: `subnet ${subnetId} was not found` };
    } else {
      // bridge/host networking: the container instance records its VPC
      vpcId = instanceAttributes?.find((a) => a.name === 'ecs.vpc-id')?.value;
    }
    if (!vpcId) return {};
    const endpoints: NonNullable<NetworkFacts['endpoints']> = [];
    let token: string | undefined;
    do {
      const r = await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }], MaxResults: 1000, ...(token ? { NextToken: token } : {}) }));
      for (const e of r.VpcEndpoints ?? []) endpoints.push({ serviceName: e.ServiceName, type: e.VpcEndpointType, state: e.State });
      token = r.NextToken;
    } while (token);
    return { vpcId, endpoints };
  } catch (err) {
    return { error: errorText(err) };
  }
}

// ---------------------------------------------------------------------------------------------
// Starting and ending a session

export interface StartExecInput {
  cluster: string;
  task: string;
  container: string;
  command: string;
  /** The container's runtimeId, when the preflight already read it. */
  runtimeId?: string | undefined;
  /** Environment to read AWS_PROFILE from, like the AWS CLI; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /**
   * What `session-manager-plugin --version` printed (PluginLookup.version): a plugin newer than
   * 1.2.497.0 gets the session in its environment; undefined or older, in its first argument.
   */
  pluginVersion?: string | undefined;
}

/** A session started for session-manager-plugin (ECS Exec or port forwarding): what the plugin is launched with. */
export interface StartedPluginSession {
  sessionId: string;
  clusterArn: string;
  taskArn: string;
  containerName: string;
  region: string;
  endpointUrl: string;
  /**
   * The plugin's six arguments. The first is the session JSON (with the token: never log it) or,
   * for a plugin that reads it from its environment, the name AWS_SSM_START_SESSION_RESPONSE.
   */
  argv: string[];
  /** Add to the plugin's environment (the session JSON, when not in argv): never log it. */
  env: Record<string, string>;
  /** True when the token is in `env`, not in `argv`. */
  responseInEnv: boolean;
}

export type StartedExec = StartedPluginSession;

/** The ECS endpoint URL the client sends to: the configured endpoint, else the Region's (as the AWS CLI passes it). */
export async function ecsEndpointUrl(session: AwsSession, env: Record<string, string | undefined> = process.env): Promise<string> {
  if (session.endpoint) return session.endpoint;
  // The SDK (and the AWS CLI) send to a service-specific or global endpoint override when set.
  const override = env.AWS_ENDPOINT_URL_ECS?.trim() || env.AWS_ENDPOINT_URL?.trim();
  if (override && !/^true$/i.test(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '')) return override;
  const region = await session.region();
  const cfg = session.ecs.config as unknown as {
    endpointProvider: (params: Record<string, unknown>, ctx?: Record<string, unknown>) => { url: URL };
    useFipsEndpoint?: boolean | (() => Promise<boolean>);
    useDualstackEndpoint?: boolean | (() => Promise<boolean>);
  };
  const flag = async (v: boolean | (() => Promise<boolean>) | undefined) => (typeof v === 'function' ? await v() : !!v);
  const url = cfg.endpointProvider({ Region: region, UseFIPS: await flag(cfg.useFipsEndpoint), UseDualStack: await flag(cfg.useDualstackEndpoint) }).url;
  const href = url.href;
  return url.pathname === '/' && !url.search ? href.replace(/\/$/, '') : href;
}

/**
 * ExecuteCommand (interactive), then the plugin arguments exactly as the AWS CLI builds them, with
 * the session in the plugin's environment when the plugin is new enough (as `aws ssm
 * start-session` does; see pluginLaunch).
 */
export async function startExecSession(session: AwsSession, input: StartExecInput): Promise<StartedExec> {
  const region = await session.region();
  const endpointUrl = await ecsEndpointUrl(session, input.env ?? process.env);
  const out = await (await ecsDataOf(session)).executeCommand({ cluster: input.cluster, task: input.task, container: input.container, command: input.command, interactive: true });
  const sessionId = out.session?.sessionId;
  if (!sessionId || !out.session?.streamUrl || !out.session.tokenValue) throw new Error('ExecuteCommand returned no session.');
  const clusterArn = out.clusterArn ?? input.cluster;
  const taskArn = out.taskArn ?? input.task;
  const containerName = out.containerName ?? input.container;
  let runtimeId = input.runtimeId;
  if (!runtimeId) {
    // The AWS CLI reads the runtime id with DescribeTasks after ExecuteCommand; so do we when the preflight did not.
    const t = await describeExecTask(session, lastSegment(clusterArn), lastSegment(taskArn));
    runtimeId = t?.containers?.find((c) => c.name === containerName)?.runtimeId;
  }
  if (!runtimeId) {
    await terminateExecSession(session, sessionId).catch(() => undefined);
    throw new Error(`Container ${containerName} has no runtime id yet; it may not have started.`);
  }
  const env = input.env ?? process.env;
  const profile = session.profile ?? (env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || '');
  const launch = pluginLaunch(pluginArgs({ session: out.session, region, profile, cluster: clusterArn, task: taskArn, runtimeId, endpointUrl }), input.pluginVersion);
  return { sessionId, clusterArn, taskArn, containerName, region, endpointUrl, ...launch };
}

/** Ends a session (SSM TerminateSession); a session that already ended is fine. */
export async function terminateExecSession(session: AwsSession, sessionId: string): Promise<void> {
  const { SSMClient, TerminateSessionCommand } = await import('@aws-sdk/client-ssm');
  await session.client(SSMClient).send(new TerminateSessionCommand({ SessionId: sessionId }));
}

/** The fix for "exec not enabled": turn it on for the service and force a new deployment (only new tasks get it). */
export async function enableExecForService(session: AwsSession, clusterArn: string, serviceName: string): Promise<{ deploymentId?: string | undefined }> {
  const service = await (await ecsDataOf(session)).updateService({ cluster: clusterArn, service: serviceName, enableExecuteCommand: true, forceNewDeployment: true });
  const primary = service?.deployments?.find((d) => d.status === 'PRIMARY');
  return { deploymentId: primary?.id };
}

/** The counts a confirmation names before "Enable and Redeploy" replaces a service's tasks (DescribeServices). */
export async function describeExecService(session: AwsSession, clusterArn: string, serviceName: string): Promise<{ desiredCount?: number | undefined; runningCount?: number | undefined } | undefined> {
  const s = await (await ecsDataOf(session)).describeService(clusterArn, serviceName);
  return s ? { desiredCount: s.desiredCount, runningCount: s.runningCount } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Pickers (the palette flow)

export async function listClusterArns(session: AwsSession): Promise<string[]> {
  return (await ecsDataOf(session)).listClusterArns();
}

/** Running tasks of a cluster, described (up to 100 per DescribeTasks). */
export async function listRunningTasks(session: AwsSession, cluster: string): Promise<Task[]> {
  const ecs = await ecsDataOf(session);
  return ecs.describeTaskList(cluster, await ecs.listTaskArns(cluster, { desiredStatus: 'RUNNING' }));
}
