/**
 * The catalogue's shapes, and what its families share: the AWS documentation pages they link,
 * the AWS CLI commands they suggest (placeholders filled in by classify()), and causes and fixes
 * used by several families.
 */
import type { LogSignatureId } from '../logSignatures';
import type { Cause, Confidence, DocLink, EvidenceCheckId, Fix, StopCategory } from '../types';

export interface VariantSpec {
  variant: string;
  /** Any one matching (against the whole text: stoppedReason plus the container reasons) selects the variant. */
  match?: RegExp[];
  title: string;
  summary: string;
  confidence?: Confidence;
  whereToLook: string[];
  causes: Cause[];
  fixes: Fix[];
  prevention?: string[];
  docs?: DocLink[];
  /** Evidence checks worth running, most useful first. */
  checks: EvidenceCheckId[];
  /**
   * AWS texts this variant recognises (documentation and tests): as published by AWS, the ECS
   * agent or in public reports; for generic entries and forms AWS documents only by prefix
   * (e.g. "InternalError: <reason>"), representative ones.
   */
  examples: string[];
}

export interface FamilySpec {
  category: StopCategory;
  /** Recognises the family anywhere in one message; the earliest family named in a message wins. */
  family: RegExp;
  /** Tried in order; the first whose `match` hits wins. The last entry has no `match`: the family's generic answer. */
  variants: VariantSpec[];
  docs: DocLink[];
  prevention: string[];
}

// ---------------------------------------------------------------------------------------------
// Documentation links (AWS's own pages)

