// AwsSession.hold(): a session disposed while something still needs it (a port forward's or an
// Exec terminal's TerminateSession after the profile or Region changed) keeps its clients, its
// profile and its Region until the last hold is released, then is disposed.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AwsSession } from '../../../src/aws/session';
import { startForwardSession, terminateForwardSession } from '../../../src/aws/forward';
import { startSimulator, type Simulator } from '../../../sim/server';
import { sandboxEnv } from '../../awsSandbox';

const WEB = '2f6a1c9e8b7d4a3f9e0c1b2a3d4e5f60';

describe('AwsSession.hold', () => {
  let sim: Simulator;
  let restoreEnv: () => void = () => undefined;
  before(async () => {
    restoreEnv = sandboxEnv();
    sim = await startSimulator({ scenario: 'demo' });
  });
  after(async () => {
    await sim.stop();
    restoreEnv();
  });

  it('a held session disposed meanwhile (the settings changed) sends its TerminateSession with its own client and Region, then closes', async () => {
    const session = new AwsSession({ endpoint: sim.url, region: 'us-east-1', maxAttempts: 1 });
    const started = await startForwardSession(session, { cluster: 'prod', task: WEB, container: 'web', port: 8080, localPort: 18090, env: {} });
    const release = session.hold();
    const ssm = session.client(SSMClient);

    session.dispose(); // what Ctx does to the old settings' sessions
    assert.equal(session.closing, true);
    assert.equal(session.closed, false, 'a held session is not closed');
    assert.equal(session.client(SSMClient), ssm, 'its SSM client is the same one, not destroyed');

    sim.clearCalls();
    await terminateForwardSession(session, started.sessionId);
    const call = sim.callsTo('TerminateSession')[0]!;
    assert.equal(call.params.SessionId, started.sessionId);
    assert.equal(call.region, 'us-east-1');
    assert.equal(call.status, 200);
    assert.equal(sim.state.ssm.sessions!.find((x) => x.sessionId === started.sessionId)!.status, 'Terminated');

    release();
    assert.equal(session.closed, true, 'the last release disposes it');
    assert.notEqual(session.client(SSMClient), ssm, 'its clients were destroyed');
    release(); // twice is harmless
    session.dispose();
  });

  it('without a hold, dispose() closes at once; a hold released before dispose() does not close it', () => {
    const session = new AwsSession({ endpoint: sim.url, region: 'us-east-1' });
    const release = session.hold();
    release();
    assert.equal(session.closing, false);
    const ssm = session.client(SSMClient);
    session.dispose();
    assert.equal(session.closed, true);
    assert.notEqual(session.client(SSMClient), ssm);
    session.dispose();
  });

  it('two holds: the session closes at the second release only', () => {
    const session = new AwsSession({ endpoint: sim.url, region: 'us-east-1' });
    const a = session.hold();
    const b = session.hold();
    session.dispose();
    a();
    a();
    assert.equal(session.closed, false, 'one hold is left (a second release of the same hold does not count)');
    b();
    assert.equal(session.closed, true);
  });
});
