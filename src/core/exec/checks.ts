/** ECS Exec preflight: the checks, in the order the public ECS Exec checker runs them, over the facts the AWS layer fetched. */
import { lastSegment } from '../arn';
import { forwardCallerNeeds } from './forward';
import { FIRST_PLUGIN_VERSION_WITH_ENV_VAR, LAST_PLUGIN_VERSION_WITHOUT_ENV_VAR, PLUGIN_NAME, pluginReadsResponseFromEnv } from './plugin';
import { callerNeeds, taskRoleNeeds } from './permissions';
import { allowStatement, simulationCheck } from './simulation';
import { compareVersions, isWindowsFamily, launchTypeOf, looksLikeVersion, serviceOfTask } from './task';
import {
  MIN_AGENT_VERSION,
  MIN_FARGATE_PLATFORM,
  MIN_FARGATE_WINDOWS_PLATFORM,
  PLUGIN_INSTALL_URL,
  type ExecCheck,
  type ExecCheckId,
  type ExecContainerDefinitionFacts,
  type ExecContainerFacts,
  type ExecFacts,
  type ExecTaskFacts,
  type PluginLookup,
} from './types';

const SERVICE_ENDPOINT = (region: string, service: string) => `com.amazonaws.${region}.${service}`;

/** Runs every check in the public ECS Exec checker's order. Never throws. */
export function runExecChecks(f: ExecFacts): ExecCheck[] {
  const task = f.task;
  const container = task?.containers?.find((c) => c.name === f.containerName);
  const containerDef = f.taskDefinition?.containerDefinitions?.find((c) => c.name === f.containerName);
  const taskMissing = (id: ExecCheckId, title: string): ExecCheck => ({
    id,
    title,
    status: 'unknown',
    detail: 'Not checked: the task was not found.',
    fix: '',
  });
  const checks: ExecCheck[] = [];
  checks.push(checkPlugin(f.plugin));
  checks.push(checkCaller(f));
  checks.push(task ? checkRunning(task) : { id: 'task-running', title: 'Task is RUNNING', status: 'fail', detail: `Task not found in cluster ${lastSegment(f.cluster)}. Stopped tasks stay visible for about an hour.`, fix: 'Check the cluster and task id, or pick a running task.' });
  checks.push(task ? checkPlatform(task, f) : taskMissing('platform', 'Platform or agent version'));
  checks.push(task ? checkExecEnabled(task) : taskMissing('exec-enabled', 'Exec enabled for the task'));
  checks.push(task ? checkAgent(task, container, f.containerName) : taskMissing('exec-agent', 'ExecuteCommandAgent running'));
  checks.push(task ? checkInitProcess(task, containerDef, f) : taskMissing('init-process', 'initProcessEnabled'));
  checks.push(task ? checkReadonlyRoot(containerDef, f) : taskMissing('readonly-root', 'Root filesystem writable'));
  checks.push(checkClusterConfig(f));
  checks.push(task ? checkTaskRole(task, f) : taskMissing('task-role', 'Task role permissions'));
  checks.push(task ? checkVpcEndpoints(f) : taskMissing('vpc-endpoints', 'ssmmessages VPC endpoint'));
  return checks;
}

/** The checks that stop a session from starting. */
export function blockingChecks(checks: readonly ExecCheck[]): ExecCheck[] {
  return checks.filter((c) => c.status === 'fail');
}

