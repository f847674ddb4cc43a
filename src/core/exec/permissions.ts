/**
 * ECS Exec preflight: the IAM permissions each side needs (the caller: ecs:ExecuteCommand and the
 * cluster's KMS key; the task role: ssmmessages, KMS and session logging), and which IAM principal
 * to simulate for an STS caller identity.
 */
import { parseArn, roleNameOf } from '../arn';
import { SSMMESSAGES_ACTIONS, type ExecConfigurationFacts, type PermissionNeed } from './types';

/** A KMS key id, alias or ARN as an ARN IAM can simulate against. */
export function kmsKeyArn(kmsKeyId: string, partition: string, region: string, account: string): string {
  if (kmsKeyId.startsWith('arn:')) return kmsKeyId;
  if (kmsKeyId.startsWith('alias/')) return `arn:${partition}:kms:${region}:${account}:${kmsKeyId}`;
  return `arn:${partition}:kms:${region}:${account}:key/${kmsKeyId}`;
}

interface Where {
  partition: string;
  region: string;
  account: string;
}

function whereOf(taskArn: string | undefined, region: string): Where {
  const p = parseArn(taskArn);
  return { partition: p?.partition || 'aws', region: p?.region || region, account: p?.account ?? '' };
}

/** What the caller (you) needs: ecs:ExecuteCommand on the task, and kms:GenerateDataKey on the cluster's key. */
export function callerNeeds(taskArn: string, execConfig: ExecConfigurationFacts | undefined, region: string): PermissionNeed[] {
  const w = whereOf(taskArn, region);
  const needs: PermissionNeed[] = [{ action: 'ecs:ExecuteCommand', resource: taskArn, why: 'to start a session on the task' }];
  if (execConfig?.kmsKeyId) {
    needs.push({
      action: 'kms:GenerateDataKey',
      resource: kmsKeyArn(execConfig.kmsKeyId, w.partition, w.region, w.account),
      why: "the cluster encrypts ECS Exec sessions with this KMS key",
    });
  }
  return needs;
}

/** What the task role needs: the four ssmmessages actions, plus KMS, S3 and CloudWatch Logs per the cluster's exec configuration. */
export function taskRoleNeeds(taskArn: string, execConfig: ExecConfigurationFacts | undefined, region: string): PermissionNeed[] {
  const w = whereOf(taskArn, region);
  const needs: PermissionNeed[] = SSMMESSAGES_ACTIONS.map((action) => ({
    action,
    resource: '*',
    why: 'the SSM agent in the container opens the session channels',
  }));
  if (!execConfig) return needs;
  if (execConfig.kmsKeyId) {
    needs.push({
      action: 'kms:Decrypt',
      resource: kmsKeyArn(execConfig.kmsKeyId, w.partition, w.region, w.account),
      why: 'the cluster encrypts ECS Exec sessions with this KMS key',
    });
  }
  const lc = execConfig.logging?.toUpperCase() === 'NONE' ? undefined : execConfig.logConfiguration;
  if (lc?.s3BucketName) {
    const bucket = `arn:${w.partition}:s3:::${lc.s3BucketName}`;
    needs.push({
      action: 's3:PutObject',
      resource: `${bucket}/${lc.s3KeyPrefix ? `${lc.s3KeyPrefix}*` : '*'}`,
      why: 'the cluster writes ECS Exec session logs to this S3 bucket',
    });
    if (lc.s3EncryptionEnabled) {
      needs.push({ action: 's3:GetEncryptionConfiguration', resource: bucket, why: 'the cluster requires an encrypted S3 bucket for session logs' });
    }
  }
  if (lc?.cloudWatchLogGroupName) {
    const group = `arn:${w.partition}:logs:${w.region}:${w.account}:log-group:${lc.cloudWatchLogGroupName}:*`;
    needs.push({ action: 'logs:DescribeLogGroups', resource: '*', why: 'the cluster writes ECS Exec session logs to CloudWatch Logs' });
    for (const action of ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents']) {
      needs.push({ action, resource: group, why: `the cluster writes ECS Exec session logs to ${lc.cloudWatchLogGroupName}` });
    }
  }
  return needs;
}

/**
 * The IAM ARN to simulate for an STS caller identity: users and roles as they are; an assumed-role
 * session becomes its role (the role's path is unknown here: the AWS layer asks GetRole for it).
 */
export function policySourceFor(callerArn: string): { kind: 'arn'; arn: string } | { kind: 'role'; roleName: string; guess: string } | { kind: 'root'; arn: string } | { kind: 'unsupported'; reason: string } {
  const p = parseArn(callerArn);
  if (!p) return { kind: 'unsupported', reason: `"${callerArn}" is not an ARN` };
  if (p.service === 'iam' && p.resource === 'root') return { kind: 'root', arn: callerArn };
  if (p.service === 'iam') return { kind: 'arn', arn: callerArn };
  if (p.service === 'sts' && p.resource.startsWith('assumed-role/')) {
    const roleName = roleNameOf(callerArn);
    return { kind: 'role', roleName, guess: `arn:${p.partition}:iam::${p.account}:role/${roleName}` };
  }
  return { kind: 'unsupported', reason: `IAM policy simulation does not support ${p.resourceType || p.resource} principals` };
}
