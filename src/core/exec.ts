/**
 * ECS Exec, the pure part: the preflight checks (in the order the public ECS Exec checker runs
 * them) over facts the AWS layer fetched, the IAM permissions each side needs, the
 * session-manager-plugin argument vector the AWS CLI passes, and plugin discovery over an
 * injected view of the filesystem. No `vscode`, no SDK, no fs or net: both faces and the tests
 * call the same functions.
 */
import * as path from 'node:path';
import { lastSegment, parseArn, roleNameOf } from './arn';

// ---------------------------------------------------------------------------------------------
// Results

export type ExecCheckStatus = 'pass' | 'fail' | 'warn' | 'unknown';

export type ExecCheckId =
  | 'plugin'
  | 'caller-permissions'
  | 'task-running'
  | 'platform'
  | 'exec-enabled'
  | 'exec-agent'
  | 'init-process'
  | 'readonly-root'
  | 'cluster-config'
  | 'task-role'
  | 'vpc-endpoints';

/** A fix the editor can apply for the user (after a confirmation); the CLI prints the text fix. */
export type ExecFixAction = {
  kind: 'enable-execute-command';
  clusterArn: string;
  serviceName: string;
};

export interface ExecCheck {
  id: ExecCheckId;
  title: string;
  status: ExecCheckStatus;
  /** What was found, in one or two sentences. */
  detail: string;
  /** What to do about it; empty when nothing needs doing. */
  fix: string;
  action?: ExecFixAction;
}

/** Where AWS documents how to install the Session Manager plugin. */
export const PLUGIN_INSTALL_URL =
  'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html';
export const EXEC_DOCS_URL = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html';

export const MIN_FARGATE_PLATFORM = '1.4.0';
export const MIN_FARGATE_WINDOWS_PLATFORM = '1.0.0';
export const MIN_AGENT_VERSION = '1.50.2';

export const SSMMESSAGES_ACTIONS = [
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
] as const;

// ---------------------------------------------------------------------------------------------
// Facts (structurally compatible with the SDK's shapes, so the AWS layer passes them through)

export interface ExecLogConfigurationFacts {
  cloudWatchLogGroupName?: string | undefined;
  cloudWatchEncryptionEnabled?: boolean | undefined;
  s3BucketName?: string | undefined;
  s3EncryptionEnabled?: boolean | undefined;
  s3KeyPrefix?: string | undefined;
}

/** The cluster's `configuration.executeCommandConfiguration`. */
export interface ExecConfigurationFacts {
  kmsKeyId?: string | undefined;
  /** NONE | DEFAULT | OVERRIDE */
  logging?: string | undefined;
  logConfiguration?: ExecLogConfigurationFacts | undefined;
}

export interface ExecContainerFacts {
  name?: string | undefined;
  runtimeId?: string | undefined;
  lastStatus?: string | undefined;
  managedAgents?: Array<{ name?: string | undefined; lastStatus?: string | undefined; reason?: string | undefined }> | undefined;
}

export interface ExecTaskFacts {
  taskArn?: string | undefined;
  clusterArn?: string | undefined;
  lastStatus?: string | undefined;
  desiredStatus?: string | undefined;
  launchType?: string | undefined;
  capacityProviderName?: string | undefined;
  platformVersion?: string | undefined;
  platformFamily?: string | undefined;
  enableExecuteCommand?: boolean | undefined;
  /** `service:<name>` for service tasks, `family:<name>` for standalone ones. */
  group?: string | undefined;
  containerInstanceArn?: string | undefined;
  taskDefinitionArn?: string | undefined;
  containers?: ExecContainerFacts[] | undefined;
  attachments?: Array<{ type?: string | undefined; details?: Array<{ name?: string | undefined; value?: string | undefined }> | undefined }> | undefined;
}

export interface ExecContainerDefinitionFacts {
  name?: string | undefined;
  readonlyRootFilesystem?: boolean | undefined;
  linuxParameters?: { initProcessEnabled?: boolean | undefined } | undefined;
}

