/**
 * The answer for a message ECS Doctor does not recognise: the raw text and the usual order of
 * looking, never a guess.
 */
import type { DocLink } from '../types';
import { CMD, DOCS, f, type VariantSpec } from './shared';

export const UNKNOWN: Omit<VariantSpec, 'match'> & { prevention: string[]; docs: DocLink[] } = {
  variant: 'unrecognised',
  title: 'Stop reason not recognised',
  summary: 'ECS Doctor does not recognise this message, so it will not guess. Follow the usual order of looking below, starting from the raw text.',
  confidence: 'low',
  whereToLook: [
    'The five describe-tasks fields: lastStatus, stoppedReason, stopCode, and each container\'s exitCode and reason.',
    'exitCode null (never started): the agent side first (image pull, secrets, log driver, network); a non-zero exit code: the application.',
    'The container logs (CloudWatch Logs) of the essential containers.',
    'The service events and deployment state.',
    'The network path from the task\'s subnet (NAT or VPC endpoints), then the execution role.',
  ],
  causes: [],
  fixes: [f('Describe the task to see every field.', CMD.describeTask), f('Read the service events.', CMD.serviceEvents)],
  prevention: ['Archive stopped-task events (EventBridge "ECS Task State Change" to CloudWatch Logs): stopped tasks are visible for only about an hour.'],
  docs: [DOCS.stoppedErrors, DOCS.viewStopped, DOCS.lifecycle],
  checks: ['task-fields', 'task-definition', 'logs', 'service-events', 'vpc-endpoints', 'execution-role'],
  examples: ['Something ECS Doctor has never seen'],
};
