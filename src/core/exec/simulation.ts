/**
 * ECS Exec preflight: a permission check from what IAM policy simulation said, with the fix in
 * words for whose permissions they are (the caller's or the task role's).
 */
import { lastSegment, parseArn } from '../arn';
import type { EvalDecision, ExecCheck, ExecCheckId, PermissionNeed, SimulationOutcome } from './types';

function decisionsText(results: Array<PermissionNeed & { decision: EvalDecision }>): string {
  return results.map((r) => `${r.action} ${r.decision === 'allowed' ? 'allowed' : r.decision === 'explicitDeny' ? 'explicitly denied' : 'not allowed'}`).join(', ');
}

/**
 * Whose permissions a simulation is about. The two are easy to mix up, and so are their fixes:
 * the caller (the identity ECS Doctor's credentials belong to: you) needs ecs:ExecuteCommand and,
 * with a cluster KMS key, kms:GenerateDataKey; the task role (the task definition's taskRoleArn,
 * which the SSM agent in the container uses) needs the ssmmessages actions and, per the cluster's
 * exec configuration, kms:Decrypt and the session-logging permissions. Neither is the task
 * execution role, which ECS itself uses to pull images and fetch secrets.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
 */
interface Principal {
  kind: 'caller' | 'task-role';
  /** Everything this principal needs for this task and cluster. */
  needs: PermissionNeed[];
}

/** An IAM role, or an STS session of one (an assumed role). */
function isRoleArn(arn: string | undefined): boolean {
  const r = parseArn(arn)?.resource ?? '';
  return r.startsWith('role/') || r.startsWith('assumed-role/');
}

const KMS_KEY_POLICY_NOTE = "KMS also checks the key's own policy, which IAM simulation does not read: the default key policy lets IAM policies grant it";

export function simulationCheck(id: ExecCheckId, title: string, outcome: SimulationOutcome, p: Principal): ExecCheck {
  const caller = p.kind === 'caller';
  const byHand = caller ? `check by hand that your identity may: ${allowStatement(p.needs)}` : `check by hand that the task role allows: ${allowStatement(p.needs)}`;
  if (outcome.kind === 'root') {
    return { id, title, status: 'pass', detail: `${caller ? 'Your identity' : 'The task role'} is the account root user, which may do everything.`, fix: '' };
  }
  if (outcome.kind === 'missing') {
    const arn = outcome.principalArn;
    if (!caller) {
      return {
        id,
        title,
        status: 'fail',
        detail: `The task role ${arn} (taskRoleArn of the task definition) does not exist in IAM.`,
        fix: `Create the role ${lastSegment(arn)} (trusted by ecs-tasks.amazonaws.com) allowing: ${allowStatement(p.needs)}; or point taskRoleArn at an existing role that allows them. Then register a new revision and deploy it.`,
      };
    }
    if (outcome.guessed) {
      return {
        id,
        title,
        status: 'fail',
        detail: `IAM has no ${arn}: your credentials are a session of that role, and ECS Doctor could not read the role (iam:GetRole) to learn its path, so it guessed the ARN.`,
        fix: `Allow your identity iam:GetRole on the role so ECS Doctor can find it, or ${byHand}.`,
      };
    }
    return {
      id,
      title,
      status: 'fail',
      detail: `IAM has no ${arn}, the identity your credentials belong to (STS GetCallerIdentity).`,
      fix: `Use the credentials of an existing IAM user or role (aws sts get-caller-identity shows whose they are; pick another profile otherwise). That identity needs: ${allowStatement(p.needs)}.`,
    };
  }
  if (outcome.kind === 'unavailable') {
    const who = caller ? 'your identity' : 'the task role';
    const arn = outcome.principalArn;
    const fix =
      outcome.cause === 'not-permitted'
        ? caller
          ? `Allow your identity iam:SimulatePrincipalPolicy on itself${isRoleArn(arn) ? ' (and iam:GetRole on its role)' : ''} so ECS Doctor can check it, or ${byHand}.`
          : `Allow your identity (the one ECS Doctor uses, not the task role) iam:SimulatePrincipalPolicy on ${arn ?? 'the task role'} so ECS Doctor can check it, or ${byHand}.`
        : outcome.cause === 'unsupported'
          ? `IAM policy simulation cannot check this kind of identity: ${byHand}.`
          : outcome.cause === 'not-implemented'
            ? `This endpoint cannot simulate IAM policies (real AWS can): ${byHand}.`
            : outcome.cause === 'no-identity'
              ? 'Check the credentials ECS Doctor uses (aws sts get-caller-identity), then run the check again.'
              : `Run the check again, or ${byHand}.`;
    return { id, title, status: 'unknown', detail: `Could not check ${who}${arn ? ` (${arn})` : ''}: ${outcome.reason}`, fix };
  }
  const missing = outcome.results.filter((r) => r.decision !== 'allowed');
  if (missing.length === 0) {
    return { id, title, status: 'pass', detail: `${outcome.principalArn}: ${decisionsText(outcome.results)}.`, fix: '' };
  }
  const explicit = missing.some((m) => m.decision === 'explicitDeny');
  const kms = missing.some((m) => m.action.startsWith('kms:'));
  const add = `${explicit ? 'Remove the explicit Deny, then a' : 'A'}dd to a policy of ${caller ? 'your identity' : 'the task role'} ${outcome.principalArn}: ${allowStatement(missing)}`;
  return {
    id,
    title,
    status: 'fail',
    detail: `${outcome.principalArn}: ${decisionsText(missing)} (${[...new Set(missing.map((m) => m.why))].join('; ')}).`,
    fix: caller
      ? `${add}.${kms ? ` ${KMS_KEY_POLICY_NOTE}.` : ''}`
      : `${add}.${kms ? ` ${KMS_KEY_POLICY_NOTE}.` : ''} IAM applies the change to running tasks within minutes; if sessions still fail, start a new task.`,
  };
}

export function allowStatement(missing: PermissionNeed[]): string {
  const byResource = new Map<string, string[]>();
  for (const m of missing) byResource.set(m.resource, [...(byResource.get(m.resource) ?? []), m.action]);
  return [...byResource].map(([resource, actions]) => `Allow ${actions.join(', ')} on ${resource}`).join('; ');
}
