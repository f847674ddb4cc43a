// The simulator's SSM StartSession with the port-forwarding documents, and the stand-in
// session-manager-plugin (sim/bin) really forwarding: it listens on 127.0.0.1:<localPortNumber>
// and carries an HTTP request to a local test server standing in for the container's port (the
// scenario's ssm.portForwarding maps it), or answers itself with a page that says it is simulated.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SSMClient, StartSessionCommand, TerminateSessionCommand } from '@aws-sdk/client-ssm';
import { startSimulator, type Simulator } from '../../../sim/server';
import { forwardPluginArgs, forwardRequest } from '../../../src/core/exec';

const ROOT = path.resolve(__dirname, '../../../..');
const STAND_IN = path.join(ROOT, 'sim/bin/session-manager-plugin');
const WEB = '2f6a1c9e8b7d4a3f9e0c1b2a3d4e5f60';

function get(port: number, pathName = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: pathName, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** Starts the stand-in; resolves once it prints the listening line, with the port it printed. */
function startPlugin(argv: string[]): Promise<{ child: ChildProcess; port: number; out: () => string }> {
  const child = spawn(process.execPath, [STAND_IN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Port (\d+) opened for sessionId/.exec(out);
      if (m && /Waiting for connections/.test(out)) resolve({ child, port: Number(m[1]), out: () => out });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => reject(new Error(`the stand-in ended (${code}) before it listened: ${out}`)));
  });
}

function ended(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('close', (c) => resolve(c))));
}

describe('simulator StartSession and the stand-in plugin forwarding a port', () => {
  let sim: Simulator;
  let ssm: SSMClient;
  let app: http.Server;
  let appPort: number;
  let runtimeId: string;
  before(async () => {
    app = http.createServer((req, res) => res.end(`hello from the container app: ${req.method} ${req.url}`));
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    appPort = (app.address() as AddressInfo).port;
    sim = await startSimulator({ scenario: 'demo' });
    sim.state.ssm.portForwarding = [{ task: WEB, container: 'web', port: 8080, to: `127.0.0.1:${appPort}` }];
    ssm = new SSMClient(sim.clientConfig());
    runtimeId = sim.task(WEB)!.containers!.find((c) => c.name === 'web')!.runtimeId!;
  });
  after(async () => {
    ssm.destroy();
    await sim.stop();
    await new Promise((r) => app.close(r));
  });

  async function start(port: number, host?: string) {
    const request = forwardRequest('prod', WEB, runtimeId, { port, localPort: 0, host });
    const out = await ssm.send(new StartSessionCommand(request));
    const argv = forwardPluginArgs({ session: out, region: 'us-east-1', profile: '', request, endpointUrl: sim.url });
    return { out, argv, request };
  }

  it('carries an HTTP request through 127.0.0.1:<local port> to the server the scenario maps the container port to', async () => {
    const { out, argv } = await start(8080);
    assert.match(out.SessionId!, /^demo-operator-[0-9a-f]{17}$/);
    assert.match(out.StreamUrl!, /sim-forward-to=127\.0\.0\.1%3A\d+/);
    const session = sim.state.ssm.sessions!.find((s) => s.sessionId === out.SessionId)!;
    assert.equal(session.documentName, 'AWS-StartPortForwardingSession');
    assert.deepEqual(session.parameters, { portNumber: ['8080'], localPortNumber: ['0'] });
    const p = await startPlugin(argv);
    try {
      const r = await get(p.port, '/healthz');
      assert.equal(r.status, 200);
      assert.equal(r.body, 'hello from the container app: GET /healthz');
      assert.match(p.out(), /Connection accepted for session/);
    } finally {
      p.child.kill('SIGTERM');
    }
    assert.equal(await ended(p.child), 0);
    assert.match(p.out(), /Exiting session with sessionId/);
    await ssm.send(new TerminateSessionCommand({ SessionId: out.SessionId }));
    assert.equal(session.status, 'Terminated');
  });

  it('answers itself, saying it is simulated, for a port nothing is mapped to (the playground)', async () => {
    const { argv } = await start(9000, 'db.internal');
    const p = await startPlugin(argv);
    try {
      const r = await get(p.port);
      assert.equal(r.status, 200);
      assert.match(r.body, /ECS Doctor simulator: a simulated port forward, not your container/);
      assert.match(r.body, /db\.internal:9000/);
    } finally {
      p.child.kill('SIGTERM');
    }
    await ended(p.child);
  });

  it('the plugin says so and exits 1 when the local port is taken', async () => {
    const busy = http.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const taken = (busy.address() as AddressInfo).port;
    try {
      const request = forwardRequest('prod', WEB, runtimeId, { port: 8080, localPort: taken });
      const out = await ssm.send(new StartSessionCommand(request));
      const argv = forwardPluginArgs({ session: out, region: 'us-east-1', profile: '', request, endpointUrl: sim.url });
      const child = spawn(process.execPath, [STAND_IN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      assert.equal(await ended(child), 1);
      assert.match(err, /address already in use/);
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });

  it('StartSession refuses a task whose agent is not connected, an unknown document and a missing port', async () => {
    const request = forwardRequest('prod', WEB, runtimeId, { port: 8080, localPort: 1 });
    await assert.rejects(ssm.send(new StartSessionCommand({ ...request, Target: `ecs:prod_${'0'.repeat(32)}_${runtimeId}` })), (e: Error) => e.name === 'TargetNotConnected');
    await assert.rejects(ssm.send(new StartSessionCommand({ ...request, DocumentName: 'AWS-Nope' })), (e: Error) => e.name === 'InvalidDocument');
    await assert.rejects(ssm.send(new StartSessionCommand({ ...request, Parameters: { localPortNumber: ['1'] } })), (e: Error) => e.name === 'InvalidParameters');
    const worker = [...sim.state.ecs.clusters.get('prod')!.tasks.values()].find((t) => t.group === 'service:worker' && t.lastStatus === 'RUNNING')!;
    const w = worker.containers![0]!;
    await assert.rejects(
      ssm.send(new StartSessionCommand({ ...request, Target: `ecs:prod_${worker.taskArn!.split('/').pop()}_${w.runtimeId}` })),
      (e: Error) => e.name === 'TargetNotConnected',
      'worker has exec off',
    );
  });
});