function checkPlugin(p: PluginLookup): ExecCheck {
  const title = 'Session Manager plugin installed';
  if (p.path) {
    // Where the session token goes (pluginLaunch): in the plugin's environment when it is new
    // enough, as the AWS CLI decides; else on its command line, which every local user can read.
    if (p.version === undefined) return { id: 'plugin', title, status: 'pass', detail: `Found at ${p.path}.`, fix: '' };
    if (pluginReadsResponseFromEnv(p.version)) {
      return { id: 'plugin', title, status: 'pass', detail: `Found at ${p.path} (version ${p.version}). The session token goes to it in its environment, not on its command line.`, fix: '' };
    }
    const which = p.version ? ` (version ${p.version}). This version takes` : `, but \`${PLUGIN_NAME} --version\` printed no version it could read, so it is given`;
    return {
      id: 'plugin',
      title,
      status: 'warn',
      detail:
        `Found at ${p.path}${which} the session token on its command line, where other users of this machine can read it ` +
        `(ps) while the session runs; versions after ${LAST_PLUGIN_VERSION_WITHOUT_ENV_VAR} take it in their environment.`,
      fix: `Update the Session Manager plugin to ${FIRST_PLUGIN_VERSION_WITH_ENV_VAR} or later: ${PLUGIN_INSTALL_URL}`,
    };
  }
  if (p.configured) {
    return {
      id: 'plugin',
      title,
      status: 'fail',
      detail: `ecsDoctor.sessionManagerPluginPath is "${p.configured}", which is not an executable session-manager-plugin.`,
      fix: `Correct the setting, or clear it to search PATH and the usual install folders. Install instructions: ${PLUGIN_INSTALL_URL}`,
    };
  }
  return {
    id: 'plugin',
    title,
    status: 'fail',
    detail: `session-manager-plugin was not found on PATH or in the usual install folders (${p.searched.length} places looked at).`,
    fix: `Install the Session Manager plugin (${PLUGIN_INSTALL_URL}), or set ecsDoctor.sessionManagerPluginPath (--plugin-path) to its location.`,
  };
}

function checkCaller(f: ExecFacts): ExecCheck {
  if (f.documentName) {
    const needs = forwardCallerNeeds(f.task?.taskArn ?? 'the task', f.documentName, f.execConfig, f.region);
    return simulationCheck('caller-permissions', 'You may start port forwarding', f.caller, { kind: 'caller', needs });
  }
  const needs = callerNeeds(f.task?.taskArn ?? 'the task', f.execConfig, f.region);
  return simulationCheck('caller-permissions', 'You may run ECS Exec', f.caller, { kind: 'caller', needs });
}

function checkRunning(task: ExecTaskFacts): ExecCheck {
  const title = 'Task is RUNNING';
  const status = task.lastStatus ?? 'UNKNOWN';
  if (status === 'RUNNING') {
    if (task.desiredStatus && task.desiredStatus !== 'RUNNING') {
      return { id: 'task-running', title, status: 'warn', detail: `The task is RUNNING but is being stopped (desired status ${task.desiredStatus}).`, fix: 'Pick a task that is not being replaced.' };
    }
    return { id: 'task-running', title, status: 'pass', detail: 'The task is RUNNING.', fix: '' };
  }
  return {
    id: 'task-running',
    title,
    status: 'fail',
    detail: `The task is ${status}; ECS Exec needs a RUNNING task.`,
    fix: status === 'STOPPED' || status === 'DEPROVISIONING' || status === 'STOPPING' ? 'Pick a running task (use ECS Doctor: Diagnose to see why this one stopped).' : 'Wait until the task is RUNNING, then try again.',
  };
}

function checkPlatform(task: ExecTaskFacts, f: ExecFacts): ExecCheck {
  const title = 'Platform or agent version';
  const lt = launchTypeOf(task);
  if (lt === 'FARGATE') {
    const windows = isWindowsFamily(task.platformFamily);
    const min = windows ? MIN_FARGATE_WINDOWS_PLATFORM : MIN_FARGATE_PLATFORM;
    const pv = task.platformVersion?.trim();
    if (!pv) return { id: 'platform', title, status: 'unknown', detail: 'Fargate task without a platform version in DescribeTasks.', fix: `Run on Fargate platform version ${min} or later (LATEST).` };
    if (pv.toUpperCase() === 'LATEST') return { id: 'platform', title, status: 'pass', detail: 'Fargate platform version LATEST.', fix: '' };
    if (!looksLikeVersion(pv)) return { id: 'platform', title, status: 'unknown', detail: `Fargate platform version "${pv}" is not a version number.`, fix: '' };
    if (compareVersions(pv, min) >= 0) return { id: 'platform', title, status: 'pass', detail: `Fargate platform version ${pv} (>= ${min}).`, fix: '' };
    const svc = serviceOfTask(task);
    return {
      id: 'platform',
      title,
      status: 'fail',
      detail: `Fargate platform version ${pv}; ECS Exec needs ${min} or later.`,
      fix: svc ? `Set the platform version of service ${svc} to LATEST (or ${min}+) and force a new deployment.` : `Run the task with --platform-version LATEST (or ${min}+).`,
    };
  }
  if (lt === 'EC2' || lt === 'EXTERNAL' || lt === 'MANAGED_INSTANCES') {
    const v = f.agentVersion?.trim();
    if (!v) return { id: 'platform', title, status: 'unknown', detail: `Could not read the container instance's ECS agent version${f.agentError ? `: ${f.agentError}` : '.'}`, fix: `ECS Exec needs ECS agent ${MIN_AGENT_VERSION} or later.` };
    if (compareVersions(v, MIN_AGENT_VERSION) >= 0) return { id: 'platform', title, status: 'pass', detail: `${lt} task; ECS agent ${v.replace(/^v/i, '')} (>= ${MIN_AGENT_VERSION}).`, fix: '' };
    return {
      id: 'platform',
      title,
      status: 'fail',
      detail: `${lt} task; the container instance runs ECS agent ${v.replace(/^v/i, '')}; ECS Exec needs ${MIN_AGENT_VERSION} or later.`,
      fix: 'Update the ECS agent on the container instance (UpdateContainerAgent, or a current ECS-optimized AMI), then start new tasks.',
    };
  }
  return { id: 'platform', title, status: 'unknown', detail: 'The launch type is not known (no launchType, capacity provider or container instance).', fix: '' };
}

