/**
 * The stopped-task knowledge as data: every documented stoppedReason family, each variant AWS
 * documents (with the exact message texts it recognises, kept in `examples` for the tests), and
 * the meaning of the essential container's exit codes. classify.ts only picks an entry; nothing
 * here runs at classification time except the precompiled regular expressions.
 *
 * Sources: AWS "Amazon ECS stopped tasks error messages", "CannotPullContainer task errors",
 * "ResourceInitializationError", "TaskFailedToStart", "CannotStartContainerError" and sibling
 * pages of the Amazon ECS Developer Guide, the ECS agent's augmented pull errors, and the
 * field guide (seed 001). Commands use <angle-bracket> placeholders; classify() fills in the
 * ones the message itself names (cluster, task, repository, tag, subnet, target group, ...). A
 * part in [[double brackets]] is kept only when every placeholder in it is known.
 */
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

const DG = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide';
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

const c = (id: string, text: string, checks: EvidenceCheckId[] = []): Cause => (checks.length ? { id, text, checks } : { id, text });
const f = (text: string, command?: string, cause?: string): Fix => {
  const fix: Fix = { text };
  if (command) fix.command = command;
  if (cause) fix.cause = cause;
  return fix;
};

const NET_WHERE = [
  'The subnet the task ran in: public (route 0.0.0.0/0 to an internet gateway, and assignPublicIp ENABLED) or private (a NAT gateway route, or VPC endpoints).',
  'VPC endpoints in that VPC: ecr.api, ecr.dkr, the s3 gateway endpoint, logs, secretsmanager/ssm when secrets are used; their security groups must allow 443 from the task.',
  "The task's security group: outbound 443 must be allowed.",
];

const noRouteCauses = (what: string): Cause[] => [
  c('no-route', `The task's subnet has no route to ${what}: a private subnet without a NAT gateway or the matching VPC endpoints, or a public subnet with assignPublicIp DISABLED.`, ['vpc-endpoints']),
  c('endpoint-sg', 'A VPC endpoint exists but its security group (or a network ACL) does not allow HTTPS (443) from the task, or the endpoint has private DNS turned off.', ['vpc-endpoints', 'security-groups']),
  c('task-sg-egress', "The task's security group does not allow outbound HTTPS (443).", ['security-groups']),
];

const noRouteFixes = (endpoints: string): Fix[] => [
  f(`Private subnet: add interface VPC endpoints for ${endpoints} (with private DNS) or a NAT gateway route, then start the task again.`, CMD.endpoints, 'no-route'),
  f('Check the route table of the subnet: 0.0.0.0/0 must point to a NAT gateway (private) or an internet gateway (public, with assignPublicIp ENABLED).', CMD.routes, 'no-route'),
  f("Allow 443 from the task's security group on each endpoint's security group, and outbound 443 on the task's.", CMD.securityGroups, 'endpoint-sg'),
  f("Allow outbound HTTPS (443) on the task's security group (the default allow-all outbound rule does).", "aws ec2 authorize-security-group-egress --group-id <task-security-group-id> --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]'", 'task-sg-egress'),
];

const EXEC_ROLE_CAUSE = (what: string) => c('execution-role-permissions', `The task execution role (executionRoleArn) is missing, or does not allow ${what}.`, ['execution-role']);

// ---------------------------------------------------------------------------------------------
// CannotPullContainerError

const pullWhere = [
  'The full pull error in the stopped task (containers[].reason has the untruncated text).',
  'The image URI in the task definition: registry, repository, tag or digest.',
  ...NET_WHERE,
  'The task execution role: AmazonECSTaskExecutionRolePolicy or equivalent ECR permissions.',
];

const PULL_PREVENTION = [
  'Push the image in CI and check the tag exists (aws ecr describe-images) before registering the task definition; deploy immutable tags or digests, not latest.',
  'Keep the VPC endpoints (ecr.api, ecr.dkr, s3, logs) or the NAT route in infrastructure code, so a private subnet cannot lose its route to ECR.',
  'Turn on the deployment circuit breaker with rollback, so a service whose new tasks cannot pull rolls back by itself.',
];

