/**
 * The read surface over ECS that the explorer model and the `status` command are driven by.
 * src/aws/ecs.ts (EcsData) implements it against the real API; tests may pass a fake. Declared
 * here so the pure core depends on no AWS code.
 */
import type { EcsCluster, EcsFailure, EcsService, EcsTask, EcsTaskDefinition } from './ecsTypes';

/** An error that names its cause in words (src/aws/ecs.ts EcsError; `kind` from core/awsErrors). */
export interface SourceError {
  message: string;
  kind: string;
  /** The AWS error name, when there is one. */
  code?: string | undefined;
}

/** Callbacks of a streamed read. Each is called as its data arrives. */
export interface StreamHandlers<T> {
  /** ARNs of one List page (names and ids can be read from them). */
  onNames?(arns: string[]): void;
  /** The last List page is in: every name is known (Describe batches may still be in flight). */
  onListed?(arns: string[]): void;
  /** One Describe batch's items. */
  onItems?(items: T[]): void;
  /** Items Describe* could not return (reason MISSING, ...). */
  onFailures?(failures: EcsFailure[]): void;
  /** One Describe batch failed for good: these ARNs have no details, with the cause. */
  onError?(error: SourceError, arns: string[]): void;
}

export interface StreamResult<T> {
  arns: string[];
  items: T[];
  failures: EcsFailure[];
  errors: { error: SourceError; arns: string[] }[];
  /** True when `maxPages` stopped the listing before its last page. */
  truncated?: boolean;
}

export interface TaskFilter {
  serviceName?: string;
  /** RUNNING (ECS's default: tasks whose desired status is RUNNING, pending ones included) or STOPPED. */
  desiredStatus?: 'RUNNING' | 'STOPPED';
  family?: string;
  startedBy?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Stop listing after this many List pages (the explorer's glance reads one page of STOPPED tasks). */
  maxPages?: number;
}

export interface EcsSource {
  clusters(handlers?: StreamHandlers<EcsCluster>, opts?: CallOptions): Promise<StreamResult<EcsCluster>>;
  services(cluster: string, handlers?: StreamHandlers<EcsService>, opts?: CallOptions): Promise<StreamResult<EcsService>>;
  tasks(cluster: string, filter?: TaskFilter, handlers?: StreamHandlers<EcsTask>, opts?: CallOptions): Promise<StreamResult<EcsTask>>;
  describeClusters(arns: string[], handlers?: StreamHandlers<EcsCluster>, opts?: CallOptions): Promise<StreamResult<EcsCluster>>;
  taskDefinition(arn: string, opts?: CallOptions): Promise<EcsTaskDefinition>;
}
