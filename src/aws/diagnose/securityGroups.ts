import type { SecurityGroupFacts, SecurityGroupRuleFacts } from '../../core/diagnose/facts';
import type { Lookups } from '../../core/diagnose/live';
import type { LookupContext } from './context';
import { call } from './guard';
import { ec2 } from './network';

/**
 * EC2 DescribeSecurityGroups, memoised per diagnosis: groups by id (filtered by group-id, so a
 * deleted group is left out rather than failing the call), or the default group of a VPC.
 */
export function securityGroupsOf(ctx: LookupContext, query: Lookups['security-groups']['query']): Promise<SecurityGroupFacts[]> {
  const filters =
    'defaultOfVpc' in query
      ? [
          { Name: 'vpc-id', Values: [query.defaultOfVpc] },
          { Name: 'group-name', Values: ['default'] },
        ]
      : undefined;
  const wanted = 'groupIds' in query ? [...new Set(query.groupIds)].sort() : [];
  const key = filters ? `sg-filter:${JSON.stringify(filters)}` : `sg:${wanted.join(',')}`;
  return ctx.once(key, async () => {
    const { mod, client } = await ec2(ctx);
    const Filters = filters ?? [{ Name: 'group-id', Values: wanted }];
    const found: SecurityGroupFacts[] = [];
    let NextToken: string | undefined;
    do {
      const out = await call('ec2:DescribeSecurityGroups', () => client.send(new mod.DescribeSecurityGroupsCommand({ Filters, NextToken })));
      for (const g of out.SecurityGroups ?? []) {
        if (!g.GroupId) continue;
        const facts: SecurityGroupFacts = { groupId: g.GroupId, ingress: (g.IpPermissions ?? []).map(toRule), egress: (g.IpPermissionsEgress ?? []).map(toRule) };
        if (g.GroupName) facts.groupName = g.GroupName;
        if (g.VpcId) facts.vpcId = g.VpcId;
        found.push(facts);
      }
      NextToken = out.NextToken;
    } while (NextToken);
    return found;
  });
}

function toRule(p: {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: Array<{ CidrIp?: string }>;
  UserIdGroupPairs?: Array<{ GroupId?: string }>;
  PrefixListIds?: Array<{ PrefixListId?: string }>;
}): SecurityGroupRuleFacts {
  const rule: SecurityGroupRuleFacts = {
    ipProtocol: p.IpProtocol ?? '-1',
    cidrs: (p.IpRanges ?? []).map((r) => r.CidrIp).filter((c): c is string => !!c),
    groupIds: (p.UserIdGroupPairs ?? []).map((g) => g.GroupId).filter((g): g is string => !!g),
    prefixListIds: (p.PrefixListIds ?? []).map((l) => l.PrefixListId).filter((l): l is string => !!l),
  };
  if (p.FromPort !== undefined) rule.fromPort = p.FromPort;
  if (p.ToPort !== undefined) rule.toPort = p.ToPort;
  return rule;
}
