// The security-groups check against the simulator's 'diagnose' scenario (tasks ...012 to ...015):
// the load balancer reaching the task, the task reaching its VPC endpoints on 443, and the check
// skipped (with the IAM action and the command to run) when EC2 or ELB calls are denied.
import { strict as assert } from 'node:assert';
import { after, afterEach, before, describe, it } from 'node:test';
import { COLLECTORS } from '../../../../src/aws/diagnose/collect';
import { diagnoseTask } from '../../../../src/aws/diagnose';
import type { AwsSession } from '../../../../src/aws/session';
import type { Evidence } from '../../../../src/core/diagnose/types';
import type { Simulator } from '../../../../sim/server';
import { CLUSTER, contextFor, only, startDiagnoseSim, T } from '../../helpers/diagnoseSim';

describe('security-groups check (simulator)', () => {
  let sim: Simulator;
  let session: AwsSession;
  let stop: () => Promise<void>;

  before(async () => {
    ({ sim, session, stop } = await startDiagnoseSim());
  });
  after(async () => stop());
  afterEach(() => sim.setFaults({ accessDenied: [] }));

  const run = async (task: number) => COLLECTORS['security-groups'](await contextFor(session, T(task)));
  const sgRows = (rows: Evidence[]) => rows.filter((r) => r.check === 'security-groups');

  describe('load balancer to the task (ELB health-check failures)', () => {
    it("passes when the task's group allows the container port from the load balancer's group", async () => {
      const e = only(await run(0x12), 'security-groups');
      assert.equal(e.status, 'pass', e.detail);
      assert.deepEqual(e.causes, ['sg-blocks-lb']);
      assert.match(e.detail, /sg-0diag000000shoptask lets load balancer shop \(sg-0diag0000000shopalb\) in: TCP 8080 \(the health-check port, traffic-port\) by tcp 8080 sg-0diag0000000shopalb/);
      assert.match(e.title!, /shop-ok-tg/);
    });

    it('fails without a rule for the load balancer, with the exact rule to add', async () => {
      const e = only(await run(0x13), 'security-groups');
      assert.equal(e.status, 'fail');
      assert.deepEqual(e.causes, ['sg-blocks-lb']);
      assert.match(e.detail, /sg-0diag00000shopnolb \(from service shop-blocked's network configuration\) does not allow TCP 8080/);
      assert.equal(e.fix!.command, 'aws ec2 authorize-security-group-ingress --group-id sg-0diag00000shopnolb --protocol tcp --port 8080 --source-group sg-0diag0000000shopalb');
      // The rule it has (from a CIDR that does not cover the load balancer's subnets) is shown.
      assert.ok(e.lines!.some((l) => /shop-task-locked\) inbound: tcp 8080 10\.9\.0\.0\/16/.test(l)), JSON.stringify(e.lines));
      assert.ok(e.lines!.some((l) => /subnet-0diag00000000public 10\.0\.0\.0\/24/.test(l)));
    });

    it('passes when a CIDR rule covers every load balancer subnet instead of its group', async () => {
      const saved = structuredClone(sim.state.ec2.securityGroups);
      const g = sim.state.ec2.securityGroups!.find((x) => x.groupId === 'sg-0diag00000shopnolb')!;
      g.ingress = [{ ipProtocol: 'tcp', fromPort: 8000, toPort: 8999, cidrIp: '10.0.0.0/16' }];
      try {
        const e = only(await run(0x13), 'security-groups');
        assert.equal(e.status, 'pass', e.detail);
        assert.match(e.detail, /tcp 8000-8999 10\.0\.0\.0\/16/);
      } finally {
        sim.state.ec2.securityGroups = saved;
      }
    });

    it('confirms the catalogue cause in a full diagnosis, and ranks its fix first', async () => {
      const d = (await diagnoseTask(session, CLUSTER, T(0x13))).diagnosis;
      assert.equal(d.category, 'ElbHealthCheckFailed');
      assert.ok(d.checks.includes('security-groups'));
      const cause = d.causes.find((c) => c.id === 'sg-blocks-lb')!;
      assert.equal(cause.status, 'confirmed');
      assert.equal(d.causes[0]!.status, 'confirmed');
      assert.ok(d.fixes.findIndex((f) => f.cause === 'sg-blocks-lb') < d.fixes.findIndex((f) => f.cause === 'target-type'));
      // The exact rule to add (real ids, not placeholders) is the first fix step.
      assert.deepEqual(d.fixes[0], {
        text: "Let the load balancer's security group sg-0diag0000000shopalb reach the task: add the inbound rule to sg-0diag00000shopnolb.",
        command: 'aws ec2 authorize-security-group-ingress --group-id sg-0diag00000shopnolb --protocol tcp --port 8080 --source-group sg-0diag0000000shopalb',
        cause: 'sg-blocks-lb',
      });
      // Only the load balancer part runs for an ELB failure.
      assert.deepEqual(sgRows(d.evidence!).map((r) => r.title), ['Security groups: load balancer to the task (shop-blocked-tg)']);
      const ok = (await diagnoseTask(session, CLUSTER, T(0x12))).diagnosis;
      assert.equal(ok.causes.find((c) => c.id === 'sg-blocks-lb')!.status, 'ruled-out');
    });

    it('is skipped with the permission when ec2:DescribeSecurityGroups is denied, with the command to run', async () => {
      sim.setFaults({ accessDenied: [{ operation: 'ec2:DescribeSecurityGroups' }] });
      const e = only(await run(0x13), 'security-groups');
      assert.equal(e.status, 'skipped');
      assert.equal(e.missingPermission, 'ec2:DescribeSecurityGroups');
      assert.match(e.detail, /Could not check \(needs ec2:DescribeSecurityGroups\)/);
      assert.match(e.command!, /^aws ec2 describe-security-groups --group-ids sg-0diag00000shopnolb /);
    });

    it('is skipped with the permission when elasticloadbalancing:DescribeLoadBalancers is denied', async () => {
      sim.setFaults({ accessDenied: [{ operation: 'elbv2:DescribeLoadBalancers' }] });
      const e = only(await run(0x13), 'security-groups');
      assert.equal(e.status, 'skipped');
      assert.equal(e.missingPermission, 'elasticloadbalancing:DescribeLoadBalancers');
    });

    it('is skipped, not guessed, when the target group has no load balancer', async () => {
      const e = only(await run(9), 'security-groups');
      assert.equal(e.status, 'skipped');
      assert.match(e.detail, /web-good-tg is not attached to a load balancer/);
      assert.deepEqual(e.causes, []);
    });
  });

  describe('task to the VPC endpoints (start-up failures in private subnets)', () => {
    it('passes: default egress, and the endpoints allow 443 from the task group', async () => {
      const ctx = await contextFor(session, T(0x14));
      const rows = sgRows(await COLLECTORS['security-groups'](ctx));
      assert.deepEqual(
        rows.map((r) => [r.title, r.status]),
        [
          ['Security groups: outbound HTTPS from the task', 'pass'],
          ['Security groups: VPC endpoints accept HTTPS from the task', 'pass'],
        ],
      );
      assert.match(rows[0]!.detail, /allows outbound TCP 443 to every service the task needs \(ecr\.api, ecr\.dkr, s3, logs, secretsmanager, ssm\)/);
      assert.match(rows[1]!.detail, /ecr\.api by tcp 443 sg-0diag00000privtask/);
      assert.deepEqual(rows[0]!.causes, ['task-sg-egress']);
      assert.deepEqual(rows[1]!.causes, ['endpoint-sg']);
    });

    it('fails when the task may not send 443 and the endpoints do not accept it, with both fixes', async () => {
      const rows = sgRows(await run(0x15));
      const out = only(rows, 'security-groups', /outbound/);
      assert.equal(out.status, 'fail');
      assert.deepEqual(out.causes, ['task-sg-egress']);
      assert.match(out.detail, /sg-0diag0000locktask .* does not allow outbound TCP 443 to ecr\.api \(endpoint vpce-0diage00000000000\)/);
      assert.match(out.detail, /s3 \(the s3 prefix list \(gateway endpoint vpce-0diage000000000s3\)\)/);
      assert.match(out.fix!.command, /aws ec2 authorize-security-group-egress --group-id sg-0diag0000locktask --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,UserIdGroupPairs=\[\{GroupId=sg-0diag00000000vpcee\}\]'/);
      const inbound = only(rows, 'security-groups', /endpoints accept/);
      assert.equal(inbound.status, 'fail');
      assert.deepEqual(inbound.causes, ['endpoint-sg']);
      assert.match(inbound.detail, /The ecr\.api endpoint vpce-0diage00000000000 \(sg-0diag00000000vpcee\)/);
      assert.match(inbound.detail, /from the task \(sg-0diag0000locktask or subnet subnet-0diag000000sgfail \(10\.4\.1\.0\/24\)\)/);
      assert.equal(inbound.fix!.command, 'aws ec2 authorize-security-group-ingress --group-id sg-0diag00000000vpcee --protocol tcp --port 443 --source-group sg-0diag0000locktask');
      assert.ok(inbound.lines!.some((l) => /endpoints-e\) inbound: tcp 80 10\.4\.0\.0\/16/.test(l)), JSON.stringify(inbound.lines));
    });

    it('confirms the endpoint causes in a full diagnosis while the route check passes', async () => {
      const d = (await diagnoseTask(session, CLUSTER, T(0x15))).diagnosis;
      assert.equal(d.category, 'CannotPullContainerError');
      assert.equal(d.variant, 'no-route-to-registry');
      assert.equal(d.evidence!.find((e) => e.check === 'vpc-endpoints')!.status, 'pass');
      const status = Object.fromEntries(d.causes.map((c) => [c.id, c.status]));
      assert.equal(status['endpoint-sg'], 'confirmed');
      assert.equal(status['task-sg-egress'], 'confirmed');
      assert.equal(status['no-route'], 'ruled-out');
      assert.match(d.verdict!, /security group/);
      assert.deepEqual(
        d.fixes.slice(0, 2).map((f) => [f.cause, f.command?.split(' ').slice(0, 3).join(' ')]),
        [
          ['task-sg-egress', 'aws ec2 authorize-security-group-egress'],
          ['endpoint-sg', 'aws ec2 authorize-security-group-ingress'],
        ],
      );
      // No load balancer part for a pull failure.
      assert.ok(sgRows(d.evidence!).every((r) => !/load balancer/.test(r.title ?? '')));
      const ok = (await diagnoseTask(session, CLUSTER, T(0x14))).diagnosis;
      assert.equal(ok.causes.find((c) => c.id === 'endpoint-sg')!.status, 'ruled-out');
    });

    it('through a NAT route, only the outbound rule matters (0.0.0.0/0 on 443)', async () => {
      const rows = sgRows(await run(0xb));
      assert.equal(only(rows, 'security-groups', /outbound/).status, 'pass');
      const inbound = only(rows, 'security-groups', /endpoints accept/);
      assert.equal(inbound.status, 'pass');
      assert.match(inbound.detail, /uses no interface VPC endpoint/);
    });

    it('is skipped with the permission when ec2:DescribeSecurityGroups is denied', async () => {
      sim.setFaults({ accessDenied: [{ operation: 'ec2:DescribeSecurityGroups' }] });
      const e = only(await run(0x15), 'security-groups');
      assert.equal(e.status, 'skipped');
      assert.equal(e.missingPermission, 'ec2:DescribeSecurityGroups');
      assert.match(e.command!, /aws ec2 describe-security-groups --group-ids sg-0diag0000locktask/);
    });

    it('is skipped for a task outside a service (a stopped task does not record its groups)', async () => {
      const e = only(await run(3), 'security-groups');
      assert.equal(e.status, 'skipped');
      assert.match(e.detail, /not started by a service/);
      assert.deepEqual(e.causes, []);
    });
  });
});
