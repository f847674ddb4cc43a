// AWS Systems Manager (AWS JSON 1.1, X-Amz-Target AmazonSSM.*): Parameter Store reads
// (GetParameters with InvalidParameters, GetParameter, DescribeParameters). Owned by the
// stopped-task diagnosis; ECS Exec adds its session operations (TerminateSession) here.
// SecureString values are answered as opaque ciphertext unless WithDecryption is true.
import { hexId, SimError, type OpContext, type SimService } from '../protocol';
import type { ScenarioSsm } from '../types';

type Param = NonNullable<ScenarioSsm['parameters']>[number];

function arnOf(ctx: OpContext, p: Param): string {
  return `arn:aws:ssm:${ctx.state.region}:${ctx.state.accountId}:parameter${p.name.startsWith('/') ? '' : '/'}${p.name}`;
}

/** A name, a name with ":version" / ":label", or a parameter ARN. */
function lookup(ctx: OpContext, requested: string): Param | undefined {
  let name = requested;
  let version: number | undefined;
  if (name.startsWith('arn:')) {
    const parts = name.split(':');
    if (parts[3] !== ctx.state.region || parts[4] !== ctx.state.accountId) return undefined;
    const resource = parts.slice(5).join(':').replace(/^parameter/, '');
    name = resource.split('/').length === 2 ? resource.slice(1) : resource;
    if (parts.length > 6) {
      const sel = parts[parts.length - 1]!;
      if (/^\d+$/.test(sel)) version = Number(sel);
    }
  } else {
    const m = /^(.*):(\d+)$/.exec(name);
    if (m) {
      name = m[1]!;
      version = Number(m[2]);
    }
  }
  const p = ctx.state.ssm.parameters?.find((x) => x.name === name);
  if (!p || (version !== undefined && version !== (p.version ?? 1))) return undefined;
  return p;
}

function answer(ctx: OpContext, p: Param, decrypt: boolean) {
  const type = p.type ?? 'String';
  const value = type === 'SecureString' && !decrypt ? `AQICAH${Buffer.from(hexId(`kms:${p.name}`, 48)).toString('base64')}` : p.value;
  return {
    Name: p.name,
    Type: type,
    Value: value,
    Version: p.version ?? 1,
    LastModifiedDate: ctx.state.time(p.lastModifiedDate ?? '-7d'),
    ARN: arnOf(ctx, p),
    DataType: 'text',
  };
}

export const ssm: SimService = {
  name: 'ssm',
  signingName: 'ssm',
  protocol: 'json',
  targetPrefix: 'AmazonSSM',
  operations: {
    // ECS Exec: the client ends a session when its terminal closes. Like SSM, ending a session that
    // already ended (or that the plugin closed) succeeds; the call log is what tests look at.
    TerminateSession(ctx) {
      const id = ctx.params.SessionId;
      if (typeof id !== 'string' || id.length < 1 || id.length > 96) {
        throw new SimError('ValidationException', "1 validation error detected: Value at 'sessionId' failed to satisfy constraint: Member must have length less than or equal to 96 and greater than or equal to 1");
      }
      return { SessionId: id };
    },
    GetParameters(ctx) {
      const names = ctx.params.Names;
      if (!Array.isArray(names) || names.length < 1 || names.length > 10) {
        throw new SimError('ValidationException', `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1`);
      }
      const decrypt = ctx.params.WithDecryption === true;
      const Parameters = [];
      const InvalidParameters: string[] = [];
      for (const n of names as string[]) {
        const p = lookup(ctx, n);
        if (p) Parameters.push(answer(ctx, p, decrypt));
        else InvalidParameters.push(n);
      }
      return { Parameters, InvalidParameters };
    },
    GetParameter(ctx) {
      const n = ctx.params.Name;
      if (typeof n !== 'string') throw new SimError('ValidationException', 'Name is required.');
      const p = lookup(ctx, n);
      if (!p) throw new SimError('ParameterNotFound', '');
      return { Parameter: answer(ctx, p, ctx.params.WithDecryption === true) };
    },
    DescribeParameters(ctx) {
      const filters = (ctx.params.ParameterFilters as Array<{ Key: string; Option?: string; Values?: string[] }> | undefined) ?? [];
      let items = ctx.state.ssm.parameters ?? [];
      for (const f of filters) {
        if (f.Key !== 'Name') continue;
        const values = f.Values ?? [];
        items = items.filter((p) => values.some((v) => (f.Option === 'BeginsWith' ? p.name.startsWith(v) : p.name === v)));
      }
      return {
        Parameters: items.map((p) => ({
          Name: p.name,
          ARN: arnOf(ctx, p),
          Type: p.type ?? 'String',
          Version: p.version ?? 1,
          LastModifiedDate: ctx.state.time(p.lastModifiedDate ?? '-7d'),
          DataType: 'text',
          Tier: 'Standard',
        })),
      };
    },
  },
};
