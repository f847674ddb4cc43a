/**
 * CannotPullContainerError for registries outside private Amazon ECR (Docker Hub, Amazon ECR
 * Public, any other registry): the parts of the pull variants that classify() replaces.
 */
import type { Cause, DocLink, Fix } from '../types';
import { c, CMD, DG, DOCS, f, type VariantSpec } from './shared';

// The variants in pull.ts are written for private Amazon ECR (the usual case, and what AWS's
// pages describe). When the message or the container's image names another registry,
// classify() replaces a variant's ECR-only parts with these: no ECR lifecycle, no ecr:*
// permissions, no ECR VPC endpoints, no `aws ecr describe-images`. Cause ids stay those of the
// variant (the evidence layer confirms and rules out by id).
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
