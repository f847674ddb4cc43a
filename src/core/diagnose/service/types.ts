/**
 * The shapes of a service diagnosis ("why is this service failing?"): what the AWS layer gathers
 * (DescribeServices, the service's tasks, its task definition, target groups, memory metrics) and
 * the report the faces show. Pure data: no `vscode`, no SDK.
 *
 * Flow: ServiceGathered --diagnoseService()--> ServiceReport --serviceText()/serviceJson()/
 * serviceMarkdown() or the webview--> a face.
 */
import type { DiagnoseResult } from '../pipeline';
import type { TargetGroupFacts, TargetHealthFacts, TaskDefFacts, TaskFacts } from '../facts';
import type { StopCategory } from '../types';
import type { EcsDeployment, EcsService } from '../../ecsTypes';

export const SERVICE_VERDICTS = ['restart-loop', 'deployment-stuck', 'deployment-failed', 'unhealthy', 'under-capacity', 'healthy'] as const;
export type ServiceVerdictKind = (typeof SERVICE_VERDICTS)[number];

/** A time as the API gives it (Date from the SDK, ISO text from JSON). */
export type When = Date | string | number | undefined;

/** One deployment of DescribeServices' `deployments[]`. */
export type DeploymentInput = EcsDeployment;

/** The parts of DescribeServices' service the doctor reads; every field may be missing (a thin endpoint). */
export interface ServiceInput
  extends Pick<EcsService, 'serviceName' | 'serviceArn' | 'clusterArn' | 'status' | 'desiredCount' | 'runningCount' | 'pendingCount' | 'launchType' | 'taskDefinition' | 'deployments' | 'events'> {
  healthCheckGracePeriodSeconds?: number;
  deploymentConfiguration?: NonNullable<EcsService['deploymentConfiguration']> & { minimumHealthyPercent?: number; maximumPercent?: number };
  loadBalancers?: Array<{ targetGroupArn?: string; loadBalancerName?: string; containerName?: string; containerPort?: number }>;
}

/** A read that may not have happened: the value, or why not (permission, error, not served). */
export type Read<T> = { ok: true; value: T } | { ok: false; reason: string; missingPermission?: string; command?: string };

/** One point of a memory series: epoch ms and a value (MiB for MemoryUtilized, % for MemoryUtilization). */
export interface MetricPoint {
  t: number;
  v: number;
}

export interface MemorySeries {
  /** Where the numbers came from, e.g. "ECS/ContainerInsights MemoryUtilized (Maximum, 1 min)". */
  source: string;
  unit: 'MiB' | 'Percent';
  points: MetricPoint[];
}

/** One target group of the service, as read. */
export interface TargetGroupRead {
  arn: string;
  group: Read<TargetGroupFacts | undefined>;
  health: Read<TargetHealthFacts[]>;
}

/** Everything the AWS layer gathers before the service diagnosis. */
export interface ServiceGathered {
  region: string;
  /** The cluster as the caller named it. */
  cluster: string;
  /** When the facts were read (epoch ms): "the last hour" counts back from here. */
  now: number;
  service: ServiceInput;
  /** The service's STOPPED tasks, described (ECS keeps them about an hour). */
  stopped: Read<TaskFacts[]>;
  /** groupStopped(stopped, now), when the gatherer already grouped them (to pick what else to read). */
  stoppedGroups?: StoppedGroup[];
  /** The service's RUNNING tasks, described. */
  running: Read<TaskFacts[]>;
  /** The running (PRIMARY) revision's task definition: facts, and the raw document for the linter. */
  taskDefinition: Read<{ facts: TaskDefFacts; document: unknown }>;
  targetGroups: TargetGroupRead[];
  /** Memory over time; absent when it was not asked for (no out-of-memory stops). */
  memory?: Read<MemorySeries[]>;
  /** The dominant stopped group's newest task, diagnosed by the task pipeline (absent: none, or it failed). */
  dominantDiagnosis?: DiagnoseResult;
}

