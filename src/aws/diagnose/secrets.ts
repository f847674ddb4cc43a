import type { SecretRef, SecretState } from '../../core/diagnose/facts';
import { Denied } from '../../core/diagnose/live';
import { errorName, userMessage } from '../../core/awsErrors';
import type { LookupContext } from './context';
import { call } from './guard';

/** One reference being looked up, and what was found (filled in place). */
interface Item {
  ref: SecretRef;
  found: SecretState;
}

/**
 * Whether each secret reference exists, in the query's order: SSM GetParameters (without
 * decryption; the values in the answer are dropped unread) and Secrets Manager DescribeSecret
 * (metadata only). Never reads or keeps a secret value. A denied or failed call marks the
 * references it covered ('denied' with the IAM action, 'error' with the message).
 */
export async function lookUpSecrets(ctx: LookupContext, refs: readonly SecretRef[]): Promise<SecretState[]> {
  // The secrets check and the execution role's check ask the same question: one set of calls.
  const answer = await ctx.once(`secrets:${JSON.stringify(refs.map((r) => r.valueFrom))}`, () => lookUp(ctx, refs));
  return answer.map((s) => ({ ...s }));
}

async function lookUp(ctx: LookupContext, refs: readonly SecretRef[]): Promise<SecretState[]> {
  const items: Item[] = refs.map((ref) => ({ ref, found: { state: 'error' } }));
  await Promise.all([checkParameters(ctx, items.filter((i) => i.ref.service === 'ssm')), checkSecrets(ctx, items.filter((i) => i.ref.service === 'secretsmanager'))]);
  return items.map((i) => i.found);
}

function mark(found: SecretState, err: unknown): void {
  if (err instanceof Denied) {
    found.state = 'denied';
    found.note = err.action;
  } else {
    found.state = 'error';
    found.note = userMessage(err);
  }
}

async function checkParameters(ctx: LookupContext, items: Item[]): Promise<void> {
  if (!items.length) return;
  const { SSMClient, GetParametersCommand } = await import('@aws-sdk/client-ssm');
  const ssm = ctx.session.client(SSMClient);
  // The name as the agent would ask for it: an ARN as written, else the bare name.
  const nameOf = (r: SecretRef) => (r.valueFrom.startsWith('arn:') ? r.valueFrom : r.service === 'ssm' ? r.name : r.valueFrom);
  for (let i = 0; i < items.length; i += 10) {
    const batch = items.slice(i, i + 10);
    const Names = [...new Set(batch.map((b) => nameOf(b.ref)))];
    try {
      const out = await call('ssm:GetParameters', () => ssm.send(new GetParametersCommand({ Names, WithDecryption: false })));
      // Only names and ARNs are read from the answer; Parameters[].Value is never touched.
      const invalid = new Set(out.InvalidParameters ?? []);
      const found = new Set((out.Parameters ?? []).flatMap((p) => [p.Name, p.ARN]).filter((x): x is string => !!x));
      for (const b of batch) {
        const n = nameOf(b.ref);
        const bare = b.ref.service === 'ssm' ? b.ref.name : n;
        b.found.state = invalid.has(n) ? 'missing' : found.has(n) || found.has(bare) || found.has(`/${bare}`) ? 'exists' : 'missing';
      }
    } catch (err) {
      for (const b of batch) mark(b.found, err);
    }
  }
}

async function checkSecrets(ctx: LookupContext, items: Item[]): Promise<void> {
  if (!items.length) return;
  const { SecretsManagerClient, DescribeSecretCommand } = await import('@aws-sdk/client-secrets-manager');
  const sm = ctx.session.client(SecretsManagerClient);
  await Promise.all(
    items.map(async (b) => {
      if (b.ref.service !== 'secretsmanager') return;
      const SecretId = b.ref.secretId;
      try {
        const out = await call('secretsmanager:DescribeSecret', () => sm.send(new DescribeSecretCommand({ SecretId })));
        b.found.state = out.DeletedDate ? 'deleted' : 'exists';
        if (out.KmsKeyId) b.found.kmsKeyId = out.KmsKeyId;
      } catch (err) {
        if (errorName(err) === 'ResourceNotFoundException') b.found.state = 'missing';
        else mark(b.found, err);
      }
    }),
  );
}
