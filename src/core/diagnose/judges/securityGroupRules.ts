/** Security-group rule matching: CIDRs, ports and peers, and how a rule reads in a row. */
import type { SecurityGroupFacts, SecurityGroupRuleFacts } from '../facts';

/** An IPv4 CIDR (or a bare address, as /32): its network address and prefix length. */
function parseCidr(cidr: string): { base: number; bits: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(cidr.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  const bits = m[5] === undefined ? 32 : Number(m[5]);
  if (bits > 32) return undefined;
  const ip = octets.reduce((n, o) => n * 256 + o, 0);
  return { base: Number((BigInt(ip) & maskOf(bits)).toString()), bits };
}

function maskOf(bits: number): bigint {
  return bits === 0 ? 0n : ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - bits)) - 1n);
}

/** True when the IPv4 range `outer` contains every address of `inner` (CIDRs or addresses). */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  if (!o || !i || i.bits < o.bits) return false;
  return Number((BigInt(i.base) & maskOf(o.bits)).toString()) === o.base;
}

/** Does the rule let TCP through to `port`? ("-1" is all traffic; a TCP rule without ports is all ports.) */
export function ruleAllowsTcp(rule: SecurityGroupRuleFacts, port: number): boolean {
  const p = rule.ipProtocol.toLowerCase();
  if (p === '-1' || p === 'all') return true;
  if (p !== 'tcp' && p !== '6') return false;
  const from = rule.fromPort === undefined || rule.fromPort < 0 ? 0 : rule.fromPort;
  const to = rule.toPort === undefined || rule.toPort < 0 ? 65535 : rule.toPort;
  return from <= port && port <= to;
}

/** The other side of a connection: a rule matches it by group, or by CIDRs covering every one of `cidrs`. */
export interface Peer {
  groupIds?: readonly string[];
  cidrs?: readonly string[];
  /** A managed prefix list (the S3 gateway endpoint) is an acceptable destination. */
  prefixList?: boolean;
}

/** How the rules let TCP `port` to/from `peer`, as a short phrase; undefined when they do not. */
export function allowedBy(rules: readonly SecurityGroupRuleFacts[], port: number, peer: Peer): string | undefined {
  const open = rules.filter((r) => ruleAllowsTcp(r, port));
  for (const r of open) {
    const g = r.groupIds.find((id) => peer.groupIds?.includes(id));
    if (g) return `${ruleText(r)} (${g})`;
  }
  if (peer.prefixList) {
    const r = open.find((x) => x.prefixListIds.length);
    if (r) return `${ruleText(r)} (prefix list ${r.prefixListIds.join(', ')})`;
  }
  if (peer.cidrs?.length) {
    const used = new Set<string>();
    const covered = peer.cidrs.every((c) => {
      for (const r of open) {
        const hit = r.cidrs.find((x) => cidrContains(x, c));
        if (hit) {
          used.add(`${protoText(r)} ${hit}`);
          return true;
        }
      }
      return false;
    });
    if (covered) return [...used].join(', ');
  }
  return undefined;
}

function protoText(r: SecurityGroupRuleFacts): string {
  const p = r.ipProtocol.toLowerCase();
  if (p === '-1' || p === 'all') return 'all traffic';
  const name = p === '6' ? 'tcp' : p === '17' ? 'udp' : p;
  if (r.fromPort === undefined || r.fromPort < 0) return `${name} all ports`;
  return `${name} ${r.fromPort === r.toPort || r.toPort === undefined ? r.fromPort : `${r.fromPort}-${r.toPort}`}`;
}

function ruleText(r: SecurityGroupRuleFacts): string {
  const peers = [...r.groupIds, ...r.cidrs, ...r.prefixListIds];
  return `${protoText(r)} ${peers.length ? peers.join(', ') : 'nowhere'}`;
}

function groupName(g: SecurityGroupFacts): string {
  return g.groupName && g.groupName !== g.groupId ? `${g.groupId} (${g.groupName})` : g.groupId;
}

/** The rules of some groups, one line per group, for the evidence row. */
export function ruleLines(groups: readonly SecurityGroupFacts[], dir: 'ingress' | 'egress'): string[] {
  return groups.map((g) => `${groupName(g)} ${dir === 'ingress' ? 'inbound' : 'outbound'}: ${g[dir].length ? g[dir].map(ruleText).join('; ') : 'no rules'}`);
}

export const describeGroups = (ids: readonly string[]) =>
  `aws ec2 describe-security-groups --group-ids ${ids.join(' ')} --query 'SecurityGroups[*].{Id:GroupId,In:IpPermissions,Out:IpPermissionsEgress}'`;
