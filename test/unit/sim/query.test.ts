import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { expandQuery, parseForm, toXml } from '../../../sim/protocol';
import { startSimulator, type Simulator } from '../../../sim/server';

describe('simulator: query protocols on the same endpoint', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ scenario: { name: 'q', accountId: '210987654321' } });
  });
  after(() => sim.stop());

  it('STS GetCallerIdentity (awsQuery, XML) works with the real SDK client', async () => {
    const sts = new STSClient({ ...sim.clientConfig(), maxAttempts: 1 });
    try {
      const id = await sts.send(new GetCallerIdentityCommand({}));
      assert.equal(id.Account, '210987654321');
      assert.equal(id.Arn, 'arn:aws:iam::210987654321:user/sim-user');
      assert.equal(sim.calls.at(-1)!.service, 'sts');
      assert.equal(sim.calls.at(-1)!.operation, 'GetCallerIdentity');
    } finally {
      sts.destroy();
    }
  });

  it('an EC2 action the simulator does not implement answers ec2Query\'s own error (InvalidAction)', async () => {
    const ec2 = new EC2Client({ ...sim.clientConfig(), maxAttempts: 1 });
    try {
      await assert.rejects(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-1'], Filters: [{ Name: 'vpc-id', Values: ['vpc-1', 'vpc-2'] }] })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(e.name, 'InvalidAction');
        assert.match(e.message, /does not implement ec2:DescribeInstances/);
        assert.equal(e.$metadata?.httpStatusCode, 400);
        return true;
      });
      const rec = sim.calls.at(-1)!;
      assert.equal(rec.service, 'ec2');
      assert.equal(rec.operation, 'DescribeInstances');
      assert.deepEqual(rec.params, { InstanceId: ['i-1'], Filter: [{ Name: 'vpc-id', Value: ['vpc-1', 'vpc-2'] }] });
    } finally {
      ec2.destroy();
    }
  });

  it('a service nobody serves gets an awsQuery ErrorResponse, not a crash', async () => {
    const r = await fetch(sim.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'AWS4-HMAC-SHA256 Credential=x/20250101/us-east-1/autoscaling/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: 'Action=DescribeAutoScalingGroups&Version=2011-01-01',
    });
    assert.equal(r.status, 400);
    const xml = await r.text();
    assert.match(xml, /<ErrorResponse><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code><Message>The ECS Doctor simulator does not serve Action DescribeAutoScalingGroups\.<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>/);
    assert.equal(sim.calls.at(-1)!.service, 'unknown');
  });

  it('expandQuery nests awsQuery and ec2Query lists', () => {
    const form = parseForm('Action=X&Version=1&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1&Filter.1.Value.2=vpc-2&Names.member.1=a&Names.member.2=b&Solo=z');
    assert.deepEqual(expandQuery(form), { Filter: [{ Name: 'vpc-id', Value: ['vpc-1', 'vpc-2'] }], Names: ['a', 'b'], Solo: 'z' });
  });

  it('toXml escapes text and wraps lists', () => {
    assert.equal(toXml('a', { B: ['x<y', 'z'], C: new Date(0), D: undefined }, 'member'), '<a><B><member>x&lt;y</member><member>z</member></B><C>1970-01-01T00:00:00.000Z</C></a>');
  });
});