function checkExecEnabled(task: ExecTaskFacts): ExecCheck {
  const title = 'Exec enabled for the task';
  if (task.enableExecuteCommand) return { id: 'exec-enabled', title, status: 'pass', detail: 'enableExecuteCommand is true.', fix: '' };
  const svc = serviceOfTask(task);
  const clusterArn = task.clusterArn ?? '';
  return {
    id: 'exec-enabled',
    title,
    status: 'fail',
    detail: 'enableExecuteCommand is false for this task. It applies only to tasks started after it is turned on.',
    fix: svc
      ? `Turn on enableExecuteCommand for service ${svc} and force a new deployment (aws ecs update-service --cluster ${lastSegment(clusterArn)} --service ${svc} --enable-execute-command --force-new-deployment); then use one of the new tasks.`
      : 'Run a new task with enableExecuteCommand (aws ecs run-task --enable-execute-command ...).',
    ...(svc && clusterArn ? { action: { kind: 'enable-execute-command' as const, clusterArn, serviceName: svc } } : {}),
  };
}

function checkAgent(task: ExecTaskFacts, container: ExecContainerFacts | undefined, containerName: string): ExecCheck {
  const title = 'ExecuteCommandAgent running';
  if (!container) {
    const names = (task.containers ?? []).map((c) => c.name).filter(Boolean).join(', ');
    return { id: 'exec-agent', title, status: 'fail', detail: `The task has no container "${containerName}"${names ? ` (it has: ${names})` : ''}.`, fix: 'Pick one of the task\'s containers.' };
  }
  if (!task.enableExecuteCommand) return { id: 'exec-agent', title, status: 'unknown', detail: 'Skipped: exec is not enabled for the task, so it has no ExecuteCommandAgent.', fix: '' };
  const agent = container.managedAgents?.find((a) => a.name === 'ExecuteCommandAgent');
  const containerStatus = container.lastStatus ?? task.lastStatus;
  if (!agent && containerStatus && containerStatus !== 'RUNNING' && !/^(STOPPED|DEPROVISIONING|STOPPING)$/.test(task.lastStatus ?? '')) {
    // ECS starts the agent with the container: a container still starting has none yet.
    return { id: 'exec-agent', title, status: 'unknown', detail: `Not yet: container ${containerName} is ${containerStatus}; ECS starts the ExecuteCommandAgent once it runs.`, fix: '' };
  }
  if (!agent && containerStatus === 'RUNNING' && (task.containers ?? []).every((c) => c.managedAgents === undefined)) {
    // ECS reports managedAgents (ExecuteCommandAgent) on every container of a task started with
    // exec on; an endpoint that reports none for any container (moto, LocalStack) does not say.
    return {
      id: 'exec-agent',
      title,
      status: 'unknown',
      detail: `Could not check: the endpoint reports no managedAgents for any container of the task (ECS reports the ExecuteCommandAgent of every task started with exec on), so whether the agent runs in ${containerName} is not known.`,
      fix:
        task.clusterArn && task.taskArn
          ? `Look where ECS runs the task: aws ecs describe-tasks --cluster ${lastSegment(task.clusterArn)} --tasks ${lastSegment(task.taskArn)} --query 'tasks[0].containers[*].managedAgents'`
          : "Look where ECS runs the task: the containers' managedAgents in aws ecs describe-tasks.",
    };
  }
  if (!agent) return { id: 'exec-agent', title, status: 'fail', detail: `Container ${containerName} reports no ExecuteCommandAgent.`, fix: 'Start a new task (the agent is set up when the task starts), and check that the container is running.' };
  const s = agent.lastStatus ?? 'UNKNOWN';
  if (s === 'RUNNING') return { id: 'exec-agent', title, status: 'pass', detail: `ExecuteCommandAgent is RUNNING in ${containerName}.`, fix: '' };
  if (s === 'PENDING') return { id: 'exec-agent', title, status: 'warn', detail: `ExecuteCommandAgent is PENDING in ${containerName}.`, fix: 'Wait a few seconds for the agent to start, then try again.' };
  return {
    id: 'exec-agent',
    title,
    status: 'fail',
    detail: `ExecuteCommandAgent is ${s} in ${containerName}${agent.reason ? ` (reason: ${agent.reason})` : ''}.`,
    fix: 'The agent inside the container could not start or stopped: check the task role permissions and the network path to ssmmessages (below), then start a new task.',
  };
}

