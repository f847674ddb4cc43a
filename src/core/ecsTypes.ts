/**
 * The ECS shapes the core reasons about: structural subsets of the ECS API's JSON (the same
 * field names as DescribeClusters/Services/Tasks/TaskDefinition), so the AWS SDK's objects and
 * plain JSON fixtures both fit without a mapping step. Every field is optional, as in the API.
 */
import { lastSegment } from './arn';

export type HealthStatus = 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';

export interface EcsCluster {
  clusterArn?: string;
  clusterName?: string;
  status?: string;
  runningTasksCount?: number;
  pendingTasksCount?: number;
  activeServicesCount?: number;
  registeredContainerInstancesCount?: number;
}

export interface EcsDeployment {
  id?: string;
  status?: string; // PRIMARY | ACTIVE | INACTIVE
  taskDefinition?: string;
  desiredCount?: number;
  pendingCount?: number;
  runningCount?: number;
  failedTasks?: number;
  rolloutState?: string; // COMPLETED | FAILED | IN_PROGRESS
  rolloutStateReason?: string;
  createdAt?: Date | string | number;
  updatedAt?: Date | string | number;
}

export interface EcsServiceEvent {
  id?: string;
  createdAt?: Date | string | number;
  message?: string;
}

export interface EcsService {
  serviceArn?: string;
  serviceName?: string;
  clusterArn?: string;
  status?: string;
  desiredCount?: number;
  runningCount?: number;
  pendingCount?: number;
  launchType?: string;
  taskDefinition?: string;
  deployments?: EcsDeployment[];
  events?: EcsServiceEvent[];
  deploymentConfiguration?: { deploymentCircuitBreaker?: { enable?: boolean; rollback?: boolean } };
  enableExecuteCommand?: boolean;
  createdAt?: Date | string | number;
}

export interface EcsContainer {
  containerArn?: string;
  taskArn?: string;
  name?: string;
  image?: string;
  runtimeId?: string;
  lastStatus?: string;
  exitCode?: number | null;
  reason?: string;
  healthStatus?: string;
  managedAgents?: Array<{ name?: string; lastStatus?: string; reason?: string }>;
}

export interface EcsTask {
  taskArn?: string;
  clusterArn?: string;
  taskDefinitionArn?: string;
  group?: string;
  startedBy?: string;
  lastStatus?: string;
  desiredStatus?: string;
  healthStatus?: string;
  launchType?: string;
  platformVersion?: string;
  enableExecuteCommand?: boolean;
  stopCode?: string;
  stoppedReason?: string;
  createdAt?: Date | string | number;
  startedAt?: Date | string | number;
  stoppingAt?: Date | string | number;
  stoppedAt?: Date | string | number;
  containers?: EcsContainer[];
}

export interface EcsContainerDefinition {
  name?: string;
  essential?: boolean;
  image?: string;
  healthCheck?: { command?: string[] };
}

export interface EcsTaskDefinition {
  taskDefinitionArn?: string;
  family?: string;
  revision?: number;
  containerDefinitions?: EcsContainerDefinition[];
}

/** An item Describe* could not return (reason MISSING, or an access error on that one ARN). */
export interface EcsFailure {
  arn?: string;
  reason?: string;
  detail?: string;
}

/** "family:revision" from a task-definition ARN (arn:aws:ecs:r:a:task-definition/web:42). */
export function taskDefinitionLabel(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  return lastSegment(arn);
}

/** The time in milliseconds of an API timestamp (Date from the SDK, ISO string or epoch seconds in JSON). */
export function timeOf(t: Date | string | number | undefined | null): number | undefined {
  if (t === undefined || t === null) return undefined;
  if (t instanceof Date) return t.getTime();
  if (typeof t === 'number') return t < 1e11 ? t * 1000 : t;
  const n = Date.parse(t);
  return Number.isNaN(n) ? undefined : n;
}
