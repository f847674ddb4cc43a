/** The task execution role: set when the agent needs one (ECR pulls, awslogs, secrets). */
import { roleNameOf } from '../../arn';
import type { TaskDefFacts } from '../facts';
import { fromTaskDef } from '../live';
import type { Evidence } from '../types';
import { parseEcrImage, secretRefsOf } from './refs';
import { list, plural, q } from './text';

/** An execution role is needed for private ECR pulls, awslogs, secrets and registry credentials. */
export function judgeExecutionRole(td: TaskDefFacts, region: string): Evidence {
  const needs: string[] = [];
  const ecr = td.containers.filter((c) => parseEcrImage(c.image));
  if (ecr.length) needs.push(`pull ${list(ecr.map((c) => c.name))} from ECR`);
  if (td.containers.some((c) => c.logDriver === 'awslogs')) needs.push('write awslogs');
  const refs = secretRefsOf(td);
  if (refs.length) needs.push(`fetch ${plural(refs.length, 'secret')}`);
  if (!td.executionRoleArn) {
    if (!needs.length) return { check: 'execution-role', status: 'pass', detail: 'No execution role is set, and none is needed (no ECR image, awslogs or secrets).' };
    return {
      check: 'execution-role',
      status: 'fail',
      detail: `No execution role (executionRoleArn) is set, but the ECS agent needs one to ${list(needs)}.`,
    };
  }
  void region;
  const name = roleNameOf(td.executionRoleArn);
  return {
    check: 'execution-role',
    status: 'pass',
    detail: `Execution role ${name} is set${needs.length ? ` (the agent uses it to ${list(needs)})` : ''}. Its policies were not read: confirm it allows ${policyHint(td)}.`,
    command: `aws iam list-attached-role-policies --role-name ${q(name)}`,
  };
}

function policyHint(td: TaskDefFacts): string {
  const actions: string[] = [];
  if (td.containers.some((c) => parseEcrImage(c.image))) actions.push('ecr:GetAuthorizationToken, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer');
  if (td.containers.some((c) => c.logDriver === 'awslogs')) actions.push('logs:CreateLogStream, logs:PutLogEvents');
  const refs = secretRefsOf(td);
  if (refs.some((r) => r.ref.service === 'secretsmanager')) actions.push('secretsmanager:GetSecretValue');
  if (refs.some((r) => r.ref.service === 'ssm')) actions.push('ssm:GetParameters');
  return actions.length ? actions.join('; ') : 'what the task needs';
}

export const checkExecutionRole = fromTaskDef('execution-role', (facts) => judgeExecutionRole(facts.taskDef, facts.region));
