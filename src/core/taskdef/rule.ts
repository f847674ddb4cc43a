/** What a rule family is: metadata for its rules and one check over the parsed document. */
import type { Range, TaskDoc } from './document';
import type { SourceFile } from './source';
import type { Fix, RuleMeta } from './types';

export type Report = (ruleId: string, range: Range, message: string, fixes?: Fix[]) => void;

export interface RuleFamily {
  rules: RuleMeta[];
  /** Reads one task definition (never re-parses it) and reports findings; must not throw on any input. */
  check?(doc: TaskDoc, report: Report): void;
  /** Reads the whole file (cross-resource rules); must not throw on any input. */
  checkFile?(file: SourceFile, report: Report): void;
}

const API = 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference';
const GUIDE = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide';

export const DOCS = {
  healthCheck: `${API}/API_HealthCheck.html`,
  containerDefinition: `${API}/API_ContainerDefinition.html`,
  dependsOn: `${API}/API_ContainerDependency.html`,
  essential: `${API}/API_ContainerDefinition.html#ECS-Type-ContainerDefinition-essential`,
  image: `${API}/API_ContainerDefinition.html#ECS-Type-ContainerDefinition-image`,
  memory: `${API}/API_ContainerDefinition.html#ECS-Type-ContainerDefinition-memoryReservation`,
  stopTimeout: `${API}/API_ContainerDefinition.html#ECS-Type-ContainerDefinition-stopTimeout`,
  fargateSize: `${GUIDE}/task-cpu-memory-error.html`,
  networkMode: `${API}/API_RegisterTaskDefinition.html#ECS-RegisterTaskDefinition-request-networkMode`,
  taskMemory: `${API}/API_RegisterTaskDefinition.html#ECS-RegisterTaskDefinition-request-memory`,
  executionRole: `${GUIDE}/task_execution_IAM_role.html`,
  awslogs: `${GUIDE}/using_awslogs.html`,
  portMapping: `${API}/API_PortMapping.html`,
  secrets: `${GUIDE}/specifying-sensitive-data.html`,
  json: 'https://www.rfc-editor.org/rfc/rfc8259',
  yaml: 'https://yaml.org/spec/1.2.2/',
  hcl: 'https://developer.hashicorp.com/terraform/language/syntax/configuration',
  gracePeriod: `${API}/API_CreateService.html#ECS-CreateService-request-healthCheckGracePeriodSeconds`,
  serviceLoadBalancer: `${API}/API_LoadBalancer.html`,
  targetType: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#target-type',
} as const;
