// The pure judgement of the security-groups check: CIDR containment, rule matching, the load
// balancer part (group or subnet CIDRs, several ports, a network load balancer without groups)
// and the endpoint part (egress through a route, a gateway prefix list, endpoints' groups).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { SecurityGroupFacts, SecurityGroupRuleFacts } from '../../../../src/core/diagnose/facts';
import { cidrContains, judgeEndpointSecurityGroups, judgeLbSecurityGroups, ruleAllowsTcp } from '../../../../src/core/diagnose/judges';

const rule = (r: Partial<SecurityGroupRuleFacts> & { ipProtocol: string }): SecurityGroupRuleFacts => ({ cidrs: [], groupIds: [], prefixListIds: [], ...r });
const ALL_OUT = [rule({ ipProtocol: '-1', cidrs: ['0.0.0.0/0'] })];
const sg = (groupId: string, ingress: SecurityGroupRuleFacts[], egress: SecurityGroupRuleFacts[] = ALL_OUT): SecurityGroupFacts => ({ groupId, ingress, egress });

describe('security group rules', () => {
  it('cidrContains: ranges, single addresses, and malformed input', () => {
    assert.ok(cidrContains('10.0.0.0/16', '10.0.1.0/24'));
    assert.ok(cidrContains('0.0.0.0/0', '192.168.1.7'));
    assert.ok(cidrContains('10.0.1.0/24', '10.0.1.0/24'));
    assert.ok(!cidrContains('10.0.1.0/24', '10.0.0.0/16'), 'a narrower range does not cover a wider one');
    assert.ok(!cidrContains('10.0.0.0/24', '10.0.1.0/24'));
    assert.ok(cidrContains('10.0.0.0/8', '10.255.255.255/32'));
    assert.ok(!cidrContains('not-a-cidr', '10.0.0.0/24'));
    assert.ok(!cidrContains('10.0.0.0/33', '10.0.0.0/24'));
    assert.ok(!cidrContains('::/0', '10.0.0.0/24'), 'IPv6 ranges are not IPv4 coverage');
  });

  it('ruleAllowsTcp: all traffic, port ranges, other protocols', () => {
    assert.ok(ruleAllowsTcp(rule({ ipProtocol: '-1' }), 8080));
    assert.ok(ruleAllowsTcp(rule({ ipProtocol: 'tcp', fromPort: 8000, toPort: 8999 }), 8080));
    assert.ok(ruleAllowsTcp(rule({ ipProtocol: '6', fromPort: 443, toPort: 443 }), 443));
    assert.ok(!ruleAllowsTcp(rule({ ipProtocol: 'tcp', fromPort: 80, toPort: 80 }), 8080));
    assert.ok(!ruleAllowsTcp(rule({ ipProtocol: 'udp', fromPort: 0, toPort: 65535 }), 443));
  });
});

