// AWS IAM (awsQuery, 2010-05-08): SimulatePrincipalPolicy and GetRole, answered
// from the scenario's `iam` section. SimulatePrincipalPolicy really evaluates the principal's policy
// documents (attached and inline): an explicit Deny wins, then any Allow, else implicitDeny; Action,
// NotAction, Resource and NotResource with * and ? wildcards (actions case-insensitive). Conditions
// are not evaluated. A few AWS managed policies are known by ARN when a scenario gives no document.
//
// The default caller (STS answers arn:aws:iam::ACCOUNT:user/sim-user) may do everything unless the
// scenario lists it under `iam.users`. Denying the simulation itself is a fault rule:
// faults.accessDenied: [{ "operation": "iam:SimulatePrincipalPolicy" }].
import { SimError, hexId, type SimService } from '../protocol';
import type { ScenarioIam, SimState } from '../types';

type PolicyDoc = { Statement?: Statement | Statement[] };
interface Statement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
}

/** Well-known AWS managed policies, reduced to what the simulator's checks touch. */
const MANAGED: Record<string, PolicyDoc> = {
  'arn:aws:iam::aws:policy/AdministratorAccess': { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore': {
    Statement: [
      { Effect: 'Allow', Action: ['ssm:DescribeAssociation', 'ssm:GetDocument', 'ssm:UpdateInstanceInformation', 'ssm:ListAssociations'], Resource: '*' },
      { Effect: 'Allow', Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'], Resource: '*' },
      { Effect: 'Allow', Action: ['ec2messages:*'], Resource: '*' },
    ],
  },
  'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy': {
    Statement: [
      {
        Effect: 'Allow',
        Action: ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: '*',
      },
    ],
  },
  'arn:aws:iam::aws:policy/ReadOnlyAccess': { Statement: [{ Effect: 'Allow', Action: ['*:Describe*', '*:List*', '*:Get*'], Resource: '*' }] },
};

interface Principal {
  kind: 'role' | 'user';
  name: string;
  arn: string;
  policies: Array<{ id: string; type: 'managed' | 'inline'; doc: PolicyDoc }>;
}

function list<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function wildcard(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, caseInsensitive ? 'i' : '');
  return re.test(value);
}

function statementMatches(st: Statement, action: string, resource: string): boolean {
  const actionOk = st.Action !== undefined ? list(st.Action).some((a) => wildcard(a, action, true)) : st.NotAction !== undefined ? !list(st.NotAction).some((a) => wildcard(a, action, true)) : false;
  if (!actionOk) return false;
  if (st.Resource !== undefined) return list(st.Resource).some((r) => wildcard(r, resource, false));
  if (st.NotResource !== undefined) return !list(st.NotResource).some((r) => wildcard(r, resource, false));
  return false;
}

function parseDoc(doc: unknown): PolicyDoc {
  if (typeof doc === 'string') {
    try {
      return JSON.parse(decodeURIComponent(doc)) as PolicyDoc;
    } catch {
      return {};
    }
  }
  return (doc ?? {}) as PolicyDoc;
}

function roleArn(state: SimState, r: NonNullable<ScenarioIam['roles']>[number]): string {
  return r.arn ?? `arn:aws:iam::${state.accountId}:role/${r.roleName}`;
}

function userArn(state: SimState, u: NonNullable<ScenarioIam['users']>[number]): string {
  return u.arn ?? `arn:aws:iam::${state.accountId}:user/${u.userName}`;
}

function policiesOf(entity: { attachedPolicies?: { policyName: string; policyArn: string; document?: unknown }[]; inlinePolicies?: Record<string, unknown> }): Principal['policies'] {
  const out: Principal['policies'] = [];
  for (const p of entity.attachedPolicies ?? []) out.push({ id: p.policyName, type: 'managed', doc: p.document !== undefined ? parseDoc(p.document) : (MANAGED[p.policyArn] ?? {}) });
  for (const [name, doc] of Object.entries(entity.inlinePolicies ?? {})) out.push({ id: name, type: 'inline', doc: parseDoc(doc) });
  return out;
}

