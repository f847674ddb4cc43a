// `ecs-doctor forward` against the simulator (demo) with the stand-in session-manager-plugin: the
// preflight, SSM StartSession, the plugin really listening and carrying an HTTP request to a test
// server standing in for the container's port, then Ctrl-C (the fake IO's interrupt): the plugin
// ends, TerminateSession is called, exit 0. Bad usage exits 2, a failed check 1; no token printed,
// and none in the plugin's arguments (the stand-in is newer than 1.2.497.0: the session goes in
// its environment, AWS_SSM_START_SESSION_RESPONSE).
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../src/cli';
import { startSimulator, type Simulator } from '../../../sim/server';
import { sandboxEnv } from '../../awsSandbox';
import { fakeIO } from './fakeIO';

const ROOT = path.resolve(__dirname, '../../../..');
const STAND_IN = path.join(ROOT, 'sim/bin/session-manager-plugin');
const WEB = '2f6a1c9e8b7d4a3f9e0c1b2a3d4e5f60';

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/ping', agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

describe('ecs-doctor forward', () => {
  let sim: Simulator;
  let app: http.Server;
  let restoreEnv: () => void = () => undefined;
  before(async () => {
    restoreEnv = sandboxEnv();
    app = http.createServer((req, res) => res.end(`container says ${req.url}`));
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    sim = await startSimulator({ scenario: 'demo' });
    sim.state.ssm.portForwarding = [{ task: WEB, container: 'web', port: 8080, to: `127.0.0.1:${(app.address() as AddressInfo).port}` }];
  });
  after(async () => {
    await sim.stop();
    await new Promise((r) => app.close(r));
    restoreEnv();
  });

  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ AWS_ACCESS_KEY_ID: 'AKIASIMULATOR0000001', AWS_SECRET_ACCESS_KEY: 'simulator-secret', PATH: process.env.PATH, HOME: '/nonexistent', ...extra });
  const base = () => ['forward', '--endpoint-url', sim.url, '--region', 'us-east-1', '--plugin-path', STAND_IN];

  it('forwards a local port to the container port until Ctrl-C, then terminates the session and exits 0', async () => {
    const io = fakeIO({ env: env() });
    let interrupt: (() => void) | undefined;
    let unsubscribed = false;
    io.onInterrupt = (h) => {
      interrupt = h;
      return () => {
        unsubscribed = true;
      };
    };
    sim.clearCalls();
    const done = main([...base(), '--cluster', 'prod', '--task', WEB, '--container', 'web', '--port', '8080', '--local-port', '0'], io).catch((e: unknown) => e);
    // --local-port 0 is refused (ports are 1-65535): the usage error comes first.
    assert.equal(await done, 2);
    assert.match(io.err, /from 1 to 65535/);

    const dir = mkdtempSync(path.join(tmpdir(), 'ecs-doctor-forward-cli-'));
    const record = path.join(dir, 'record.jsonl');
    const io2 = fakeIO({ env: env({ ECS_DOCTOR_SMP_RECORD: record }) });
    io2.onInterrupt = (h) => {
      interrupt = h;
      return () => {
        unsubscribed = true;
      };
    };
    // Resolves when the command prints that it forwards (once the plugin says it listens).
    const forwarding = new Promise<void>((resolve) => {
      const write = io2.stdout.bind(io2);
      io2.stdout = (t: string) => {
        write(t);
        if (/Forwarding localhost:\d+ → web:8080/.test(io2.out)) resolve();
      };
    });
    const run = main([...base(), '--cluster', 'prod', '--task', WEB, '--container', 'web', '--port', '8080'], io2);
    await Promise.race([forwarding, run.then((code) => assert.fail(`ended early (${code}): ${io2.err}`))]);
    const port = Number(/Forwarding localhost:(\d+)/.exec(io2.out)![1]);
    assert.match(io2.out, new RegExp(`http://localhost:${port}/ \\(listening on 127\\.0\\.0\\.1 only\\)`));
    assert.equal(await get(port), 'container says /ping');
    assert.ok(interrupt, 'the command listens for Ctrl-C');
    interrupt!();
    assert.equal(await run, 0);
    assert.ok(unsubscribed);
    const startCall = sim.callsTo('StartSession').at(-1)!;
    assert.equal(startCall.params.DocumentName, 'AWS-StartPortForwardingSession');
    const sessionId = sim.state.ssm.sessions!.at(-1)!.sessionId;
    assert.ok(sim.callsTo('TerminateSession').some((c) => c.params.SessionId === sessionId));
    assert.match(io2.err, /Port forward stopped/);
    const token = JSON.stringify(sim.state.ssm.sessions);
    assert.ok(!/AAEAA[A-Za-z0-9+/=]{10,}/.test(io2.out + io2.err), 'no session token in the output');
    assert.ok(token.length > 0);
    // The plugin's command line (what `ps` shows) holds the variable's name, the session is in its environment.
    const records = readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { argv?: string[]; responseFromEnv?: string; response?: string });
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(records[0]!.argv, ['--version']);
    const argv = records.find((r) => r.argv?.length === 6)!.argv!;
    assert.equal(argv[0], 'AWS_SSM_START_SESSION_RESPONSE');
    const response = JSON.parse(records.find((r) => r.responseFromEnv)!.response!) as { SessionId: string; TokenValue: string };
    assert.equal(response.SessionId, sessionId);
    for (const a of argv) assert.ok(!a.includes(response.TokenValue), `the plugin's command line holds the token: ${a}`);
    assert.ok(!(io2.out + io2.err).includes(response.TokenValue));
  });

  it('exits 2 on bad usage and 1 when a check fails, printing the checks', async () => {
    const io = fakeIO({ env: env() });
    assert.equal(await main([...base(), '--cluster', 'prod', '--task', WEB], io), 2);
    assert.match(io.err, /--port is required/);
    const io2 = fakeIO({ env: env() });
    assert.equal(await main([...base(), '--cluster', 'prod', '--task', WEB, '--port', '80', '--host', 'http://db'], io2), 2);
    assert.match(io2.err, /without a scheme/);

    const worker = [...sim.state.ecs.clusters.get('prod')!.tasks.values()].find((t) => t.group === 'service:worker' && t.lastStatus === 'RUNNING')!;
    const io3 = fakeIO({ env: env() });
    const code = await main([...base(), '--cluster', 'prod', '--task', worker.taskArn!, '--container', worker.containers![0]!.name!, '--port', '80'], io3);
    assert.equal(code, 1);
    assert.match(io3.out, /Port forwarding readiness for/);
    assert.match(io3.out, /You may start port forwarding/);
    assert.match(io3.out, /Port forwarding cannot start: /);
    assert.match(io3.err, /cannot start port forwarding: Exec enabled for the task/);

    const io4 = fakeIO({ env: env() });
    assert.equal(await main([...base().slice(0, -1), '/nonexistent/smp', '--cluster', 'prod', '--task', WEB, '--container', 'web', '--port', '8080'], io4), 1);
    assert.match(io4.err, /Install the Session Manager plugin/);
  });
});
