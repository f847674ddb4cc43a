import { JUDGES } from '../../core/diagnose/judges';
import type { Collect, LookupKind, Lookups } from '../../core/diagnose/live';
import { collectEvidence as collectWith, type CollectOptions } from '../../core/diagnose/pipeline';
import { EVIDENCE_CHECKS, type Evidence, type EvidenceCheckId } from '../../core/diagnose/types';
import type { Collector, EvidenceContext, LookupContext } from './context';
import { describeImage } from './ecr';
import { readLogTail } from './logs';
import { endpointsOf, routeTableOf, subnetOf } from './network';
import { simulatePrincipal } from '../exec';
import { lookUpSecrets } from './secrets';
import { securityGroupsOf } from './securityGroups';
import { describeLoadBalancers, describeTargetGroup, targetHealth } from './targetGroup';

type Answerers = { [K in LookupKind]: (ctx: LookupContext, query: Lookups[K]['query']) => Promise<Lookups[K]['answer']> };

/** One SDK collector per lookup: read-only calls, their answers mapped to core facts. */
const ANSWER: Answerers = {
  'ecr-image': describeImage,
  logs: (ctx, { group, stream }) => readLogTail(ctx, group, stream),
  secrets: lookUpSecrets,
  subnet: subnetOf,
  'route-table': routeTableOf,
  'vpc-endpoints': endpointsOf,
  'security-groups': securityGroupsOf,
  'target-group': describeTargetGroup,
  'target-health': targetHealth,
  'load-balancers': describeLoadBalancers,
  'role-simulation': (ctx, { roleArn, needs }) => ctx.once(`simulate:${roleArn}:${JSON.stringify(needs)}`, () => simulatePrincipal(ctx.session, roleArn, needs)),
};

/** The collector the core judges ask: each lookup answered with the session, memoised through `ctx.once`. */
export function awsCollector(ctx: LookupContext): Collect {
  return <K extends LookupKind>(kind: K, query: Lookups[K]['query']) => (ANSWER[kind] as Answerers[K])(ctx, query);
}

/** Each check run live on its own (tests): the core judge with the AWS collector. */
export const COLLECTORS = Object.fromEntries(
  EVIDENCE_CHECKS.map((check): [EvidenceCheckId, Collector] => [check, (ctx) => JUDGES[check](ctx, awsCollector(ctx))]),
) as Record<EvidenceCheckId, Collector>;

/** The core's collectEvidence() with the AWS collector: some checks of a task, live. */
export function collectEvidence(ctx: EvidenceContext, checks: readonly EvidenceCheckId[], opts: CollectOptions = {}): Promise<Evidence[]> {
  return collectWith(ctx, checks, awsCollector(ctx), opts);
}

export type { CollectOptions };