function findPrincipal(state: SimState, arn: string): Principal {
  const iam = state.iam ?? {};
  const tail = arn.split(':').slice(5).join(':');
  if (tail.startsWith('role/')) {
    const name = tail.split('/').pop() ?? '';
    const r = (iam.roles ?? []).find((x) => roleArn(state, x) === arn || (x.roleName === name && !x.arn));
    if (!r) throw new SimError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
    return { kind: 'role', name: r.roleName, arn: roleArn(state, r), policies: policiesOf(r) };
  }
  if (tail.startsWith('user/')) {
    const name = tail.split('/').pop() ?? '';
    const u = (iam.users ?? []).find((x) => userArn(state, x) === arn || (x.userName === name && !x.arn));
    if (u) return { kind: 'user', name: u.userName, arn: userArn(state, u), policies: policiesOf(u) };
    if (arn === `arn:aws:iam::${state.accountId}:user/sim-user`) {
      return { kind: 'user', name: 'sim-user', arn, policies: [{ id: 'AdministratorAccess', type: 'managed', doc: MANAGED['arn:aws:iam::aws:policy/AdministratorAccess']! }] };
    }
    throw new SimError('NoSuchEntity', `The user with name ${name} cannot be found.`, 404);
  }
  throw new SimError('InvalidInput', `Invalid ARN: ${arn}. SimulatePrincipalPolicy accepts users, groups and roles.`, 400);
}

function evaluate(p: Principal, action: string, resource: string) {
  const matched: Array<{ SourcePolicyId: string; SourcePolicyType: string }> = [];
  let allow = false;
  let deny = false;
  for (const pol of p.policies) {
    for (const st of list(pol.doc.Statement)) {
      if (!statementMatches(st, action, resource)) continue;
      matched.push({ SourcePolicyId: pol.id, SourcePolicyType: pol.type === 'managed' ? 'IAM Policy' : p.kind === 'role' ? 'role' : 'user' });
      if ((st.Effect ?? '').toLowerCase() === 'deny') deny = true;
      else if ((st.Effect ?? '').toLowerCase() === 'allow') allow = true;
    }
  }
  return { decision: deny ? 'explicitDeny' : allow ? 'allowed' : 'implicitDeny', matched };
}

function strings(v: unknown): string[] {
  return list(v as string | string[] | undefined).filter((x): x is string => typeof x === 'string' && x.length > 0);
}

export const iam: SimService = {
  name: 'iam',
  signingName: 'iam',
  protocol: 'query',
  apiVersion: '2010-05-08',
  xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
  operations: {
    SimulatePrincipalPolicy(ctx) {
      const source = String(ctx.params.PolicySourceArn ?? '');
      if (!source) throw new SimError('ValidationError', "1 validation error detected: Value null at 'policySourceArn' failed to satisfy constraint: Member must not be null");
      const actions = strings(ctx.params.ActionNames);
      if (actions.length === 0) throw new SimError('ValidationError', "1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null");
      const resources = strings(ctx.params.ResourceArns);
      const principal = findPrincipal(ctx.state, source);
      const all: unknown[] = [];
      for (const action of actions) {
        for (const resource of resources.length ? resources : ['*']) {
          const { decision, matched } = evaluate(principal, action, resource);
          all.push({ EvalActionName: action, EvalResourceName: resource, EvalDecision: decision, MatchedStatements: matched, MissingContextValues: [] });
        }
      }
      const max = ctx.params.MaxItems !== undefined ? Math.max(1, Number(ctx.params.MaxItems) || 100) : 100;
      const start = ctx.params.Marker ? Number(Buffer.from(String(ctx.params.Marker), 'base64').toString('utf8')) || 0 : 0;
      const page = all.slice(start, start + max);
      const more = start + max < all.length;
      return {
        EvaluationResults: page,
        IsTruncated: more,
        ...(more ? { Marker: Buffer.from(String(start + max)).toString('base64') } : {}),
      };
    },

    GetRole(ctx) {
      const name = String(ctx.params.RoleName ?? '');
      const r = (ctx.state.iam?.roles ?? []).find((x) => x.roleName === name);
      if (!r) throw new SimError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
      const arn = roleArn(ctx.state, r);
      const path = arn.split(':role')[1]?.replace(new RegExp(`${r.roleName}$`), '') || '/';
      return {
        Role: {
          Path: path,
          RoleName: r.roleName,
          RoleId: `AROA${hexId(arn, 17).toUpperCase()}`,
          Arn: arn,
          CreateDate: new Date(ctx.state.loadedAt - 86_400_000),
          AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(r.assumeRolePolicyDocument ?? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] })),
          MaxSessionDuration: 3600,
        },
      };
    },
  },
};
