// Types shared by the ECS Doctor simulator: scenario data (what a scenario file holds), the live
// state the services answer from, fault settings and the call log. One place for all of them, so
// a teammate adding a service adds its scenario section and its state here.
//
// ECS state is kept in the AWS SDK's own shapes (Cluster, Service, Task, ...), so the field names
// are the API's, checked by the compiler, and a test can change a task in place
// (`sim.task(id)!.lastStatus = 'STOPPED'`) and see it in the next DescribeTasks.
import type {
  Attribute,
  CapacityProviderStrategyItem,
  Cluster,
  ClusterConfiguration,
  ClusterSetting,
  Container,
  ContainerInstance,
  Deployment,
  DeploymentConfiguration,
  LoadBalancer,
  ManagedAgent,
  NetworkConfiguration,
  Service,
  Tag,
  Task,
  TaskDefinition,
  TaskOverride,
} from '@aws-sdk/client-ecs';

/**
 * A time in a scenario file: an ISO 8601 string, epoch milliseconds, or a time relative to when the
 * scenario is loaded: "-90s", "-5m", "-2h", "-3d" (also "now"). Relative times keep a scenario's
 * stopped tasks inside ECS's one-hour visibility window whenever it is loaded.
 */
export type Time = string | number | Date;

/** `T` as written in a scenario: every field optional and every Date a {@link Time}. */
export type Loose<T> = T extends Date
  ? Time
  : T extends (infer U)[]
    ? Loose<U>[]
    : T extends object
      ? { [K in keyof T]?: Loose<T[K]> }
      : T;

// ---------------------------------------------------------------------------------------------
// Scenario data (sim/scenarios/<name>.json)
// ---------------------------------------------------------------------------------------------

export interface ScenarioData {
  name?: string;
  description?: string;
  /** Default 123456789012. */
  accountId?: string;
  /** Default us-east-1. */
  region?: string;
  /** Fault settings the scenario starts with (run-time options and setFaults() override them). */
  faults?: Partial<Faults>;
  /** Task definitions: the API's TaskDefinition minus what is derived (ARN, status, registeredAt default). */
  taskDefinitions?: ScenarioTaskDefinition[];
  clusters?: ScenarioCluster[];
  /**
   * The service scheduler (sim/scheduler.ts) for the services that have a `scheduler` section.
   * `speed` divides every duration the scheduler waits (task start, health checks, draining):
   * 10 runs a five-minute loop in thirty seconds. Default 1. `historySeconds` starts the
   * scheduler that long before the scenario loads, so its services load with a history (stopped
   * tasks, events, a rolled-back deployment). Default 0.
   */
  scheduler?: { speed?: number; historySeconds?: number };

  // State for the other AWS services served on the same endpoint. Their handlers live in
  // sim/services/<name>.ts; times inside these sections are resolved with `state.time()`.
  logs?: ScenarioLogs;
  ecr?: ScenarioEcr;
  ec2?: ScenarioEc2;
  elbv2?: ScenarioElbv2;
  ssm?: ScenarioSsm;
  secretsManager?: ScenarioSecrets;
  iam?: ScenarioIam;
  sts?: ScenarioSts;
  /** CloudWatch metrics GetMetricData serves (the service doctor's memory over time). */
  cloudwatch?: ScenarioCloudWatch;
}

export type ScenarioTaskDefinition = Loose<TaskDefinition> & { family: string; revision: number };

export interface ScenarioCluster {
  name: string;
  /**
   * The Region the cluster lives in (default: the scenario's `region`). A cluster of another
   * Region is served only to calls signed for that Region, with its task definitions and the
   * other services' sections copied there; once a scenario names another Region, a Region it
   * does not name has no clusters.
   */
  region?: string;
  status?: string;
  /** Default [{ name: 'containerInsights', value: 'disabled' }]. Returned when DescribeClusters includes SETTINGS. */
  settings?: ClusterSetting[];
  /** Returned when DescribeClusters includes CONFIGURATIONS (executeCommandConfiguration lives here). */
  configuration?: ClusterConfiguration;
  capacityProviders?: string[];
  defaultCapacityProviderStrategy?: CapacityProviderStrategyItem[];
  tags?: Tag[];
  containerInstances?: ScenarioContainerInstance[];
  services?: ScenarioService[];
  tasks?: ScenarioTask[];
  /** Bulk services generated from a small spec (the `large` scenario). */
  generate?: GenerateSpec[];
}

