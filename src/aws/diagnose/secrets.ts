import type { SecretLookup } from '../../core/diagnose/facts';
import { judgeSecrets, secretRefsOf } from '../../core/diagnose/judges';
import { describeError } from '../../core/redact';
import { Denied, call, errorName } from './guard';
import { needsTaskDef, type Collector, type EvidenceContext } from './context';

/**
 * Whether each secrets[].valueFrom (and log secretOptions, repository credentials) exists:
 * SSM GetParameters (without decryption; the values in the answer are dropped unread) and
 * Secrets Manager DescribeSecret (metadata only). Never reads or keeps a secret value.
 */
export const collectSecrets: Collector = async (ctx) => {
  const td = ctx.taskDef;
  if (!td) return [needsTaskDef(ctx, 'secrets')];
  const refs = secretRefsOf(td);
  const lookups: SecretLookup[] = refs.map(({ ref, usedBy }) => ({ ref, usedBy, state: 'error' as const }));
  const here = lookups.filter((l) => !l.ref.region || l.ref.region === ctx.region);
  for (const l of lookups) if (!here.includes(l)) l.state = 'other-region';
  await Promise.all([checkParameters(ctx, here.filter((l) => l.ref.service === 'ssm')), checkSecrets(ctx, here.filter((l) => l.ref.service === 'secretsmanager'))]);
  return [judgeSecrets(lookups, td)];
};

function mark(l: SecretLookup, err: unknown): void {
  if (err instanceof Denied) {
    l.state = 'denied';
    l.note = err.action;
  } else {
    l.state = 'error';
    l.note = describeError(err);
  }
}

async function checkParameters(ctx: EvidenceContext, lookups: SecretLookup[]): Promise<void> {
  if (!lookups.length) return;
  const { SSMClient, GetParametersCommand } = await import('@aws-sdk/client-ssm');
  const ssm = ctx.session.client(SSMClient);
  // The name as the agent would ask for it: an ARN as written, else the bare name.
  const nameOf = (l: SecretLookup) => (l.ref.valueFrom.startsWith('arn:') ? l.ref.valueFrom : l.ref.service === 'ssm' ? l.ref.name : l.ref.valueFrom);
  for (let i = 0; i < lookups.length; i += 10) {
    const batch = lookups.slice(i, i + 10);
    const Names = [...new Set(batch.map(nameOf))];
    try {
      const out = await call('ssm:GetParameters', () => ssm.send(new GetParametersCommand({ Names, WithDecryption: false })));
      // Only names and ARNs are read from the answer; Parameters[].Value is never touched.
      const invalid = new Set(out.InvalidParameters ?? []);
      const found = new Set((out.Parameters ?? []).flatMap((p) => [p.Name, p.ARN]).filter((x): x is string => !!x));
      for (const l of batch) {
        const n = nameOf(l);
        const bare = l.ref.service === 'ssm' ? l.ref.name : n;
        l.state = invalid.has(n) ? 'missing' : found.has(n) || found.has(bare) || found.has(`/${bare}`) ? 'exists' : 'missing';
      }
    } catch (err) {
      for (const l of batch) mark(l, err);
    }
  }
}

async function checkSecrets(ctx: EvidenceContext, lookups: SecretLookup[]): Promise<void> {
  if (!lookups.length) return;
  const { SecretsManagerClient, DescribeSecretCommand } = await import('@aws-sdk/client-secrets-manager');
  const sm = ctx.session.client(SecretsManagerClient);
  await Promise.all(
    lookups.map(async (l) => {
      if (l.ref.service !== 'secretsmanager') return;
      const SecretId = l.ref.secretId;
      try {
        const out = await call('secretsmanager:DescribeSecret', () => sm.send(new DescribeSecretCommand({ SecretId })));
        l.state = out.DeletedDate ? 'deleted' : 'exists';
      } catch (err) {
        if (errorName(err) === 'ResourceNotFoundException') l.state = 'missing';
        else mark(l, err);
      }
    }),
  );
}
