// src/forwardPlugin.ts: the port-forwarding plugin as its own process. `ready` resolves with the
// port the plugin says it listens on; when the plugin ends first (the local port is taken), it
// rejects with the plugin's own words; stop() ends it; no line holds the session token.
import { strict as assert } from 'node:assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { forwardPluginArgs, forwardRequest } from '../../src/core/exec';
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
});
