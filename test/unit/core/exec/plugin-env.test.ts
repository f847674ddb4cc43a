// The session response in session-manager-plugin's environment: the version rule of the AWS CLI
// (awscli/customizations/sessionmanager.py VersionRequirement, with the cases of its own unit
// test), the launch that moves the session JSON out of argv for a new plugin and keeps it there
// for an old one, the loggable form, and the preflight's plugin check naming the version.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  START_SESSION_RESPONSE_ENV,
  describePluginArgs,
  forwardPluginArgs,
  forwardRequest,
  pluginArgs,
  pluginLaunch,
  pluginReadsResponseFromEnv,
  runExecChecks,
  type ExecFacts,
} from '../../../../src/core/exec';

const TOKEN = 'AAEAAtoken-0123456789abcdefghij';
const execArgv = () =>
  pluginArgs({ session: { sessionId: 'ecs-execute-command-0abc', streamUrl: 'wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/x', tokenValue: TOKEN }, region: 'eu-west-1', profile: 'ops', cluster: 'prod', task: 't1', runtimeId: 'r1', endpointUrl: 'https://ecs.eu-west-1.amazonaws.com' });
const forwardArgv = () =>
  forwardPluginArgs({
    session: { SessionId: 'me-0abc', TokenValue: TOKEN, StreamUrl: 'wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/me-0abc' },
    region: 'eu-west-1',
    profile: '',
    request: forwardRequest('prod', 't1', 'r1', { port: 5432, localPort: 15432 }),
    endpointUrl: 'https://ssm.eu-west-1.amazonaws.com',
  });

describe('which plugin reads the session from its environment (the AWS CLI\'s rule)', () => {
  // The cases of TestVersionRequirement.test_meets_requirement in aws-cli's tests/unit/customizations/test_sessionmanager.py.
  const cases: Array<[string, boolean]> = [
    ['2.0.0.0', true],
    ['2.1', true],
    ['2', true],
    ['1.3.1.1', true],
    ['\r\n1. 3.1.1', true],
    ['1.3.1.0', true],
    ['1.3', true],
    ['1.2.498.1', true],
    ['1.2.498', true],
    ['1.2.497.1', true],
    ['1.2.497.0', false],
    ['1.2.497', false],
    ['1.2.1.1', false],
    ['1.2.1', false],
    ['1.2', false],
    ['1.1.1.0', false],
    ['1.1.1', false],
    ['1.0.497.0', false],
    ['1.0. 497.0\r\n', false],
    ['1', false],
    ['0.3.497.0', false],
  ];
  for (const [version, expected] of cases) {
    it(`${JSON.stringify(version)} -> ${expected}`, () => assert.equal(pluginReadsResponseFromEnv(version), expected));
  }
  it('a version it cannot read is an old plugin: five parts, letters, a trailing dot, nothing', () => {
    for (const v of ['1.2.650.0.1', '1.2.650.a', '1.2.650-beta', '1.2.', 'invalid_version', '', undefined]) assert.equal(pluginReadsResponseFromEnv(v), false, String(v));
    assert.equal(pluginReadsResponseFromEnv('1.2.536.0'), true, 'the first release that reads the variable');
    assert.equal(pluginReadsResponseFromEnv('1.2.650.0\n'), true);
  });
});

describe('the plugin launch', () => {
  for (const [name, argv] of [
    ['ECS Exec', execArgv],
    ['port forwarding', forwardArgv],
  ] as const) {
    it(`${name}: a new plugin gets the session in AWS_SSM_START_SESSION_RESPONSE and its name in argv; no argument holds the token`, () => {
      const legacy = argv();
      const launch = pluginLaunch(legacy, '1.2.650.0');
      assert.equal(launch.responseInEnv, true);
      assert.deepEqual(launch.argv, [START_SESSION_RESPONSE_ENV, ...legacy.slice(1)]);
      assert.equal(launch.argv[0], 'AWS_SSM_START_SESSION_RESPONSE');
      assert.deepEqual(launch.env, { AWS_SSM_START_SESSION_RESPONSE: legacy[0] });
      for (const a of launch.argv) assert.ok(!a.includes(TOKEN), `an argument holds the token: ${a}`);
      assert.equal(describePluginArgs(launch.argv).split(' ')[0], '"AWS_SSM_START_SESSION_RESPONSE"', 'the name may be logged');
    });

    it(`${name}: an old plugin, or one whose version is unknown, gets the session JSON in argv as before`, () => {
      const legacy = argv();
      for (const v of ['1.2.497.0', '1.2.463.0', '', undefined]) {
        const launch = pluginLaunch(legacy, v);
        assert.equal(launch.responseInEnv, false);
        assert.deepEqual(launch.argv, legacy);
        assert.ok(launch.argv[0]!.includes(TOKEN));
        assert.deepEqual(launch.env, {});
        assert.ok(!describePluginArgs(launch.argv).includes(TOKEN), 'the loggable form masks it');
      }
    });
  }
});

describe('the preflight\'s plugin check names the version and where the token goes', () => {
  const facts = (plugin: ExecFacts['plugin']): ExecFacts => ({ region: 'eu-west-1', plugin, cluster: 'prod', containerName: 'web', caller: { kind: 'root', principalArn: 'arn:aws:iam::123456789012:root' }, network: {} });
  const plugin = (f: ExecFacts) => runExecChecks(f).find((c) => c.id === 'plugin')!;

  it('passes for a new plugin, saying the token goes in its environment', () => {
    const c = plugin(facts({ path: '/usr/local/bin/session-manager-plugin', searched: [], version: '1.2.650.0' }));
    assert.equal(c.status, 'pass');
    assert.match(c.detail, /^Found at \/usr\/local\/bin\/session-manager-plugin \(version 1\.2\.650\.0\)\. The session token goes to it in its environment/);
  });

  it('warns for an old plugin: the token is on its command line; the fix is the update', () => {
    const c = plugin(facts({ path: '/usr/local/bin/session-manager-plugin', searched: [], version: '1.2.497.0' }));
    assert.equal(c.status, 'warn');
    assert.match(c.detail, /version 1\.2\.497\.0\)\. This version takes the session token on its command line, where other users of this machine can read it \(ps\)/);
    assert.match(c.fix, /Update the Session Manager plugin to 1\.2\.536\.0 or later: https:\/\/docs\.aws\.amazon\.com\//);
  });

  it('warns when --version printed nothing it could read (the token then goes on the command line)', () => {
    const c = plugin(facts({ path: '/opt/smp', searched: [], version: '' }));
    assert.equal(c.status, 'warn');
    assert.match(c.detail, /^Found at \/opt\/smp, but `session-manager-plugin --version` printed no version it could read, so it is given the session token on its command line/);
  });

  it('says only where it is when the version was not asked', () => {
    assert.equal(plugin(facts({ path: '/opt/smp', searched: [] })).detail, 'Found at /opt/smp.');
  });
});
