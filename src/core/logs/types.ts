/**
 * The shapes the log reader reasons about: structural subsets of ECS's DescribeTasks and
 * DescribeTaskDefinition answers (same field names, every field optional), so the SDK's objects
 * and plain JSON fixtures both fit. Pure.
 */

export interface LogContainerDefinition {
  name?: string;
  logConfiguration?: { logDriver?: string; options?: Record<string, string> | undefined } | undefined;
}

export interface LogTaskDefinition {
  taskDefinitionArn?: string;
  family?: string;
  revision?: number;
  executionRoleArn?: string;
  requiresCompatibilities?: string[];
  containerDefinitions?: LogContainerDefinition[];
}

export interface LogTaskContainer {
  name?: string;
  runtimeId?: string;
  lastStatus?: string;
  exitCode?: number | null;
}

export interface LogTask {
  taskArn?: string;
  clusterArn?: string;
  taskDefinitionArn?: string;
  lastStatus?: string;
  launchType?: string;
  startedAt?: Date | string | number;
  stoppedAt?: Date | string | number;
  stoppedReason?: string;
  containers?: LogTaskContainer[];
}

/** Where one container's lines can be read. */
export type LogSource =
  | {
      kind: 'awslogs';
      container: string;
      group: string;
      region: string;
      stream: string;
      /** awslogs-stream-prefix, when the stream was named from it. */
      prefix: string | undefined;
      /** awslogs-create-group is "true". */
      createGroup: boolean;
    }
  | {
      /** The container does not log to CloudWatch Logs through awslogs, or its stream cannot be named. */
      kind: 'elsewhere';
      container: string;
      driver: string | undefined;
      /** Where its output goes instead, in words. */
      where: string;
      /** What to change to read it here. */
      change: string;
    };

export type AwsLogsSource = Extract<LogSource, { kind: 'awslogs' }>;

/** One log event, as shown: its container's name and its (sanitised) text. */
export interface LogLine {
  /** Epoch milliseconds. */
  timestamp: number;
  container: string;
  message: string;
}