/** A group of stopped tasks sharing a stop family and variant. */
export interface StoppedGroup {
  category: StopCategory;
  variant: string;
  title: string;
  /** True for stops that are failures (not a deployment's scale-in, a user's StopTask or a Spot reclaim). */
  failure: boolean;
  count: number;
  /** Of those, stopped in the last hour. */
  lastHour: number;
  newest: { taskArn: string; stoppedAt?: string; stoppedReason?: string; exitCode?: number | null; taskDefinitionArn?: string };
  /** Seconds from startedAt to stoppedAt, of the tasks that started. */
  lifetimes: { count: number; min?: number; median?: number; max?: number };
  /** Tasks that never started (no startedAt). */
  neverStarted: number;
  taskArns: string[];
}

export type ServiceCheck =
  | 'service'
  | 'deployments'
  | 'events'
  | 'stopped-tasks'
  | 'running-tasks'
  | 'health-arithmetic'
  | 'target-health'
  | 'task-definition'
  | 'memory'
  | 'dominant-stop';

/** One evidence row; status as the task diagnosis: pass, fail, or skipped ("not checked"). */
export interface ServiceEvidence {
  check: ServiceCheck;
  status: 'pass' | 'fail' | 'skipped';
  detail: string;
  title?: string;
  missingPermission?: string;
  command?: string;
  lines?: string[];
}

export interface ServiceCause {
  id: string;
  text: string;
  /** confirmed: the evidence names it; likely: it fits; possible: not checked. */
  status: 'confirmed' | 'likely' | 'possible';
}

export interface ServiceFix {
  text: string;
  command?: string;
  cause?: string;
}

export interface ServiceVerdict {
  kind: ServiceVerdictKind;
  summary: string;
  /** deployment-stuck: why (placement, failing-tasks, configuration, slow). */
  why?: string;
  /** deployment-failed: the revision that failed and the one ECS returned to. */
  from?: string;
  to?: string;
}

export interface DeploymentView {
  id?: string;
  status?: string;
  taskDefinition?: string;
  rolloutState?: string;
  rolloutStateReason?: string;
  desiredCount?: number;
  runningCount?: number;
  pendingCount?: number;
  failedTasks?: number;
  createdAt?: string;
  updatedAt?: string;
}

/** One line of the health-check arithmetic. */
export interface ArithmeticLine {
  label: string;
  /** Seconds, when a number. */
  seconds?: number;
  text: string;
  /** A warning drawn from the numbers. */
  warn?: boolean;
}

export type MemoryPattern = 'too-small' | 'growing' | 'spikes' | 'unclear';

export interface MemoryReading {
  pattern: MemoryPattern;
  text: string;
  limitMiB?: number;
  reservationMiB?: number;
  series?: MemorySeries;
}

export type TimelineKind = 'deployment' | 'event' | 'task';

export interface TimelineItem {
  kind: TimelineKind;
  /** Epoch ms. */
  start: number;
  /** Epoch ms; tasks and deployments have a span. */
  end?: number;
  label: string;
  /** Tasks: failed (stopped for a failure), stopped (other stops), running. Events: problem or info. */
  tone: 'failed' | 'stopped' | 'running' | 'problem' | 'info' | 'primary' | 'old';
  /** Tasks: the group key (category/variant). */
  group?: string;
}

export interface ServiceReport {
  service: string;
  serviceArn?: string;
  cluster: string;
  region: string;
  generatedAt: string;
  verdict: ServiceVerdict;
  counts: { desired?: number; running?: number; pending?: number };
  stoppedTasks: {
    /** Stopped in the last hour (all reasons). */
    count: number;
    /** Failure stops in the last hour, and since the PRIMARY deployment began. */
    failuresLastHour: number;
    sinceDeployment?: number;
    byCategory: Record<string, number>;
    groups: StoppedGroup[];
    checked: boolean;
  };
  deployments: DeploymentView[];
  evidence: ServiceEvidence[];
  causes: ServiceCause[];
  fixes: ServiceFix[];
  arithmetic: ArithmeticLine[];
  memory?: MemoryReading;
  timeline: { from: number; to: number; items: TimelineItem[]; truncated: number };
  /** The dominant stopped group's newest task, explained by the task diagnosis. */
  dominant?: { group: string; taskArn: string; title: string; summary: string; verdict?: string };
  /** Service events as ECS gave them (newest first), for the report. */
  events: Array<{ createdAt?: string; message: string }>;
}