export interface ScenarioContainerInstance {
  /** 32 hex characters; derived from the EC2 instance id when absent. */
  id?: string;
  ec2InstanceId: string;
  /** Default 1.86.0. */
  agentVersion?: string;
  status?: string;
  statusReason?: string;
  agentConnected?: boolean;
  availabilityZone?: string;
  instanceType?: string;
  capacityProviderName?: string;
  /** Extra attributes, added to the standard ones (ecs.ami-id, ecs.availability-zone, ecs.instance-type, ecs.os-type, capabilities). */
  attributes?: Attribute[];
  /** CPU units and MiB registered; defaults 2048 / 7680. */
  cpu?: number;
  memory?: number;
  registeredAt?: Time;
}

export type ScenarioService = Omit<
  Loose<Service>,
  'serviceName' | 'taskDefinition' | 'deployments' | 'events' | 'loadBalancers' | 'networkConfiguration' | 'deploymentConfiguration'
> & {
  name: string;
  /** "family:revision", family (latest) or an ARN. */
  taskDefinition: string;
  loadBalancers?: LoadBalancer[];
  networkConfiguration?: NetworkConfiguration;
  deploymentConfiguration?: DeploymentConfiguration;
  /**
   * Newest first, like the API. Absent: one PRIMARY deployment, rolloutState COMPLETED.
   * `taskDefinition` may be "family:revision". Counts are computed from the tasks when absent.
   */
  deployments?: (Omit<Loose<Deployment>, 'taskDefinition'> & { taskDefinition?: string })[];
  /** Service events; sorted newest first on load. */
  events?: { id?: string; createdAt: Time; message: string }[];
  /** Generate this many RUNNING healthy tasks for the PRIMARY deployment (besides `tasks` of the cluster that name this service). */
  runningTasks?: number;
  /** Let the service scheduler (sim/scheduler.ts) run this service: replace, roll, health-check. */
  scheduler?: ServiceSchedulerSpec;
};

/**
 * How a service's tasks behave once the scheduler starts them. Durations are seconds of the
 * simulator's clock (divided by the scenario's `scheduler.speed`).
 */
export interface TaskBehaviour {
  /** Seconds in PROVISIONING (default 10) and then PENDING (default 20) before RUNNING. */
  provisioningSeconds?: number;
  pendingSeconds?: number;
  /** The task never reaches RUNNING: it stops with stopCode TaskFailedToStart and this stoppedReason (e.g. "CannotPullContainerError: ..."). */
  failToStart?: string;
  /** The essential container exits this long after RUNNING (stopCode EssentialContainerExited), with `exitCode` (default 1). */
  exitAfterSeconds?: number;
  exitCode?: number;
  /**
   * The essential containers' health-check command (when the task definition has one): "healthy"
   * (default), "unhealthy" (never passes), or healthy for N seconds and failing from then on.
   */
  containerHealth?: 'healthy' | 'unhealthy' | { healthyForSeconds: number };
  /**
   * What the load balancer's health check gets from the task: "healthy" (default), an HTTP status
   * code (404: Target.ResponseCodeMismatch), "timeout" (Target.Timeout), "failed"
   * (Target.FailedHealthChecks), or healthy for N seconds and then `then`.
   */
  elbHealth?: 'healthy' | 'timeout' | 'failed' | number | { healthyForSeconds: number; then: 'timeout' | 'failed' | number };
  /**
   * What each awslogs container writes while it runs, into its own stream
   * (PREFIX/CONTAINER/TASK_ID of its awslogs-group): one line every `everySeconds` (default 15),
   * cycling through `lines` ("{n}" is the line's number). Default: a start-up line and request
   * lines. A group the scenario lacks is created when the container says awslogs-create-group
   * "true"; otherwise nothing is written (awslogs in non-blocking mode drops the lines). A task's
   * stream stops when the task stops.
   */
  logs?: { lines?: string[]; everySeconds?: number };
}

export interface ServiceSchedulerSpec {
  /** How every task of the service behaves (default: starts and stays healthy). */
  behaviour?: TaskBehaviour;
  /** Per task definition ("family:revision"), overriding `behaviour`: how revision N+1 fails where N worked. */
  byTaskDefinition?: Record<string, TaskBehaviour>;
  /**
   * Placement fails with this reason ("Reason: No Container Instances were found in your
   * cluster." or "The closest matching (container-instance ...) has insufficient memory
   * available."); absent: EC2 tasks are placed by CPU and memory on the cluster's ACTIVE
   * container instances, Fargate tasks always.
   */
  placementFailure?: string;
}

