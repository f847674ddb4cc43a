/**
 * Plain shapes of the facts the AWS layer gathers and collects for a diagnosis (src/aws/diagnose/
 * maps the SDK's answers to these), so the judgement over them (judges/) stays pure and testable
 * without AWS. Never holds a secret value: secrets are references (valueFrom ARNs and names) only.
 */

export interface HealthCheckFacts {
  command: string[];
  interval?: number;
  timeout?: number;
  retries?: number;
  startPeriod?: number;
}

export interface ContainerDefFacts {
  name: string;
  image?: string;
  /** Defaults to true, as in ECS. */
  essential?: boolean;
  memory?: number;
  memoryReservation?: number;
  portMappings: Array<{ containerPort?: number; hostPort?: number; protocol?: string }>;
  healthCheck?: HealthCheckFacts;
  logDriver?: string;
  logOptions?: Record<string, string>;
  /** secrets[] of the container: the environment variable name and the reference, never the value. */
  secrets: Array<{ name: string; valueFrom: string }>;
  /** logConfiguration.secretOptions[] (references only). */
  logSecrets?: Array<{ name: string; valueFrom: string }>;
  /** repositoryCredentials.credentialsParameter (a Secrets Manager ARN). */
  repositoryCredentials?: string;
  stopTimeout?: number;
  dependsOn?: Array<{ containerName: string; condition: string }>;
}

export interface TaskDefFacts {
  arn?: string;
  family?: string;
  revision?: number;
  networkMode?: string;
  requiresCompatibilities?: string[];
  cpu?: string;
  memory?: string;
  executionRoleArn?: string;
  taskRoleArn?: string;
  containers: ContainerDefFacts[];
}

/** The parts of describe-tasks the checks read, beyond the classifier's StopInput. */
export interface TaskFacts {
  taskArn: string;
  clusterArn?: string;
  lastStatus?: string;
  desiredStatus?: string;
  stoppedReason?: string;
  stopCode?: string;
  healthStatus?: string;
  launchType?: string;
  platformVersion?: string;
  group?: string;
  taskDefinitionArn?: string;
  enableExecuteCommand?: boolean;
  createdAt?: string;
  startedAt?: string;
  stoppingAt?: string;
  stoppedAt?: string;
  /** From the awsvpc ENI attachment. */
  subnetId?: string;
  privateIp?: string;
  containers: Array<{
    name: string;
    image?: string;
    lastStatus?: string;
    exitCode?: number | null;
    reason?: string;
    healthStatus?: string;
    runtimeId?: string;
  }>;
}

export interface ServiceFacts {
  name: string;
  arn?: string;
  status?: string;
  desiredCount?: number;
  runningCount?: number;
  healthCheckGracePeriodSeconds?: number;
  assignPublicIp?: string;
  subnets?: string[];
  /** awsvpcConfiguration.securityGroups; absent: the tasks get the VPC's default security group. */
  securityGroups?: string[];
  circuitBreaker?: { enable: boolean; rollback: boolean };
  deployments: Array<{
    id?: string;
    status?: string;
    rolloutState?: string;
    rolloutStateReason?: string;
    taskDefinition?: string;
    failedTasks?: number;
    desiredCount?: number;
    runningCount?: number;
  }>;
  /** Newest first, as ECS returns them. */
  events: Array<{ createdAt?: string; message: string }>;
  loadBalancers: Array<{ targetGroupArn?: string; loadBalancerName?: string; containerName?: string; containerPort?: number }>;
}

export interface SubnetFacts {
  subnetId: string;
  vpcId?: string;
  availabilityZone?: string;
  cidrBlock?: string;
  availableIpAddressCount?: number;
  mapPublicIpOnLaunch?: boolean;
}

export interface RouteFacts {
  destinationCidrBlock?: string;
  destinationPrefixListId?: string;
  gatewayId?: string;
  natGatewayId?: string;
  transitGatewayId?: string;
  instanceId?: string;
  networkInterfaceId?: string;
  vpcPeeringConnectionId?: string;
  state?: string;
}