describe('judgeLbSecurityGroups', () => {
  const alb = { loadBalancerArn: 'arn:lb/app/web/1', name: 'web', securityGroups: ['sg-alb'], subnetIds: ['subnet-a', 'subnet-b'] };
  const subnets = [
    { subnetId: 'subnet-a', cidrBlock: '10.0.0.0/24' },
    { subnetId: 'subnet-b', cidrBlock: '10.0.1.0/24' },
  ];
  const base = { groupsFrom: 'service web', targetGroupName: 'web-tg', loadBalancers: [alb], lbSubnets: subnets, ports: [{ port: 8080, why: 'the health-check port' }] };

  it('a CIDR covering only one of the subnets is not enough', () => {
    const e = judgeLbSecurityGroups({ ...base, taskGroups: [sg('sg-task', [rule({ ipProtocol: 'tcp', fromPort: 8080, toPort: 8080, cidrs: ['10.0.0.0/24'] })])] });
    assert.equal(e.status, 'fail');
    assert.equal(e.fix!.command, 'aws ec2 authorize-security-group-ingress --group-id sg-task --protocol tcp --port 8080 --source-group sg-alb');
  });

  it('a rule from the load balancer group on another port fails, naming both ports when the health-check port differs', () => {
    const e = judgeLbSecurityGroups({
      ...base,
      ports: [
        { port: 9000, why: 'the health-check port' },
        { port: 8080, why: 'the container port' },
      ],
      taskGroups: [sg('sg-task', [rule({ ipProtocol: 'tcp', fromPort: 8080, toPort: 8080, groupIds: ['sg-alb'] })])],
    });
    assert.equal(e.status, 'fail');
    assert.match(e.detail, /does not allow TCP 9000 \(the health-check port\) from load balancer web \(sg-alb\)/);
    assert.doesNotMatch(e.detail, /8080 \(the container port\)/);
    assert.equal(e.fix!.command, 'aws ec2 authorize-security-group-ingress --group-id sg-task --protocol tcp --port 9000 --source-group sg-alb');
  });

  it('a rule on a second task group counts', () => {
    const e = judgeLbSecurityGroups({ ...base, taskGroups: [sg('sg-task', []), sg('sg-web', [rule({ ipProtocol: '-1', groupIds: ['sg-alb'] })])] });
    assert.equal(e.status, 'pass', e.detail);
    assert.match(e.detail, /by all traffic sg-alb/);
  });

  it('a network load balancer without groups needs its subnets, and the fix names their CIDRs', () => {
    const nlb = { ...alb, name: 'nlb', type: 'network', securityGroups: [] };
    const e = judgeLbSecurityGroups({ ...base, loadBalancers: [nlb], taskGroups: [sg('sg-task', [])] });
    assert.equal(e.status, 'fail');
    assert.equal(e.fix!.command, 'aws ec2 authorize-security-group-ingress --group-id sg-task --protocol tcp --port 8080 --cidr 10.0.0.0/24\naws ec2 authorize-security-group-ingress --group-id sg-task --protocol tcp --port 8080 --cidr 10.0.1.0/24');
    const ok = judgeLbSecurityGroups({ ...base, loadBalancers: [nlb], taskGroups: [sg('sg-task', [rule({ ipProtocol: 'tcp', fromPort: 8080, toPort: 8080, cidrs: ['10.0.0.0/16'] })])] });
    assert.equal(ok.status, 'pass');
  });
});