export type ScenarioTask = Omit<
  Loose<Task>,
  'containers' | 'taskDefinitionArn' | 'overrides' | 'attachments' | 'containerInstanceArn'
> & {
  /** Task id (32 hex); derived deterministically when absent. */
  id?: string;
  /** Service the task belongs to (sets group "service:NAME", startedBy = its deployment id). */
  service?: string;
  /** Index into the service's deployments (0 = PRIMARY, the default). */
  deployment?: number;
  /** "family:revision" or family; defaults to the service's. */
  taskDefinition?: string;
  /** Container instance id (EC2 launch type). */
  containerInstance?: string;
  subnetId?: string;
  privateIp?: string;
  overrides?: TaskOverride;
  /** Per-container state, matched by name; containers not listed follow the task. */
  containers?: (Omit<Loose<Container>, 'managedAgents'> & { name: string; managedAgents?: Loose<ManagedAgent>[] })[];
  /** Repeat this task N times (ids derived). */
  count?: number;
};

export interface GenerateSpec {
  /** Service name prefix; services are PREFIX-0001 ... */
  servicePrefix: string;
  count: number;
  tasksPerService: number;
  taskDefinition: string;
  launchType?: string;
  /** Subnets to spread awsvpc tasks over. */
  subnets?: string[];
}

// Other services' scenario sections. Shapes follow each service's API names so the handler can
// answer from them with little mapping.
export interface ScenarioLogs {
  groups?: {
    logGroupName: string;
    retentionInDays?: number;
    kmsKeyId?: string;
    creationTime?: Time;
    streams?: {
      logStreamName: string;
      events?: { timestamp: Time; message: string }[];
      /**
       * A container that keeps logging: one event every `everyMs` of the simulator's clock after
       * `from` (default: when the scenario was loaded) until `until` (a stopped task), cycling
       * through `messages` ("{n}" becomes the event's number). Deterministic under a ManualClock.
       */
      live?: { everyMs: number; messages: string[]; from?: Time; until?: Time };
    }[];
  }[];
  /** false: answer StartLiveTail as an endpoint that does not serve it (as LocalStack and moto do), so clients fall back to polling. Default true. */
  liveTail?: boolean;
}
export interface ScenarioEcr {
  repositories?: {
    repositoryName: string;
    imageScanningConfiguration?: { scanOnPush?: boolean };
    images?: { imageTags?: string[]; imageDigest?: string; imagePushedAt?: Time; imageSizeInBytes?: number }[];
    /** Repository policy JSON. */
    policyText?: string;
  }[];
}
export interface ScenarioEc2 {
  vpcs?: { vpcId: string; cidrBlock?: string; isDefault?: boolean; enableDnsSupport?: boolean; enableDnsHostnames?: boolean }[];
  subnets?: {
    subnetId: string;
    vpcId: string;
    availabilityZone?: string;
    cidrBlock?: string;
    availableIpAddressCount?: number;
    mapPublicIpOnLaunch?: boolean;
  }[];
  routeTables?: {
    routeTableId: string;
    vpcId: string;
    /** Subnet ids associated explicitly; `main: true` makes it the VPC's main table. */
    subnetIds?: string[];
    main?: boolean;
    routes?: { destinationCidrBlock?: string; gatewayId?: string; natGatewayId?: string; vpcEndpointId?: string; state?: string }[];
  }[];
  vpcEndpoints?: {
    vpcEndpointId: string;
    vpcId: string;
    serviceName: string;
    vpcEndpointType?: string;
    state?: string;
    subnetIds?: string[];
    routeTableIds?: string[];
    privateDnsEnabled?: boolean;
    securityGroupIds?: string[];
  }[];
  securityGroups?: {
    groupId: string;
    groupName?: string;
    vpcId: string;
    ingress?: { ipProtocol: string; fromPort?: number; toPort?: number; cidrIp?: string; sourceGroupId?: string }[];
    egress?: { ipProtocol: string; fromPort?: number; toPort?: number; cidrIp?: string; sourceGroupId?: string }[];
  }[];
  natGateways?: { natGatewayId: string; subnetId: string; vpcId: string; state?: string }[];
}
export interface ScenarioElbv2 {
  loadBalancers?: {
    name: string;
    arn?: string;
    type?: string;
    scheme?: string;
    vpcId?: string;
    dnsName?: string;
    state?: string;
    /** The load balancer's security groups (none: a network load balancer without groups). */
    securityGroups?: string[];
    /** Its subnets (one per Availability Zone; the zone comes from the scenario's ec2 subnets). */
    subnetIds?: string[];
  }[];
  targetGroups?: {
    name: string;
    arn?: string;
    protocol?: string;
    port?: number;
    vpcId?: string;
    targetType?: string;
    loadBalancerArns?: string[];
    healthCheck?: {
      protocol?: string;
      port?: string;
      path?: string;
      intervalSeconds?: number;
      timeoutSeconds?: number;
      healthyThresholdCount?: number;
      unhealthyThresholdCount?: number;
      matcher?: string;
    };
    targets?: { id: string; port?: number; state: string; reason?: string; description?: string }[];
    /** How long a deregistered target drains (deregistration_delay.timeout_seconds; default 300). */
    deregistrationDelaySeconds?: number;
  }[];
}
/** CloudWatch metric series, each point a time and a value (GetMetricData answers from these). */
export interface ScenarioCloudWatch {
  metrics?: {
    namespace: string;
    metricName: string;
    /** Dimension name -> value; a query matches a series with exactly these dimensions. */
    dimensions: Record<string, string>;
    unit?: string;
    points: { t: Time; v: number }[];
  }[];
}
export interface ScenarioSsm {
  parameters?: { name: string; type?: string; value: string; version?: number; lastModifiedDate?: Time }[];
  /**
   * Port forwarding: where the stand-in session-manager-plugin (sim/bin) really sends the bytes of
   * a forward that matches (task id, container name, port and host, each optional), as
   * "host:port" on this machine (a test server standing in for the container's port). StartSession
   * passes it in the session's stream URL; a forward that matches none is answered by the stand-in
   * itself with a page saying it is simulated.
   */
  portForwarding?: { task?: string; container?: string; port?: number; host?: string; to: string }[];
  /** Sessions StartSession opened (live state, not scenario input): TerminateSession marks them. */
  sessions?: { sessionId: string; target: string; documentName: string; parameters: Record<string, string[]>; status: 'Connected' | 'Terminated' }[];
}
export interface ScenarioSecrets {
  secrets?: { name: string; arn?: string; secretString?: string; kmsKeyId?: string; deletedDate?: Time }[];
}
export interface ScenarioIam {
  roles?: {
    roleName: string;
    arn?: string;
    assumeRolePolicyDocument?: unknown;
    attachedPolicies?: { policyName: string; policyArn: string; document?: unknown }[];
    inlinePolicies?: Record<string, unknown>;
  }[];
  /**
   * IAM users, evaluated like roles by SimulatePrincipalPolicy (sim/services/iam.ts). The default
   * caller (sts: arn:aws:iam::ACCOUNT:user/sim-user) may do everything unless it is listed here.
   */
  users?: {
    userName: string;
    arn?: string;
    attachedPolicies?: { policyName: string; policyArn: string; document?: unknown }[];
    inlinePolicies?: Record<string, unknown>;
  }[];
}
export interface ScenarioSts {
  /** GetCallerIdentity answer; defaults to arn:aws:iam::ACCOUNT:user/sim-user. */
  arn?: string;
  userId?: string;
}

