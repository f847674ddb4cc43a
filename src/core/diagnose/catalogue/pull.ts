/**
 * CannotPullContainerError, worded for private Amazon ECR (the usual case, and what the Amazon ECS
 * Developer Guide page "CannotPullContainer task errors in Amazon ECS" describes). pullRegistries.ts
 * rewords it for the other registries.
 */
import { c, CMD, DOCS, EXEC_ROLE_CAUSE, f, type FamilySpec, NET_WHERE, noRouteCauses, noRouteFixes } from './shared';

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

export const PULL: FamilySpec = {
  category: 'CannotPullContainerError',
  family: /CannotPull(?:ECR)?Container(?:Error)?|The task can.t pull the image|pull image manifest has been retried|ref pull has been retried/,
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