export interface ExecTaskDefinitionFacts {
  taskRoleArn?: string | undefined;
  networkMode?: string | undefined;
  containerDefinitions?: ExecContainerDefinitionFacts[] | undefined;
}

/** One IAM permission a principal needs, with the reason shown to the user. */
export interface PermissionNeed {
  action: string;
  resource: string;
  why: string;
}

export type EvalDecision = 'allowed' | 'explicitDeny' | 'implicitDeny' | string;

/**
 * Why a principal could not be simulated: the caller may not call iam:SimulatePrincipalPolicy
 * (or iam:GetRole), IAM cannot simulate that kind of principal (federated users), the caller's
 * identity could not be read (STS GetCallerIdentity failed), or another error.
 */
export type UnavailableCause = 'not-permitted' | 'unsupported' | 'no-identity' | 'error';

/** What IAM policy simulation said about a principal, or why it could not be asked. */
export type SimulationOutcome =
  | { kind: 'simulated'; principalArn: string; results: Array<PermissionNeed & { decision: EvalDecision }> }
  | { kind: 'unavailable'; principalArn?: string | undefined; reason: string; cause?: UnavailableCause | undefined }
  /** The principal is the account root: it may do everything. */
  | { kind: 'root'; principalArn: string }
  /**
   * IAM says the principal does not exist (NoSuchEntity): a deleted or mistyped role. `guessed`:
   * the ARN of an assumed role was built from its name because iam:GetRole could not be read,
   * so a role with a path is "missing" under the guessed ARN.
   */
  | { kind: 'missing'; principalArn: string; guessed?: boolean | undefined };

export interface PluginLookup {
  /** The executable found, or undefined. */
  path?: string | undefined;
  /** Every place looked at, in order. */
  searched: string[];
  /** The `ecsDoctor.sessionManagerPluginPath` value when it was set. */
  configured?: string | undefined;
}

export interface NetworkFacts {
  vpcId?: string | undefined;
  endpoints?: Array<{ serviceName?: string | undefined; type?: string | undefined; state?: string | undefined }> | undefined;
  /** Why the VPC or its endpoints could not be read. */
  error?: string | undefined;
}

export interface ExecFacts {
  region: string;
  plugin: PluginLookup;
  /** As the user named it (name or ARN). */
  cluster: string;
  /** undefined when the task was not found (stopped over an hour ago, wrong cluster, typo). */
  task?: ExecTaskFacts | undefined;
  /** The container the session is for. */
  containerName: string;
  /** Set when DescribeClusters answered; undefined configuration means "not configured". */
  execConfig?: ExecConfigurationFacts | undefined;
  clusterError?: string | undefined;
  taskDefinition?: ExecTaskDefinitionFacts | undefined;
  taskDefinitionError?: string | undefined;
  /** EC2 and external tasks: the container instance's agent version. */
  agentVersion?: string | undefined;
  agentError?: string | undefined;
  caller: SimulationOutcome;
  taskRole?: SimulationOutcome | undefined;
  network: NetworkFacts;
}

// ---------------------------------------------------------------------------------------------
// The task

/** The service a task belongs to (from its `group`), or undefined for standalone tasks. */
export function serviceOfTask(task: ExecTaskFacts | undefined): string | undefined {
  const g = task?.group;
  return g?.startsWith('service:') ? g.slice('service:'.length) : undefined;
}

/** FARGATE, EC2 or EXTERNAL, reading capacity providers and container instances when launchType is absent. */
export function launchTypeOf(task: ExecTaskFacts): 'FARGATE' | 'EC2' | 'EXTERNAL' | 'MANAGED_INSTANCES' | undefined {
  const lt = task.launchType?.toUpperCase();
  if (lt === 'FARGATE' || lt === 'EC2' || lt === 'EXTERNAL' || lt === 'MANAGED_INSTANCES') return lt;
  const cp = task.capacityProviderName?.toUpperCase();
  if (cp === 'FARGATE' || cp === 'FARGATE_SPOT') return 'FARGATE';
  if (task.containerInstanceArn) return 'EC2';
  return undefined;
}