const PULL: FamilySpec = {
  category: 'CannotPullContainerError',
  family: /CannotPullContainer(?:Error)?|The task can.t pull the image|pull image manifest has been retried|ref pull has been retried/,
  docs: [DOCS.pull, DOCS.stoppedErrors],
  prevention: PULL_PREVENTION,
  variants: [
    {
      variant: 'docker-hub-rate-limit',
      match: [/toomanyrequests|pull rate limit|Too Many Requests|\b429\b/i],
      title: 'Image pull refused: Docker Hub rate limit',
      summary:
        'The registry refused the pull with HTTP 429 (toomanyrequests): Docker Hub limits anonymous pulls per source IP address, and every task behind the same NAT gateway shares that address.',
      whereToLook: ['The image URI: is it pulled from Docker Hub (docker.io, or a bare name like node:20)?', 'Whether the tasks reach the internet through one NAT gateway (one shared IP address).'],
      causes: [
        c('anonymous-pulls', 'The image comes from Docker Hub anonymously; the shared public IP address used up the pull allowance.'),
        c('many-tasks', 'Many tasks (or a deployment of many tasks) pulled at once through the same NAT gateway.'),
      ],
      fixes: [
        f('Copy the image to Amazon ECR (or use an ECR pull-through cache / ECR Public) and point the task definition at it.', 'aws ecr create-pull-through-cache-rule --ecr-repository-prefix docker-hub --upstream-registry-url registry-1.docker.io --credential-arn <secret-arn>', 'anonymous-pulls'),
        f('Or authenticate the pulls: store Docker Hub credentials in Secrets Manager and set repositoryCredentials.credentialsParameter on the container.', undefined, 'anonymous-pulls'),
      ],
      prevention: ['Do not pull production images from Docker Hub at run time: mirror them to ECR.'],
      docs: [DOCS.pull, DOCS.privateAuth],
      checks: ['task-definition', 'execution-role'],
      examples: [
        'CannotPullContainerError: inspect image has been retried 5 time(s): httpReaderSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/node/manifests/sha256:2bb501e6429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
        'CannotPullContainerError: ERROR: toomanyrequests: Too Many Requests.',
        'CannotPullContainerError: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limits.',
      ],
    },
    {
      variant: 'disk-full',
      match: [/no space left on device/i],
      title: 'Image pull failed: no space left on the host',
      summary:
        'Writing the image layers failed because the disk was full: on EC2 the container instance\'s Docker volume is full (old images, container logs); on Fargate the image is larger than the task\'s ephemeral storage.',
      whereToLook: ['The container instance (EC2): df -h /var/lib/docker, and the largest files (du -Sh / | sort -rh | head -20).', 'The image size against the task\'s ephemeralStorage (Fargate, 20 GiB by default).'],
      causes: [
        c('host-disk-full', 'The EC2 container instance\'s Docker storage is full: unused images, stopped containers or json-file logs without max-size.'),
        c('image-too-large', 'The image (uncompressed) is larger than the space the task has (Fargate ephemeral storage).'),
      ],
      fixes: [
        f('EC2: free space (docker system prune on the instance), shorten ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION / ECS_IMAGE_CLEANUP_INTERVAL, set max-size on json-file logs, or use a bigger root/Docker volume.', undefined, 'host-disk-full'),
        f('Fargate: raise ephemeralStorage.sizeInGiB in the task definition (up to 200), or slim the image.', undefined, 'image-too-large'),
      ],
      prevention: ['Send container logs to awslogs instead of json-file, and keep automated image cleanup on.'],
      checks: ['task-definition'],
      examples: [
        'CannotPullContainerError: write /var/lib/docker/tmp/GetImageBlob111111111: no space left on device',
        'CannotPullContainerError: failed to register layer: Error processing tar file(exit status 1): write /usr/lib/x86_64-linux-gnu/libLLVM.so: no space left on device',
      ],
    },
    {
      variant: 'platform-mismatch',
      match: [/does not contain descriptor matching platform|no match for platform in manifest|does not match the specified platform|no matching manifest for/i],
      title: 'Image pull failed: no image for this CPU architecture / OS',
      summary:
        "The image's manifest has no variant for the platform the task runs on (for example an arm64-only image on an X86_64 task, or a Linux image on Windows).",
      whereToLook: ['The task definition\'s runtimePlatform (cpuArchitecture, operatingSystemFamily).', 'The platforms the image was built for (docker buildx imagetools inspect <image>).'],
      causes: [
        c('wrong-architecture', 'The image was built for one architecture only (often arm64 on an Apple-silicon laptop) and the task runs on the other.'),
        c('wrong-os', 'The operating system family of the image and of the task differ (Linux / Windows).'),
      ],
      fixes: [
        f('Build and push a multi-platform image (docker buildx build --platform linux/amd64,linux/arm64 --push ...), or set runtimePlatform.cpuArchitecture to the architecture the image has.', undefined, 'wrong-architecture'),
      ],
      checks: ['task-definition', 'ecr-image'],
      examples: [
        "CannotPullContainerError: image Manifest does not contain descriptor matching platform 'linux/amd64'",
        'CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref 111122223333.dkr.ecr.us-east-1.amazonaws.com/web:1.4: no match for platform in manifest: not found',
      ],
    },
    {
      variant: 'invalid-reference',
      match: [/invalid reference format|repository name must be lowercase|invalid repository name/i],
      title: 'Image pull failed: the image name is malformed',
      summary: 'The container\'s image value is not a valid image reference (an upper-case letter, a space, an unresolved variable, a trailing colon, ...).',
      whereToLook: ['The image field of the container definition, character by character (unexpanded ${VAR} from a template is common).'],
      causes: [c('bad-image-string', 'The image string in the task definition is malformed, often an unsubstituted template variable or an empty tag.')],
      fixes: [f('Fix the image value (registry/repository:tag, all lower case) and register a new task definition revision.', CMD.taskDef, 'bad-image-string')],
      checks: ['task-definition'],
      examples: ['CannotPullContainerError: Error response from daemon: invalid reference format', 'CannotPullContainerError: invalid reference format: repository name must be lowercase'],
    },
    {
      variant: 'ecr-permission-denied',
      match: [/Check that the role has the permissions to pull images|not authorized to perform:? ecr:|AccessDeniedException/i],
      title: 'Image pull denied: the role may not pull from ECR',
      summary:
        'ECR refused the pull because the role the agent used (the task execution role; on EC2 without one, the container instance role) is not allowed ecr:GetAuthorizationToken / ecr:BatchGetImage / ecr:GetDownloadUrlForLayer, or the repository policy denies it.',
      whereToLook: ['The IAM action and role named in the message.', 'The execution role\'s policies (AmazonECSTaskExecutionRolePolicy).', 'The ECR repository policy (cross-account pulls need it) and any KMS key on the repository.'],
      causes: [
        EXEC_ROLE_CAUSE('ecr:GetAuthorizationToken, ecr:BatchGetImage and ecr:GetDownloadUrlForLayer'),
        c('repository-policy', 'The image is in another account (or the repository policy restricts principals) and the repository policy does not allow this role.'),
        c('scp-or-boundary', 'A service control policy, permissions boundary or VPC endpoint policy denies the ECR actions.'),
      ],
      fixes: [
        f('Attach AmazonECSTaskExecutionRolePolicy to the execution role (ecr:GetAuthorizationToken needs Resource "*").', CMD.attachExecPolicy, 'execution-role-permissions'),
        f('Cross-account: allow the execution role in the repository policy (ecr:BatchGetImage, ecr:GetDownloadUrlForLayer).', 'aws ecr get-repository-policy[[ --registry-id <registry-id>]][[ --region <image-region>]] --repository-name <repository>', 'repository-policy'),
      ],
      docs: [DOCS.pull, DOCS.execRole],
      checks: ['execution-role', 'ecr-image', 'task-definition'],
      examples: [
        "CannotPullContainerError: The task can’t pull the image. Check that the role has the permissions to pull images from the registry. Error response from daemon: pull access denied for 123123123123.dkr.ecr.us-east-1.amazonaws.com/my_image, repository does not exist or may require 'docker login': denied: User: arn:aws:sts::123123123123:assumed-role/MyBrokenRole/xyz is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:123123123123:repository/test_image because no identity-based policy allows the ecr:BatchGetImage action",
      ],
    },
    {
      variant: 'no-basic-auth-credentials',
      match: [/no basic auth credentials/i],
      title: 'Image pull failed: no registry credentials',
      summary:
        'The pull was sent without credentials: for ECR the agent could not get an authorization token (no execution role on Fargate, or an instance role without ECR permissions on EC2); for a private registry no repositoryCredentials were set.',
      whereToLook: ['executionRoleArn in the task definition (Fargate) or the container instance role (EC2).', 'repositoryCredentials.credentialsParameter for non-ECR private registries.'],
      causes: [
        EXEC_ROLE_CAUSE('ecr:GetAuthorizationToken'),
        c('instance-role', 'EC2 launch type: the container instance role lacks AmazonEC2ContainerServiceforEC2Role (ECR read).'),
        c('private-registry-credentials', 'A private (non-ECR) registry needs repositoryCredentials pointing at a Secrets Manager secret.', ['secrets']),
      ],
      fixes: [f('Set an execution role with AmazonECSTaskExecutionRolePolicy on the task definition.', CMD.attachExecPolicy, 'execution-role-permissions'), f('Private registry: add repositoryCredentials.credentialsParameter and allow the execution role secretsmanager:GetSecretValue on it.', undefined, 'private-registry-credentials')],
      docs: [DOCS.pull, DOCS.execRole, DOCS.privateAuth],
      checks: ['execution-role', 'task-definition', 'secrets'],
      examples: ['CannotPullContainerError: API error (500): Get https://111122223333.dkr.ecr.us-east-1.amazonaws.com/v2/web/manifests/latest: no basic auth credentials'],
    },
    {
      variant: 'pull-access-denied',
      match: [/pull access denied|requested access to the resource is denied|Check whether the image exists|unauthorized: authentication required|\b401 Unauthorized/i],
      title: 'Image pull denied: the repository does not exist or needs credentials',
      summary:
        'The registry answered "access denied": the repository name is wrong (or in another account/Region), or it is private and the pull had no valid credentials.',
      whereToLook: ['The repository part of the image URI: account id, Region and name.', 'Whether the repository exists (aws ecr describe-repositories) and who may pull from it.'],
      causes: [
        c('repository-missing', 'The repository name, account id or Region in the image URI is wrong, so the registry treats it as a private repository you may not see.', ['ecr-image']),
        EXEC_ROLE_CAUSE('pulling from this repository'),
        c('private-registry-credentials', 'A private registry outside ECR needs repositoryCredentials.', ['secrets']),
      ],
      fixes: [
        f('Compare the image URI with the repository URIs that exist, and fix the task definition.', CMD.ecrRepos, 'repository-missing'),
        f('Make sure the execution role may pull (AmazonECSTaskExecutionRolePolicy).', CMD.attachExecPolicy, 'execution-role-permissions'),
      ],
      checks: ['ecr-image', 'execution-role', 'task-definition'],
      examples: [
        "CannotPullContainerError: The task can’t pull the image. Check whether the image exists. Error response from daemon: pull access denied for 123123123123.dkr.ecr.us-east-1.amazonaws.com/my_image, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
        "CannotPullContainerError: Error response from daemon: pull access denied for mycompany/private-api, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
      ],
    },
    {
      variant: 'repository-not-found',
      match: [/API error \(404\)|repository [^\s:]+ not found|RepositoryNotFoundException|name unknown/i],
      title: 'Image pull failed: repository not found',
      summary: 'The registry says the repository does not exist: the image URI names a repository that is not there (typo, other account or Region, or deleted).',
      whereToLook: ['The repository in the image URI against aws ecr describe-repositories in the same account and Region.'],
      causes: [c('repository-missing', 'The repository in the image URI does not exist in that account and Region.', ['ecr-image']), EXEC_ROLE_CAUSE('pulling from the repository')],
      fixes: [f('Use the full repository URI of an existing repository (account.dkr.ecr.region.amazonaws.com/name:tag) and register a new revision.', CMD.ecrRepos, 'repository-missing')],
      checks: ['ecr-image', 'task-definition', 'execution-role'],
      examples: ['CannotPullContainerError: API error (404): repository 111122223333.dkr.ecr.us-east-1.amazonaws.com/<repo>/<image> not found'],
    },
    {
      variant: 'manifest-not-found',
      match: [/manifest unknown|manifest for \S+ not found|requested image not found|ImageNotFoundException|failed to resolve ref[^\n]*: not found\s*$|: not found: manifest/im],
      title: 'Image pull failed: the tag or digest does not exist',
      summary: 'The repository exists but the tag (or digest) in the task definition does not: it was never pushed, was pushed to another repository/Region, or was deleted (lifecycle policy).',
      whereToLook: ['The tag in the image URI against the tags in the repository (aws ecr describe-images).', 'The CI job that should have pushed it; the repository\'s lifecycle policy.'],
      causes: [
        c('tag-missing', 'The tag was never pushed (a failed or skipped CI push), or was pushed to another repository or Region.', ['ecr-image']),
        c('tag-expired', 'An ECR lifecycle policy (or a person) deleted the image.', ['ecr-image']),
        c('tag-typo', 'The tag or digest in the task definition is mistyped.', ['ecr-image', 'task-definition']),
      ],
      fixes: [
        f('List the tags that exist and push the missing one (or point the task definition at an existing tag).', CMD.ecrImages, 'tag-missing'),
        f('Check the repository\'s lifecycle policy does not expire images that deployed services still use.', 'aws ecr get-lifecycle-policy[[ --registry-id <registry-id>]][[ --region <image-region>]] --repository-name <repository>', 'tag-expired'),
      ],
      checks: ['ecr-image', 'task-definition'],
      examples: [
        'CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v2-missing: 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v2-missing: not found',
        'CannotPullContainerError: Error response from daemon: manifest for 111122223333.dkr.ecr.us-east-1.amazonaws.com/web:1.2.3 not found: manifest unknown: Requested image not found',
        'CannotPullContainerError: 123456789012.dkr.ecr.us-east-1.amazonaws.com/ghost:v1: not found: manifest unknown: requested image not found',
      ],
    },
    {
      variant: 's3-layer-no-route',
      match: [/starport-layer-bucket|\.s3\.[a-z0-9-]*\.?amazonaws\.com[^\n]*(?:timeout|timed out|deadline exceeded)/i],
      title: 'Image pull failed: no route to Amazon S3 for the image layers',
      summary:
        'The manifest came from ECR but downloading the layers from Amazon S3 timed out: ECR stores layers in S3, so a private subnet with ECR endpoints also needs the S3 gateway endpoint (in the subnet\'s route table).',
      whereToLook: ['The S3 gateway endpoint (com.amazonaws.<region>.s3) and whether it is associated with the task subnet\'s route table.', 'The S3 endpoint\'s policy: it must allow the prod-<region>-starport-layer-bucket bucket.'],
      causes: [
        c('no-s3-endpoint', 'The VPC has ECR interface endpoints but no S3 gateway endpoint associated with the task subnet\'s route table.', ['vpc-endpoints']),
        c('s3-endpoint-policy', 'The S3 endpoint policy does not allow arn:aws:s3:::prod-<region>-starport-layer-bucket/*.'),
      ],
      fixes: [f('Create an S3 gateway endpoint and associate it with the route table of the task\'s subnets.', 'aws ec2 create-vpc-endpoint --vpc-id <vpc-id> --service-name com.amazonaws.<region>.s3 --vpc-endpoint-type Gateway --route-table-ids <route-table-id>', 'no-s3-endpoint')],
      docs: [DOCS.pull, DOCS.ecrEndpoints],
      checks: ['vpc-endpoints', 'subnet-ips'],
      examples: [
        'CannotPullContainerError: ref pull has been retried 5 time(s): failed to copy: httpReadSeeker: failed open: failed to do request: Get "https://prod-us-east-1-starport-layer-bucket.s3.us-east-1.amazonaws.com/a1b2-111122223333-8d3c/0f1e2d3c?X-Amz-Algorithm=AWS4-HMAC-SHA256": dial tcp 52.216.0.1:443: i/o timeout',
      ],
    },
    {
      variant: 'forbidden-403',
      match: [/\b403 Forbidden|unexpected status code[^\n]*\b403\b|failed to copy: httpRead(?:er)?Seeker: failed open: unexpected status code/i],
      title: 'Image pull failed: the registry or S3 refused a layer (403)',
      summary:
        'A layer or manifest request was refused: most often a VPC endpoint policy (S3 gateway or ECR) that does not allow the request, or a registry that refuses this caller.',
      whereToLook: ['The policies of the S3 gateway endpoint and the ECR endpoints.', 'The repository policy and the execution role.'],
      causes: [
        c('endpoint-policy', 'An endpoint policy (S3 gateway: the starport layer bucket; ECR endpoints) denies the request.', ['vpc-endpoints']),
        EXEC_ROLE_CAUSE('ecr:GetDownloadUrlForLayer / ecr:BatchGetImage'),
      ],
      fixes: [f('Allow the layer bucket (arn:aws:s3:::prod-<region>-starport-layer-bucket/*) in the S3 endpoint policy, or use the default full-access endpoint policy.', CMD.endpoints, 'endpoint-policy'), f('Check the execution role may pull.', CMD.rolePolicies, 'execution-role-permissions')],
      checks: ['vpc-endpoints', 'execution-role', 'ecr-image'],
      examples: [
        'CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: httpReaderSeeker: failed open: unexpected status code https://111122223333.dkr.ecr.us-east-1.amazonaws.com/v2/web/blobs/sha256:abc: 403 Forbidden',
        'CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: httpReaderSeeker: failed open: unexpected status code',
      ],
    },
    {
      variant: 'dns-failure',
      match: [/no such host|server misbehaving|Temporary failure in name resolution/i],
      title: 'Image pull failed: the registry name did not resolve',
      summary: 'DNS lookup of the registry failed: the VPC has DNS resolution or DNS hostnames off, an interface endpoint has private DNS off, or a custom DNS server cannot resolve the name.',
      whereToLook: ['The VPC attributes enableDnsSupport and enableDnsHostnames.', 'Private DNS on the ecr.api and ecr.dkr endpoints; a custom DHCP options set.'],
      causes: [c('vpc-dns', 'The VPC has DNS support/hostnames disabled, or endpoints have private DNS disabled.', ['vpc-endpoints']), c('custom-dns', 'A custom DNS server (DHCP options) cannot resolve AWS names.')],
      fixes: [f('Enable DNS resolution and hostnames on the VPC, and private DNS on the endpoints.', 'aws ec2 modify-vpc-attribute --vpc-id <vpc-id> --enable-dns-hostnames "{\\"Value\\":true}"', 'vpc-dns')],
      checks: ['vpc-endpoints'],
      examples: ['CannotPullContainerError: Error response from daemon: Get "https://111122223333.dkr.ecr.us-east-1.amazonaws.com/v2/": dial tcp: lookup 111122223333.dkr.ecr.us-east-1.amazonaws.com on 10.0.0.2:53: no such host'],
    },
    {
      variant: 'no-route-to-registry',
      match: [/i\/o timeout|request canceled while waiting for connection|Client\.Timeout exceeded|context deadline exceeded|connection timed out|Check your network configuration|TLS handshake timeout|network is unreachable|connect: connection refused/i],
      title: 'Image pull failed: no network route to the registry',
      summary:
        'Connecting to the registry timed out: the task\'s network has no way out to it. In a private subnet that means no NAT gateway and no ECR VPC endpoints (ecr.api, ecr.dkr plus the S3 gateway); in a public subnet, no public IP on the task.',
      whereToLook: NET_WHERE,
      causes: [...noRouteCauses('the registry'), c('public-ip-disabled', 'Public subnet: the task has no public IP (assignPublicIp DISABLED), so the internet gateway cannot be used.')],
      fixes: [...noRouteFixes('ecr.api, ecr.dkr and an S3 gateway endpoint'), f('Public subnet: run the task or service with assignPublicIp=ENABLED.', "aws ecs update-service --cluster <cluster> --service <service> --network-configuration 'awsvpcConfiguration={subnets=[<subnet-id>],securityGroups=[<security-group-id>],assignPublicIp=ENABLED}'", 'public-ip-disabled')],
      docs: [DOCS.pull, DOCS.ecrEndpoints],
      checks: ['vpc-endpoints', 'security-groups', 'subnet-ips', 'execution-role'],
      examples: [
        'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v1: failed to do request: Head "https://123456789012.dkr.ecr.us-east-1.amazonaws.com/v2/api/manifests/v1": dial tcp 52.94.0.1:443: i/o timeout',
        'CannotPullContainerError: API error (500): Get https://111122223333.dkr.ecr.us-east-1.amazonaws.com/v2/: net/http: request canceled while waiting for connection"',
        "CannotPullContainerError: The task can’t pull the image. Check your network configuration. Error response from daemon: Get \"https://111122223333.dkr.ecr.us-east-1.amazonaws.com/v2/\": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)",
        'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/nginx:1.25: failed to do request: Head "https://registry-1.docker.io/v2/library/nginx/manifests/1.25": context deadline exceeded',
      ],
    },
    {
      variant: 'context-canceled',
      match: [/context canceled/i],
      title: 'Image pull canceled before it finished',
      summary:
        'The pull was canceled (context canceled). AWS documents the usual cause as the VPC having no route to pull the image from ECR; it can also be a pull that ran longer than the agent waited.',
      confidence: 'medium',
      whereToLook: NET_WHERE,
      causes: [...noRouteCauses('Amazon ECR'), c('slow-pull', 'A very large image that did not finish downloading in time.')],
      fixes: noRouteFixes('ecr.api, ecr.dkr and an S3 gateway endpoint'),
      checks: ['vpc-endpoints', 'security-groups', 'subnet-ips'],
      examples: ['CannotPullContainerError: context canceled'],
    },
    {
      variant: 'certificate-error',
      match: [/x509:|certificate signed by unknown authority|certificate has expired/i],
      title: 'Image pull failed: TLS certificate not trusted',
      summary: 'The TLS connection to the registry failed certificate validation: a private registry with a self-signed certificate, or a TLS-inspecting proxy/firewall in the path.',
      whereToLook: ['The registry host in the image URI.', 'Any proxy or firewall doing TLS inspection on the egress path.'],
      causes: [c('untrusted-cert', 'The registry presents a certificate the host does not trust (self-signed, private CA, or a TLS-inspecting proxy).')],
      fixes: [f('Use a registry with a publicly trusted certificate (or ECR), or exempt the registry from TLS inspection.', undefined, 'untrusted-cert')],
      checks: ['task-definition'],
      examples: ['CannotPullContainerError: Error response from daemon: Get "https://registry.internal.example.com/v2/": x509: certificate signed by unknown authority'],
    },
    {
      variant: 'layer-corrupt-or-interrupted',
      match: [/unexpected EOF|failed to (?:register|extract) layer|failed to unpack image|digest mismatch|content digest [^\s]+ not found|connection reset by peer/i],
      title: 'Image pull interrupted or a layer failed to unpack',
      summary: 'The download was cut off or a layer could not be written/unpacked. This is usually transient (network reset, registry hiccup); if it repeats, the image or the host storage is at fault.',
      confidence: 'medium',
      whereToLook: ['Whether later tasks with the same image start (transient or not).', 'The image itself (pull it locally), and the host disk on EC2.'],
      causes: [c('transient-network', 'A transient network reset between the task and the registry.'), c('corrupt-image', 'A layer of the image is corrupt or was pushed incompletely.', ['ecr-image'])],
      fixes: [f('Start the task again; if it repeats, re-push the image (a new tag) and pull it locally to confirm it is complete.', undefined, 'corrupt-image')],
      checks: ['ecr-image', 'vpc-endpoints'],
      examples: ['CannotPullContainerError: failed to extract layer sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1: unexpected EOF', 'CannotPullContainerError: failed to register layer: Error processing tar file(exit status 1): unexpected EOF'],
    },
    {
      variant: 'other',
      title: 'The container image could not be pulled',
      summary: 'The image could not be pulled, and the rest of the message does not match a documented form. The usual causes, in order: no route to the registry, missing permissions on the execution role, and a missing tag.',
      confidence: 'medium',
      whereToLook: pullWhere,
      causes: [...noRouteCauses('the registry').slice(0, 1), EXEC_ROLE_CAUSE('pulling the image'), c('tag-missing', 'The tag or repository in the image URI does not exist.', ['ecr-image'])],
      fixes: [...noRouteFixes('ecr.api, ecr.dkr and an S3 gateway endpoint').slice(0, 1), f('Attach AmazonECSTaskExecutionRolePolicy to the execution role.', CMD.attachExecPolicy, 'execution-role-permissions'), f('Check the tag exists.', CMD.ecrImages, 'tag-missing')],
      checks: ['ecr-image', 'vpc-endpoints', 'execution-role', 'subnet-ips'],
      examples: ['CannotPullContainerError: something the catalogue has never seen'],
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// CannotPullContainerError by registry. The variants above are written for private Amazon ECR
// (the usual case, and what AWS's pages describe). When the message or the container's image
// names another registry, classify() replaces a variant's ECR-only parts with these: no ECR
// lifecycle, no ecr:* permissions, no ECR VPC endpoints, no `aws ecr describe-images`. Cause ids
// stay those of the variant (the evidence layer confirms and rules out by id).
// Placeholders filled by classify(): <image>, <registry-host>, <registry-name>, <registry-port>,
// <repository>, <tag>, <image-check> (a command that shows whether the tag exists there).

/** The registries outside private ECR; 'external' is the fallback for any of them. */
export type ExternalRegistryKey = 'docker-hub' | 'ecr-public' | 'other' | 'external';

/** The parts of a variant a registry replaces (each field replaces the variant's whole field). */
export type RegistryOverride = Partial<Pick<VariantSpec, 'title' | 'summary' | 'confidence' | 'whereToLook' | 'causes' | 'fixes' | 'prevention' | 'docs' | 'checks'>>;

export const PULL_DOCS = {
  pullThroughCache: { title: 'Amazon ECR pull through cache rules', url: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html' },
  ecrPublicPulls: { title: 'Amazon ECR Public: pulling a public image', url: 'https://docs.aws.amazon.com/AmazonECR/latest/public/docker-pull-ecr-image.html' },
  natGateway: { title: 'Amazon VPC NAT gateways', url: 'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html' },
  fargateNetworking: { title: 'Amazon ECS task networking for Fargate', url: `${DG}/fargate-task-networking.html` },
} as const satisfies Record<string, DocLink>;

const EXT = {
  natRoute: 'aws ec2 create-route --route-table-id <route-table-id> --destination-cidr-block 0.0.0.0/0 --nat-gateway-id <nat-gateway-id>',
  publicIp: "aws ecs update-service --cluster <cluster> --service <service> --network-configuration 'awsvpcConfiguration={subnets=[<subnet-id>],securityGroups=[<security-group-id>],assignPublicIp=ENABLED}'",
  createSecret: `aws secretsmanager create-secret --name <registry-credentials-secret> --secret-string '{"username":"<user>","password":"<access-token>"}'`,
  secretPolicy: 'aws iam put-role-policy --role-name <execution-role> --policy-name registry-credentials --policy-document \'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"<secret-arn>"}]}\'',
  hubCache: 'aws ecr create-pull-through-cache-rule --ecr-repository-prefix docker-hub --upstream-registry-url registry-1.docker.io --credential-arn <secret-arn>',
  publicCache: 'aws ecr create-pull-through-cache-rule --ecr-repository-prefix ecr-public --upstream-registry-url public.ecr.aws',
};

const EXT_NET_WHERE = [
  'The subnet the task ran in: a private subnet needs a 0.0.0.0/0 route to a NAT gateway; a public subnet needs assignPublicIp ENABLED. VPC endpoints do not reach <registry-name>: it is outside your VPC and AWS PrivateLink.',
  "The task's security group and the subnet's network ACL: outbound TCP <registry-port> to <registry-host> must be allowed.",
];

const extNoRouteCauses = (): Cause[] => [
  c('no-route', 'The task has no route to the internet: a private subnet without a NAT gateway route (VPC endpoints do not help: <registry-name> is outside AWS PrivateLink), or a proxy/firewall that blocks <registry-host>.', ['vpc-endpoints']),
  c('public-ip-disabled', 'Public subnet: the task has no public IP (assignPublicIp DISABLED), so the internet gateway cannot be used.', ['vpc-endpoints']),
  c('task-sg-egress', "The task's security group or the subnet's network ACL does not allow outbound TCP <registry-port> to <registry-host>.", ['security-groups']),
];

const extNoRouteFixes = (): Fix[] => [
  f('Private subnet: route 0.0.0.0/0 to a NAT gateway (the NAT gateway itself in a public subnet), then start the task again. Interface VPC endpoints cannot reach <registry-name>.', EXT.natRoute, 'no-route'),
  f('Check the route table of the subnet: 0.0.0.0/0 must point to a NAT gateway (private) or an internet gateway (public, with assignPublicIp ENABLED).', CMD.routes, 'no-route'),
  f('Public subnet: run the task or service with assignPublicIp=ENABLED.', EXT.publicIp, 'public-ip-disabled'),
  f("Allow outbound TCP <registry-port> on the task's security group (and the network ACL).", CMD.securityGroups, 'task-sg-egress'),
];

const extCredentialsCause = (text: string): Cause => c('private-registry-credentials', text, ['secrets']);
const extExecRoleCause = (): Cause =>
  c('execution-role-permissions', 'repositoryCredentials are set, but the task execution role is missing or may not read the secret (secretsmanager:GetSecretValue, and kms:Decrypt for a customer managed key).', ['execution-role', 'secrets']);
const extCredentialsFixes = (): Fix[] => [
  f('Store the registry credentials in Secrets Manager ({"username": ..., "password": ...}) and set repositoryCredentials.credentialsParameter to the secret\'s ARN on the container, then register a new task definition revision.', EXT.createSecret, 'private-registry-credentials'),
  f('Allow the task execution role secretsmanager:GetSecretValue on that secret (and kms:Decrypt for a customer managed key).', EXT.secretPolicy, 'execution-role-permissions'),
];

const extTagCauses = (where: string): Cause[] => [
  c('tag-missing', `The tag <tag> does not exist in <repository> on ${where}: it was never published, or the name or tag is for another registry.`, ['task-definition']),
  c('tag-expired', `The tag was removed from ${where} (the publisher deleted or renamed it, or the registry's retention removed it).`),
  c('tag-typo', 'The repository, tag or digest in the task definition is mistyped.', ['task-definition']),
];

const EXT_PREVENTION = [
  'Pin images by digest (or an immutable tag), and check in CI that the reference resolves before registering the task definition.',
  'Copy third-party images into Amazon ECR (a pull-through cache rule, or a CI copy) so deployments depend neither on an outside registry\'s availability and rate limits nor on an internet route.',
  'Keep the NAT route (or the public IP setting) in infrastructure code, so a private subnet cannot lose its way out.',
  'Turn on the deployment circuit breaker with rollback, so a service whose new tasks cannot pull rolls back by itself.',
];

/** The family's prevention, by registry (replaces PULL_PREVENTION outside private ECR). */
export const PULL_PREVENTION_BY_REGISTRY: Record<Exclude<ExternalRegistryKey, 'external'>, string[]> = {
  'docker-hub': ['Authenticate Docker Hub pulls (repositoryCredentials) or serve the images from Amazon ECR: anonymous pulls share a per-IP rate limit.', ...EXT_PREVENTION],
  'ecr-public': EXT_PREVENTION,
  other: EXT_PREVENTION,
};

const RATE_LIMIT_FIXES_OTHER = (): Fix[] => [
  f('Authenticate the pulls: store credentials for <registry-name> in Secrets Manager and set repositoryCredentials.credentialsParameter on the container (authenticated pulls get a higher limit).', EXT.createSecret, 'anonymous-pulls'),
  f('Or copy the image into Amazon ECR (a pull-through cache rule where <registry-name> is supported, or a CI copy) and point the task definition at it.', undefined, 'anonymous-pulls'),
  f('Spread large deployments out (a lower maximumPercent) so fewer tasks pull at the same moment.', undefined, 'many-tasks'),
];

/** Variant id -> registry -> the parts that replace the ECR wording. */
export const PULL_BY_REGISTRY: Record<string, Partial<Record<ExternalRegistryKey, RegistryOverride>>> = {
  'docker-hub-rate-limit': {
    'docker-hub': {
      fixes: [
        f('Authenticate the pulls: store Docker Hub credentials (a username and an access token) in Secrets Manager, set repositoryCredentials.credentialsParameter on the container, and allow the execution role secretsmanager:GetSecretValue on the secret.', EXT.createSecret, 'anonymous-pulls'),
        f('Or serve the image from Amazon ECR: a pull-through cache rule for Docker Hub (its credentials secret must be named ecr-pullthroughcache/...), then use <account>.dkr.ecr.<region>.amazonaws.com/docker-hub/<repository>:<tag> in the task definition.', EXT.hubCache, 'anonymous-pulls'),
        f('Spread large deployments out (a lower maximumPercent) so fewer tasks pull through the same NAT gateway at once.', undefined, 'many-tasks'),
      ],
      docs: [DOCS.pull, DOCS.privateAuth, PULL_DOCS.pullThroughCache],
      checks: ['task-definition', 'secrets', 'execution-role'],
    },
    'ecr-public': {
      title: 'Image pull refused: Amazon ECR Public rate limit',
      summary: 'Amazon ECR Public refused the pull with HTTP 429 (toomanyrequests): unauthenticated pulls are limited per source IP address, and every task behind the same NAT gateway shares that address.',
      whereToLook: ['Whether the tasks reach the internet through one NAT gateway (one shared IP address).', 'How many tasks started at once (a large deployment or scale-out).'],
      fixes: [
        f('Serve the image from your private ECR registry: a pull-through cache rule for ECR Public (no credentials needed), then use <account>.dkr.ecr.<region>.amazonaws.com/ecr-public/<repository>:<tag> in the task definition.', EXT.publicCache, 'anonymous-pulls'),
        f('Spread large deployments out (a lower maximumPercent) so fewer tasks pull at the same moment.', undefined, 'many-tasks'),
      ],
      docs: [DOCS.pull, PULL_DOCS.pullThroughCache, PULL_DOCS.ecrPublicPulls],
      checks: ['task-definition'],
    },
    other: {
      title: 'Image pull refused: <registry-name> rate limit',
      summary: '<registry-name> refused the pull with HTTP 429 (toomanyrequests): the registry limits pulls (often per source IP address or per anonymous client), and every task behind the same NAT gateway shares one address.',
      whereToLook: ["The registry's pull limits for anonymous and authenticated clients.", 'Whether the tasks reach the internet through one NAT gateway (one shared IP address).'],
      causes: [c('anonymous-pulls', 'The image is pulled from <registry-name> without credentials (or with an account over its allowance).', ['secrets']), c('many-tasks', 'Many tasks (or a deployment of many tasks) pulled at once through the same address.')],
      fixes: RATE_LIMIT_FIXES_OTHER(),
      docs: [DOCS.pull, DOCS.privateAuth, PULL_DOCS.pullThroughCache],
      checks: ['task-definition', 'secrets', 'execution-role'],
    },
  },
  'no-basic-auth-credentials': {
    external: {
      summary: 'The pull was sent to <registry-name> without credentials: the repository is private and the container has no repositoryCredentials (or the secret they name could not be read).',
      whereToLook: ['repositoryCredentials.credentialsParameter on the container definition.', 'The secret it names (Secrets Manager) and whether the task execution role may read it.'],
      causes: [extCredentialsCause('The container has no repositoryCredentials for <registry-name>, or they name a secret that does not hold a valid username and password.'), extExecRoleCause()],
      fixes: extCredentialsFixes(),
      docs: [DOCS.pull, DOCS.privateAuth, DOCS.execRole],
      checks: ['task-definition', 'secrets', 'execution-role'],
    },
  },
  'pull-access-denied': {
    'docker-hub': {
      summary: 'Docker Hub answered "access denied": the repository <repository> does not exist on Docker Hub (a typo, or an image meant for another registry without its host name), or it is private and the pull had no valid credentials.',
      whereToLook: ['The image name in the task definition: an image without a registry host is pulled from Docker Hub.', 'Whether <repository> exists and is public: <hub-url>.', 'repositoryCredentials on the container, for a private Docker Hub repository.'],
      causes: [
        c('repository-missing', 'The repository <repository> does not exist on Docker Hub: a typo, or the image lives in another registry and its host name is missing from the image value.', ['task-definition']),
        extCredentialsCause('The repository is private on Docker Hub and the container has no (valid) repositoryCredentials.'),
        extExecRoleCause(),
      ],
      fixes: [f('Check the repository and tag exist (or open <hub-url>), and fix the image value (add the registry host if it is not on Docker Hub).', '<image-check>', 'repository-missing'), ...extCredentialsFixes()],
      docs: [DOCS.pull, DOCS.privateAuth],
      checks: ['task-definition', 'secrets', 'execution-role'],
    },
    'ecr-public': {
      summary: 'Amazon ECR Public answered "access denied": images there are public, so this almost always means the repository or registry alias in <image> does not exist (or was deleted).',
      whereToLook: ['The registry alias and repository in the image value against the Amazon ECR Public Gallery (https://gallery.ecr.aws/).'],
      causes: [c('repository-missing', 'The alias or repository in the image value does not exist on Amazon ECR Public (a typo, or a private ECR repository written with the public host).', ['task-definition'])],
      fixes: [f('Check the image exists, and fix the image value.', '<image-check>', 'repository-missing')],
      docs: [DOCS.pull, PULL_DOCS.ecrPublicPulls],
      checks: ['task-definition'],
    },
    other: {
      summary: '<registry-name> answered "access denied": the repository <repository> does not exist there, or it is private and the pull had no valid credentials (repositoryCredentials).',
      whereToLook: ['The repository part of the image value.', 'repositoryCredentials on the container, and the secret it names.'],
      causes: [
        c('repository-missing', 'The repository <repository> does not exist on <registry-name> (a typo, or another organisation or project).', ['task-definition']),
        extCredentialsCause('The repository is private and the container has no (valid) repositoryCredentials for <registry-name>, or the token lacks pull (read) access.'),
        extExecRoleCause(),
      ],
      fixes: [f('Check the image exists with credentials that may read it, and fix the image value.', '<image-check>', 'repository-missing'), ...extCredentialsFixes()],
      docs: [DOCS.pull, DOCS.privateAuth],
      checks: ['task-definition', 'secrets', 'execution-role'],
    },
  },
  'repository-not-found': {
    external: {
      summary: '<registry-name> says the repository does not exist: the image value names a repository that is not there (a typo, another organisation, or deleted), or a private one it will not reveal without credentials.',
      whereToLook: ['The repository in the image value against what exists on <registry-name>.'],
      causes: [c('repository-missing', 'The repository <repository> does not exist on <registry-name>.', ['task-definition']), extCredentialsCause('The repository is private and the pull had no valid repositoryCredentials.')],
      fixes: [f('Check the image exists, and fix the image value.', '<image-check>', 'repository-missing'), ...extCredentialsFixes().slice(0, 1)],
      docs: [DOCS.pull, DOCS.privateAuth],
      checks: ['task-definition', 'secrets'],
    },
  },
  'manifest-not-found': {
    'docker-hub': {
      summary: 'Docker Hub has the repository <repository> but not the tag (or digest) in the task definition: it was never published, it was removed, or it is mistyped.',
      whereToLook: ['The tag in the task definition against the tags on Docker Hub: <hub-url>.', 'Release notes of the image: some publishers remove old or pre-release tags.'],
      causes: extTagCauses('Docker Hub'),
      fixes: [f('Check the tag exists on Docker Hub (or open <hub-url>), then point the task definition at a tag that exists, preferably pinned by digest.', '<image-check>', 'tag-missing'), f('Register a new task definition revision with the corrected image and update the service.', CMD.taskDef, 'tag-typo')],
      prevention: ['Pin Docker Hub images by digest, or copy them into Amazon ECR, so a tag removed upstream cannot stop your deployments.'],
      checks: ['task-definition'],
    },
    'ecr-public': {
      summary: 'Amazon ECR Public has the repository but not the tag (or digest) in the task definition: it was never published, was removed by its publisher, or is mistyped.',
      whereToLook: ['The tag in the task definition against the tags in the Amazon ECR Public Gallery (https://gallery.ecr.aws/<repository>).'],
      causes: extTagCauses('Amazon ECR Public'),
      fixes: [f('Check the tag exists, then point the task definition at a tag that exists, preferably pinned by digest.', '<image-check>', 'tag-missing'), f('Register a new task definition revision with the corrected image and update the service.', CMD.taskDef, 'tag-typo')],
      checks: ['task-definition'],
    },
    other: {
      summary: '<registry-name> has no image for the tag (or digest) in the task definition: it was never pushed there, was removed (a retention policy or a person), or is mistyped.',
      whereToLook: ['The tag in the task definition against the tags of <repository> on <registry-name>.', 'The CI job that should have pushed it.'],
      causes: extTagCauses('<registry-name>'),
      fixes: [f('Check the tag exists (with credentials that may read the repository), then push it or point the task definition at a tag that exists.', '<image-check>', 'tag-missing'), f('Register a new task definition revision with the corrected image and update the service.', CMD.taskDef, 'tag-typo')],
      checks: ['task-definition'],
    },
  },
  'forbidden-403': {
    external: {
      summary: '<registry-name> refused a manifest or layer request (403): the repository is private and the credentials are missing or lack read access, or the registry (or a proxy on the way) blocks this source address.',
      whereToLook: ['repositoryCredentials on the container and the access of the token in the secret.', 'Any IP allow-list on the registry, and any proxy or firewall on the egress path.'],
      causes: [extCredentialsCause('The pull had no credentials, or credentials without read access to <repository>.'), c('registry-blocks-source', 'The registry (or a proxy or firewall on the way) refuses requests from the task\'s public address (the NAT gateway\'s IP).'), extExecRoleCause()],
      fixes: [...extCredentialsFixes(), f('If the registry allow-lists source addresses, add the NAT gateway\'s Elastic IP (or the task\'s public IP).', undefined, 'registry-blocks-source')],
      docs: [DOCS.pull, DOCS.privateAuth],
      checks: ['task-definition', 'secrets', 'execution-role'],
    },
  },
  'dns-failure': {
    external: {
      summary: 'DNS lookup of <registry-host> failed: the VPC has DNS resolution turned off, a custom DNS server (DHCP options) cannot resolve public names, or the host name in the image value is wrong.',
      whereToLook: ['The registry host in the image value (a typo, or an internal name that only resolves on another network).', 'The VPC attribute enableDnsSupport and any custom DHCP options set or Route 53 Resolver rules.'],
      causes: [c('vpc-dns', 'The VPC has DNS resolution (enableDnsSupport) turned off.'), c('custom-dns', 'A custom DNS server (DHCP options) or a Resolver rule cannot resolve <registry-host>.'), c('registry-host-typo', 'The registry host <registry-host> is mistyped, or is an internal name that does not resolve from this VPC.', ['task-definition'])],
      fixes: [f('Enable DNS resolution on the VPC.', 'aws ec2 modify-vpc-attribute --vpc-id <vpc-id> --enable-dns-support "{\\"Value\\":true}"', 'vpc-dns'), f('Fix the image value, or make the name resolvable from the VPC (Route 53 private hosted zone or Resolver rule).', CMD.taskDef, 'registry-host-typo')],
      checks: ['task-definition'],
    },
  },
  'no-route-to-registry': {
    external: {
      summary: 'Connecting to <registry-name> timed out: the task\'s network has no way out to it. <registry-name> is outside AWS, so VPC endpoints cannot reach it: a private subnet needs a NAT gateway route, and a public subnet needs a public IP on the task.',
      whereToLook: EXT_NET_WHERE,
      causes: extNoRouteCauses(),
      fixes: [...extNoRouteFixes(), f('Or copy the image into Amazon ECR (a pull-through cache rule or a CI copy) and pull it from there.', undefined, 'no-route')],
      docs: [DOCS.pull, PULL_DOCS.natGateway, PULL_DOCS.fargateNetworking],
      checks: ['vpc-endpoints', 'security-groups', 'subnet-ips', 'task-definition'],
    },
    other: {
      summary: 'Connecting to <registry-host> timed out: the task\'s network has no way to it. A registry outside AWS needs a NAT gateway route (private subnet) or a public IP (public subnet); a registry on a private network needs a route to it (VPN, peering, Transit Gateway).',
      whereToLook: [...EXT_NET_WHERE, 'For a registry on a private network: the route from the task\'s subnet to it, and whether the registry is up.'],
      causes: [...extNoRouteCauses(), c('registry-unreachable', 'The registry at <registry-host> is down, refuses connections on port <registry-port>, or sits on a private network the subnet has no route to.')],
      fixes: [...extNoRouteFixes(), f('Check the registry answers from inside the VPC (curl -sI https://<registry-host>/v2/ from an instance in the same subnet).', undefined, 'registry-unreachable')],
      docs: [DOCS.pull, PULL_DOCS.natGateway, PULL_DOCS.fargateNetworking],
      checks: ['vpc-endpoints', 'security-groups', 'subnet-ips', 'task-definition'],
    },
  },
  'context-canceled': {
    external: {
      summary: 'The pull from <registry-name> was canceled (context canceled): usually no route to the registry (a private subnet without a NAT gateway route; VPC endpoints do not reach registries outside AWS), or a pull that ran longer than the agent waited.',
      whereToLook: EXT_NET_WHERE,
      causes: [...extNoRouteCauses(), c('slow-pull', 'A very large image that did not finish downloading in time.')],
      fixes: extNoRouteFixes(),
      docs: [DOCS.pull, PULL_DOCS.natGateway],
      checks: ['vpc-endpoints', 'security-groups', 'subnet-ips'],
    },
  },
  other: {
    external: {
      summary: 'The image could not be pulled from <registry-name>, and the rest of the message does not match a documented form. The usual causes, in order: no route to the registry (a NAT gateway or public IP is needed; VPC endpoints do not reach it), missing or wrong repositoryCredentials, and a missing tag.',
      whereToLook: ['The full pull error in the stopped task (containers[].reason has the untruncated text).', 'The image value in the task definition: registry host, repository, tag or digest.', ...EXT_NET_WHERE, 'repositoryCredentials on the container, for a private repository.'],
      causes: [extNoRouteCauses()[0]!, extCredentialsCause('The repository is private and the container has no (valid) repositoryCredentials.'), c('tag-missing', 'The repository or tag in the image value does not exist on <registry-name>.', ['task-definition'])],
      fixes: [extNoRouteFixes()[0]!, extCredentialsFixes()[0]!, f('Check the image exists.', '<image-check>', 'tag-missing')],
      docs: [DOCS.pull, DOCS.privateAuth, PULL_DOCS.natGateway],
      checks: ['vpc-endpoints', 'task-definition', 'secrets', 'subnet-ips'],
    },
  },
};

// ---------------------------------------------------------------------------------------------
// ResourceInitializationError

const SECRETS_NET = /unable to (?:pull secrets|retrieve secrets?)[^\n]*(?:i\/o timeout|deadline exceeded|RequestCanceled|request canceled|connection timed out|dial tcp|signal: killed)/i;

const RIE: FamilySpec = {
  category: 'ResourceInitializationError',
  family: /ResourceInitializationError|unable to pull secrets or registry auth|failed to validate logger args|failed to invoke EFS utils commands/,
  docs: [DOCS.resourceInit, DOCS.stoppedErrors],
  prevention: [
    'Keep the VPC endpoints (secretsmanager, ssm, logs, ecr.api, ecr.dkr, s3) or the NAT route in infrastructure code.',
    'Grant the execution role exactly what the agent needs at start-up (ECR pull, logs, the secrets and their KMS key); keep the application\'s permissions on the task role.',
    'Create log groups with the infrastructure (or set awslogs-create-group with logs:CreateLogGroup).',
  ],
  variants: [
    {
      variant: 'registry-auth-network',
      match: [/(?:retrieve ecr registry auth|get registry auth)[^\n]*(?:i\/o timeout|deadline exceeded|RequestCanceled|request canceled|send request failed|dial tcp|connection timed out)/i],
      title: 'Start-up failed: could not reach ECR for registry authentication',
      summary:
        'Before pulling, the agent calls ECR (api.ecr.<region>.amazonaws.com) for an authorization token; that call timed out, so the task has no route to ECR\'s API: a private subnet without NAT or an ecr.api endpoint, or a public subnet without a public IP.',
      whereToLook: NET_WHERE,
      causes: [...noRouteCauses('the ECR API (ecr.api)'), c('public-ip-disabled', 'Public subnet: the task has no public IP (assignPublicIp DISABLED).')],
      fixes: noRouteFixes('ecr.api, ecr.dkr and an S3 gateway endpoint'),
      docs: [DOCS.resourceInit, DOCS.ecrEndpoints],
      checks: ['vpc-endpoints', 'security-groups', 'subnet-ips', 'execution-role'],
      examples: [
        'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post "https://api.ecr.us-east-1.amazonaws.com/": dial tcp 52.46.145.142:443: i/o timeout. Please check your task network configuration.',
      ],
    },
    {
      variant: 'registry-auth-denied',
      match: [/(?:retrieve ecr registry auth|get registry auth)[^\n]*(?:AccessDenied|not authorized)|ecr:GetAuthorizationToken/i],
      title: 'Start-up failed: the execution role may not get an ECR token',
      summary: 'The execution role is not allowed ecr:GetAuthorizationToken (which must be granted on Resource "*"), so the image cannot be pulled.',
      whereToLook: ['The execution role named in the message and its policies.'],
      causes: [EXEC_ROLE_CAUSE('ecr:GetAuthorizationToken on Resource "*"'), c('scp-or-boundary', 'A service control policy or permissions boundary denies the ECR action.')],
      fixes: [f('Attach AmazonECSTaskExecutionRolePolicy to the execution role.', CMD.attachExecPolicy, 'execution-role-permissions')],
      docs: [DOCS.resourceInit, DOCS.execRole],
      checks: ['execution-role', 'task-definition'],
      examples: [
        'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 1 time(s): operation error ECR: GetAuthorizationToken, https response error StatusCode: 400, RequestID: 24460c33-1d7d-4ee9-99cf-c259d53e7b44, api error AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/tester-ExecutionRole/a5209a25 is not authorized to perform: ecr:GetAuthorizationToken on resource: * because no identity-based policy allows the ecr:GetAuthorizationToken action',
      ],
    },
    {
      variant: 'no-execution-role',
      match: [/no execution role|execution role[^\n]*(?:missing|not (?:set|provided|specified))/i],
      title: 'Start-up failed: the task has no execution role',
      summary: 'The task needs the agent to pull from ECR, fetch secrets or write awslogs, but the task definition has no executionRoleArn.',
      whereToLook: ['executionRoleArn in the task definition.'],
      causes: [c('execution-role-missing', 'The task definition does not set executionRoleArn.', ['execution-role'])],
      fixes: [f('Create (or reuse) ecsTaskExecutionRole with AmazonECSTaskExecutionRolePolicy and set it as executionRoleArn in a new revision.', CMD.attachExecPolicy, 'execution-role-missing')],
      docs: [DOCS.execRole],
      checks: ['execution-role', 'task-definition'],
      examples: ['ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to get registry auth: no execution role'],
    },
    {
      variant: 'secrets-network',
      match: [SECRETS_NET, /pull command failed: : signal: killed/i],
      title: 'Start-up failed: could not reach Secrets Manager / SSM',
      summary:
        'The agent timed out fetching the task\'s secrets (secrets[].valueFrom) from Secrets Manager or SSM Parameter Store: the task has no network path to those services (private subnet without NAT or the secretsmanager/ssm endpoints).',
      whereToLook: [...NET_WHERE, 'Which services the secrets use: arn:aws:secretsmanager:... needs secretsmanager, arn:aws:ssm:... or a parameter name needs ssm.'],
      causes: noRouteCauses('Secrets Manager / SSM'),
      fixes: noRouteFixes('secretsmanager and/or ssm (and kms if the secrets use a customer key)'),
      docs: [DOCS.resourceInit, DOCS.secrets],
      checks: ['vpc-endpoints', 'security-groups', 'secrets', 'subnet-ips'],
      examples: [
        'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 5 time(s): RequestCanceled: request context canceled caused by: context deadline exceeded',
        'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-Ab12Cd from secrets manager: RequestError: send request failed caused by: Post "https://secretsmanager.us-east-1.amazonaws.com/": dial tcp 10.0.1.10:443: i/o timeout',
        'ResourceInitializationError: unable to pull secrets or registry auth: pull command failed: : signal: killed',
      ],
    },
    {
      variant: 'secret-not-found',
      match: [/can.t find the specified secret|ResourceNotFoundException[^\n]*secret|invalid parameters?:|ParameterNotFound|did not contain json key|secret version[^\n]*not found|VersionId[^\n]*not found/i],
      title: 'Start-up failed: a secret or parameter does not exist',
      summary: 'A secrets[].valueFrom (or repositoryCredentials/log secretOptions) names a secret, version, JSON key or parameter that does not exist in that account and Region.',
      whereToLook: ['Each secrets[].valueFrom in the task definition against the secret/parameter named in the message.', 'For Secrets Manager JSON keys: arn:...:secret:name-AbCdEf:json-key:version-stage:version-id.'],
      causes: [
        c('secret-missing', 'The secret or parameter was deleted, renamed, or lives in another Region/account.', ['secrets']),
        c('json-key-missing', 'The JSON key or version named in valueFrom is not in the secret.', ['secrets']),
      ],
      fixes: [f('Check the reference exists and fix valueFrom (a full ARN is safest).', CMD.secret, 'secret-missing'), f('SSM: check the parameter name (InvalidParameters lists the missing ones).', CMD.parameter, 'secret-missing')],
      docs: [DOCS.resourceInit, DOCS.secrets],
      checks: ['secrets', 'task-definition'],
      examples: [
        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:api/old-XyZ123 from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret.",
        'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid parameters: /prod/api/DB_PASSWORD',
        'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: retrieved secret from Secrets Manager did not contain json key password',
      ],
    },
    {
      variant: 'secret-access-denied',
      match: [/(?:secretsmanager:GetSecretValue|ssm:GetParameters?|kms:Decrypt)|unable to (?:pull secrets|retrieve secrets?)[^\n]*(?:AccessDenied|not authorized)/i],
      title: 'Start-up failed: the execution role may not read a secret',
      summary: 'The execution role is not allowed to read a secret the task references (secretsmanager:GetSecretValue, ssm:GetParameters, or kms:Decrypt for a customer-managed key).',
      whereToLook: ['The IAM action and resource named in the message.', 'The execution role (not the task role: secrets are fetched by the agent at start-up).'],
      causes: [EXEC_ROLE_CAUSE('secretsmanager:GetSecretValue / ssm:GetParameters (and kms:Decrypt) on the referenced secrets'), c('wrong-role', 'The permission was added to the task role instead of the execution role.', ['execution-role'])],
      fixes: [f('Add an inline policy to the execution role allowing the action on the secret ARNs (and kms:Decrypt on their key).', 'aws iam put-role-policy --role-name <execution-role> --policy-name ecs-secrets --policy-document file://secrets-policy.json', 'execution-role-permissions')],
      docs: [DOCS.resourceInit, DOCS.secrets, DOCS.execRole],
      checks: ['execution-role', 'secrets', 'task-definition'],
      examples: [
        'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-Ab12Cd from secrets manager: AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/ecsTaskExecutionRole/3f2a is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-Ab12Cd because no identity-based policy allows the secretsmanager:GetSecretValue action',
      ],
    },
    {
      variant: 'logs-network',
      match: [/connection issue between the task and Amazon CloudWatch|failed to validate logger args[^\n]*(?:timeout|deadline|signal: killed|dial tcp)/i],
      title: 'Start-up failed: could not reach CloudWatch Logs',
      summary: 'The awslogs driver could not reach CloudWatch Logs to create the log stream: no logs VPC endpoint and no NAT route from the task\'s subnet.',
      whereToLook: NET_WHERE,
      causes: noRouteCauses('CloudWatch Logs'),
      fixes: noRouteFixes('logs'),
      docs: [DOCS.resourceInit, DOCS.awslogs],
      checks: ['vpc-endpoints', 'security-groups', 'logs', 'subnet-ips'],
      examples: [
        'ResourceInitializationError: failed to validate logger args: The task cannot find the Amazon CloudWatch log group defined in the task definition. There is a connection issue between the task and Amazon CloudWatch. Check your network configuration. : signal: killed',
      ],
    },
    {
      variant: 'log-group-missing',
      match: [/log group does not exist|cannot find the Amazon CloudWatch log group/i],
      title: 'Start-up failed: the CloudWatch log group does not exist',
      summary: 'The awslogs driver could not create its log stream because the awslogs-group does not exist (and awslogs-create-group is not "true").',
      whereToLook: ['logConfiguration.options awslogs-group / awslogs-region of each container.', 'Whether that group exists in that Region.'],
      causes: [c('log-group-missing', 'The log group named in awslogs-group does not exist in awslogs-region.', ['logs', 'task-definition']), c('wrong-region', 'awslogs-region points at another Region than the group\'s.', ['task-definition'])],
      fixes: [f('Create the log group (or set awslogs-create-group "true" and allow the execution role logs:CreateLogGroup).', CMD.createLogGroup, 'log-group-missing')],
      docs: [DOCS.resourceInit, DOCS.awslogs],
      checks: ['logs', 'task-definition', 'execution-role'],
      examples: [
        'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1',
      ],
    },
    {
      variant: 'logs-access-denied',
      match: [/logs:CreateLogStream|logs:CreateLogGroup|failed to validate logger args[^\n]*(?:AccessDenied|not authorized)/i],
      title: 'Start-up failed: the execution role may not write logs',
      summary: 'The execution role is not allowed logs:CreateLogStream (or logs:CreateLogGroup when awslogs-create-group is "true") on the log group.',
      whereToLook: ['The execution role\'s policies.'],
      causes: [EXEC_ROLE_CAUSE('logs:CreateLogStream and logs:PutLogEvents (logs:CreateLogGroup with awslogs-create-group)')],
      fixes: [f('Attach AmazonECSTaskExecutionRolePolicy (and allow logs:CreateLogGroup if the driver creates the group).', CMD.attachExecPolicy, 'execution-role-permissions')],
      docs: [DOCS.resourceInit, DOCS.awslogs],
      checks: ['execution-role', 'logs'],
      examples: ['ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/ecsTaskExecutionRole/1a2b is not authorized to perform: logs:CreateLogStream on resource: arn:aws:logs:us-east-1:111122223333:log-group:/ecs/web:log-stream:web/app/1a2b : exit status 1'],
    },
    {
      variant: 'efs-mount',
      match: [/EFS|mount\.nfs4?|amazon-efs-utils/i],
      title: 'Start-up failed: the EFS volume could not be mounted',
      summary: 'Mounting an EFS volume failed: the file system DNS name did not resolve, NFS (2049) was blocked, there is no mount target in the task\'s Availability Zone, or IAM authorization/access point settings refused the mount.',
      whereToLook: ['The EFS mount targets (one per AZ the tasks use) and their security group (inbound TCP 2049 from the task).', 'The volume\'s efsVolumeConfiguration (transitEncryption, authorizationConfig, accessPointId) and the task role when IAM authorization is on.', 'VPC DNS resolution/hostnames.'],
      causes: [
        c('no-mount-target', 'No EFS mount target in the Availability Zone of the task\'s subnet, or DNS resolution is off in the VPC.', ['task-definition']),
        c('nfs-blocked', 'The mount target\'s security group does not allow TCP 2049 from the task\'s security group.'),
        c('efs-iam', 'IAM authorization is on and the task role may not elasticfilesystem:ClientMount/ClientWrite, or the access point does not exist.'),
      ],
      fixes: [f('Check mount targets exist in every AZ the service uses, and allow 2049 from the task.', CMD.efs, 'no-mount-target'), f('With IAM authorization, allow the task role elasticfilesystem:ClientMount (and ClientWrite).', undefined, 'efs-iam')],
      docs: [DOCS.resourceInit, DOCS.efs],
      checks: ['task-definition', 'subnet-ips'],
      examples: [
        'ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to resolve "fs-0123456789abcdef0.efs.us-east-1.amazonaws.com" - check that your file system ID is correct, and ensure that the VPC has an EFS mount target for this file system ID. : unsuccessful EFS utils command execution; code: 1',
        "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: Connection timed out' : unsuccessful EFS utils command execution; code: 32",
      ],
    },
    {
      variant: 'env-files',
      match: [/failed to download env files/i],
      title: 'Start-up failed: the environment file could not be read from S3',
      summary: 'The agent could not download a container\'s environmentFiles from Amazon S3: the execution role lacks s3:GetObject (and s3:GetBucketLocation), the object is missing, or there is no route to S3.',
      whereToLook: ['environmentFiles[].value in the task definition.', 'The execution role\'s S3 permissions; the S3 gateway endpoint in private subnets.'],
      causes: [EXEC_ROLE_CAUSE('s3:GetObject and s3:GetBucketLocation on the environment file'), c('env-file-missing', 'The S3 object does not exist (or is in another Region).'), ...noRouteCauses('Amazon S3').slice(0, 1)],
      fixes: [f('Allow s3:GetObject on the object and s3:GetBucketLocation on the bucket to the execution role; check the object exists.', 'aws s3 ls <s3-uri>', 'env-file-missing')],
      checks: ['execution-role', 'vpc-endpoints', 'task-definition'],
      examples: ['ResourceInitializationError: failed to download env files: file download command: non empty error stream: service call has been retried 5 time(s): AccessDenied: Access Denied'],
    },
    {
      variant: 'eni',
      match: [/failed to configure ENI|netplugin|network interface|failed to setup regular eni/i],
      title: 'Start-up failed: the task\'s network interface could not be set up',
      summary: 'Configuring the task\'s elastic network interface (awsvpc) failed. AWS treats this as usually transient; if it repeats, check the subnet\'s free IP addresses and ENI limits.',
      confidence: 'medium',
      whereToLook: ['The subnet\'s free IP addresses.', 'Whether the next task in the same subnet starts (transient).'],
      causes: [c('transient-eni', 'A transient failure while attaching/configuring the ENI.'), c('subnet-full', 'The subnet is (nearly) out of IP addresses.', ['subnet-ips'])],
      fixes: [f('Start the task again; if it repeats, check the subnet\'s free addresses and spread the service over more/larger subnets.', CMD.subnet, 'subnet-full')],
      checks: ['subnet-ips'],
      examples: ['ResourceInitializationError: failed to configure ENI: failed to setup regular eni: netplugin failed with no error message'],
    },
    {
      variant: 'user-not-found',
      match: [/no users found|unable to find user|no matching entries in passwd file/i],
      title: 'Start-up failed: the container user does not exist in the image',
      summary: 'The task definition sets user (or the image\'s USER is a name) that does not exist in the image\'s /etc/passwd.',
      whereToLook: ['The container definition\'s user field.', 'The image\'s /etc/passwd (docker run --rm --entrypoint cat <image> /etc/passwd).'],
      causes: [c('unknown-user', 'The user name in the task definition (or image) is not in the image; numeric UID:GID values avoid the lookup.', ['task-definition'])],
      fixes: [f('Use a numeric UID:GID (for example "1000:1000"), or create the user in the Dockerfile.', CMD.taskDef, 'unknown-user')],
      checks: ['task-definition'],
      examples: ['ResourceInitializationError: unable to create new container: mount callback failed on /tmp/containerd-mount2631870398: no users found'],
    },
    {
      variant: 'other',
      title: 'Resources for the task could not be initialised',
      summary:
        'Something the agent prepares before the containers start failed (image registry auth, secrets, the log stream, the network interface or a volume), and the rest of the message does not match a documented form.',
      confidence: 'medium',
      whereToLook: ['The whole message: which resource (secrets, registry auth, logger, ENI, EFS) it names.', ...NET_WHERE, 'The execution role.'],
      causes: [...noRouteCauses('the AWS services the agent needs').slice(0, 1), EXEC_ROLE_CAUSE('what the task needs at start-up'), c('secret-missing', 'A referenced secret or parameter does not exist.', ['secrets'])],
      fixes: [...noRouteFixes('ecr.api, ecr.dkr, s3, logs, secretsmanager, ssm').slice(0, 1), f('Attach AmazonECSTaskExecutionRolePolicy and the secrets permissions to the execution role.', CMD.attachExecPolicy, 'execution-role-permissions')],
      checks: ['vpc-endpoints', 'execution-role', 'secrets', 'logs', 'subnet-ips'],
      examples: ['ResourceInitializationError: something new'],
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// TaskFailedToStart

const TFS: FamilySpec = {
  category: 'TaskFailedToStart',
  family:
    /Unexpected EC2 error while attempting|Timeout waiting for (?:network interface|EphemeralStorage) provisioning|not compatible with the selected compute strategy|Unable to attach network interface to unused device index|InsufficientFreeAddressesInSubnet|ECS was unable to assume the role|Capacity is unavailable at this time|was unable to place a task|reached the limit on the number of vCPUs|^AGENT$|No Container Instances were found/im,
  docs: [DOCS.failedToStart, DOCS.stoppedErrors],
  prevention: ['Spread services over subnets in several Availability Zones with room to spare (a /24 holds 251 tasks at most).', 'Use capacity providers with managed scaling so placement has capacity.'],
  variants: [
    {
      variant: 'subnet-out-of-ips',
      match: [/InsufficientFreeAddressesInSubnet|insufficient free addresses|with public IP assignment enabled in subnet/i],
      title: 'Task failed to start: no free IP address in the subnet',
      summary: 'Each awsvpc task needs its own network interface and IP address, and the subnet had none left: EC2 could not create the network interface.',
      whereToLook: ['AvailableIpAddressCount of the subnet named in the message.', 'What else uses addresses there (other tasks, Lambda ENIs, load balancers, endpoints).'],
      causes: [c('subnet-full', 'The subnet has no free IPv4 addresses left.', ['subnet-ips']), c('too-few-subnets', 'The service uses too few or too small subnets for its task count and deployment surge (maximumPercent).')],
      fixes: [f('Check the free addresses; add more or larger subnets to the service (or lower maximumPercent so a deployment needs fewer extra addresses).', CMD.subnet, 'subnet-full')],
      checks: ['subnet-ips', 'service-events'],
      examples: [
        "Unexpected EC2 error while attempting to Create Network Interface with public IP assignment enabled in subnet 'subnet-0123456789abcdef0'",
        "Unexpected EC2 error while attempting to Create Network Interface in subnet 'subnet-0123456789abcdef0': InsufficientFreeAddressesInSubnet",
      ],
    },
    {
      variant: 'eni-tagging-failed',
      match: [/attempting to tag the network interface/i],
      title: 'Task failed to start: the network interface could not be tagged',
      summary: 'ECS could not tag the task\'s network interface: a tag policy (TagPolicyViolation), an SCP or a missing ec2:CreateTags permission on the ECS service-linked role refused it.',
      whereToLook: ['The EC2 error after the colon (TagPolicyViolation, UnauthorizedOperation).', 'AWS Organizations tag policies and SCPs that apply to ec2:network-interface.'],
      causes: [c('tag-policy', 'An Organizations tag policy requires tags the task\'s ENI does not get (propagateTags / service tags).'), c('scp', 'An SCP denies ec2:CreateTags for the ECS service-linked role.')],
      fixes: [f('Give the service the required tags and propagateTags, or exempt network interfaces created by ECS from the tag policy.', undefined, 'tag-policy')],
      checks: ['service-events'],
      examples: ['Unexpected EC2 error while attempting to tag the network interface: TagPolicyViolation'],
    },
    {
      variant: 'eni-attach-limit',
      match: [/Unable to attach network interface to unused device index|attempting to attach network interface/i],
      title: 'Task failed to start: the instance has no free network interface slot',
      summary: 'On EC2 with awsvpc, each task needs a network interface of its own and the container instance had no free ENI slot (or not enough CPU/memory for the task).',
      whereToLook: ['The instance type\'s ENI limit and the tasks already on it.', 'ENI trunking (awsvpcTrunking) for the account and instances.'],
      causes: [c('eni-limit', 'The container instance has used all its network interfaces.'), c('instance-resources', 'Not enough CPU/memory left on the instance for the task.')],
      fixes: [f('Turn on awsvpcTrunking (new instances), use larger instance types, or let a capacity provider add instances.', 'aws ecs put-account-setting --name awsvpcTrunking --value enabled', 'eni-limit')],
      checks: ['service-events'],
      examples: ['Unable to attach network interface to unused device index', 'Unexpected EC2 error while attempting to attach network interface to instance'],
    },
    {
      variant: 'eni-create-failed',
      match: [/Unexpected EC2 error while attempting to Create Network Interface/i],
      title: 'Task failed to start: EC2 could not create the network interface',
      summary: 'Creating the task\'s network interface failed with an EC2 error (named after the colon): often the subnet\'s free addresses, a deleted subnet/security group, or a transient AuthFailure.',
      confidence: 'medium',
      whereToLook: ['The EC2 error code after the colon.', 'The subnet and security groups in the service\'s network configuration still exist.'],
      causes: [c('subnet-full', 'The subnet is out of addresses.', ['subnet-ips']), c('network-config-stale', 'A subnet or security group in the network configuration was deleted.'), c('transient', 'A transient EC2 error (AuthFailure); the next attempt usually succeeds.')],
      fixes: [f('Check the subnet and its free addresses.', CMD.subnet, 'subnet-full')],
      checks: ['subnet-ips', 'service-events'],
      examples: ["Unexpected EC2 error while attempting to Create Network Interface in subnet 'subnet-0123456789abcdef0': AuthFailure"],
    },
    {
      variant: 'eni-provisioning-timeout',
      match: [/Timeout waiting for network interface provisioning to complete/i],
      title: 'Task failed to start: the network interface took too long',
      summary: 'The task\'s network interface was not ready in time. Usually transient (EC2 was slow to report the attachment); repeated timeouts point at a subnet short of addresses or EC2 API throttling.',
      confidence: 'medium',
      whereToLook: ['Whether the next tasks start.', 'The subnet\'s free addresses.'],
      causes: [c('transient', 'EC2 provisioned the interface slowly; ECS gave up waiting.'), c('subnet-full', 'The subnet is short of free addresses.', ['subnet-ips'])],
      fixes: [f('Start the task again (services retry on their own); if it repeats, check the subnet.', CMD.subnet, 'subnet-full')],
      checks: ['subnet-ips', 'service-events'],
      examples: ['Timeout waiting for network interface provisioning to complete.'],
    },
    {
      variant: 'ephemeral-storage-timeout',
      match: [/Timeout waiting for EphemeralStorage provisioning/i],
      title: 'Task failed to start: ephemeral storage took too long',
      summary: 'Fargate did not finish preparing the task\'s ephemeral storage in time. AWS-side and usually transient.',
      confidence: 'medium',
      whereToLook: ['Whether the next attempt starts.'],
      causes: [c('transient', 'A transient Fargate provisioning delay.')],
      fixes: [f('Start the task again; open a support case if it keeps happening.')],
      checks: ['service-events'],
      examples: ['Timeout waiting for EphemeralStorage provisioning to complete.'],
    },
    {
      variant: 'compute-incompatible',
      match: [/not compatible with the selected compute strategy/i],
      title: 'Task failed to start: launch type does not match the task definition',
      summary: 'The task definition\'s requiresCompatibilities (FARGATE / EC2 / EXTERNAL) does not match the launch type or capacity provider the task was started with.',
      whereToLook: ['requiresCompatibilities in the task definition.', 'The launch type or capacity provider strategy of the service / run-task call and the cluster\'s default strategy.'],
      causes: [c('launch-type-mismatch', 'The task definition is for one compute type and the task was run on another.', ['task-definition'])],
      fixes: [f('Use a task definition compatible with the cluster\'s capacity (or change the capacity provider strategy).', CMD.capacityProviders, 'launch-type-mismatch')],
      checks: ['task-definition'],
      examples: ['The selected task definition is not compatible with the selected compute strategy.'],
    },
    {
      variant: 'agent-disconnected',
      match: [/^AGENT$|agent[^\n]*disconnected/im],
      title: 'Task failed to start: the container instance\'s agent is disconnected',
      summary: 'The container instance chosen for the task has a disconnected ECS agent, so ECS rejected the placement instead of waiting.',
      whereToLook: ['agentConnected of the container instances.', 'The agent logs on the instance (/var/log/ecs/ecs-agent.log) and its route to the ECS endpoint.'],
      causes: [c('agent-down', 'The ECS agent on the instance stopped or cannot reach the ECS endpoint (network, IAM instance role).')],
      fixes: [f('Check agentConnected; restart the agent (sudo systemctl restart ecs) or replace the instance.', CMD.containerInstances, 'agent-down')],
      checks: ['service-events'],
      examples: ['AGENT'],
    },
    {
      variant: 'role-not-assumable',
      match: [/ECS was unable to assume the role/i],
      title: 'Task failed to start: ECS could not assume a role',
      summary: 'The task or execution role named in the message cannot be assumed by ecs-tasks.amazonaws.com: its trust policy is wrong, or the role was deleted.',
      whereToLook: ['The role\'s trust relationship (Principal ecs-tasks.amazonaws.com).', 'Whether the role still exists; iam:PassRole for whoever started the task.'],
      causes: [c('trust-policy', 'The role does not trust ecs-tasks.amazonaws.com (or has a restrictive condition).', ['execution-role']), c('role-deleted', 'The role was deleted or renamed.', ['execution-role'])],
      fixes: [f('Fix the trust policy so ecs-tasks.amazonaws.com may sts:AssumeRole.', 'aws iam get-role --role-name <role> --query Role.AssumeRolePolicyDocument', 'trust-policy')],
      checks: ['execution-role', 'task-definition'],
      examples: [
        "ECS was unable to assume the role 'arn:aws:iam::111122223333:role/ecsTaskExecutionRole' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.",
      ],
    },
    {
      variant: 'capacity-unavailable',
      match: [/Capacity is unavailable at this time|reached the limit on the number of vCPUs/i],
      title: 'Task failed to start: no capacity',
      summary: 'There was no capacity for the task: Fargate (or Spot) capacity in that Availability Zone was unavailable, or the account reached its vCPU quota.',
      confidence: 'medium',
      whereToLook: ['The service events (was unable to place a task ...).', 'Fargate On-Demand/Spot vCPU quotas in Service Quotas.'],
      causes: [c('az-capacity', 'Temporary lack of capacity in the Availability Zone(s) of the task\'s subnets.', ['service-events']), c('vcpu-quota', 'The account\'s Fargate vCPU quota is used up.')],
      fixes: [f('Add subnets in more Availability Zones; mix FARGATE and FARGATE_SPOT; request a quota increase if the vCPU limit is hit.', CMD.serviceEvents, 'az-capacity')],
      checks: ['service-events'],
      examples: ['Capacity is unavailable at this time. Please try again later or in a different availability zone', "You've reached the limit on the number of vCPUs you can run concurrently"],
    },
    {
      variant: 'no-container-instance',
      match: [/was unable to place a task|No Container Instances were found|RESOURCE:(?:CPU|MEMORY|ENI|PORTS)/i],
      title: 'Task failed to start: no container instance can take it',
      summary: 'No container instance met the task\'s requirements (CPU, memory, ports, ENIs, attributes), or the cluster has no instances.',
      whereToLook: ['The service events for the exact reason.', 'Container instances, their remaining resources and agent connection.'],
      causes: [c('no-capacity', 'Not enough CPU/memory/ports on any instance, or no instances.', ['service-events']), c('constraints', 'Placement constraints or required attributes that no instance satisfies.')],
      fixes: [f('Add capacity (a capacity provider with managed scaling) or lower the task\'s CPU/memory/port needs.', CMD.capacityProviders, 'no-capacity')],
      checks: ['service-events', 'task-definition'],
      examples: ['service web was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster.'],
    },
    {
      variant: 'other',
      title: 'The task failed to start',
      summary: 'ECS could not start the task, and the message does not match a documented form.',
      confidence: 'low',
      whereToLook: ['The full stoppedReason.', 'The service events.', 'The subnet and network configuration.'],
      causes: [c('subnet-full', 'The subnet is out of addresses.', ['subnet-ips']), c('capacity', 'No capacity for the task.', ['service-events'])],
      fixes: [f('Read the service events for the placement or network error.', CMD.serviceEvents)],
      checks: ['service-events', 'subnet-ips', 'task-definition'],
      examples: [],
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// OutOfMemoryError

const OOM_CAUSES: Cause[] = [
  c('limit-too-low', 'The memory limit (the container\'s hard limit memory, or the task\'s memory) is below what the application needs at peak.', ['memory']),
  c('memory-leak', 'The application leaks memory: it starts fine and grows until it is killed (look for a steady climb before each stop).', ['memory', 'logs']),
  c('runtime-heap', 'The runtime\'s own heap setting (JVM -Xmx, Node --max-old-space-size) plus overhead exceeds the container limit.', ['memory', 'task-definition']),
];

const OOM_FIXES: Fix[] = [
  f('Raise the memory: the container\'s memory (hard limit) and/or the task\'s memory (Fargate: the next valid CPU/memory pair).', CMD.taskDef, 'limit-too-low'),
  f('Look at the memory just before the kill (Container Insights MemoryUtilized, Maximum).', CMD.metrics, 'memory-leak'),
  f('Cap the runtime heap below the container limit (e.g. -XX:MaxRAMPercentage=75, --max-old-space-size).', undefined, 'runtime-heap'),
];

const OOM: FamilySpec = {
  category: 'OutOfMemoryError',
  family: /OutOfMemoryError|Container killed due to memory usage|\bOOM ?Killed\b/i,
  docs: [DOCS.oom, DOCS.containerDef],
  prevention: [
    'Set memoryReservation (soft) to normal use and memory (hard) with headroom (1.5-2x) for peaks; on Fargate the sum must fit the task size.',
    'Alarm on Container Insights MemoryUtilized per task family, well below the limit.',
  ],
  variants: [
    {
      variant: 'container-killed',
      title: 'A container was killed for using too much memory',
      summary:
        'The kernel\'s OOM killer stopped the container because it went over its memory limit (the container\'s hard limit memory, or the task\'s memory on Fargate). The process got SIGKILL (exit code 137) with no chance to clean up.',
      whereToLook: ['The container\'s memory/memoryReservation and the task\'s memory in the task definition.', 'Container Insights MemoryUtilized (Maximum) just before the stop.', 'The application log just before the stop.'],
      causes: OOM_CAUSES,
      fixes: OOM_FIXES,
      checks: ['memory', 'task-definition', 'logs', 'service-events'],
      examples: ['OutOfMemoryError: Container killed due to memory usage'],
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// CannotStartContainerError

const START: FamilySpec = {
  category: 'CannotStartContainerError',
  family: /CannotStartContainerError|CannotCreateContainerError/,
  docs: [DOCS.cannotStart, DOCS.stoppedErrors],
  prevention: ['Run the exact image with the task definition\'s command, user and read-only settings locally (docker run --user ... --read-only ...) in CI before deploying.'],
  variants: [
    {
      variant: 'host-storage-full',
      match: [/Thin Pool has \d+ free data blocks|CannotCreateContainerError[^\n]*no space left on device/i],
      title: 'Container could not be created: the host\'s Docker storage is full',
      summary:
        'CannotCreateContainerError: the Docker daemon on the EC2 container instance could not create the container because its image and container storage (the devicemapper thin pool, or the Docker volume) is full.',
      whereToLook: ['The container instance\'s Docker storage (docker info: Data Space Available; df -h /var/lib/docker).', 'Stopped containers and unused images piling up on the instance.'],
      causes: [
        c('host-disk-full', 'Stopped containers, unused images and container logs filled the instance\'s Docker storage.'),
        c('small-volume', 'The instance\'s Docker volume is too small for the images it runs.'),
      ],
      fixes: [
        f('Replace the instance with one that has a larger data volume, or extend the Docker volume group (AMI storage configuration).', undefined, 'small-volume'),
        f('Shorten ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION (default 3 h) and remove stopped containers and unused images (docker rm $(docker ps -aq); docker rmi $(docker images -q)).', undefined, 'host-disk-full'),
      ],
      checks: ['task-definition'],
      examples: ['CannotCreateContainerError: API error (500): devmapper: Thin Pool has 4350 free data blocks which is less than minimum required 4454 free data blocks. Create more free space in thin pool or use dm.min_free_space option to change behavior'],
    },
    {
      variant: 'log-group-missing',
      match: [/log group does not exist/i],
      title: 'Container could not start: the CloudWatch log group does not exist',
      summary: 'Docker could not start the awslogs driver because the awslogs-group does not exist (EC2 launch type wording).',
      whereToLook: ['logConfiguration options awslogs-group / awslogs-region.'],
      causes: [c('log-group-missing', 'The log group does not exist in awslogs-region.', ['logs', 'task-definition'])],
      fixes: [f('Create the log group (or set awslogs-create-group "true" and allow logs:CreateLogGroup).', CMD.createLogGroup, 'log-group-missing')],
      docs: [DOCS.cannotStart, DOCS.awslogs],
      checks: ['logs', 'task-definition', 'execution-role'],
      examples: ['CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist.'],
    },
    {
      variant: 'logging-driver',
      match: [/failed to initialize logging driver/i],
      title: 'Container could not start: the logging driver failed',
      summary: 'Docker could not initialise the container\'s log driver: no credentials (EC2 instance role / agent credentials endpoint), no route to CloudWatch Logs, or wrong driver options.',
      whereToLook: ['The logConfiguration of the container.', 'The instance role (EC2) or execution role, and the route to CloudWatch Logs.'],
      causes: [EXEC_ROLE_CAUSE('logs:CreateLogStream / logs:PutLogEvents'), ...noRouteCauses('CloudWatch Logs').slice(0, 1), c('driver-options', 'Wrong or missing log driver options.', ['task-definition'])],
      fixes: [f('Check the log configuration and the role; add a logs endpoint or NAT route in private subnets.', CMD.taskDef, 'driver-options')],
      checks: ['logs', 'task-definition', 'execution-role', 'vpc-endpoints'],
      examples: ['CannotStartContainerError: Error response from daemon: failed to initialize logging driver: CredentialsEndpointError: failed to load credentials caused by: RequestError: send request failed caused by: Get http://169.254.170.2/v2/credentials/9a8b: dial tcp 169.254.170.2:80: connect: connection refused'],
    },
    {
      variant: 'executable-not-found',
      match: [/executable file not found|no such file or directory|not found in \$PATH/i],
      title: 'Container could not start: the command does not exist in the image',
      summary: 'The entryPoint/command (or the image\'s ENTRYPOINT/CMD) names a program that is not in the image or not on PATH.',
      whereToLook: ['entryPoint and command in the container definition.', 'The image: docker run --rm --entrypoint sh <image> -c "which <program>".'],
      causes: [c('bad-command', 'The command or entryPoint names a binary or script that is not in the image (wrong path, typo, or a shell script with Windows line endings / a missing interpreter).', ['task-definition'])],
      fixes: [f('Fix entryPoint/command (exec form: each argument its own element) or add the program to the image.', CMD.taskDef, 'bad-command')],
      checks: ['task-definition'],
      examples: ['CannotStartContainerError: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/app/start.sh": stat /app/start.sh: no such file or directory: unknown', 'CannotStartContainerError: Error response from daemon: OCI runtime create failed: container_linux.go:349: starting container process caused "exec: \\"gunicorn\\": executable file not found in $PATH": unknown'],
    },
    {
      variant: 'permission-denied',
      match: [/permission denied/i],
      title: 'Container could not start: the command is not executable',
      summary: 'The entry point exists but may not be run: the file lacks the execute bit, or the container user cannot read it.',
      whereToLook: ['The file mode of the entry point in the image (ls -l).', 'The container user vs the file owner.'],
      causes: [c('not-executable', 'The entry point script is not executable (chmod +x missing) or not readable by the container user.', ['task-definition'])],
      fixes: [f('chmod +x the entry point in the Dockerfile (RUN chmod +x /app/start.sh) and rebuild.', undefined, 'not-executable')],
      checks: ['task-definition'],
      examples: ['CannotStartContainerError: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/app/start.sh": permission denied: unknown'],
    },
    {
      variant: 'exec-format-error',
      match: [/exec format error/i],
      title: 'Container could not start: binary built for another architecture',
      summary: 'The entry point binary is for another CPU architecture than the task (arm64 vs x86_64), or a script lacks its #! line.',
      whereToLook: ['runtimePlatform.cpuArchitecture in the task definition.', 'The image\'s architecture.'],
      causes: [c('wrong-architecture', 'The image was built for another architecture.', ['task-definition'])],
      fixes: [f('Build for the task\'s architecture (docker buildx --platform linux/amd64) or change runtimePlatform.cpuArchitecture.', undefined, 'wrong-architecture')],
      checks: ['task-definition'],
      examples: ['CannotStartContainerError: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/app/server": exec format error: unknown'],
    },
    {
      variant: 'user-not-found',
      match: [/no users found|unable to find user|no matching entries in passwd file/i],
      title: 'Container could not start: the user does not exist in the image',
      summary: 'The container user (task definition user, or the image\'s USER) is not in the image\'s /etc/passwd.',
      whereToLook: ['The container definition\'s user.'],
      causes: [c('unknown-user', 'The user name is not in the image; use a numeric UID:GID.', ['task-definition'])],
      fixes: [f('Use a numeric "uid:gid" or create the user in the image.', CMD.taskDef, 'unknown-user')],
      checks: ['task-definition'],
      examples: ['CannotStartContainerError: ResourceInitializationError: unable to create new container: mount callback failed on /tmp/containerd-mount2631870398: no users found', 'CannotStartContainerError: Error response from daemon: unable to find user app: no matching entries in passwd file'],
    },
    {
      variant: 'read-only-filesystem',
      match: [/read-only file system/i],
      title: 'Container could not start: writing to a read-only file system',
      summary: 'Start-up tried to write somewhere that is read-only: readonlyRootFilesystem is on without a writable volume for the path, or a read-only mount.',
      whereToLook: ['readonlyRootFilesystem and mountPoints in the container definition.'],
      causes: [c('readonly-root', 'readonlyRootFilesystem is true and the path is not a mounted writable volume.', ['task-definition'])],
      fixes: [f('Mount a (bind/ephemeral) volume at the paths the process writes (/tmp, caches), or turn readonlyRootFilesystem off.', CMD.taskDef, 'readonly-root')],
      checks: ['task-definition'],
      examples: ['CannotStartContainerError: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error mounting "/var/lib/ecs/data" to rootfs at "/data": mkdir /var/lib/docker/overlay2/abc/merged/data: read-only file system: unknown'],
    },
    {
      variant: 'port-in-use',
      match: [/port is already allocated|address already in use/i],
      title: 'Container could not start: the host port is taken',
      summary: 'A static hostPort (bridge/host network mode on EC2) is already used by another container on the instance.',
      whereToLook: ['portMappings hostPort values; other tasks on the same instance.'],
      causes: [c('static-host-port', 'A fixed hostPort collides with another task on the instance.', ['task-definition'])],
      fixes: [f('Use dynamic host ports (hostPort 0) with bridge mode, or awsvpc.', CMD.taskDef, 'static-host-port')],
      checks: ['task-definition'],
      examples: ['CannotStartContainerError: Error response from daemon: driver failed programming external connectivity on endpoint ecs-web-1-web-a0b1 (4c5d): Bind for 0.0.0.0:80 failed: port is already allocated'],
    },
    {
      variant: 'container-status',
      match: [/failed to get container status/i],
      title: 'Container could not start: its status could not be read',
      summary: 'The container failed as it started. AWS notes that a container using more memory than its limit is killed at this point: check the memory limit.',
      confidence: 'medium',
      whereToLook: ['The container\'s memory settings.'],
      causes: [c('limit-too-low', 'The memory limit is too low for the container\'s start-up.', ['memory'])],
      fixes: [f('Increase the container\'s memory in the task definition.', CMD.taskDef, 'limit-too-low')],
      checks: ['memory', 'task-definition'],
      examples: ['CannotStartContainerError: failed to get container status: container exited'],
    },
    {
      variant: 'other',
      title: 'The container could not be started',
      summary: 'The container was created but its process could not be started (never ran: no exit code). Usually the command, the user, a mount or the log driver; the rest of the message names which.',
      confidence: 'medium',
      whereToLook: ['The whole message in containers[].reason.', 'entryPoint, command, user, mountPoints, readonlyRootFilesystem, linuxParameters and logConfiguration in the task definition.'],
      causes: [c('bad-command', 'The command or entry point is wrong.', ['task-definition']), c('unknown-user', 'The user does not exist in the image.', ['task-definition']), c('mounts', 'A volume mount or readonlyRootFilesystem prevents start-up.', ['task-definition'])],
      fixes: [f('Reproduce locally with the same settings (docker run --user ... --read-only ... <image> <command>).', CMD.taskDef)],
      checks: ['task-definition', 'logs'],
      examples: ['CannotStartContainerError: Error response from daemon: something unusual'],
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// Runtime and platform families

const RUNTIME_TIMEOUT: FamilySpec = {
  category: 'ContainerRuntimeTimeoutError',
  family: /ContainerRuntimeTimeoutError|DockerTimeoutError|Could not transition to \w+; timed out after waiting/,
  docs: [DOCS.runtimeTimeout, DOCS.stoppedErrors],
  prevention: ['Keep start-up work out of the container\'s critical path; give slow starters a health-check startPeriod rather than long blocking init.'],
  variants: [
    {
      variant: 'start-timeout',
      match: [/transition to (?:created|started|running)/i],
      title: 'The container runtime timed out starting the container',
      summary: 'The container did not reach CREATED/RUNNING within the agent\'s timeout (on Fargate, a few minutes). AWS\'s knowledge base ties it to networking: a private subnet without the endpoints the start-up needs (ECR, S3, secrets) so start-up steps hang; a very large image or a host under I/O pressure also do it.',
      confidence: 'medium',
      whereToLook: NET_WHERE,
      causes: [...noRouteCauses('the services the task needs at start-up').slice(0, 1), c('slow-host', 'A large image or a busy/slow host (EC2: disk I/O, Docker daemon).')],
      fixes: noRouteFixes('ecr.api, ecr.dkr, s3, logs, secretsmanager/ssm').slice(0, 2),
      checks: ['vpc-endpoints', 'subnet-ips', 'task-definition'],
      examples: ['DockerTimeoutError: Could not transition to started; timed out after waiting 3m0s', 'ContainerRuntimeTimeoutError: Could not transition to running; timed out after waiting 1m0s', 'ContainerRuntimeTimeoutError: Could not transition to created; timed out after waiting 4m0s'],
    },
    {
      variant: 'other',
      title: 'The container runtime timed out',
      summary: 'A container runtime operation (create, start, inspect or stop) did not finish in time. On EC2 the Docker/containerd daemon or the disk is usually overloaded; on Fargate it is usually transient.',
      confidence: 'medium',
      whereToLook: ['Whether it repeats.', 'EC2: the Docker daemon and disk I/O on the instance (/var/log/docker, /var/log/ecs).'],
      causes: [c('runtime-slow', 'The container runtime on the host was slow or hung (disk I/O, too many containers).'), c('transient', 'A transient platform issue.')],
      fixes: [f('Start the task again; on EC2 check the daemon and consider replacing the instance.')],
      checks: ['task-definition'],
      examples: ['DockerTimeoutError: Could not transition to inspecting; timed out after waiting 30s'],
    },
  ],
};

const generic = (
  category: StopCategory,
  family: RegExp,
  docs: DocLink[],
  v: Omit<VariantSpec, 'variant'> & { variant?: string },
  prevention: string[] = [],
): FamilySpec => ({ category, family, docs, prevention, variants: [{ variant: v.variant ?? 'runtime-error', ...v }] });

const RUNTIME_ERROR = generic('ContainerRuntimeError', /ContainerRuntimeError/, [DOCS.runtime, DOCS.stoppedErrors], {
  title: 'The container runtime reported an error',
  summary: 'The container runtime (containerd / Docker) failed an operation on the container. On Fargate this is usually transient platform trouble; on EC2, look at the Docker daemon and the instance.',
  confidence: 'medium',
  whereToLook: ['The rest of the message.', 'Whether other tasks on the same instance/platform fail the same way.', 'EC2: /var/log/docker and /var/log/ecs/ecs-agent.log on the instance.'],
  causes: [c('runtime-fault', 'A fault in the container runtime or the host.'), c('transient', 'A transient platform issue.')],
  fixes: [f('Start the task again; on EC2, drain and replace the instance if it repeats; open a support case with the task ARN if it persists on Fargate.')],
  checks: ['task-definition', 'service-events'],
  examples: ['ContainerRuntimeError: failed to create container: unexpected error from the runtime'],
});

const CANNOT_STOP = generic('CannotStopContainerError', /CannotStopContainerError/, [DOCS.cannotStop, DOCS.stoppedErrors], {
  title: 'A container could not be stopped',
  summary: 'The agent could not stop a container through the runtime (the daemon did not answer or the process would not die). Often an overloaded or unhealthy host, or a process stuck in uninterruptible I/O.',
  confidence: 'medium',
  whereToLook: ['The host (EC2): Docker daemon health, disk I/O, memory pressure.', 'Whether the application ignores SIGTERM and blocks in I/O.'],
  causes: [c('host-unhealthy', 'The container runtime on the host is overloaded or hung.'), c('stuck-process', 'The process is stuck (uninterruptible I/O, a hung NFS/EFS mount).')],
  fixes: [f('Drain and replace the instance if it repeats; check EFS/NFS mounts.')],
  checks: ['task-definition'],
  examples: ['CannotStopContainerError: Error response from daemon: cannot stop container: 4c5d: tried to kill container, but did not receive an exit event'],
});

const CANNOT_INSPECT = generic('CannotInspectContainerError', /CannotInspectContainerError/, [DOCS.cannotInspect, DOCS.stoppedErrors], {
  title: 'A container could not be inspected',
  summary: 'The agent could not read the container\'s state from the runtime in time. Usually a busy or unhealthy host (Docker daemon, disk I/O); AWS suggests checking the daemon and the instance.',
  confidence: 'medium',
  whereToLook: ['The Docker daemon and disk I/O on the instance (EC2).', 'Whether it repeats on the same instance.'],
  causes: [c('host-unhealthy', 'The container runtime on the host is slow or hung.'), c('transient', 'A transient platform issue (Fargate).')],
  fixes: [f('Start the task again; drain and replace the instance if it repeats.')],
  checks: ['task-definition'],
  examples: ['CannotInspectContainerError: Could not transition to inspecting; timed out after waiting 30s'],
});

const CANNOT_CREATE_VOLUME: FamilySpec = {
  category: 'CannotCreateVolumeError',
  family: /CannotCreateVolumeError/,
  docs: [DOCS.cannotCreateVolume, DOCS.stoppedErrors],
  prevention: ['Create Docker volume plugins on the AMI (user data) and test the volume configuration in a non-production cluster.'],
  variants: [
    {
      variant: 'volume-driver',
      match: [/plugin[^\n]*not found|driver[^\n]*not found|volume driver/i],
      title: 'A volume could not be created: the volume driver is missing',
      summary: 'A dockerVolumeConfiguration names a driver (plugin) that is not installed on the container instance.',
      whereToLook: ['volumes[].dockerVolumeConfiguration.driver in the task definition.', 'docker plugin ls on the instance.'],
      causes: [c('driver-missing', 'The volume driver plugin is not installed (or not enabled) on the instance.', ['task-definition'])],
      fixes: [f('Install the plugin on the instances (user data) or fix the driver name.', CMD.taskDef, 'driver-missing')],
      checks: ['task-definition'],
      examples: ['CannotCreateVolumeError: Error response from daemon: create ecs-web-1-data-a0b1: error looking up volume plugin rexray/ebs: plugin "rexray/ebs" not found'],
    },
    {
      variant: 'other',
      title: 'A volume for the task could not be created',
      summary: 'Creating one of the task\'s volumes failed: a Docker volume driver, its options, or (EFS) the mount target and its security group.',
      confidence: 'medium',
      whereToLook: ['volumes in the task definition (dockerVolumeConfiguration, efsVolumeConfiguration).', 'EFS mount targets and security groups (TCP 2049).'],
      causes: [c('volume-config', 'The volume configuration (driver, options, scope) is wrong.', ['task-definition']), c('efs-unreachable', 'The EFS mount target is unreachable (AZ, security group, DNS).')],
      fixes: [f('Check the volume configuration and, for EFS, the mount targets.', CMD.efs, 'efs-unreachable')],
      checks: ['task-definition', 'subnet-ips'],
      examples: ['CannotCreateVolumeError: Error response from daemon: create vol-data: VolumeDriver.Create: something failed'],
    },
  ],
};

const INTERNAL: FamilySpec = {
  category: 'InternalError',
  family: /InternalError/,
  docs: [DOCS.internal, DOCS.failedToStart],
  prevention: ['Let services retry (they do); alert on repeated failures of the same kind rather than single ones.'],
  variants: [
    {
      variant: 'eni-attachment',
      match: [/network interface|ENI|attachment/i],
      title: 'ECS internal error while attaching the network interface',
      summary: 'An ENI attachment was requested and EC2 reported it after ECS\'s timeout; ECS then saw a failed task with an in-use interface. AWS-side and usually transient.',
      confidence: 'medium',
      whereToLook: ['Whether the next attempt starts.', 'The subnet\'s free addresses if it repeats.'],
      causes: [c('transient', 'Slow ENI provisioning reported after ECS gave up.'), c('subnet-full', 'The subnet is short of addresses.', ['subnet-ips'])],
      fixes: [f('Start the task again; check the subnet if it repeats.', CMD.subnet, 'subnet-full')],
      checks: ['subnet-ips', 'service-events'],
      examples: ['InternalError: failed to attach network interface: the ENI attachment timed out'],
    },
    {
      variant: 'other',
      title: 'ECS reported an internal error',
      summary: 'ECS stopped the task because of an error on its side. It is usually transient: a new task normally starts; if it keeps happening, contact AWS Support with the task ARN.',
      confidence: 'medium',
      whereToLook: ['Whether later tasks start.', 'The AWS Health Dashboard for the Region.'],
      causes: [c('transient', 'A transient platform issue.')],
      fixes: [f('Start the task again (a service does this itself); open a support case with the task ARN if it persists.')],
      checks: ['service-events'],
      examples: ['InternalError: unexpected EC2 error'],
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// Health checks, scheduler, user, Spot, maintenance

const ELB: FamilySpec = {
  category: 'ElbHealthCheckFailed',
  family: /Task failed ELB health checks|is unhealthy in \(?(?:target-group|elb)|Health checks failed/i,
  docs: [DOCS.lb, DOCS.serviceEvents],
  prevention: [
    'Set the service\'s healthCheckGracePeriodSeconds to cover the application\'s start-up time.',
    'Turn on the deployment circuit breaker with rollback, so a version that never gets healthy rolls back by itself.',
    'Serve a cheap health endpoint that does not depend on slow downstreams.',
  ],
  variants: [
    {
      variant: 'response-code-mismatch',
      match: [/failed with these codes|ResponseCodeMismatch/i],
      title: 'Load balancer health check failed: wrong HTTP status',
      summary: 'The load balancer reached the task but the health-check path answered with a status the target group does not accept (for example 404 for a wrong path, 301/302 for a redirect, 401/403 for an auth-protected path).',
      whereToLook: ['The target group\'s health-check path and success codes (Matcher).', 'What the application returns on that path (curl from inside the VPC).'],
      causes: [c('wrong-path', 'The health-check path does not exist in the application (404) or redirects (301/302).', ['target-group']), c('auth-on-path', 'The path requires authentication (401/403).', ['target-group'])],
      fixes: [f('Point the health check at a path that returns 200 without auth, or widen the matcher.', 'aws elbv2 modify-target-group --target-group-arn <target-group-arn> --health-check-path <path> --matcher HttpCode=200-399', 'wrong-path'), f('See what the targets report.', CMD.targetHealth)],
      checks: ['target-group', 'logs', 'service-events'],
      examples: ['(service web-bad) (port 8080) is unhealthy in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-bad-tg/fedcba9876543210) due to (reason Health checks failed with these codes: [404]).'],
    },
    {
      variant: 'timeout',
      match: [/Request timed out|Target\.Timeout|timed out/i],
      title: 'Load balancer health check failed: no answer in time',
      summary: 'The health-check request timed out: a security group blocks the load balancer, the port is wrong, or the application is too slow (or still starting).',
      whereToLook: ['The task\'s security group: inbound from the load balancer\'s security group on the container port.', 'The health-check port and timeout; the application\'s start-up time vs the grace period.'],
      causes: [c('sg-blocks-lb', 'The task\'s security group does not allow the load balancer on the container port.', ['security-groups']), c('wrong-port', 'The health-check port is not the port the container listens on.', ['target-group']), c('slow-start', 'The application is still starting when checks begin (no or short grace period).', ['target-group', 'container-health-check'])],
      fixes: [f('Allow the load balancer\'s security group on the container port.', CMD.securityGroups, 'sg-blocks-lb'), f('Give the service a grace period longer than the start-up.', CMD.gracePeriod, 'slow-start')],
      checks: ['target-group', 'security-groups', 'logs', 'service-events'],
      examples: ['(service web) (port 8080) is unhealthy in (target-group arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/0123456789abcdef) due to (reason Request timed out).'],
    },
    {
      variant: 'target-group',
      title: 'Task stopped: it failed the load balancer\'s health checks',
      summary: 'The service registered the task in a target group, the load balancer\'s health checks failed for longer than allowed, and the scheduler replaced the task. The application may be healthy but unreachable, too slow to start, or answering the wrong status on the wrong path/port.',
      whereToLook: [
        'The target group: target type (ip for awsvpc/Fargate), health-check path, port and success codes.',
        'The container port against the target group\'s port and health-check port.',
        'The task\'s security group: inbound from the load balancer\'s security group.',
        'The application\'s start-up time against healthCheckGracePeriodSeconds.',
        'The container logs around the health-check requests.',
      ],
      causes: [
        c('target-type', 'The target group\'s target type is "instance" but the task uses awsvpc (Fargate needs "ip").', ['target-group']),
        c('path-or-port', 'The health-check path or port does not match what the container serves.', ['target-group']),
        c('grace-period', 'The application starts slower than the grace period allows (healthCheckGracePeriodSeconds unset or short).', ['target-group']),
        c('sg-blocks-lb', 'The task\'s security group does not allow the load balancer on the container port.', ['security-groups']),
        c('app-unhealthy', 'The application really is failing (see its logs).', ['logs']),
      ],
      fixes: [
        f('Compare the target group with the container: type ip, the right port, a path that returns 200.', CMD.targetGroup, 'path-or-port'),
        f('See why the targets are unhealthy.', CMD.targetHealth, 'path-or-port'),
        f('A target group with type instance cannot be changed: create one with --target-type ip and point the service at it.', 'aws elbv2 create-target-group --name <name> --protocol HTTP --port <container-port> --vpc-id <vpc-id> --target-type ip --health-check-path <path>', 'target-type'),
        f('Set a health-check grace period longer than the start-up.', CMD.gracePeriod, 'grace-period'),
        f('Allow the load balancer\'s security group on the container port.', CMD.securityGroups, 'sg-blocks-lb'),
      ],
      checks: ['target-group', 'service-events', 'security-groups', 'logs', 'container-health-check'],
      examples: [
        'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-bad-tg/fedcba9876543210)',
        'Task failed ELB health checks in (elb my-classic-elb)',
      ],
    },
  ],
};

const CONTAINER_HEALTH: FamilySpec = {
  category: 'ContainerHealthCheckFailed',
  family: /Task failed container health checks|container health checks? fail/i,
  docs: [DOCS.healthCheck, DOCS.stoppedErrors],
  prevention: [
    'Give every container health check a startPeriod that covers start-up (0-300 s); failures during it do not count.',
    'Make the check command exist in the image (curl/wget are often missing from slim images) and test it locally.',
    'Turn on the deployment circuit breaker with rollback.',
  ],
  variants: [
    {
      variant: 'unhealthy',
      title: 'Task stopped: an essential container failed its health check',
      summary: 'The healthCheck command of an essential container failed retries times in a row (after startPeriod), the container became UNHEALTHY, and ECS stopped the task (a service replaces it).',
      whereToLook: [
        'The healthCheck of each essential container: command form (CMD vs CMD-SHELL), interval, timeout, retries, startPeriod.',
        'Whether the command\'s tool exists in the image (curl, wget) and the port/path it calls.',
        'The container logs around the checks.',
      ],
      causes: [
        c('no-start-period', 'No (or too short) startPeriod: checks count while the application is still starting.', ['container-health-check']),
        c('command-broken', 'The check command itself fails: the tool is not in the image, wrong port/path, or exec form with one string containing spaces.', ['container-health-check', 'task-definition']),
        c('timeout-too-short', 'The check\'s timeout is shorter than the endpoint\'s response time under load.', ['container-health-check']),
        c('app-unhealthy', 'The application really is unhealthy (see its logs).', ['logs']),
      ],
      fixes: [
        f('Run the check by hand in a running task (ECS Exec) to see its output and exit code.', CMD.execIntoTask, 'command-broken'),
        f('Set startPeriod to cover start-up and use CMD-SHELL for shell commands (e.g. ["CMD-SHELL","curl -f http://localhost:8080/health || exit 1"]).', CMD.taskDef, 'no-start-period'),
      ],
      checks: ['container-health-check', 'logs', 'task-definition', 'service-events'],
      examples: ['Task failed container health checks'],
    },
  ],
};

const SPOT: FamilySpec = {
  category: 'SpotInterruption',
  family: /Spot Task was interrupted|SpotInterruption/i,
  docs: [DOCS.spot, DOCS.fargateSpot],
  prevention: [
    'Handle SIGTERM: finish in-flight work within stopTimeout (default 30 s, max 120 s) and exit.',
    'Make work idempotent so a task killed mid-way can be retried safely.',
    'Keep a base of FARGATE (On-Demand) in the capacity provider strategy and put only the extra on FARGATE_SPOT.',
  ],
  variants: [
    {
      variant: 'reclaimed',
      title: 'Fargate Spot reclaimed the capacity',
      summary: 'This is not a failure of the task: AWS reclaimed the Spot capacity, sent a two-minute warning and SIGTERM, then stopped the task. A service starts a replacement when capacity allows.',
      whereToLook: ['The capacity provider strategy of the service.', 'Whether the application stopped cleanly on SIGTERM (its last log lines, exit code 143 vs 137).'],
      causes: [c('spot-reclaimed', 'Spot capacity was reclaimed by AWS (expected behaviour).'), c('no-graceful-shutdown', 'If work was lost: the application does not handle SIGTERM within stopTimeout.', ['logs', 'task-definition'])],
      fixes: [f('Keep an On-Demand base in the capacity provider strategy for the minimum you must always run.', "aws ecs update-service --cluster <cluster> --service <service> --capacity-provider-strategy capacityProvider=FARGATE,base=1,weight=1 capacityProvider=FARGATE_SPOT,weight=3 --force-new-deployment", 'spot-reclaimed')],
      confidence: 'high',
      checks: ['service-events', 'logs'],
      examples: ['Your Spot Task was interrupted.'],
    },
  ],
};

const SCHEDULER: FamilySpec = {
  category: 'ServiceSchedulerInitiated',
  family: /Scaling activity initiated by/i,
  docs: [DOCS.viewStopped, DOCS.serviceEvents],
  prevention: ['Handle SIGTERM and drain within stopTimeout; set the target group\'s deregistration delay to match.'],
  variants: [
    {
      variant: 'scaling-activity',
      match: [/Scaling activity initiated by/i],
      title: 'The service scheduler stopped the task (scale-in or deployment)',
      summary: 'Not a failure: the service needed fewer tasks of this version (a deployment replacing old tasks, or the desired count was lowered / auto scaling scaled in), so the scheduler stopped this one.',
      whereToLook: ['The service events and deployments at the stop time (the deployment id in the message).', 'Application Auto Scaling activities for the service.'],
      causes: [c('deployment', 'A deployment replaced the task with a new revision.', ['service-events']), c('scale-in', 'The desired count was lowered (by a person or auto scaling).', ['service-events'])],
      fixes: [f('Nothing to fix if expected; confirm in the service events.', CMD.serviceEvents)],
      confidence: 'high',
      checks: ['service-events'],
      examples: ['Scaling activity initiated by (deployment ecs-svc/1234567890123456789)'],
    },
    {
      variant: 'other',
      title: 'The service scheduler stopped the task',
      summary: 'The service scheduler stopped the task (a deployment, a scale-in, or the replacement of an unhealthy task); the message says which.',
      confidence: 'medium',
      whereToLook: ['The service events and deployments at the stop time.'],
      causes: [c('deployment', 'A deployment or scale-in.', ['service-events'])],
      fixes: [f('Read the service events.', CMD.serviceEvents)],
      checks: ['service-events'],
      examples: [],
    },
  ],
};

const USER: FamilySpec = {
  category: 'UserInitiated',
  family: /Task stopped by user|deregistration forced by user/i,
  docs: [DOCS.viewStopped],
  prevention: ['Restrict ecs:StopTask in production with IAM, and look up who stopped it in CloudTrail (StopTask events).'],
  variants: [
    {
      variant: 'instance-deregistered',
      match: [/deregistration forced by user/i],
      title: 'Stopped because its container instance was deregistered',
      summary: 'Someone (or automation) force-deregistered the container instance the task ran on, which stops its tasks.',
      whereToLook: ['CloudTrail DeregisterContainerInstance events.'],
      causes: [c('instance-deregistered', 'The container instance was force-deregistered.')],
      fixes: [f('Find who deregistered it in CloudTrail.', "aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=DeregisterContainerInstance --max-results 20")],
      checks: ['service-events'],
      examples: ['Container instance deregistration forced by user'],
    },
    {
      variant: 'stop-task',
      title: 'Someone stopped the task',
      summary: 'Not a failure: the task was stopped through StopTask (the console, the CLI, an SDK or automation). A service starts a replacement.',
      whereToLook: ['CloudTrail StopTask events around the stop time (who, and with what reason).'],
      causes: [c('stop-task', 'A person or automation called StopTask.')],
      fixes: [f('Find who stopped it in CloudTrail.', 'aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=StopTask --max-results 20')],
      checks: ['service-events'],
      examples: ['Task stopped by user'],
    },
  ],
};

const MAINTENANCE: FamilySpec = {
  category: 'InfrastructureMaintenance',
  family: /performing maintenance on the underlying infrastructure|Task is being retired|scheduled for retirement|Host EC2 \(instance [^)]*\) (?:stopped|terminated)|TerminationNotice|InfrastructureHealth/i,
  docs: [DOCS.maintenance, DOCS.viewStopped],
  prevention: ['Run services with at least two tasks across Availability Zones, and handle SIGTERM, so maintenance replaces tasks without an outage.'],
  variants: [
    {
      variant: 'host-stopped',
      match: [/Host EC2 \(instance [^)]*\) (?:stopped|terminated)/i],
      title: 'Stopped because its EC2 host stopped or terminated',
      summary: 'The container instance the task ran on was stopped or terminated (by a person, Auto Scaling scale-in, a Spot reclaim, or an EC2 health problem).',
      whereToLook: ['The EC2 instance\'s state reason and the Auto Scaling group\'s activities.'],
      causes: [c('host-gone', 'The instance was stopped/terminated (scale-in, Spot, health or manual).')],
      fixes: [f('Use managed termination protection / instance draining on the capacity provider so tasks are moved before instances go.', 'aws autoscaling describe-scaling-activities --auto-scaling-group-name <asg-name> --max-items 10')],
      checks: ['service-events'],
      examples: ['Host EC2 (instance i-0123456789abcdef0) stopped/terminated'],
    },
    {
      variant: 'platform-maintenance',
      title: 'AWS retired the task for infrastructure maintenance',
      summary: 'Not a failure of the task: AWS stopped it to patch or maintain the underlying infrastructure (Fargate task retirement). A service replaces it; standalone tasks must be restarted.',
      whereToLook: ['AWS Health events (task retirement notices) for the account.'],
      causes: [c('retirement', 'Scheduled Fargate task retirement / infrastructure maintenance.')],
      fixes: [f('Nothing to fix; for standalone tasks, restart them or run them as a service.')],
      confidence: 'high',
      checks: ['service-events'],
      examples: ['ECS is performing maintenance on the underlying infrastructure hosting the task'],
    },
  ],
};

/**
 * Every family, in tie-break order. (A message naming several is assigned to the one named
 * first; "Essential container in task exited" is handled by exit code, not here.)
 */
export const FAMILIES: readonly FamilySpec[] = [
  PULL,
  RIE,
  START,
  OOM,
  RUNTIME_TIMEOUT,
  RUNTIME_ERROR,
  CANNOT_STOP,
  CANNOT_INSPECT,
  CANNOT_CREATE_VOLUME,
  TFS,
  INTERNAL,
  ELB,
  CONTAINER_HEALTH,
  SPOT,
  SCHEDULER,
  USER,
  MAINTENANCE,
];

export const ESSENTIAL_EXITED = /Essential container in task exited/i;

// ---------------------------------------------------------------------------------------------
// "Essential container in task exited": the exit code tells the story

const APP_WHERE = (extra: string[] = []) => [
  'The last lines of the container\'s log (CloudWatch Logs): the application usually says why it exited.',
  ...extra,
  'Environment variables and secrets the application needs at start-up.',
];

const EXIT_PREVENTION = [
  'Turn on the deployment circuit breaker with rollback, so a version that crashes at start rolls back by itself.',
  'Run the image with the task definition\'s command and environment in CI before deploying.',
];

export const EXIT_CODES: Readonly<Record<number, Omit<VariantSpec, 'match'>>> = {
  0: {
    variant: 'exit-0',
    title: 'The essential container finished (exit code 0)',
    summary: 'The essential container\'s process ended normally with 0, and an essential container ending stops the whole task. For a batch job that is success; for a service it means the main process returned instead of running in the foreground.',
    whereToLook: APP_WHERE(['The command/entryPoint: does it start a server in the foreground, or a script that backgrounds it (nginx without "daemon off", a shell ending with &)?']),
    causes: [
      c('job-done', 'A one-shot job completed (expected for run-task / scheduled tasks).'),
      c('process-backgrounds', 'The command starts the real process in the background (or a daemon that forks) and returns, so the container exits.', ['task-definition', 'logs']),
      c('sidecar-essential', 'A container that is meant to finish (init, migration) is marked essential.', ['task-definition']),
    ],
    fixes: [f('Run the main process in the foreground (exec it as PID 1), or mark short-lived helper containers essential=false and use dependsOn SUCCESS/COMPLETE.', CMD.taskDef, 'process-backgrounds')],
    checks: ['logs', 'task-definition', 'service-events'],
    examples: [],
    confidence: 'medium',
  },
  1: {
    variant: 'exit-1',
    title: 'The application exited with an error (exit code 1)',
    summary: 'The essential container\'s process exited with 1, the generic "something went wrong" code: an uncaught exception, a failed configuration or connection at start-up. Its own log says what.',
    whereToLook: APP_WHERE(),
    causes: [
      c('app-error', 'The application hit an error it did not handle (see the last log lines).', ['logs']),
      c('missing-config', 'A required environment variable or secret is missing or wrong.', ['secrets', 'logs']),
      c('dependency-down', 'A dependency (database, queue, API) was unreachable at start-up.', ['logs']),
    ],
    fixes: [f('Read the container\'s last log lines.', CMD.logs, 'app-error'), f('Check the secrets the task references exist.', CMD.secret, 'missing-config')],
    checks: ['logs', 'secrets', 'task-definition', 'service-events'],
    examples: [],
  },
  2: {
    variant: 'exit-2',
    title: 'The command was misused (exit code 2)',
    summary: 'Exit 2 is conventionally "misuse of a shell built-in / bad arguments": the command or entry point is malformed (wrong flags, a shell syntax error, a missing argument).',
    whereToLook: ['command and entryPoint in the task definition (exec form vs shell form, quoting).', 'The first log lines (usage messages).'],
    causes: [c('bad-arguments', 'The command line is malformed: wrong flags, bad quoting, or a shell script syntax error.', ['task-definition', 'logs'])],
    fixes: [f('Fix command/entryPoint (each argument its own array element), and reproduce with docker run.', CMD.taskDef, 'bad-arguments')],
    checks: ['logs', 'task-definition'],
    examples: [],
  },
  126: {
    variant: 'exit-126',
    title: 'The command could not be executed (exit code 126)',
    summary: 'Exit 126 means the command was found but could not be run: it is not executable (missing chmod +x), is a directory, or was built for another architecture.',
    whereToLook: ['The entry point\'s file mode in the image.', 'The image architecture vs runtimePlatform.'],
    causes: [c('not-executable', 'The entry point lacks the execute permission or is not a program.', ['task-definition']), c('wrong-architecture', 'The binary is for another CPU architecture.', ['task-definition'])],
    fixes: [f('chmod +x the entry point in the Dockerfile, or build for the task\'s architecture.', CMD.taskDef, 'not-executable')],
    checks: ['task-definition', 'logs'],
    examples: [],
  },
  127: {
    variant: 'exit-127',
    title: 'The command was not found (exit code 127)',
    summary: 'Exit 127 means the shell could not find the command: a typo, a binary not installed in the image, or a PATH that does not include it.',
    whereToLook: ['command/entryPoint in the task definition.', 'Whether the program exists in the image (docker run --rm --entrypoint sh <image> -c "command -v <program>").'],
    causes: [c('command-not-found', 'The command is not in the image or not on PATH (or a health/entry script calls a missing tool).', ['task-definition', 'logs'])],
    fixes: [f('Fix the command or install the program in the image.', CMD.taskDef, 'command-not-found')],
    checks: ['task-definition', 'logs'],
    examples: [],
  },
  137: {
    variant: 'exit-137-sigkill',
    title: 'The container was killed (exit code 137, SIGKILL)',
    summary: 'Exit 137 is 128 + 9: the process was killed with SIGKILL. No out-of-memory reason was reported, so either the kernel killed it for memory anyway, or it was asked to stop (SIGTERM) and did not exit within stopTimeout, so ECS killed it.',
    confidence: 'medium',
    whereToLook: ['The container\'s memory settings and its memory just before the stop.', 'Whether a stop was requested first (stopCode, the service events: deployment, health check, scale-in) and the container\'s stopTimeout.', 'The last log lines: a SIGTERM handler that never finished, or nothing at all.'],
    causes: [
      c('memory', 'The container ran out of memory (hard limit or task memory).', ['memory']),
      c('stop-timeout', 'A stop was requested and the process ignored SIGTERM (or drained too slowly) for longer than stopTimeout (default 30 s), so it was killed.', ['task-definition', 'service-events']),
      c('health-check-kill', 'A failing health check led ECS to stop the task, and the process did not exit on SIGTERM in time.', ['container-health-check', 'target-group']),
    ],
    fixes: [
      f('Check memory first: the limits and the peak usage.', CMD.metrics, 'memory'),
      f('Handle SIGTERM (exec the process as PID 1, or use initProcessEnabled so signals are forwarded) and raise stopTimeout (max 120 s) if draining takes longer.', CMD.taskDef, 'stop-timeout'),
    ],
    checks: ['memory', 'task-definition', 'service-events', 'logs', 'container-health-check'],
    examples: [],
  },
  139: {
    variant: 'exit-139-sigsegv',
    title: 'The application crashed (exit code 139, segmentation fault)',
    summary: 'Exit 139 is 128 + 11: the process crashed with SIGSEGV, a memory-access bug in the program or a native library (often a library built for another C library or architecture).',
    whereToLook: ['The last log lines (a core dump note, a native stack).', 'Native dependencies and the base image (glibc vs musl/Alpine, architecture).'],
    causes: [c('native-crash', 'A bug in native code or an incompatible native library.', ['logs']), c('stack-or-memory', 'Stack exhaustion or memory corruption under load.', ['logs', 'memory'])],
    fixes: [f('Reproduce with the same image locally; check native libraries match the base image and architecture.', CMD.logs, 'native-crash')],
    checks: ['logs', 'task-definition', 'memory'],
    examples: [],
  },
  143: {
    variant: 'exit-143-sigterm',
    title: 'The container stopped on SIGTERM (exit code 143)',
    summary: 'Exit 143 is 128 + 15: the process received SIGTERM and exited (gracefully). Something asked it to stop: ECS stopping the task (deployment, scale-in, a failed health check, a Spot interruption, StopTask), or the application exiting with 143 itself.',
    confidence: 'medium',
    whereToLook: ['Why a stop was requested: the stopCode, the service events at that time, a health check failing.', 'Other containers in the task: another essential container may have exited first.'],
    causes: [
      c('stop-requested', 'ECS or a person stopped the task (deployment, scale-in, health check, StopTask); this container shut down cleanly.', ['service-events']),
      c('health-check', 'A load balancer or container health check failed and the task was replaced.', ['container-health-check', 'target-group']),
    ],
    fixes: [f('Look at the service events around the stop time.', CMD.serviceEvents, 'stop-requested')],
    checks: ['service-events', 'container-health-check', 'target-group', 'logs'],
    examples: [],
  },
  255: {
    variant: 'exit-255',
    title: 'The application exited with status 255',
    summary: 'Exit 255 is what a program returns for exit(-1) or an out-of-range status, and some runtimes use it for a fatal error before the program runs (e.g. the entry point cannot be executed). Its log usually says which.',
    confidence: 'medium',
    whereToLook: APP_WHERE(['The entry point and image architecture.']),
    causes: [c('app-fatal', 'The application exited with -1 / a fatal error.', ['logs']), c('entrypoint-fails', 'The entry point could not be executed (architecture, interpreter).', ['task-definition'])],
    fixes: [f('Read the container\'s last log lines.', CMD.logs, 'app-fatal')],
    checks: ['logs', 'task-definition'],
    examples: [],
  },
};

/** Exit codes the table above does not list: 1-125 are the application's own; above 128 a signal. */
export const EXIT_OTHER: Omit<VariantSpec, 'match' | 'variant'> = {
  title: 'The application exited with an error',
  summary: 'The essential container exited with a non-zero code the application chose; its log says why.',
  confidence: 'medium',
  whereToLook: APP_WHERE(),
  causes: [c('app-error', 'The application exited with this code on purpose (see its documentation and log).', ['logs']), c('missing-config', 'A required environment variable or secret is missing or wrong.', ['secrets', 'logs'])],
  fixes: [f('Read the container\'s last log lines.', CMD.logs, 'app-error')],
  checks: ['logs', 'secrets', 'task-definition', 'service-events'],
  examples: [],
};

export const SIGNALS: Readonly<Record<number, string>> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL', 11: 'SIGSEGV', 13: 'SIGPIPE', 14: 'SIGALRM', 15: 'SIGTERM' };

/** The exit-null case: the container never ran its process. */
export const EXIT_NULL: Omit<VariantSpec, 'match'> = {
  variant: 'never-started',
  title: 'The essential container never started',
  summary: 'The essential container has no exit code: its process never ran, so the failure is on the agent side (pull, secrets, logging driver, network, start) before the application. The container\'s own reason, when set, names it.',
  confidence: 'medium',
  whereToLook: ['containers[].reason of each container (the agent-side error).', 'The image URI, the execution role, the secrets and the log configuration.', ...NET_WHERE.slice(0, 1)],
  causes: [
    c('agent-side', 'The agent could not prepare the container: image pull, secrets, log driver or network.', ['vpc-endpoints', 'execution-role', 'secrets', 'ecr-image']),
    c('dependency', 'A container it dependsOn failed first, so it was never started.', ['task-definition']),
  ],
  fixes: [f('Read every container\'s reason.', CMD.describeTask, 'agent-side')],
  checks: ['task-definition', 'ecr-image', 'vpc-endpoints', 'execution-role', 'secrets', 'logs'],
  examples: [],
};

export const ESSENTIAL_DOCS: DocLink[] = [DOCS.viewStopped, DOCS.stoppedErrors, DOCS.circuitBreaker];
export const ESSENTIAL_PREVENTION = EXIT_PREVENTION;

// ---------------------------------------------------------------------------------------------
// Unknown, and answers from the stop code alone

export const UNKNOWN: Omit<VariantSpec, 'match'> & { prevention: string[]; docs: DocLink[] } = {
  variant: 'unrecognised',
  title: 'Stop reason not recognised',
  summary: 'ECS Doctor does not recognise this message, so it will not guess. Follow the usual order of looking below, starting from the raw text.',
  confidence: 'low',
  whereToLook: [
    'The five describe-tasks fields: lastStatus, stoppedReason, stopCode, and each container\'s exitCode and reason.',
    'exitCode null (never started): the agent side first (image pull, secrets, log driver, network); a non-zero exit code: the application.',
    'The container logs (CloudWatch Logs) of the essential containers.',
    'The service events and deployment state.',
    'The network path from the task\'s subnet (NAT or VPC endpoints), then the execution role.',
  ],
  causes: [],
  fixes: [f('Describe the task to see every field.', CMD.describeTask), f('Read the service events.', CMD.serviceEvents)],
  prevention: ['Archive stopped-task events (EventBridge "ECS Task State Change" to CloudWatch Logs): stopped tasks are visible for only about an hour.'],
  docs: [DOCS.stoppedErrors, DOCS.viewStopped, DOCS.lifecycle],
  checks: ['task-fields', 'task-definition', 'logs', 'service-events', 'vpc-endpoints', 'execution-role'],
  examples: ['Something ECS Doctor has never seen'],
};