export interface RouteTableFacts {
  routeTableId: string;
  /** True when the table is the VPC's main table (used by subnets without an explicit association). */
  main?: boolean;
  routes: RouteFacts[];
}

export interface VpcEndpointFacts {
  vpcEndpointId: string;
  serviceName: string;
  vpcEndpointType?: string;
  state?: string;
  privateDnsEnabled?: boolean;
  routeTableIds?: string[];
  subnetIds?: string[];
  /** Interface endpoints: the security groups on the endpoint's network interfaces. */
  securityGroupIds?: string[];
}

/** One security group rule (ingress or egress), as EC2 DescribeSecurityGroups reports it. */
export interface SecurityGroupRuleFacts {
  /** "tcp", "udp", "icmp", a protocol number, or "-1" (all traffic). */
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  /** IPv4 ranges (IpRanges[].CidrIp). */
  cidrs: string[];
  /** Referenced security groups (UserIdGroupPairs[].GroupId). */
  groupIds: string[];
  /** Referenced managed prefix lists (PrefixListIds[].PrefixListId). */
  prefixListIds: string[];
}

export interface SecurityGroupFacts {
  groupId: string;
  groupName?: string;
  vpcId?: string;
  ingress: SecurityGroupRuleFacts[];
  egress: SecurityGroupRuleFacts[];
}

/** The parts of an ELBv2 load balancer (DescribeLoadBalancers) the security-group check reads. */
export interface LoadBalancerFacts {
  loadBalancerArn: string;
  name?: string;
  /** application, network or gateway. */
  type?: string;
  /** Empty for a network load balancer created without security groups. */
  securityGroups: string[];
  /**
   * The answer named no SecurityGroups for a load balancer that always has some (an application
   * load balancer): they were not reported (a thin endpoint), not "none".
   */
  securityGroupsUnknown?: boolean;
  /** AvailabilityZones[].SubnetId: the load balancer's nodes (and its health checks) come from these. */
  subnetIds: string[];
}

export interface TargetGroupFacts {
  targetGroupArn: string;
  targetGroupName?: string;
  targetType?: string;
  protocol?: string;
  port?: number;
  healthCheckProtocol?: string;
  /** A number as text, or "traffic-port". */
  healthCheckPort?: string;
  healthCheckPath?: string;
  matcher?: string;
  healthCheckIntervalSeconds?: number;
  healthCheckTimeoutSeconds?: number;
  healthyThresholdCount?: number;
  unhealthyThresholdCount?: number;
  /** The load balancers that route to this target group (and send its health checks). */
  loadBalancerArns?: string[];
}

export interface TargetHealthFacts {
  id?: string;
  port?: number;
  state?: string;
  reason?: string;
  description?: string;
}

/** Where a secrets[].valueFrom points. */
export type SecretRef =
  | { service: 'secretsmanager'; valueFrom: string; secretId: string; region?: string; jsonKey?: string }
  | { service: 'ssm'; valueFrom: string; name: string; region?: string };

/** The outcome of looking a secret reference up (never its value). */
export interface SecretLookup {
  ref: SecretRef;
  /** Which container and variable use it. */
  usedBy: string[];
  state: 'exists' | 'missing' | 'deleted' | 'other-region' | 'denied' | 'error';
  /** The denied IAM action, or the error text (already secret-free). */
  note?: string;
}

/** What looking one secret reference up found (the state and note of a SecretLookup). */
export type SecretState = Pick<SecretLookup, 'state' | 'note'> & {
  /** The secret's KMS key (Secrets Manager DescribeSecret KmsKeyId), when the answer named one. */
  kmsKeyId?: string;
};

/** An image reference in a private ECR registry. */
export interface EcrImageRef {
  registryId: string;
  region: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** What ECR DescribeImages said about one image reference. */
export type EcrImageLookup = { kind: 'found'; tags?: string[]; pushedAt?: string } | { kind: 'image-not-found' } | { kind: 'repository-not-found' };

/** The result of looking the last log lines of one awslogs container up. */
export type LogLookup =
  | { kind: 'lines'; group: string; stream: string; lines: string[] }
  | { kind: 'no-stream'; group: string; stream: string }
  | { kind: 'no-group'; group: string; stream: string };
