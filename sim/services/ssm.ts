// AWS Systems Manager (AWS JSON 1.1, X-Amz-Target AmazonSSM.*): Parameter Store reads
// (GetParameters with InvalidParameters, GetParameter, DescribeParameters). Owned by the
// stopped-task diagnosis; ECS Exec adds its session operations (StartSession for ECS task
// targets with the shell and port-forwarding documents, TerminateSession) here.
// SecureString values are answered as opaque ciphertext unless WithDecryption is true.
import { hexId, SimError, type OpContext, type SimService } from '../protocol';
import { findCluster } from './ecs';
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

/** The session documents StartSession accepts for an ECS task target, with their required parameters. */
const SESSION_DOCUMENTS: Record<string, string[]> = {
  'SSM-SessionManagerRunShell': [],
  'AWS-StartInteractiveCommand': ['command'],
  'AWS-StartPortForwardingSession': ['portNumber'],
  'AWS-StartPortForwardingSessionToRemoteHost': ['host', 'portNumber'],
};

function notConnected(target: string): never {
  throw new SimError('TargetNotConnected', `${target} is not connected.`);
}

/**
 * StartSession on `ecs:<cluster>_<task id>_<container runtime id>`: the task must be RUNNING with
 * exec enabled and the container's ExecuteCommandAgent RUNNING (what the agent's connection
 * means), else TargetNotConnected, as SSM answers for a target whose agent is not connected.
 */
function startSession(ctx: OpContext) {
  const target = ctx.params.Target;
  if (typeof target !== 'string' || target.length < 1 || target.length > 400) {
    throw new SimError('ValidationException', "1 validation error detected: Value at 'target' failed to satisfy constraint: Member must have length less than or equal to 400 and greater than or equal to 1");
  }
  const documentName = ctx.params.DocumentName === undefined ? 'SSM-SessionManagerRunShell' : String(ctx.params.DocumentName);
  const required = SESSION_DOCUMENTS[documentName];
  if (!required) throw new SimError('InvalidDocument', `Document ${documentName} does not exist or is not a Session document.`);
  const raw = ctx.params.Parameters ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new SimError('ValidationException', 'Parameters must be a map of string lists.');
  const parameters: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new SimError('ValidationException', `Parameter ${k} must be a list of strings.`);
    parameters[k] = v as string[];
  }
  for (const r of required) if (!parameters[r]?.[0]) throw new SimError('InvalidParameters', `Parameter "${r}" is required by document ${documentName}.`);
  for (const k of ['portNumber', 'localPortNumber']) {
    const v = parameters[k]?.[0];
    if (v !== undefined && (!/^\d{1,5}$/.test(v) || Number(v) > 65535)) throw new SimError('InvalidParameters', `Parameter "${k}" is not a port number: ${v}.`);
  }
  const m = /^ecs:(.+)_([0-9a-f]{32})_([^_]+)$/.exec(target);
  if (!m) notConnected(target);
  let st;
  try {
    st = findCluster(ctx.state, m[1]);
  } catch {
    notConnected(target);
  }
  const task = st.tasks.get(m[2]!);
  const container = task?.containers?.find((c) => c.runtimeId === m[3]);
  const agent = container?.managedAgents?.find((a) => a.name === 'ExecuteCommandAgent');
  if (!task || !container || task.lastStatus !== 'RUNNING' || !task.enableExecuteCommand || agent?.lastStatus !== 'RUNNING' || container.lastStatus !== 'RUNNING') notConnected(target);

  const caller = (ctx.state.sts.arn ?? 'arn:aws:iam::0:user/sim-user').split('/').pop() ?? 'sim-user';
  const sessionId = `${caller}-${hexId(`ssm-session:${ctx.newId('ssm-session')}`, 17)}`;
  const port = parameters.portNumber?.[0] !== undefined ? Number(parameters.portNumber[0]) : undefined;
  const host = parameters.host?.[0];
  const rule = port === undefined ? undefined : ctx.state.ssm.portForwarding?.find(
    (r) => (r.task === undefined || r.task === m[2]) && (r.container === undefined || r.container === container.name) && (r.port === undefined || r.port === port) && (r.host ?? '') === (host ?? ''),
  );
  const streamUrl =
    `wss://ssmmessages.${ctx.state.region}.amazonaws.com/v1/data-channel/${sessionId}?role=publish_subscribe&cell-number=${hexId(`cell:${sessionId}`, 12)}` +
    (rule ? `&sim-forward-to=${encodeURIComponent(rule.to)}` : '');
  (ctx.state.ssm.sessions ??= []).push({ sessionId, target, documentName, parameters, status: 'Connected' });
  return {
    SessionId: sessionId,
    StreamUrl: streamUrl,
    TokenValue: `AAEAA${Buffer.from(`${sessionId}:${m[2]}:${ctx.newId('ssm-token')}`).toString('base64')}`,
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
      for (const sess of ctx.state.ssm.sessions ?? []) if (sess.sessionId === id) sess.status = 'Terminated';
      return { SessionId: id };
    },
    StartSession: startSession,
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
