// src/forwardPlugin.ts: the port-forwarding plugin as its own process. `ready` resolves with the
// port the plugin says it listens on; when the plugin ends first (the local port is taken), it
// rejects with the plugin's own words; stop() ends it; no line holds the session token; a plugin
// newer than 1.2.497.0 (the stand-in by default) gets the token in its environment, never in its
// command line, and an old one (ECS_DOCTOR_SMP_VERSION=1.2.497.0) still gets it in argv.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { forwardPluginArgs, forwardRequest, pluginLaunch } from '../../src/core/exec';
import { readPluginVersion } from '../../src/pluginFs';
import { startForwardPlugin } from '../../src/forwardPlugin';

const ROOT = path.resolve(__dirname, '../../..');
const STAND_IN = path.join(ROOT, 'sim/bin/session-manager-plugin');
const TOKEN = 'AAEAAsecret-token-value-0123456789abcdef';

function argv(localPort: number): string[] {
  const request = forwardRequest('prod', '2f6a1c9e8b7d4a3f9e0c1b2a3d4e5f60', 'rt-1', { port: 8080, localPort });
  // A local endpoint that is not the simulator: the stand-in asks it nothing for a forward.
  return forwardPluginArgs({ session: { SessionId: 'me-0abc', TokenValue: TOKEN, StreamUrl: 'wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/me-0abc' }, region: 'us-east-1', profile: '', request, endpointUrl: 'http://127.0.0.1:9' });
}

describe('the port-forwarding plugin process', () => {
  it('is ready with the port the plugin listens on, and stop() ends it', async () => {
    const lines: string[] = [];
    const p = startForwardPlugin(process.execPath, [STAND_IN, ...argv(0)], process.env, (l) => lines.push(l));
    const port = await p.ready;
    assert.ok(port > 0);
    assert.ok(lines.some((l) => l === 'Waiting for connections...'));
    p.stop();
    const exit = await p.exited;
    assert.equal(exit.code, 0);
    assert.ok(p.ended);
    for (const l of p.lines) assert.ok(!l.includes(TOKEN));
  });

  it('rejects `ready` with the plugin\'s words when it ends before listening', async () => {
    const busy = http.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    try {
      const p = startForwardPlugin(process.execPath, [STAND_IN, ...argv((busy.address() as AddressInfo).port)], process.env);
      await assert.rejects(p.ready, /ended with exit code 1 before it listened: .*address already in use/);
      assert.equal((await p.exited).code, 1);
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });

  it('rejects `ready` when the plugin cannot be run at all', async () => {
    const p = startForwardPlugin('/nonexistent/session-manager-plugin', argv(0), process.env);
    await assert.rejects(p.ready, /could not run \/nonexistent\/session-manager-plugin/);
    assert.equal((await p.exited).code, 1);
  });

  /** Runs the stand-in of `version` as the faces do: its version read first, then the launch that version gets. */
  async function launchStandIn(version: string): Promise<{ argv: string[]; records: Array<{ argv?: string[]; responseFromEnv?: string; response?: string; started?: string }> }> {
    const dir = mkdtempSync(path.join(tmpdir(), 'ecs-doctor-fwd-plugin-'));
    try {
      const record = path.join(dir, 'record.jsonl');
      const env = { ...process.env, ECS_DOCTOR_SMP_RECORD: record, ECS_DOCTOR_SMP_VERSION: version };
      const read = await readPluginVersion(STAND_IN, env);
      assert.equal(read, version, 'the version the stand-in printed');
      const launch = pluginLaunch(argv(0), read);
      const p = startForwardPlugin(process.execPath, [STAND_IN, ...launch.argv], { ...env, ...launch.env });
      assert.ok((await p.ready) > 0);
      p.stop();
      assert.equal((await p.exited).code, 0);
      for (const l of p.lines) assert.ok(!l.includes(TOKEN));
      const records = readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { argv?: string[] });
      return { argv: records.filter((r) => r.argv && r.argv[0] !== '--version').at(-1)!.argv!, records };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('a plugin newer than 1.2.497.0 gets the session in its environment: the token is in none of its arguments', async () => {
    const { argv: seen, records } = await launchStandIn('1.2.650.0');
    assert.equal(seen[0], 'AWS_SSM_START_SESSION_RESPONSE');
    for (const a of seen) assert.ok(!a.includes(TOKEN), `the plugin's command line holds the token: ${a}`);
    const read = records.find((r) => r.responseFromEnv)!;
    assert.ok(read.response!.includes(TOKEN), 'the plugin read the session from its environment');
    assert.ok(records.some((r) => r.started === 'me-0abc'));
  });

  it('a plugin of 1.2.497.0 gets the session JSON, token and all, in its first argument (what the AWS CLI does too)', async () => {
    const { argv: seen, records } = await launchStandIn('1.2.497.0');
    assert.ok(seen[0]!.includes(TOKEN));
    assert.equal(JSON.parse(seen[0]!).SessionId, 'me-0abc');
    assert.ok(!records.some((r) => r.responseFromEnv));
  });

  it('reads what --version prints, or \'\' when the plugin cannot be run', async () => {
    assert.equal(await readPluginVersion(STAND_IN, { ...process.env, ECS_DOCTOR_SMP_VERSION: '1.2.707.0' }), '1.2.707.0');
    assert.equal(await readPluginVersion('/nonexistent/session-manager-plugin'), '');
  });
});