function checkInitProcess(task: ExecTaskFacts, def: ExecContainerDefinitionFacts | undefined, f: ExecFacts): ExecCheck {
  const title = 'initProcessEnabled';
  if (isWindowsFamily(task.platformFamily)) return { id: 'init-process', title, status: 'pass', detail: 'Not applicable to Windows containers.', fix: '' };
  if (!def) return { id: 'init-process', title, status: 'unknown', detail: `Could not read the container definition${f.taskDefinitionError ? `: ${f.taskDefinitionError}` : '.'}`, fix: '' };
  if (def.linuxParameters?.initProcessEnabled) return { id: 'init-process', title, status: 'pass', detail: 'linuxParameters.initProcessEnabled is true.', fix: '' };
  return {
    id: 'init-process',
    title,
    status: 'warn',
    detail: 'linuxParameters.initProcessEnabled is not set: processes left by Exec sessions may linger as zombies.',
    fix: `Set "linuxParameters": {"initProcessEnabled": true} in container ${f.containerName} and register a new revision.`,
  };
}

function checkReadonlyRoot(def: ExecContainerDefinitionFacts | undefined, f: ExecFacts): ExecCheck {
  const title = 'Root filesystem writable';
  if (!def) return { id: 'readonly-root', title, status: 'unknown', detail: `Could not read the container definition${f.taskDefinitionError ? `: ${f.taskDefinitionError}` : '.'}`, fix: '' };
  if (!def.readonlyRootFilesystem) return { id: 'readonly-root', title, status: 'pass', detail: 'readonlyRootFilesystem is off.', fix: '' };
  return {
    id: 'readonly-root',
    title,
    status: 'fail',
    detail: `Container ${f.containerName} has readonlyRootFilesystem: true; the SSM agent cannot start there, so ECS Exec does not work.`,
    fix: `Set "readonlyRootFilesystem": false in container ${f.containerName}, register a new revision and deploy it.`,
  };
}

function checkClusterConfig(f: ExecFacts): ExecCheck {
  const title = 'Cluster exec configuration';
  if (f.clusterError) return { id: 'cluster-config', title, status: 'unknown', detail: `Could not read the cluster: ${f.clusterError}`, fix: '' };
  const c = f.execConfig;
  if (!c) return { id: 'cluster-config', title, status: 'pass', detail: 'No exec configuration: no KMS key, default logging. The task role needs only the ssmmessages actions.', fix: '' };
  const parts: string[] = [];
  parts.push(c.kmsKeyId ? `KMS key ${c.kmsKeyId} (you need kms:GenerateDataKey, the task role kms:Decrypt)` : 'no KMS key');
  const logging = c.logging ?? 'DEFAULT';
  const lc = c.logConfiguration;
  if (logging.toUpperCase() === 'NONE') parts.push('session logging off');
  else if (lc?.s3BucketName || lc?.cloudWatchLogGroupName) {
    if (lc.cloudWatchLogGroupName) parts.push(`logs to CloudWatch group ${lc.cloudWatchLogGroupName} (task role needs logs:* on it)`);
    if (lc.s3BucketName) parts.push(`logs to s3://${lc.s3BucketName}/${lc.s3KeyPrefix ?? ''} (task role needs s3:PutObject${lc.s3EncryptionEnabled ? ', s3:GetEncryptionConfiguration' : ''})`);
  } else parts.push(`logging ${logging}`);
  return { id: 'cluster-config', title, status: 'pass', detail: `${parts.join('; ')}.`, fix: '' };
}

