/**
 * One judge per evidence check. A judge knows what "wrong" looks like for its check: it decides
 * what it needs to look at, asks the injected collector for those facts (the AWS layer answers;
 * a fake does in the tests), and turns them into Evidence rows. The judge* functions are the
 * pure verdicts over fetched facts; the check* functions are the whole check.
 */
import type { Judge } from '../live';
import type { EvidenceCheckId } from '../types';
import { checkContainerHealthChecks } from './containerHealthCheck';
import { checkEcrImage } from './ecrImage';
import { checkExecutionRole } from './executionRole';
import { checkLogs } from './logs';
import { checkMemory } from './memory';
import { checkSecrets } from './secrets';
import { checkSecurityGroups } from './securityGroups';
import { checkServiceEvents } from './serviceEvents';
import { checkSubnetIps } from './subnetIps';
import { checkTargetGroup } from './targetGroup';
import { checkTaskDefinition } from './taskDefinition';
import { checkTaskFields } from './taskFields';
import { checkVpcEndpoints } from './vpcEndpoints';

export { judgeContainerHealthChecks } from './containerHealthCheck';
export { judgeEcrImage } from './ecrImage';
export { judgeExecutionRole } from './executionRole';
export { judgeLogs, judgeNoLogs } from './logs';
export { judgeMemory } from './memory';
export { ENDPOINT_SERVICES, imagesNeedingInternet, parseEcrImage, parseSecretRef, requiredEndpoints, secretRefsOf } from './refs';
export type { EndpointService } from './refs';
export { judgeSecrets } from './secrets';
export { cidrContains, ruleAllowsTcp } from './securityGroupRules';
export { judgeEndpointSecurityGroups, judgeLbSecurityGroups, securityGroupParts } from './securityGroups';
export type { EndpointPath } from './securityGroups';
export { judgeService } from './serviceEvents';
export { judgeSubnetIps } from './subnetIps';
export { judgeTargetGroup, targetGroupBindings, targetGroupFromReason } from './targetGroup';
export { judgeTaskDefinition } from './taskDefinition';
export { judgeTaskFields } from './taskFields';
export { judgeNetwork } from './vpcEndpoints';

/** Every check's judge, by check id. */
export const JUDGES: Record<EvidenceCheckId, Judge> = {
  'task-fields': checkTaskFields,
  'task-definition': checkTaskDefinition,
  logs: checkLogs,
  'service-events': checkServiceEvents,
  'ecr-image': checkEcrImage,
  'vpc-endpoints': checkVpcEndpoints,
  'subnet-ips': checkSubnetIps,
  secrets: checkSecrets,
  'execution-role': checkExecutionRole,
  'target-group': checkTargetGroup,
  'security-groups': checkSecurityGroups,
  'container-health-check': checkContainerHealthChecks,
  memory: checkMemory,
};
