// `ecs-doctor` without credentials: every AWS command says, in words, what the explorer's welcome
// view says (no SDK class name such as CredentialsProviderError), names the profile it ran with,
// exits 1, and sends nothing.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { main } from '../../../src/cli';
import type { CliIO } from '../../../src/cli/io';
import { startSimulator, type Simulator } from '../../../sim/server';
import { sandboxEnv } from '../../awsSandbox';

const NO_CREDENTIALS =
  'No AWS credentials were found for the default profile: run `aws configure` or `aws configure sso` to create them, or choose another profile';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: async () => '', env: process.env, cwd: process.cwd() };
  return { cli, out: () => out.join(''), err: () => err.join('') };
}

describe('ecs-doctor without AWS credentials', () => {
  let sim: Simulator;
  let dir: string;
  let restoreEnv: () => void = () => undefined;
  before(async () => {
    sim = await startSimulator({ scenario: 'demo' });
    dir = mkdtempSync(path.join(tmpdir(), 'ecs-doctor-nocreds-'));
    const config = path.join(dir, 'config');
    writeFileSync(config, '[profile ops]\nregion = us-east-1\n');
    // No keys anywhere: no environment keys, no credentials file, a config without keys, no
    // container or instance credentials.
    restoreEnv = sandboxEnv({
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
      AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
      AWS_ROLE_ARN: undefined,
    });
  });
  after(async () => {
    restoreEnv();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => sim.clearCalls());

  const where = () => ['--region', 'us-east-1', '--endpoint-url', sim.url];

  for (const command of [['status'], ['exec', '--cluster', 'prod', '--task', '2f6a1c9e8b7d4a3f9e0c1b2a3d4e5f60', '--check-only'], ['diagnose', '--cluster', 'prod', '--task', '7c1e2d3f4a5b6c7d8e9f0a1b2c3d4e5f'], ['logs', '--cluster', 'prod', '--task', '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e']]) {
    it(`${command[0]}: the welcome view's words, exit 1, no call sent`, async () => {
      const o = io();
      assert.equal(await main([...command, ...where()], o.cli), 1);
      assert.equal(o.err(), `ecs-doctor ${command[0]}: ${NO_CREDENTIALS}\n`);
      assert.doesNotMatch(o.err(), /CredentialsProviderError|Could not load credentials/);
      assert.equal(o.out(), '');
      assert.deepEqual(sim.calls, [], 'nothing reached the endpoint');
    });
  }

  it('names the profile from --profile or AWS_PROFILE', async () => {
    const o = io();
    assert.equal(await main(['exec', '--cluster', 'prod', '--task', '2f6a1c9e8b7d4a3f9e0c1b2a3d4e5f60', '--profile', 'ops', ...where()], o.cli), 1);
    assert.match(o.err(), /^ecs-doctor exec: No AWS credentials were found for profile "ops": run `aws configure --profile ops` or `aws configure sso --profile ops`/);
    process.env.AWS_PROFILE = 'ops';
    try {
      const s = io();
      assert.equal(await main(['status', ...where()], s.cli), 1);
      assert.match(s.err(), /^ecs-doctor status: No AWS credentials were found for profile "ops"/);
    } finally {
      delete process.env.AWS_PROFILE;
    }
  });
});
