// The AWS side of the live diagnosis: gathering a task (diagnoseTask, listDiagnosableTasks) and
// the collector that answers the core judges' lookups with the SDK. The decisions are in
// src/core/diagnose/.
export { diagnoseTask, listDiagnosableTasks, diagnoseErrorMessage, TaskNotFoundError } from './diagnose';
export type { DiagnoseResult, TaskChoice } from './diagnose';
export { awsCollector, collectEvidence, COLLECTORS } from './collect';
export type { CollectOptions } from './collect';
export type { EvidenceContext, Collector, LookupContext } from './context';
export { Denied } from '../../core/diagnose/live';
export { diagnoseService, serviceDiagnoseErrorMessage, ServiceNotFoundError } from './service';
export type { ServiceDiagnoseOptions } from './service';
