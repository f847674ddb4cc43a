/**
 * The task execution role: set when the agent needs one (ECR pulls, awslogs, secrets), and, read
 * with IAM policy simulation (iam:SimulatePrincipalPolicy, as the ECS Exec preflight does for the
 * task role), whether it allows each thing the agent does for this task on the task's own
 * resources. A role whose policies were not read is "not checked", never "pass".
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
 */
import { parseArn, roleNameOf } from '../../arn';
import type { PermissionNeed, SimulationOutcome } from '../../exec/types';
import type { SecretState, TaskDefFacts } from '../facts';
import { userMessage } from '../../awsErrors';
import { needsTaskDef, type CheckFacts, type Collect } from '../live';
import type { Evidence } from '../types';
import { parseEcrImage, secretRefsOf } from './refs';
import { list, plural, q } from './text';

/** What the agent needs the execution role for, in words. */
function needsInWords(td: TaskDefFacts): string[] {
  const needs: string[] = [];
  const ecr = td.containers.filter((c) => parseEcrImage(c.image));
  if (ecr.length) needs.push(`pull ${list(ecr.map((c) => c.name))} from ECR`);
  if (td.containers.some((c) => c.logDriver === 'awslogs')) needs.push('write awslogs');
  const refs = secretRefsOf(td);
  if (refs.length) needs.push(`fetch ${plural(refs.length, 'secret')}`);
  return needs;
}

