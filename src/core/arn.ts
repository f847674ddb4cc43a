/**
 * ARNs, read one way: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`. Pure.
 *
 * RESOURCE is `type/id[/more]`, `type:id` or a bare id. The partition is `aws`, `aws-cn`,
 * `aws-us-gov`, ...; the Region is empty for global services (IAM), the account for S3.
 *
 * ECS ARNs come in two formats: the long one (the default since 2021) names the cluster
 * (`task/CLUSTER/ID`, `service/CLUSTER/NAME`, `container-instance/CLUSTER/ID`), the old one does
 * not (`task/ID`, `service/NAME`). Helpers whose parameter says `OrName` (or `OrId`) also take the
 * name or id itself, as users type it, and give it back.
 */

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the account: "task/prod/0123...", "role/service-role/web", "secret:db-AbCdEf". */
  resource: string;
  /** The resource's type, before its first "/" or ":" ("task", "role", "targetgroup", "secret"); "" when it has none ("root"). */
  resourceType: string;
  /** The resource after its type ("prod/0123...", "db-AbCdEf"); the whole resource when it has no type. */
  resourceId: string;
  /** resourceId split on "/": ["prod", "0123..."] for task/prod/0123... */
  path: string[];
}

/** The parts of an ARN; undefined when the value is not one (a name, an id, anything else). */
export function parseArn(arn: string | undefined): Arn | undefined {
  if (!arn?.startsWith('arn:')) return undefined;
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  const resource = parts.slice(5).join(':');
  const cut = resource.search(/[/:]/);
  const resourceId = cut < 0 ? resource : resource.slice(cut + 1);
  return {
    partition: parts[1]!,
    service: parts[2]!,
    region: parts[3]!,
    account: parts[4]!,
    resource,
    resourceType: cut < 0 ? '' : resource.slice(0, cut),
    resourceId,
    path: resourceId.split('/'),
  };
}

/** The last "/" segment of an ARN's resource, or of the value itself when it is a name or id. */
export function lastSegment(arnOrName: string): string {
  const resource = parseArn(arnOrName)?.resource ?? arnOrName;
  return resource.slice(resource.lastIndexOf('/') + 1);
}

/** The Region an ARN names (undefined for a non-ARN or an empty Region). */
export function regionOf(arn: string | undefined): string | undefined {
  return parseArn(arn)?.region || undefined;
}

/** The account an ARN names (undefined for a non-ARN or an empty account). */
export function accountOf(arn: string | undefined): string | undefined {
  return parseArn(arn)?.account || undefined;
}

// ---------------------------------------------------------------------------------------------
// ECS

export interface TaskArn {
  partition: string;
  region: string;
  account: string;
  /** The cluster's name: only the long format has it. */
  cluster?: string;
  taskId: string;
}

/** An ECS task ARN, in the long (task/CLUSTER/ID) or the old (task/ID) format; undefined for anything else. */
export function parseTaskArn(arn: string | undefined): TaskArn | undefined {
  const a = parseArn(arn);
  if (!a || a.service !== 'ecs' || a.resourceType !== 'task' || !a.resource.startsWith('task/')) return undefined;
  if (a.path.length > 2 || a.path.some((p) => !p)) return undefined;
  const t: TaskArn = { partition: a.partition, region: a.region, account: a.account, taskId: a.path[a.path.length - 1]! };
  if (a.path.length === 2) t.cluster = a.path[0]!;
  return t;
}

/** The task id of a task ARN (either format), or the id itself. */
export function taskIdOf(taskArnOrId: string): string {
  return lastSegment(taskArnOrId);
}

/**
 * The cluster's name from its name or ARN. A long-format task, service or container-instance ARN
 * names its cluster too; for anything else this is the last segment, as for a name.
 */
export function clusterNameOf(clusterArnOrName: string): string {
  return clusterOfArn(clusterArnOrName) ?? lastSegment(clusterArnOrName);
}

/**
 * The cluster an ECS ARN names: a cluster ARN's name, or the cluster of a long-format task,
 * service or container-instance ARN. Undefined for old-format ARNs, other ARNs and names.
 */
export function clusterOfArn(arn: string | undefined): string | undefined {
  const a = parseArn(arn);
  if (!a || a.service !== 'ecs' || !a.resource.startsWith(`${a.resourceType}/`)) return undefined;
  if (a.resourceType === 'cluster') return a.path.length === 1 && a.path[0] ? a.path[0] : undefined;
  if (a.resourceType === 'task' || a.resourceType === 'service' || a.resourceType === 'container-instance') {
    return a.path.length === 2 && a.path[0] && a.path[1] ? a.path[0] : undefined;
  }
  return undefined;
}

/** The service's name from its ARN (either format) or the name itself. */
export function serviceNameOf(serviceArnOrName: string): string {
  return lastSegment(serviceArnOrName);
}

// ---------------------------------------------------------------------------------------------
// IAM and ELB

/**
 * The role's name from a role ARN (role/NAME or role/PATH/NAME), an STS assumed-role ARN
 * (assumed-role/NAME/SESSION) or the name itself.
 */
export function roleNameOf(roleArnOrName: string): string {
  const a = parseArn(roleArnOrName);
  if (a?.service === 'sts' && a.resourceType === 'assumed-role') return a.path[0] ?? '';
  return lastSegment(roleArnOrName);
}

/** The target group's name from its ARN (targetgroup/NAME/ID); anything else is returned as it is. */
export function targetGroupNameOf(targetGroupArn: string): string {
  const a = parseArn(targetGroupArn);
  return a?.resourceType === 'targetgroup' && a.path.length >= 2 && a.path[0] ? a.path[0] : targetGroupArn;
}

/** An ELBv2 target-group ARN inside a text (ECS names one in health-check stop reasons and service events). */
const TARGET_GROUP_IN_TEXT = /arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]+\/[a-f0-9]+/;

/** The first target-group ARN in a text, or undefined. */
export function findTargetGroupArn(text: string | undefined): string | undefined {
  return TARGET_GROUP_IN_TEXT.exec(text ?? '')?.[0];
}
