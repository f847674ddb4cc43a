// AWS Secrets Manager (AWS JSON 1.1, X-Amz-Target secretsmanager.*): DescribeSecret only, the
// metadata a diagnosis needs to know a secret exists. There is deliberately no GetSecretValue:
// ECS Doctor never reads secret values. State: the scenario's `secretsManager.secrets[]`.
import { SimError, type OpContext, type SimService } from '../protocol';
import type { ScenarioSecrets } from '../types';

type Secret = NonNullable<ScenarioSecrets['secrets']>[number];

/** Secrets Manager ARNs end in the name plus "-" and six random characters. */
export function secretArn(ctx: Pick<OpContext, 'state'>, s: Secret): string {
  if (s.arn) return s.arn;
  let h = 0;
  for (const c of s.name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let suffix = '';
  for (let i = 0; i < 6; i++) {
    suffix += alphabet[h % alphabet.length];
    h = Math.floor(h / alphabet.length) + 7919 * (i + 1);
  }
  return `arn:aws:secretsmanager:${ctx.state.region}:${ctx.state.accountId}:secret:${s.name}-${suffix}`;
}

/** SecretId: a name, a full ARN, or a partial ARN (without the random suffix). */
function find(ctx: OpContext, id: string): Secret | undefined {
  const all = ctx.state.secretsManager.secrets ?? [];
  return all.find((s) => {
    const arn = secretArn(ctx, s);
    return s.name === id || arn === id || arn.replace(/-[A-Za-z0-9]{6}$/, '') === id;
  });
}

export const secretsManager: SimService = {
  name: 'secretsmanager',
  signingName: 'secretsmanager',
  protocol: 'json',
  targetPrefix: 'secretsmanager',
  operations: {
    DescribeSecret(ctx) {
      const id = ctx.params.SecretId;
      if (typeof id !== 'string' || !id) throw new SimError('InvalidParameterException', 'You must provide a SecretId.');
      const s = find(ctx, id);
      if (!s) throw new SimError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      return {
        ARN: secretArn(ctx, s),
        Name: s.name,
        ...(s.kmsKeyId ? { KmsKeyId: s.kmsKeyId } : {}),
        CreatedDate: ctx.state.time('-30d'),
        LastChangedDate: ctx.state.time('-7d'),
        ...(s.deletedDate !== undefined ? { DeletedDate: ctx.state.time(s.deletedDate) } : {}),
        VersionIdsToStages: { 'a1b2c3d4-0000-4000-8000-000000000001': ['AWSCURRENT'] },
      };
    },
  },
};