function checkTaskRole(task: ExecTaskFacts, f: ExecFacts): ExecCheck {
  const title = 'Task role permissions';
  if (!f.taskDefinition) return { id: 'task-role', title, status: 'unknown', detail: `Could not read the task definition${f.taskDefinitionError ? `: ${f.taskDefinitionError}` : '.'}`, fix: '' };
  const needs = taskRoleNeeds(task.taskArn ?? '', f.execConfig, f.region);
  if (!f.taskDefinition.taskRoleArn) {
    // The SSM agent in the container uses the task role; the execution role is ECS's own (image
    // pulls, secrets, logs) and does not count. https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html
    const lt = launchTypeOf(task);
    if (lt === 'FARGATE') {
      return {
        id: 'task-role',
        title,
        status: 'fail',
        detail: 'The task definition has no task role (taskRoleArn); ECS Exec needs one: the SSM agent in the container uses it to open the session channels.',
        fix: `Create a task role allowing: ${allowStatement(needs)}; set it as taskRoleArn (not executionRoleArn), register a new revision and deploy it.`,
      };
    }
    return {
      id: 'task-role',
      title,
      status: 'warn',
      detail: 'The task definition has no task role; the SSM agent falls back to the container instance\'s role, which was not checked.',
      fix: `Give the task a task role (taskRoleArn) allowing: ${allowStatement(needs)}; or make sure the container instance's role allows them.`,
    };
  }
  if (!f.taskRole) return { id: 'task-role', title, status: 'unknown', detail: 'The task role was not simulated.', fix: '' };
  return simulationCheck('task-role', title, f.taskRole, { kind: 'task-role', needs });
}

function checkVpcEndpoints(f: ExecFacts): ExecCheck {
  const title = 'ssmmessages VPC endpoint';
  const n = f.network;
  if (n.error) return { id: 'vpc-endpoints', title, status: 'unknown', detail: `Could not read the task's VPC endpoints: ${n.error}`, fix: '' };
  if (!n.vpcId) return { id: 'vpc-endpoints', title, status: 'unknown', detail: "The task's VPC is not known.", fix: '' };
  const interfaces = (n.endpoints ?? []).filter((e) => (e.type ?? 'Interface').toLowerCase() === 'interface' && !/^(deleted|deleting|rejected|failed|expired)$/i.test(e.state ?? ''));
  if (interfaces.length === 0) {
    return { id: 'vpc-endpoints', title, status: 'pass', detail: `${n.vpcId} has no interface endpoints; the agent reaches ssmmessages over the internet or a NAT.`, fix: '' };
  }
  const names = new Set(interfaces.map((e) => e.serviceName ?? ''));
  const has = (svc: string) => names.has(SERVICE_ENDPOINT(f.region, svc)) || [...names].some((x) => x.endsWith(`.${f.region}.${svc}`));
  const wanted = ['ssmmessages'];
  if (f.execConfig?.kmsKeyId) wanted.push('kms');
  const lc = f.execConfig?.logging?.toUpperCase() === 'NONE' ? undefined : f.execConfig?.logConfiguration;
  if (lc?.cloudWatchLogGroupName) wanted.push('logs');
  const missing = wanted.filter((s) => !has(s));
  // S3 may be reached through a gateway endpoint as well.
  if (lc?.s3BucketName && !(n.endpoints ?? []).some((e) => (e.serviceName ?? '').endsWith(`.${f.region}.s3`))) missing.push('s3');
  if (missing.length === 0) return { id: 'vpc-endpoints', title, status: 'pass', detail: `${n.vpcId} uses interface endpoints and has ${wanted.map((s) => SERVICE_ENDPOINT(f.region, s)).join(', ')}.`, fix: '' };
  return {
    id: 'vpc-endpoints',
    title,
    status: 'warn',
    detail: `${n.vpcId} uses interface endpoints (${interfaces.length}) but none for ${missing.map((s) => SERVICE_ENDPOINT(f.region, s)).join(', ')}; without internet access the agent cannot connect.`,
    fix: `Create interface endpoint(s) ${missing.map((s) => SERVICE_ENDPOINT(f.region, s)).join(', ')} with private DNS in ${n.vpcId}, or make sure the task has outbound internet access (NAT or public IP).`,
  };
}