export function isWindowsFamily(platformFamily: string | undefined): boolean {
  return !!platformFamily && platformFamily.toUpperCase().startsWith('WINDOWS');
}

// ---------------------------------------------------------------------------------------------
// Versions

/** Compares dotted versions numerically ("1.10.0" > "1.4.0"); a leading "v" and suffixes are ignored. */
export function compareVersions(a: string, b: string): number {
  const nums = (v: string) =>
    v
      .trim()
      .replace(/^v/i, '')
      .split(/[.-]/)
      .map((p) => Number.parseInt(p, 10))
      .map((n) => (Number.isFinite(n) ? n : 0));
  const x = nums(a);
  const y = nums(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

function looksLikeVersion(v: string | undefined): v is string {
  return !!v && /^v?\d+(\.\d+)*/i.test(v.trim());
}

// ---------------------------------------------------------------------------------------------
// The permissions each side needs

/** A KMS key id, alias or ARN as an ARN IAM can simulate against. */
export function kmsKeyArn(kmsKeyId: string, partition: string, region: string, account: string): string {
  if (kmsKeyId.startsWith('arn:')) return kmsKeyId;
  if (kmsKeyId.startsWith('alias/')) return `arn:${partition}:kms:${region}:${account}:${kmsKeyId}`;
  return `arn:${partition}:kms:${region}:${account}:key/${kmsKeyId}`;
}

interface Where {
  partition: string;
  region: string;
  account: string;
}

function whereOf(taskArn: string | undefined, region: string): Where {
  const p = parseArn(taskArn);
  return { partition: p?.partition || 'aws', region: p?.region || region, account: p?.account ?? '' };
}

/** What the caller (you) needs: ecs:ExecuteCommand on the task, and kms:GenerateDataKey on the cluster's key. */
export function callerNeeds(taskArn: string, execConfig: ExecConfigurationFacts | undefined, region: string): PermissionNeed[] {
  const w = whereOf(taskArn, region);
  const needs: PermissionNeed[] = [{ action: 'ecs:ExecuteCommand', resource: taskArn, why: 'to start a session on the task' }];
  if (execConfig?.kmsKeyId) {
    needs.push({
      action: 'kms:GenerateDataKey',
      resource: kmsKeyArn(execConfig.kmsKeyId, w.partition, w.region, w.account),
      why: "the cluster encrypts ECS Exec sessions with this KMS key",
    });
  }
  return needs;
}

/** What the task role needs: the four ssmmessages actions, plus KMS, S3 and CloudWatch Logs per the cluster's exec configuration. */
export function taskRoleNeeds(taskArn: string, execConfig: ExecConfigurationFacts | undefined, region: string): PermissionNeed[] {
  const w = whereOf(taskArn, region);
  const needs: PermissionNeed[] = SSMMESSAGES_ACTIONS.map((action) => ({
    action,
    resource: '*',
    why: 'the SSM agent in the container opens the session channels',
  }));
  if (!execConfig) return needs;
  if (execConfig.kmsKeyId) {
    needs.push({
      action: 'kms:Decrypt',
      resource: kmsKeyArn(execConfig.kmsKeyId, w.partition, w.region, w.account),
      why: 'the cluster encrypts ECS Exec sessions with this KMS key',
    });
  }
  const lc = execConfig.logging?.toUpperCase() === 'NONE' ? undefined : execConfig.logConfiguration;
  if (lc?.s3BucketName) {
    const bucket = `arn:${w.partition}:s3:::${lc.s3BucketName}`;
    needs.push({
      action: 's3:PutObject',
      resource: `${bucket}/${lc.s3KeyPrefix ? `${lc.s3KeyPrefix}*` : '*'}`,
      why: 'the cluster writes ECS Exec session logs to this S3 bucket',
    });
    if (lc.s3EncryptionEnabled) {
      needs.push({ action: 's3:GetEncryptionConfiguration', resource: bucket, why: 'the cluster requires an encrypted S3 bucket for session logs' });
    }
  }
  if (lc?.cloudWatchLogGroupName) {
    const group = `arn:${w.partition}:logs:${w.region}:${w.account}:log-group:${lc.cloudWatchLogGroupName}:*`;
    needs.push({ action: 'logs:DescribeLogGroups', resource: '*', why: 'the cluster writes ECS Exec session logs to CloudWatch Logs' });
    for (const action of ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents']) {
      needs.push({ action, resource: group, why: `the cluster writes ECS Exec session logs to ${lc.cloudWatchLogGroupName}` });
    }
  }
  return needs;
}

/**
 * The IAM ARN to simulate for an STS caller identity: users and roles as they are; an assumed-role
 * session becomes its role (the role's path is unknown here: the AWS layer asks GetRole for it).
 */
export function policySourceFor(callerArn: string): { kind: 'arn'; arn: string } | { kind: 'role'; roleName: string; guess: string } | { kind: 'root'; arn: string } | { kind: 'unsupported'; reason: string } {
  const p = parseArn(callerArn);
  if (!p) return { kind: 'unsupported', reason: `"${callerArn}" is not an ARN` };
  if (p.service === 'iam' && p.resource === 'root') return { kind: 'root', arn: callerArn };
  if (p.service === 'iam') return { kind: 'arn', arn: callerArn };
  if (p.service === 'sts' && p.resource.startsWith('assumed-role/')) {
    const roleName = roleNameOf(callerArn);
    return { kind: 'role', roleName, guess: `arn:${p.partition}:iam::${p.account}:role/${roleName}` };
  }
  return { kind: 'unsupported', reason: `IAM policy simulation does not support ${p.resourceType || p.resource} principals` };
}

// ---------------------------------------------------------------------------------------------
// The checks

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
  if (p.path) return { id: 'plugin', title, status: 'pass', detail: `Found at ${p.path}.`, fix: '' };
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

function decisionsText(results: Array<PermissionNeed & { decision: EvalDecision }>): string {
  return results.map((r) => `${r.action} ${r.decision === 'allowed' ? 'allowed' : r.decision === 'explicitDeny' ? 'explicitly denied' : 'not allowed'}`).join(', ');
}

/**
 * Whose permissions a simulation is about. The two are easy to mix up, and so are their fixes:
 * the caller (the identity ECS Doctor's credentials belong to: you) needs ecs:ExecuteCommand and,
 * with a cluster KMS key, kms:GenerateDataKey; the task role (the task definition's taskRoleArn,
 * which the SSM agent in the container uses) needs the ssmmessages actions and, per the cluster's
 * exec configuration, kms:Decrypt and the session-logging permissions. Neither is the task
 * execution role, which ECS itself uses to pull images and fetch secrets.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
 */
interface Principal {
  kind: 'caller' | 'task-role';
  /** Everything this principal needs for this task and cluster. */
  needs: PermissionNeed[];
}

/** An IAM role, or an STS session of one (an assumed role). */
function isRoleArn(arn: string | undefined): boolean {
  const r = parseArn(arn)?.resource ?? '';
  return r.startsWith('role/') || r.startsWith('assumed-role/');
}

const KMS_KEY_POLICY_NOTE = "KMS also checks the key's own policy, which IAM simulation does not read: the default key policy lets IAM policies grant it";

function simulationCheck(id: ExecCheckId, title: string, outcome: SimulationOutcome, p: Principal): ExecCheck {
  const caller = p.kind === 'caller';
  const byHand = caller ? `check by hand that your identity may: ${allowStatement(p.needs)}` : `check by hand that the task role allows: ${allowStatement(p.needs)}`;
  if (outcome.kind === 'root') {
    return { id, title, status: 'pass', detail: `${caller ? 'Your identity' : 'The task role'} is the account root user, which may do everything.`, fix: '' };
  }
  if (outcome.kind === 'missing') {
    const arn = outcome.principalArn;
    if (!caller) {
      return {
        id,
        title,
        status: 'fail',
        detail: `The task role ${arn} (taskRoleArn of the task definition) does not exist in IAM.`,
        fix: `Create the role ${lastSegment(arn)} (trusted by ecs-tasks.amazonaws.com) allowing: ${allowStatement(p.needs)}; or point taskRoleArn at an existing role that allows them. Then register a new revision and deploy it.`,
      };
    }
    if (outcome.guessed) {
      return {
        id,
        title,
        status: 'fail',
        detail: `IAM has no ${arn}: your credentials are a session of that role, and ECS Doctor could not read the role (iam:GetRole) to learn its path, so it guessed the ARN.`,
        fix: `Allow your identity iam:GetRole on the role so ECS Doctor can find it, or ${byHand}.`,
      };
    }
    return {
      id,
      title,
      status: 'fail',
      detail: `IAM has no ${arn}, the identity your credentials belong to (STS GetCallerIdentity).`,
      fix: `Use the credentials of an existing IAM user or role (aws sts get-caller-identity shows whose they are; pick another profile otherwise). That identity needs: ${allowStatement(p.needs)}.`,
    };
  }
  if (outcome.kind === 'unavailable') {
    const who = caller ? 'your identity' : 'the task role';
    const arn = outcome.principalArn;
    const fix =
      outcome.cause === 'not-permitted'
        ? caller
          ? `Allow your identity iam:SimulatePrincipalPolicy on itself${isRoleArn(arn) ? ' (and iam:GetRole on its role)' : ''} so ECS Doctor can check it, or ${byHand}.`
          : `Allow your identity (the one ECS Doctor uses, not the task role) iam:SimulatePrincipalPolicy on ${arn ?? 'the task role'} so ECS Doctor can check it, or ${byHand}.`
        : outcome.cause === 'unsupported'
          ? `IAM policy simulation cannot check this kind of identity: ${byHand}.`
          : outcome.cause === 'no-identity'
            ? 'Check the credentials ECS Doctor uses (aws sts get-caller-identity), then run the check again.'
            : `Run the check again, or ${byHand}.`;
    return { id, title, status: 'unknown', detail: `Could not check ${who}${arn ? ` (${arn})` : ''}: ${outcome.reason}`, fix };
  }
  const missing = outcome.results.filter((r) => r.decision !== 'allowed');
  if (missing.length === 0) {
    return { id, title, status: 'pass', detail: `${outcome.principalArn}: ${decisionsText(outcome.results)}.`, fix: '' };
  }
  const explicit = missing.some((m) => m.decision === 'explicitDeny');
  const kms = missing.some((m) => m.action.startsWith('kms:'));
  const add = `${explicit ? 'Remove the explicit Deny, then a' : 'A'}dd to a policy of ${caller ? 'your identity' : 'the task role'} ${outcome.principalArn}: ${allowStatement(missing)}`;
  return {
    id,
    title,
    status: 'fail',
    detail: `${outcome.principalArn}: ${decisionsText(missing)} (${[...new Set(missing.map((m) => m.why))].join('; ')}).`,
    fix: caller
      ? `${add}.${kms ? ` ${KMS_KEY_POLICY_NOTE}.` : ''}`
      : `${add}.${kms ? ` ${KMS_KEY_POLICY_NOTE}.` : ''} IAM applies the change to running tasks within minutes; if sessions still fail, start a new task.`,
  };
}

function allowStatement(missing: PermissionNeed[]): string {
  const byResource = new Map<string, string[]>();
  for (const m of missing) byResource.set(m.resource, [...(byResource.get(m.resource) ?? []), m.action]);
  return [...byResource].map(([resource, actions]) => `Allow ${actions.join(', ')} on ${resource}`).join('; ');
}

function checkCaller(f: ExecFacts): ExecCheck {
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

// ---------------------------------------------------------------------------------------------
// Presenting the checks (the same text in the CLI and the editor)

export const STATUS_ICON: Record<ExecCheckStatus, string> = { pass: '✔', fail: '✖', warn: '⚠', unknown: '?' };
export const STATUS_LABEL: Record<ExecCheckStatus, string> = { pass: 'pass', fail: 'FAIL', warn: 'warning', unknown: 'could not check' };

export function formatChecksText(checks: readonly ExecCheck[]): string {
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`${STATUS_ICON[c.status]} ${c.title}: ${STATUS_LABEL[c.status]}`);
    lines.push(`    ${c.detail}`);
    if (c.fix && c.status !== 'pass') lines.push(`    Fix: ${c.fix}`);
  }
  return lines.join('\n');
}

export function summarizeChecks(checks: readonly ExecCheck[]): string {
  const count = (s: ExecCheckStatus) => checks.filter((c) => c.status === s).length;
  const fail = count('fail');
  const parts = [`${count('pass')} passed`, `${fail} failed`, `${count('warn')} warnings`, `${count('unknown')} could not be checked`];
  return `${fail ? 'ECS Exec cannot start' : 'ECS Exec is ready'}: ${parts.join(', ')}.`;
}

// ---------------------------------------------------------------------------------------------
// The session-manager-plugin argument vector (exactly what the AWS CLI passes)

export interface ExecSessionFacts {
  sessionId?: string | undefined;
  streamUrl?: string | undefined;
  tokenValue?: string | undefined;
}

export interface PluginArgsInput {
  session: ExecSessionFacts;
  region: string;
  /** The named profile (--profile, AWS_PROFILE), or empty. */
  profile?: string | undefined;
  /** Cluster name or ARN. */
  cluster: string;
  /** Task id or ARN. */
  task: string;
  /** The container's runtimeId from DescribeTasks. */
  runtimeId: string;
  /** The ECS endpoint URL the ExecuteCommand call went to. */
  endpointUrl: string;
}

/**
 * JSON text as Python's `json.dumps` writes it with default options (", " and ": " separators,
 * non-ASCII escaped), which is how the AWS CLI serialises the plugin's JSON arguments.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NaN';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map((v) => pythonJsonDumps(v)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
}

/** The SSM target of an ECS Exec session: `ecs:<cluster name>_<task id>_<container runtimeId>`. */
export function execTarget(cluster: string, task: string, runtimeId: string): string {
  return `ecs:${lastSegment(cluster)}_${lastSegment(task)}_${runtimeId}`;
}

/**
 * The six arguments: session JSON, region, "StartSession", profile or "", {"Target": ...}, ECS
 * endpoint URL. Pass them as an argument vector, never through a shell. The first argument holds
 * the session token: never log the vector.
 */
export function pluginArgs(i: PluginArgsInput): string[] {
  const session = { sessionId: i.session.sessionId, streamUrl: i.session.streamUrl, tokenValue: i.session.tokenValue };
  return [
    pythonJsonDumps(session),
    i.region,
    'StartSession',
    i.profile ?? '',
    pythonJsonDumps({ Target: execTarget(i.cluster, i.task, i.runtimeId) }),
    i.endpointUrl,
  ];
}

/** The argument vector with the session JSON masked: the only form that may be logged. */
export function describePluginArgs(argv: readonly string[]): string {
  return argv.map((a, n) => (n === 0 ? '<session JSON>' : JSON.stringify(a))).join(' ');
}

// ---------------------------------------------------------------------------------------------
// Finding the plugin

export const PLUGIN_NAME = 'session-manager-plugin';

/** What discovery may see of the machine; the faces back it with fs and process.env. */
export interface PluginFsView {
  platform: string;
  env: Record<string, string | undefined>;
  /** True when `p` is a regular file this user may execute. */
  isExecutable(p: string): boolean;
  /** True when `p` is a directory. */
  isDirectory?(p: string): boolean;
}

function envGet(env: Record<string, string | undefined>, name: string): string | undefined {
  if (env[name] !== undefined) return env[name];
  const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? env[key] : undefined;
}

/** The places to look, in order: PATH, then the usual install folders of the platform. */
export function pluginCandidates(platform: string, env: Record<string, string | undefined>): string[] {
  const win = platform === 'win32';
  const p = win ? path.win32 : path.posix;
  const exeNames = win
    ? [PLUGIN_NAME, ...(envGet(env, 'PATHEXT') ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean).map((x) => PLUGIN_NAME + x.toLowerCase())].filter((n) => n !== PLUGIN_NAME)
    : [PLUGIN_NAME];
  const out: string[] = [];
  const add = (x: string) => {
    if (!out.includes(x)) out.push(x);
  };
  for (const dir of (envGet(env, 'PATH') ?? '').split(win ? ';' : ':')) {
    const d = dir.trim().replace(/^"(.*)"$/, '$1');
    if (!d) continue;
    for (const n of exeNames) add(p.join(d, n));
  }
  if (win) {
    const roots = [envGet(env, 'ProgramFiles') ?? 'C:\\Program Files', envGet(env, 'ProgramFiles(x86)') ?? 'C:\\Program Files (x86)', envGet(env, 'ProgramW6432')].filter((x): x is string => !!x);
    for (const r of roots) add(p.join(r, 'Amazon', 'SessionManagerPlugin', 'bin', `${PLUGIN_NAME}.exe`));
    const local = envGet(env, 'LOCALAPPDATA');
    if (local) add(p.join(local, 'Programs', 'Amazon', 'SessionManagerPlugin', 'bin', `${PLUGIN_NAME}.exe`));
  } else {
    add(`/usr/local/sessionmanagerplugin/bin/${PLUGIN_NAME}`);
    add(`/usr/local/bin/${PLUGIN_NAME}`);
    add(`/usr/bin/${PLUGIN_NAME}`);
    if (platform === 'darwin') {
      add(`/opt/homebrew/bin/${PLUGIN_NAME}`);
    } else {
      add(`/snap/bin/${PLUGIN_NAME}`);
    }
    const home = envGet(env, 'HOME');
    if (home) add(p.join(home, '.local', 'bin', PLUGIN_NAME));
  }
  return out;
}

/** Finds the plugin: the configured path when set (a file, or a folder holding it), else PATH and the usual folders. */
export function findPlugin(view: PluginFsView, configured?: string): PluginLookup {
  const win = view.platform === 'win32';
  const p = win ? path.win32 : path.posix;
  const setting = configured?.trim();
  if (setting) {
    const home = envGet(view.env, win ? 'USERPROFILE' : 'HOME');
    const expanded = home && (setting === '~' || setting.startsWith('~/') || setting.startsWith('~\\')) ? p.join(home, setting.slice(1)) : setting;
    const tries = view.isDirectory?.(expanded)
      ? [p.join(expanded, win ? `${PLUGIN_NAME}.exe` : PLUGIN_NAME), p.join(expanded, 'bin', win ? `${PLUGIN_NAME}.exe` : PLUGIN_NAME)]
      : [expanded];
    const found = tries.find((t) => view.isExecutable(t));
    return { path: found, searched: tries, configured: setting };
  }
  const searched = pluginCandidates(view.platform, view.env);
  return { path: searched.find((c) => view.isExecutable(c)), searched };
}

// ---------------------------------------------------------------------------------------------
// Choosing the container

/** The container to open the session in: the one asked for, or the task's only container. */
export function chooseContainer(task: ExecTaskFacts, requested?: string): { name: string } | { error: string; choices: string[] } {
  const want = requested?.trim();
  if (want) return { name: want };
  const names = (task.containers ?? []).map((c) => c.name).filter((n): n is string => !!n);
  if (names.length === 1) return { name: names[0]! };
  if (names.length === 0) return { error: 'The task reports no containers.', choices: [] };
  return { error: `The task has ${names.length} containers (${names.join(', ')}): choose one with --container.`, choices: names };
}