describe('judgeEndpointSecurityGroups', () => {
  const subnet = { subnetId: 'subnet-p', vpcId: 'vpc-1', cidrBlock: '10.0.2.0/24' };
  const ecrApi = { vpcEndpointId: 'vpce-api', serviceName: 'com.amazonaws.us-east-1.ecr.api', vpcEndpointType: 'Interface', securityGroupIds: ['sg-vpce'] };
  const s3 = { vpcEndpointId: 'vpce-s3', serviceName: 'com.amazonaws.us-east-1.s3', vpcEndpointType: 'Gateway' };
  const vpceFromVpc = sg('sg-vpce', [rule({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['10.0.0.0/16'] })]);

  it("passes with an endpoint group allowing the task's subnet CIDR and the default egress", () => {
    const rows = judgeEndpointSecurityGroups({
      taskGroups: [sg('sg-task', [])],
      groupsFrom: 'service api',
      subnet,
      hasRoute: false,
      paths: [
        { service: 'ecr.api', why: 'ECR', endpoint: ecrApi, endpointGroups: [vpceFromVpc], endpointSubnetCidrs: ['10.0.2.0/24'] },
        { service: 's3', why: 'layers', endpoint: s3 },
      ],
    });
    assert.deepEqual(rows.map((r) => r.status), ['pass', 'pass']);
    assert.match(rows[1]!.detail, /ecr\.api by tcp 443 10\.0\.0\.0\/16/);
  });

  it('egress only to the endpoint group passes for the endpoint but fails for the S3 gateway without a prefix-list rule', () => {
    const egress = [rule({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, groupIds: ['sg-vpce'] })];
    const input = {
      taskGroups: [sg('sg-task', [], egress)],
      groupsFrom: 'service api',
      subnet,
      hasRoute: false,
      paths: [
        { service: 'ecr.api' as const, why: 'ECR', endpoint: ecrApi, endpointGroups: [vpceFromVpc] },
        { service: 's3' as const, why: 'layers', endpoint: s3 },
      ],
    };
    const out = judgeEndpointSecurityGroups(input)[0]!;
    assert.equal(out.status, 'fail');
    assert.match(out.detail, /to s3 \(the s3 prefix list/);
    assert.doesNotMatch(out.detail, /ecr\.api/);
    assert.match(out.fix!.command, /IpRanges=\[\{CidrIp=0\.0\.0\.0\/0\}\]/);
    const withPl = judgeEndpointSecurityGroups({ ...input, taskGroups: [sg('sg-task', [], [...egress, rule({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, prefixListIds: ['pl-63a5400a'] })])] })[0]!;
    assert.equal(withPl.status, 'pass', withPl.detail);
  });

  it('through a NAT route, services without an endpoint need 443 to 0.0.0.0/0', () => {
    const rows = judgeEndpointSecurityGroups({
      taskGroups: [sg('sg-task', [], [rule({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['10.0.0.0/8'] })])],
      groupsFrom: 'service api',
      subnet,
      hasRoute: true,
      paths: [{ service: 'logs', why: 'awslogs' }],
    });
    assert.equal(rows[0]!.status, 'fail');
    assert.match(rows[0]!.detail, /logs \(0\.0\.0\.0\/0 \(through the default route\)\)/);
    assert.equal(rows[1]!.status, 'pass');
    assert.match(rows[1]!.detail, /uses no interface VPC endpoint/);
  });

  it('does not blame the security groups when there is neither an endpoint nor a route', () => {
    const rows = judgeEndpointSecurityGroups({ taskGroups: [sg('sg-task', [], [])], groupsFrom: 'service api', subnet, hasRoute: false, paths: [{ service: 'logs', why: 'awslogs' }] });
    assert.equal(rows[0]!.status, 'pass');
    assert.match(rows[0]!.detail, /no way out/);
    assert.ok(rows[0]!.lines!.some((l) => /no endpoint and no route .*logs/.test(l)));
  });
});

describe('judgeLbSecurityGroups against the live state', () => {
  const alb = { loadBalancerArn: 'arn:lb/app/web/1', name: 'web', securityGroups: ['sg-alb'], subnetIds: ['subnet-a'] };
  const base = { groupsFrom: "service web's network configuration", targetGroupName: 'web-tg', lbSubnets: [{ subnetId: 'subnet-a', cidrBlock: '10.0.0.0/24' }], ports: [{ port: 8080, why: 'the health-check port' }] };
  const closed = [sg('sg-task', [rule({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['0.0.0.0/0'] })])];

  it('healthy targets on the probed port behind the same groups rule the cause out instead of confirming it', () => {
    const e = judgeLbSecurityGroups({ ...base, loadBalancers: [alb], taskGroups: closed, targetHealth: [{ id: '10.0.1.21', port: 8080, state: 'healthy' }] });
    assert.equal(e.status, 'pass');
    assert.deepEqual(e.causes, ['sg-blocks-lb']);
    assert.match(e.detail, /1 target of web-tg is healthy now/);
    // Without live health the rule reading stands.
    assert.equal(judgeLbSecurityGroups({ ...base, loadBalancers: [alb], taskGroups: closed }).status, 'fail');
    // Healthy targets on another port say nothing about 8080.
    assert.equal(judgeLbSecurityGroups({ ...base, loadBalancers: [alb], taskGroups: closed, targetHealth: [{ id: '10.0.1.21', port: 9090, state: 'healthy' }] }).status, 'fail');
  });

  it('an application load balancer whose security groups were not reported is never said to have none', () => {
    const unread = { loadBalancerArn: 'arn:lb/app/web/1', name: 'web', type: 'application', securityGroups: [], securityGroupsUnknown: true, subnetIds: [] };
    const e = judgeLbSecurityGroups({ ...base, lbSubnets: [], loadBalancers: [unread], taskGroups: closed });
    assert.equal(e.status, 'skipped');
    assert.doesNotMatch(e.detail, /no security groups/);
    assert.match(e.detail, /not reported/);
    assert.doesNotMatch(e.command ?? '', /<[a-z-]+>/);
  });
});
