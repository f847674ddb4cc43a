// The live diagnosis: read-only evidence collectors (one per check) and diagnoseTask().
export { diagnoseTask, listDiagnosableTasks, diagnoseErrorMessage, TaskNotFoundError } from './diagnose';
export type { DiagnoseResult, TaskChoice } from './diagnose';
export { collectEvidence, COLLECTORS } from './collect';
export type { CollectOptions } from './collect';
export type { EvidenceContext, Collector } from './context';
export { Denied, isAccessDenied } from './guard';
