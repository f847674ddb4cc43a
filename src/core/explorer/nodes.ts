/**
 * The explorer's node kinds: plain objects the model mutates in place (so a node keeps its
 * identity, its id and the editor's expansion state across refreshes). Every node a command may
 * receive carries what the command needs: region, clusterArn, serviceName, taskArn, containerName.
 */
import type { EcsSource } from '../ecsSource';
import type { EcsCluster, EcsContainer, EcsService, EcsServiceEvent, EcsTask, HealthStatus } from '../ecsTypes';
import type { ClusterHealth, ServiceHealth } from '../health';
import type { ServiceGlance } from './glance';

export type NodeKind =
  | 'root'
  | 'header'
  | 'region'
  | 'cluster'
  | 'service'
  | 'standaloneGroup'
  | 'task'
  | 'container'
  | 'stoppedGroup'
  | 'eventsGroup'
  | 'event'
  | 'placeholder'
  | 'error';

/**
 * Where a node's children are:
 * idle (not asked for), loading (List in flight), listed (every name is in, details still coming),
 * loaded (done, failed batches marked on their nodes), error (the list itself failed: an error child).
 */
export type LoadState = 'idle' | 'loading' | 'listed' | 'loaded' | 'error';

/** One (profile, Region) the explorer reads from. */
export interface Scope {
  /** Stable key, e.g. "default@eu-west-1". */
  id: string;
  profile: string | undefined;
  region: string;
  source: EcsSource;
}

/** A per-node failure that names its cause. */
export interface NodeError {
  message: string;
  kind: string;
}

interface Base {
  readonly id: string;
  readonly parent: ExplorerNode | undefined;
  /** Undefined for the root and the header. */
  readonly scope: Scope | undefined;
  /** Children in display order; undefined until first asked for (expandable nodes only). */
  children?: ExplorerNode[];
  state: LoadState;
  /** A failure of this node's own details (its Describe batch), shown on the node. */
  error?: NodeError | undefined;
}

export interface RootNode extends Base {
  kind: 'root';
}

/** The first row: the active profile and Region(s). */
export interface HeaderNode extends Base {
  kind: 'header';
  profile: string | undefined;
  regions: string[];
  endpoint: string | undefined;
}

export interface RegionNode extends Base {
  kind: 'region';
  region: string;
}

export interface ClusterNode extends Base {
  kind: 'cluster';
  region: string;
  clusterArn: string;
  clusterName: string;
  cluster?: EcsCluster | undefined;
  /** Worst of its services, once they are read. */
  health?: ClusterHealth | undefined;
}

export interface ServiceNode extends Base {
  kind: 'service';
  region: string;
  clusterArn: string;
  serviceArn: string;
  serviceName: string;
  service?: EcsService | undefined;
  /** From DescribeServices; refined by the task roll-up once its tasks are read. */
  health?: ServiceHealth | undefined;
  /** Recent trouble from one page of its STOPPED tasks (glance.ts), once read. */
  glance?: ServiceGlance | undefined;
}

export interface StandaloneGroupNode extends Base {
  kind: 'standaloneGroup';
  region: string;
  clusterArn: string;
}

export interface TaskNode extends Base {
  kind: 'task';
  region: string;
  clusterArn: string;
  taskArn: string;
  taskId: string;
  serviceName: string | undefined;
  task?: EcsTask | undefined;
  health?: HealthStatus | undefined;
  /** 'task' (ECS gave it) or 'computed' (from the essential containers). */
  healthSource?: 'task' | 'computed' | undefined;
  taskDefinitionArn?: string | undefined;
  /** Essential flag per container name (from the task definition, when it was read). */
  essential?: Record<string, boolean> | undefined;
}

export interface ContainerNode extends Base {
  kind: 'container';
  region: string;
  clusterArn: string;
  taskArn: string;
  containerName: string;
  serviceName: string | undefined;
  container: EcsContainer;
  /** The task's lastStatus (Exec needs a RUNNING task). */
  taskStatus: string | undefined;
  essential: boolean | undefined;
}

export interface StoppedGroupNode extends Base {
  kind: 'stoppedGroup';
  region: string;
  clusterArn: string;
  /** Undefined: the cluster's standalone tasks. */
  serviceName: string | undefined;
}

export interface EventsGroupNode extends Base {
  kind: 'eventsGroup';
  region: string;
  clusterArn: string;
  serviceName: string;
}

export interface EventNode extends Base {
  kind: 'event';
  event: EcsServiceEvent;
}

export interface PlaceholderNode extends Base {
  kind: 'placeholder';
  label: string;
}

export interface ErrorNode extends Base {
  kind: 'error';
  message: string;
  errorKind: string;
  /** What failed to load ("services of cluster X"). */
  what: string;
}

export type ExplorerNode =
  | RootNode
  | HeaderNode
  | RegionNode
  | ClusterNode
  | ServiceNode
  | StandaloneGroupNode
  | TaskNode
  | ContainerNode
  | StoppedGroupNode
  | EventsGroupNode
  | EventNode
  | PlaceholderNode
  | ErrorNode;

/** Nodes whose children are read from ECS (the rest derive theirs from their parent's data). */
export type LoadableNode = RootNode | RegionNode | ClusterNode | ServiceNode | StandaloneGroupNode | StoppedGroupNode;

export function isLoadable(n: ExplorerNode): n is LoadableNode {
  return n.kind === 'root' || n.kind === 'region' || n.kind === 'cluster' || n.kind === 'service' || n.kind === 'standaloneGroup' || n.kind === 'stoppedGroup';
}

/** Whether a node can have children at all. */
export function isExpandable(n: ExplorerNode): boolean {
  switch (n.kind) {
    case 'root':
    case 'region':
    case 'cluster':
    case 'service':
    case 'standaloneGroup':
    case 'stoppedGroup':
    case 'eventsGroup':
      return true;
    case 'task':
      return (n.task?.containers?.length ?? 1) > 0;
    default:
      return false;
  }
}