export const DG = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide';
export const DOCS = {
  stoppedErrors: { title: 'Amazon ECS stopped tasks error messages', url: `${DG}/stopped-task-error-codes.html` },
  viewStopped: { title: 'Viewing Amazon ECS stopped task errors', url: `${DG}/stopped-task-errors.html` },
  pull: { title: 'CannotPullContainer task errors in Amazon ECS', url: `${DG}/task_cannot_pull_image.html` },
  resourceInit: { title: 'Troubleshooting Amazon ECS ResourceInitializationError errors', url: `${DG}/resource-initialization-error.html` },
  failedToStart: { title: 'Troubleshooting Amazon ECS TaskFailedToStart errors', url: `${DG}/failed-to-start-error.html` },
  oom: { title: 'Troubleshooting Amazon ECS OutOfMemoryError errors', url: `${DG}/out-of-memory.html` },
  runtime: { title: 'Troubleshooting Amazon ECS ContainerRuntimeError errors', url: `${DG}/container-runtime-error.html` },
  runtimeTimeout: { title: 'Troubleshooting Amazon ECS ContainerRuntimeTimeoutError errors', url: `${DG}/container-runtime-timeout-error.html` },
  cannotStart: { title: 'Troubleshooting Amazon ECS CannotStartContainerError errors', url: `${DG}/cannot-start-container.html` },
  cannotStop: { title: 'Troubleshooting Amazon ECS CannotStopContainerError errors', url: `${DG}/cannot-stop-container.html` },
  cannotInspect: { title: 'Troubleshooting Amazon ECS CannotInspectContainerError errors', url: `${DG}/cannot-inspect-container.html` },
  cannotCreateVolume: { title: 'Troubleshooting Amazon ECS CannotCreateVolumeError errors', url: `${DG}/cannot-create-volume.html` },
  internal: { title: 'Troubleshooting Amazon ECS InternalError errors', url: `${DG}/internal-error.html` },
  spot: { title: 'Troubleshooting Amazon ECS SpotInterruption errors', url: `${DG}/spot-interruption-errors.html` },
  fargateSpot: { title: 'Amazon ECS clusters for Fargate (Fargate Spot)', url: `${DG}/fargate-capacity-providers.html` },
  lb: { title: 'Troubleshooting service load balancers in Amazon ECS', url: `${DG}/troubleshoot-service-load-balancers.html` },
  healthCheck: { title: 'Task definition parameters: health check', url: `${DG}/task_definition_parameters.html#container_definition_healthcheck` },
  execRole: { title: 'Amazon ECS task execution IAM role', url: `${DG}/task_execution_IAM_role.html` },
  secrets: { title: 'Pass sensitive data to an Amazon ECS container', url: `${DG}/specifying-sensitive-data.html` },
  awslogs: { title: 'Send Amazon ECS logs to CloudWatch (awslogs)', url: `${DG}/using_awslogs.html` },
  efs: { title: 'Use Amazon EFS volumes with Amazon ECS', url: `${DG}/efs-volumes.html` },
  privateAuth: { title: 'Private registry authentication in Amazon ECS', url: `${DG}/private-auth.html` },
  ecrEndpoints: { title: 'Amazon ECR interface VPC endpoints (AWS PrivateLink)', url: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html' },
  circuitBreaker: { title: 'Amazon ECS deployment circuit breaker', url: `${DG}/deployment-circuit-breaker.html` },
  lifecycle: { title: 'Amazon ECS task lifecycle', url: `${DG}/task-lifecycle-explanation.html` },
  maintenance: { title: 'Task retirement and maintenance for AWS Fargate on Amazon ECS', url: `${DG}/task-maintenance.html` },
  serviceEvents: { title: 'Amazon ECS service event messages', url: `${DG}/service-event-messages.html` },
  containerDef: { title: 'Amazon ECS task definition parameters', url: `${DG}/task_definition_parameters.html` },
  ecrImages: { title: 'Amazon ECR: describe images', url: 'https://docs.aws.amazon.com/cli/latest/reference/ecr/describe-images.html' },
} as const satisfies Record<string, DocLink>;

// ---------------------------------------------------------------------------------------------
// Commands shared by several variants (placeholders filled in by classify() when known)

export const CMD = {
  describeTask: `aws ecs describe-tasks --cluster <cluster> --tasks <task> --query 'tasks[0].{lastStatus:lastStatus,stoppedReason:stoppedReason,stopCode:stopCode,containers:containers[*].{name:name,reason:reason,exitCode:exitCode,lastStatus:lastStatus}}'`,
  taskDef: 'aws ecs describe-task-definition --task-definition <task-definition>',
  endpoints: `aws ec2 describe-vpc-endpoints --filters Name=vpc-id,Values=<vpc-id> --query 'VpcEndpoints[*].{Service:ServiceName,State:State,Type:VpcEndpointType}'`,
  routes: `aws ec2 describe-route-tables --filters Name=association.subnet-id,Values=<subnet-id> --query 'RouteTables[*].Routes'`,
  subnet: `aws ec2 describe-subnets --subnet-ids <subnet-id> --query 'Subnets[*].{CIDR:CidrBlock,Available:AvailableIpAddressCount,Vpc:VpcId}'`,
  ecrImages: `aws ecr describe-images[[ --registry-id <registry-id>]][[ --region <image-region>]] --repository-name <repository> --query 'imageDetails[*].{Tags:imageTags,Pushed:imagePushedAt}' --output table`,
  ecrImageTag: 'aws ecr describe-images[[ --registry-id <registry-id>]][[ --region <image-region>]] --repository-name <repository> --image-ids imageTag=<tag>',
  ecrRepos: `aws ecr describe-repositories[[ --registry-id <registry-id>]][[ --region <image-region>]] --query 'repositories[*].repositoryUri'`,
  attachExecPolicy: 'aws iam attach-role-policy --role-name <execution-role> --policy-arn arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
  rolePolicies: 'aws iam list-attached-role-policies --role-name <execution-role>',
  simulateRole: 'aws iam simulate-principal-policy --policy-source-arn <execution-role-arn> --action-names <action>',
  logs: 'aws logs get-log-events --log-group-name <log-group> --log-stream-name <stream-prefix>/<container>/<task-id> --limit 50 --no-start-from-head',
  logGroups: 'aws logs describe-log-groups --log-group-name-prefix <log-group>',
  createLogGroup: 'aws logs create-log-group --log-group-name <log-group>',
  serviceEvents: `aws ecs describe-services --cluster <cluster> --services <service> --query 'services[0].{events:events[:10].message,deployments:deployments[*].{status:status,rollout:rolloutState,reason:rolloutStateReason,failed:failedTasks}}'`,
  secret: 'aws secretsmanager describe-secret --secret-id <secret-arn>',
  parameter: 'aws ssm get-parameters --names <parameter-name> --query InvalidParameters',
  targetGroup: `aws elbv2 describe-target-groups --target-group-arns <target-group-arn> --query 'TargetGroups[*].{Type:TargetType,Port:Port,Path:HealthCheckPath,HcPort:HealthCheckPort,Matcher:Matcher.HttpCode,Interval:HealthCheckIntervalSeconds,Timeout:HealthCheckTimeoutSeconds}'`,
  targetHealth: `aws elbv2 describe-target-health --target-group-arn <target-group-arn> --query 'TargetHealthDescriptions[*].{Id:Target.Id,Port:Target.Port,State:TargetHealth.State,Reason:TargetHealth.Reason,Description:TargetHealth.Description}'`,
  gracePeriod: 'aws ecs update-service --cluster <cluster> --service <service> --health-check-grace-period-seconds <seconds>',
  circuitBreaker: `aws ecs update-service --cluster <cluster> --service <service> --deployment-configuration 'deploymentCircuitBreaker={enable=true,rollback=true}'`,
  securityGroups: `aws ec2 describe-security-groups --group-ids <security-group-id> --query 'SecurityGroups[*].{In:IpPermissions,Out:IpPermissionsEgress}'`,
  metrics: 'aws cloudwatch get-metric-statistics --namespace ECS/ContainerInsights --metric-name MemoryUtilized --dimensions Name=ClusterName,Value=<cluster> Name=TaskDefinitionFamily,Value=<family> --statistics Maximum --period 60 --start-time <start> --end-time <end>',
  efs: `aws efs describe-mount-targets --file-system-id <file-system-id> --query 'MountTargets[*].{Subnet:SubnetId,AZ:AvailabilityZoneName,State:LifeCycleState,Ip:IpAddress}'`,
  execIntoTask: 'aws ecs execute-command --cluster <cluster> --task <task> --container <container> --interactive --command "/bin/sh"',
  listStopped: 'aws ecs list-tasks --cluster <cluster> --desired-status STOPPED',
  capacityProviders: `aws ecs describe-clusters --clusters <cluster> --include ATTACHMENTS --query 'clusters[0].{providers:capacityProviders,strategy:defaultCapacityProviderStrategy}'`,
  containerInstances: `aws ecs describe-container-instances --cluster <cluster> --container-instances <container-instance> --query 'containerInstances[*].{agent:agentConnected,version:versionInfo.agentVersion,remaining:remainingResources}'`,
};

// ---------------------------------------------------------------------------------------------
// Reusable causes and fixes

export const c = (id: string, text: string, checks: EvidenceCheckId[] = [], logs: LogSignatureId[] = []): Cause => {
  const cause: Cause = checks.length ? { id, text, checks } : { id, text };
  if (logs.length) cause.logs = logs;
  return cause;
};

/** Log lines that say a dependency could not be reached. */
export const UNREACHABLE: LogSignatureId[] = ['connection-refused', 'name-resolution', 'connection-timeout', 'unreachable'];
export const f = (text: string, command?: string, cause?: string): Fix => {
  const fix: Fix = { text };
  if (command) fix.command = command;
  if (cause) fix.cause = cause;
  return fix;
};

export const NET_WHERE = [
  'The subnet the task ran in: public (route 0.0.0.0/0 to an internet gateway, and assignPublicIp ENABLED) or private (a NAT gateway route, or VPC endpoints).',
  'VPC endpoints in that VPC: ecr.api, ecr.dkr, the s3 gateway endpoint, logs, secretsmanager/ssm when secrets are used; their security groups must allow 443 from the task.',
  "The task's security group: outbound 443 must be allowed.",
];

export const noRouteCauses = (what: string): Cause[] => [
  c('no-route', `The task's subnet has no route to ${what}: a private subnet without a NAT gateway or the matching VPC endpoints, or a public subnet with assignPublicIp DISABLED.`, ['vpc-endpoints']),
  c('endpoint-sg', 'A VPC endpoint exists but its security group (or a network ACL) does not allow HTTPS (443) from the task, or the endpoint has private DNS turned off.', ['vpc-endpoints', 'security-groups']),
  c('task-sg-egress', "The task's security group does not allow outbound HTTPS (443).", ['security-groups']),
];

export const noRouteFixes = (endpoints: string): Fix[] => [
  f(`Private subnet: add interface VPC endpoints for ${endpoints} (with private DNS) or a NAT gateway route, then start the task again.`, CMD.endpoints, 'no-route'),
  f('Check the route table of the subnet: 0.0.0.0/0 must point to a NAT gateway (private) or an internet gateway (public, with assignPublicIp ENABLED).', CMD.routes, 'no-route'),
  f("Allow 443 from the task's security group on each endpoint's security group, and outbound 443 on the task's.", CMD.securityGroups, 'endpoint-sg'),
  f("Allow outbound HTTPS (443) on the task's security group (the default allow-all outbound rule does).", "aws ec2 authorize-security-group-egress --group-id <task-security-group-id> --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]'", 'task-sg-egress'),
];

export const EXEC_ROLE_CAUSE = (what: string) => c('execution-role-permissions', `The task execution role (executionRoleArn) is missing, or does not allow ${what}.`, ['execution-role']);
