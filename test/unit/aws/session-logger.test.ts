// The SDK's logging through AwsSession: with trace off, the SDK's logger middleware must not copy
// each response for a line no one keeps (its `logger?.info?.(...)` argument is only skipped when
// `info` is undefined); with trace on, the call is traced, redacted.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { AwsSession } from '../../../src/aws/session';
import type { Logger } from '../../../src/core/logger';
import { startSimulator, type Simulator } from '../../../sim/server';

process.env.AWS_ACCESS_KEY_ID = 'AKIASIMULATOR0000001';
process.env.AWS_SECRET_ACCESS_KEY = 'simulator-secret';
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;

function recorder(): Logger & { lines: string[]; on: boolean } {
  const lines: string[] = [];
  const r = {
    lines,
    on: false,
    traceEnabled: () => r.on,
    trace: (m: string) => void lines.push(m),
    debug: () => undefined,
    info: () => undefined,
    warn: (m: string) => void lines.push(`warn ${m}`),
    error: () => undefined,
  };
  return r;
}

describe('the SDK logger of a session', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ scenario: 'demo' });
  });
  after(() => sim.stop());

  it('offers the SDK no info method while trace is off, so responses are not copied for the log', async () => {
    const log = recorder();
    const session = new AwsSession({ endpoint: sim.url, region: 'us-east-1', logger: log });
    try {
      const sdkLogger = (session.ecs.config as { logger?: { info?: unknown } }).logger;
      assert.ok(sdkLogger, 'the client has our logger');
      assert.equal(sdkLogger.info, undefined);
      const out = await session.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
      assert.equal(out.services?.[0]?.serviceName, 'web');
      assert.equal(log.lines.length, 0, log.lines.join(" | "));

      // Trace turned on later (the log level changed): the next call is traced.
      log.on = true;
      assert.equal(typeof sdkLogger.info, 'function');
      await session.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
      const line = log.lines.find((l) => l.includes('DescribeServicesCommand'));
      assert.ok(line, `a trace line for the call, got: ${log.lines.join(' | ')}`);
      assert.match(line, /"serviceName":"web"/);
      assert.doesNotMatch(log.lines.join('\n'), /simulator-secret/);
    } finally {
      session.dispose();
    }
  });
});
