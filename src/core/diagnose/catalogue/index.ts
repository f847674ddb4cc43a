/**
 * The stopped-task knowledge as data: every documented stoppedReason family, each variant AWS
 * documents (with the exact message texts it recognises, kept in `examples` for the tests), and
 * the meaning of the essential container's exit codes. One file per family; this one assembles
 * them. classify() only picks an entry; nothing here runs at classification time except the
 * precompiled regular expressions.
 *
 * Sources: the Amazon ECS Developer Guide pages "Amazon ECS stopped tasks error messages",
 * "CannotPullContainer task errors in Amazon ECS", "Troubleshooting Amazon ECS
 * ResourceInitializationError errors", "Troubleshooting Amazon ECS TaskFailedToStart errors",
 * "Troubleshooting Amazon ECS CannotStartContainerError errors" and their sibling pages (linked
 * from each entry's `docs`), and the pull errors the Amazon ECS container agent reports. Commands
 * use <angle-bracket> placeholders; classify() fills in the ones the message itself names
 * (cluster, task, repository, tag, subnet, target group, ...). A part in [[double brackets]] is
 * kept only when every placeholder in it is known.
 */
import { START } from './containerStart';
import { ELB, CONTAINER_HEALTH } from './health';
export { RUNNING_UNHEALTHY } from './health';
import { OOM } from './outOfMemory';
import { PULL } from './pull';
import { MAINTENANCE, SCHEDULER, SPOT, USER } from './requestedStops';
import { RIE } from './resourceInit';
import { CANNOT_CREATE_VOLUME, CANNOT_INSPECT, CANNOT_STOP, INTERNAL, RUNTIME_ERROR, RUNTIME_TIMEOUT } from './runtime';
import type { FamilySpec } from './shared';
import { TFS } from './taskFailedToStart';

export { CMD, DOCS } from './shared';
export type { FamilySpec, VariantSpec } from './shared';
export { PULL_BY_REGISTRY, PULL_DOCS, PULL_PREVENTION_BY_REGISTRY } from './pullRegistries';
export type { ExternalRegistryKey, RegistryOverride } from './pullRegistries';
export { ESSENTIAL_DOCS, ESSENTIAL_EXITED, ESSENTIAL_PREVENTION, EXIT_CODES, EXIT_NULL, EXIT_OTHER, EXIT_UNKNOWN, SIGNALS } from './exitCodes';
export { UNKNOWN } from './unknown';

/**
 * Every family, in tie-break order. (A message naming several is assigned to the one named
 * first; "Essential container in task exited" is handled by exit code, not here.)
 */
export const FAMILIES: readonly FamilySpec[] = [
  PULL,
  RIE,
  START,
  OOM,
  RUNTIME_TIMEOUT,
  RUNTIME_ERROR,
  CANNOT_STOP,
  CANNOT_INSPECT,
  CANNOT_CREATE_VOLUME,
  TFS,
  INTERNAL,
  ELB,
  CONTAINER_HEALTH,
  SPOT,
  SCHEDULER,
  USER,
  MAINTENANCE,
];