// ---------------------------------------------------------------------------------------------
// Live state
// ---------------------------------------------------------------------------------------------

export interface ClusterState {
  /** Stored fields only; counts and statistics are computed on every DescribeClusters. */
  cluster: Cluster;
  /** By service name, in creation order (ListServices order). */
  services: Map<string, Service>;
  /** By task id, in creation order (ListTasks order). */
  tasks: Map<string, Task>;
  /** By container instance id. */
  containerInstances: Map<string, ContainerInstance>;
}

export interface EcsState {
  /** By cluster name, in creation order. */
  clusters: Map<string, ClusterState>;
  /** By "family:revision". */
  taskDefinitions: Map<string, TaskDefinition>;
  /** How long STOPPED tasks stay visible (default one hour, like ECS). */
  stoppedTaskRetentionMs?: number;
}

export interface SimState {
  accountId: string;
  region: string;
  /**
   * The states of the other Regions the scenario puts clusters in, by Region (each its own
   * SimState). Absent when every cluster is in `region`: then every Region answers alike.
   */
  regions?: Map<string, SimState>;
  /** Epoch ms when the scenario was loaded (the anchor of relative times). */
  loadedAt: number;
  /** Resolve a scenario {@link Time} against loadedAt. */
  time(t: Time): Date;
  ecs: EcsState;
  // Other services: the scenario sections as given (handlers index them as they need).
  logs: ScenarioLogs;
  ecr: ScenarioEcr;
  ec2: ScenarioEc2;
  elbv2: ScenarioElbv2;
  ssm: ScenarioSsm;
  secretsManager: ScenarioSecrets;
  iam: ScenarioIam;
  sts: ScenarioSts;
  /** The service scheduler, when the scenario or the simulator's options turn it on (sim/scheduler.ts). */
  scheduler?: import('./scheduler').Scheduler;
  cloudwatch: ScenarioCloudWatch;
}

