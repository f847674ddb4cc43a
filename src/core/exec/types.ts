/**
 * ECS Exec preflight: what the checks produce and the facts they judge. The fact shapes are
 * structural subsets of the SDK's (DescribeTasks, DescribeClusters, DescribeTaskDefinition), so
 * the AWS layer passes its answers through without a mapping step.
 */

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
 * identity could not be read (STS GetCallerIdentity failed), the endpoint does not implement IAM
 * policy simulation (a non-AWS answer: moto, LocalStack), or another error.
 */
export type UnavailableCause = 'not-permitted' | 'unsupported' | 'no-identity' | 'not-implemented' | 'error';

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
  /**
   * What `session-manager-plugin --version` printed (trimmed) when the faces ran it, '' when it
   * failed or printed nothing, undefined when it was not run. Decides where the session token
   * goes (pluginLaunch).
   */
  version?: string | undefined;
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
  /**
   * Set for port forwarding: the SSM session document the session starts with (SSM StartSession,
   * not ECS ExecuteCommand), so the caller is checked for ssm:StartSession instead of ecs:ExecuteCommand.
   */
  documentName?: string | undefined;
}
