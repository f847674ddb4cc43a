// The AWS layer's public surface, bundled as dist/aws.js and loaded through src/awsLoader.ts.
// Everything that crosses the network is reachable from here.
export { AwsSession } from './session';
export type { SessionOptions } from './session';
export { EcsData, EcsError, ecsDataFor } from './ecs';
export type { CallOptions, EcsDataOptions, EcsDataStats, EcsSender, EcsSource, StreamHandlers, StreamResult, TaskFilter } from './ecs';
export { ECS_THROTTLE_LIMITS, Pacer, Priority, TokenBucket, ecsThrottleGroup } from './pacer';
export type { BucketLimit, EcsThrottleGroup } from './pacer';
export {
  ExecInputError,
  describeExecTask,
  gatherExecFacts,
  startExecSession,
  terminateExecSession,
  enableExecForService,
  ecsEndpointUrl,
  listClusterArns,
  listRunningTasks,
} from './exec';
export type { ExecTargetInput, GatheredExec, GatherOptions, StartExecInput, StartedExec } from './exec';
export { readForwardPorts, ssmEndpointUrl, startForwardSession, terminateForwardSession } from './forward';
export type { StartForwardInput, StartedForward } from './forward';
export { diagnoseTask, listDiagnosableTasks, diagnoseErrorMessage, TaskNotFoundError } from './diagnose';
export type { DiagnoseResult, TaskChoice, CollectOptions } from './diagnose';
