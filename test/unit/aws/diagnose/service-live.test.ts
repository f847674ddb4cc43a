// The service doctor against the simulator's live scheduler (sim/scenarios/services.json, cluster
// `live`, loaded with its history): the verdict of each service is the one its behaviour makes,
// read from what the scheduler wrote (deployments, events, stopped tasks, target health), not
// from a scenario written after the fact.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { AwsSession } from '../../../../src/aws/session';
import { diagnoseService } from '../../../../src/aws/diagnose/service';
import { startSimulator, type Simulator } from '../../../../sim/server';

process.env.AWS_ACCESS_KEY_ID ??= 'AKIASIMULATOR0000001';
process.env.AWS_SECRET_ACCESS_KEY ??= 'simulator-secret-key';
delete process.env.AWS_PROFILE;

const EXPECTED: Record<string, string> = {
  'healthy-web': 'healthy',
  'restart-loop': 'restart-loop',
  'restart-loop-elb': 'restart-loop',
  rollback: 'deployment-failed',
  'stuck-config': 'deployment-stuck',
  'stuck-failing': 'deployment-stuck',
  'stuck-placement': 'deployment-stuck',
  'under-capacity': 'under-capacity',
  unhealthy: 'unhealthy',
};

describe('service doctor over the live scheduler (simulator)', () => {
  let sim: Simulator;
  let session: AwsSession;
  before(async () => {
    sim = await startSimulator({ scenario: 'services' });
    session = new AwsSession({ endpoint: sim.url, region: 'us-east-1', maxAttempts: 1 });
  });
  after(async () => {
    session.dispose();
    await sim.stop();
  });

  for (const [service, kind] of Object.entries(EXPECTED)) {
    it(`${service} is ${kind}`, async () => {
      const r = await diagnoseService(session, 'live', service);
      assert.equal(r.verdict.kind, kind, r.verdict.summary);
    });
  }

  it('the restart loop counts the tasks the scheduler stopped in the last hour', async () => {
    const r = await diagnoseService(session, 'live', 'restart-loop');
    assert.ok(r.stoppedTasks.count >= 3, `only ${r.stoppedTasks.count} stopped`);
  });
});