/** The AWS-managed keys (alias/aws/...) need no kms:Decrypt in the role's policy. */
function keyArnOf(kmsKeyId: string | undefined, region: string, account: string): string | undefined {
  if (!kmsKeyId || /^alias\/aws\//.test(kmsKeyId) || /:alias\/aws\//.test(kmsKeyId)) return undefined;
  if (kmsKeyId.startsWith('arn:')) return kmsKeyId;
  return kmsKeyId.startsWith('alias/') ? `arn:aws:kms:${region}:${account}:${kmsKeyId}` : `arn:aws:kms:${region}:${account}:key/${kmsKeyId}`;
}

/**
 * Every action the agent takes with the execution role for this task, on the task's own
 * resources (real ARNs): ECR pulls, awslogs, each secret and, where known, its KMS key.
 * `secretStates` are the secrets lookup's answers in secretRefsOf() order (for their KMS keys).
 */
export function executionRoleNeeds(td: TaskDefFacts, region: string, account: string, secretStates: readonly SecretState[] = []): PermissionNeed[] {
  const needs: PermissionNeed[] = [];
  const add = (action: string, resource: string, why: string) => {
    if (!needs.some((n) => n.action === action && n.resource === resource)) needs.push({ action, resource, why });
  };
  for (const c of td.containers) {
    const img = parseEcrImage(c.image);
    if (!img) continue;
    add('ecr:GetAuthorizationToken', '*', `pull ${c.name}'s image (this action only takes Resource "*")`);
    const repo = `arn:aws:ecr:${img.region}:${img.registryId}:repository/${img.repository}`;
    add('ecr:BatchGetImage', repo, `pull ${c.name}'s image`);
    add('ecr:GetDownloadUrlForLayer', repo, `pull ${c.name}'s image layers`);
  }
  for (const c of td.containers) {
    const group = c.logDriver === 'awslogs' ? c.logOptions?.['awslogs-group'] : undefined;
    if (!group) continue;
    const arn = `arn:aws:logs:${c.logOptions?.['awslogs-region'] ?? region}:${account}:log-group:${group}:*`;
    add('logs:CreateLogStream', arn, `create ${c.name}'s log stream`);
    add('logs:PutLogEvents', arn, `write ${c.name}'s logs`);
  }
  secretRefsOf(td).forEach(({ ref, usedBy }, i) => {
    const who = usedBy.join(', ');
    const r = ref.region ?? region;
    if (ref.service === 'secretsmanager') {
      const arn = ref.secretId.startsWith('arn:') ? ref.secretId : `arn:aws:secretsmanager:${r}:${account}:secret:${ref.secretId}-??????`;
      add('secretsmanager:GetSecretValue', arn, `fetch the secret for ${who}`);
    } else {
      const arn = ref.valueFrom.startsWith('arn:') ? ref.valueFrom : `arn:aws:ssm:${r}:${account}:parameter/${ref.name.replace(/^\//, '')}`;
      add('ssm:GetParameters', arn, `fetch the parameter for ${who}`);
    }
    const key = keyArnOf(secretStates[i]?.kmsKeyId, r, account);
    if (key) add('kms:Decrypt', key, `decrypt the secret for ${who} (its customer managed key)`);
  });
  return needs;
}

/** The IAM policy statements that grant `needs`, one per action set on the same resources, as JSON. */
export function policyFor(needs: readonly PermissionNeed[]): string {
  const byResources = new Map<string, { actions: string[]; resources: string[] }>();
  const byAction = new Map<string, string[]>();
  for (const n of needs) byAction.set(n.action, [...(byAction.get(n.action) ?? []), n.resource]);
  for (const [action, resources] of byAction) {
    const key = resources.join(' ');
    const s = byResources.get(key) ?? { actions: [], resources };
    s.actions.push(action);
    byResources.set(key, s);
  }
  const Statement = [...byResources.values()].map((s) => ({ Effect: 'Allow', Action: s.actions.length === 1 ? s.actions[0] : s.actions, Resource: s.resources.length === 1 ? s.resources[0] : s.resources }));
  return JSON.stringify({ Version: '2012-10-17', Statement });
}

const decisionText = (d: string) => (d === 'explicitDeny' ? 'explicitly denied' : 'not allowed');

/** The execution role judged from its IAM policy simulation (or why it could not be simulated). */
export function judgeExecutionRole(td: TaskDefFacts, outcome?: SimulationOutcome, needs: readonly PermissionNeed[] = []): Evidence {
  const words = needsInWords(td);
  if (!td.executionRoleArn) {
    if (!words.length) return { check: 'execution-role', status: 'pass', detail: 'No execution role is set, and none is needed (no ECR image, awslogs or secrets).', causes: ['execution-role-missing'] };
    return {
      check: 'execution-role',
      status: 'fail',
      detail: `No execution role (executionRoleArn) is set, but the ECS agent needs one to ${list(words)}.`,
      causes: ['execution-role-missing', 'execution-role-permissions'],
    };
  }
  const arn = td.executionRoleArn;
  const name = roleNameOf(arn);
  const uses = words.length ? ` (the agent uses it to ${list(words)})` : '';
  if (!needs.length) return { check: 'execution-role', status: 'pass', detail: `Execution role ${name} is set; the agent needs nothing of it for this task (no ECR image, awslogs or secrets).`, causes: ['execution-role-missing'] };
  const statement = policyFor(needs);
  const resources = [...new Set(needs.map((n) => n.resource).filter((r) => r !== '*'))];
  const simulate = `aws iam simulate-principal-policy --policy-source-arn ${arn} --action-names ${[...new Set(needs.map((n) => n.action))].join(' ')}${resources.length ? ` --resource-arns ${resources.join(' ')}` : ''} --query 'EvaluationResults[*].{Action:EvalActionName,Resource:EvalResourceName,Decision:EvalDecision}'`;
  if (!outcome || outcome.kind === 'unavailable') {
    const ev: Evidence = {
      check: 'execution-role',
      status: 'skipped',
      detail: `Not checked: execution role ${name} is set${uses}, but its policies could not be simulated${outcome ? ` (${outcome.reason})` : ''}. It must allow the statement below.`,
      command: simulate,
      lines: [statement],
      causes: [],
    };
    if (!outcome || outcome.cause === 'not-permitted') ev.missingPermission = 'iam:SimulatePrincipalPolicy';
    return ev;
  }
  if (outcome.kind === 'missing') {
    return {
      check: 'execution-role',
      status: 'fail',
      detail: `The execution role ${arn} does not exist in IAM (deleted or mistyped), so the agent cannot ${list(words) || 'use it'}.`,
      command: `aws iam get-role --role-name ${q(name)}`,
      causes: ['role-deleted', 'execution-role-permissions'],
    };
  }
  if (outcome.kind === 'root') return { check: 'execution-role', status: 'pass', detail: `Execution role ${name} may do everything.`, causes: ['execution-role-permissions'] };
  const denied = outcome.results.filter((r) => r.decision !== 'allowed');
  if (!denied.length) {
    return {
      check: 'execution-role',
      status: 'pass',
      detail: `IAM policy simulation: execution role ${name} allows all ${plural(outcome.results.length, 'action')} the agent needs for this task${uses}, on the task's own resources. (A KMS key policy or a resource policy can still refuse; those are not simulated.)`,
      command: simulate,
      causes: ['execution-role-permissions', 'wrong-role', 'role-deleted'],
    };
  }
  const missing = denied.filter((d) => d.decision !== 'explicitDeny');
  const explicit = denied.filter((d) => d.decision === 'explicitDeny');
  const add = policyFor(missing);
  const ev: Evidence = {
    check: 'execution-role',
    status: 'fail',
    detail: `IAM policy simulation: execution role ${name} does not allow what the agent needs: ${denied.map((d) => `${d.action} on ${d.resource} (${decisionText(d.decision)}; to ${d.why})`).join('; ')}.${explicit.length ? ' An explicit Deny must be removed: adding an Allow does not override it.' : ''}`,
    command: simulate,
    causes: ['execution-role-permissions'],
  };
  if (missing.length) {
    ev.lines = [`Add to ${name}: ${add}`];
    ev.fix = {
      text: `Allow the execution role ${name} what it lacks (an inline policy with exactly these statements):`,
      command: `aws iam put-role-policy --role-name ${q(name)} --policy-name ecs-doctor-execution-role --policy-document '${add}'`,
    };
  }
  return ev;
}

function accountOf(facts: CheckFacts): string | undefined {
  return parseArn(facts.taskDef?.executionRoleArn)?.account ?? parseArn(facts.task.taskArn)?.account ?? parseArn(facts.taskDef?.arn)?.account;
}

/** Reads the secrets' KMS keys (where known), then simulates the execution role over everything the agent needs. */
export const checkExecutionRole = async (facts: CheckFacts, collect: Collect): Promise<Evidence[]> => {
  const td = facts.taskDef;
  if (!td) return [needsTaskDef(facts, 'execution-role')];
  const account = accountOf(facts);
  if (!td.executionRoleArn || !account) return [judgeExecutionRole(td)];
  const refs = secretRefsOf(td);
  let states: SecretState[] = [];
  if (refs.length) states = await collect('secrets', refs.map((r) => r.ref)).catch(() => []);
  const needs = executionRoleNeeds(td, facts.region, account, states);
  if (!needs.length) return [judgeExecutionRole(td, undefined, needs)];
  let outcome: SimulationOutcome;
  try {
    outcome = await collect('role-simulation', { roleArn: td.executionRoleArn, needs });
  } catch (err) {
    outcome = { kind: 'unavailable', principalArn: td.executionRoleArn, reason: userMessage(err), cause: 'error' };
  }
  return [judgeExecutionRole(td, outcome, needs)];
};