// ---------------------------------------------------------------------------------------------
// Faults and the call log
// ---------------------------------------------------------------------------------------------

/** A resource (name, id or ARN) or an operation the caller may not touch. */
export type AccessDeniedRule =
  | string
  | {
      /** Matches a request parameter equal to it, or an ARN with it as a path or colon segment. */
      resource?: string;
      /** "DescribeServices" or "ecs:DescribeServices". */
      operation?: string;
    };

export interface ThrottleLimit {
  /** Bucket size (requests that may arrive at once). */
  burst: number;
  /** Refill per second. */
  rate: number;
}

export interface Faults {
  /** Arrival to answer for every response, ms: a timer, never CPU (the handler's own time counts towards it). */
  latencyMs: number;
  /** Per-operation delay, overriding latencyMs: { "DescribeServices": 200, "logs:FilterLogEvents": 500 }. */
  latencyByOperation: Record<string, number>;
  /** Apply each service's token buckets (ECS: the documented per-group burst/sustained rates). */
  throttle: boolean;
  /** Override a bucket: key "ecs:service-read" (service:group). */
  throttleLimits: Record<string, ThrottleLimit>;
  /**
   * Throttle exactly the next N calls of an operation ("DescribeServices", "ecs:DescribeServices")
   * or of a bucket ("ecs:service-read"), whatever the token buckets hold and whether `throttle` is
   * on: { "ecs:DescribeServices": 3 } answers the next three DescribeServices calls with the
   * service's throttling error (ECS: ThrottlingException, HTTP 400, "Rate exceeded"), wherever
   * they come from. A throttled call counts down one key: its operation's, else its bucket's.
   * Counts never depend on timing, so a test can assert exactly how many calls were throttled.
   * Armed when a scenario loads and by setFaults({ throttleNext }); other setFaults() calls leave
   * what is left of the counts alone.
   */
  throttleNext: Record<string, number>;
  /** Calls that answer the service's AccessDenied error. */
  accessDenied: AccessDeniedRule[];
  /** Share of calls (0-1) answered with a 5xx (ECS: ServerException, HTTP 500). */
  errorRate: number;
  /** Share of calls whose connection is destroyed without an answer. */
  dropRate: number;
  /** Share of calls that get no answer for stallMs. */
  stallRate: number;
  /** How long a stalled call waits before it is answered normally; 0 = until the client gives up or the simulator stops. */
  stallMs: number;
  /** Only these operations ("DescribeTasks" or "ecs:DescribeTasks") get random faults; empty = all. */
  faultOperations: string[];
  /** Seed of the random generator that picks faulty calls (reproducible runs). */
  seed: number;
  /**
   * Behave like a thin ECS endpoint (moto, LocalStack) instead of ECS: ListTasks without
   * desiredStatus lists tasks of every status, ListTasks matches the cluster name as a prefix
   * (`prod` also lists `prod-2`'s tasks), and DescribeTasks describes a task ARN of such a
   * cluster as asked. Default false.
   */
  thin: boolean;
  /**
   * Operations ("SimulatePrincipalPolicy" or "iam:SimulatePrincipalPolicy") answered with HTTP 500
   * and an HTML error page instead of an AWS error: what moto and LocalStack send for what they do
   * not implement. `thin` adds {@link THIN_NOT_IMPLEMENTED} to these.
   */
  notImplemented: string[];
}

/** What happened to a call: a fault, or 'hold' (held by Simulator.hold() until the test released it). */
export type FaultKind = 'throttle' | 'accessDenied' | 'error' | 'drop' | 'stall' | 'hold' | 'notImplemented';

export interface CallRecord {
  /** Service name ("ecs", "logs", ...), or "unknown". */
  service: string;
  operation: string;
  /** Request parameters: the JSON body, or the decoded query form. */
  params: Record<string, unknown>;
  /** Arrival time, epoch ms. */
  time: number;
  /** Arrival to response end; undefined while in flight. */
  durationMs?: number;
  /** HTTP status; 0 while in flight or when the connection was dropped. */
  status: number;
  errorType?: string;
  fault?: FaultKind;
  requestId: string;
  /** The Region the call was signed for (the SigV4 credential scope of its Authorization header), when it had one. */
  region?: string;
}
