import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { classifyAwsError } from '../../src/core/awsErrors';
import { listProfiles, parseIni } from '../../src/core/awsProfiles';
import { consoleUrl } from '../../src/core/explorer/links';
import type { ExplorerNode } from '../../src/core/explorer/nodes';

const err = (name: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { name, ...extra });

describe('classifyAwsError', () => {
  it('an expired SSO session says which command fixes it', () => {
    const c = classifyAwsError(
      err('CredentialsProviderError', 'The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.'),
      { profile: 'dev' },
    );
    assert.equal(c.kind, 'sso-expired');
    assert.equal(c.credentials, true);
    assert.match(c.message, /aws sso login --profile dev/);
  });
  it('missing credentials', () => {
    const c = classifyAwsError(err('CredentialsProviderError', 'Could not load credentials from any providers'));
    assert.equal(c.kind, 'credentials-missing');
    assert.match(c.message, /No AWS credentials found for the default profile/);
  });
  it('an unknown profile', () => {
    assert.equal(classifyAwsError(err('CredentialsProviderError', 'Profile nope could not be found or parsed in shared credentials file.'), { profile: 'nope' }).kind, 'profile-unknown');
    const c = classifyAwsError(err('CredentialsProviderError', 'Could not resolve credentials using profile: [nope] in configuration/credentials file(s).'), { profile: 'nope' });
    assert.equal(c.kind, 'profile-unknown');
    assert.match(c.message, /"nope"/);
  });
  it('throttling is retryable and never shows the exception name', () => {
    const c = classifyAwsError(err('ThrottlingException', 'Rate exceeded', { $metadata: { httpStatusCode: 400 } }));
    assert.equal(c.kind, 'throttled');
    assert.equal(c.retryable, true);
    assert.doesNotMatch(c.message, /ThrottlingException/);
  });
  it('access denied, not found, 5xx, time-outs, unknown Region hosts', () => {
    assert.equal(classifyAwsError(err('AccessDeniedException', 'User is not authorized to perform ecs:ListServices')).kind, 'access-denied');
    assert.equal(classifyAwsError(err('ClusterNotFoundException', 'Cluster not found.')).kind, 'not-found');
    assert.equal(classifyAwsError(err('ServerException', 'boom', { $metadata: { httpStatusCode: 500 } })).retryable, true);
    assert.equal(classifyAwsError(err('TimeoutError', 'socket timed out')).kind, 'timeout');
    const nx = classifyAwsError(err('Error', 'getaddrinfo ENOTFOUND ecs.xx-nowhere-1.amazonaws.com', { code: 'ENOTFOUND' }), { region: 'xx-nowhere-1' });
    assert.equal(nx.kind, 'network');
    assert.equal(nx.retryable, false);
    assert.match(nx.message, /Region "xx-nowhere-1"/);
  });
  it('messages are redacted', () => {
    const c = classifyAwsError(err('AccessDeniedException', 'denied for AKIAIOSFODNN7EXAMPLE'));
    assert.doesNotMatch(c.message, /IOSFODNN7EXAMPLE/);
  });
});

describe('AWS profiles', () => {
  it('reads profiles from config and credentials like the AWS CLI', () => {
    const config = '[default]\nregion = eu-west-1\n\n[profile dev]\nsso_session = corp\nsso_account_id = 1\n[sso-session corp]\nsso_start_url = https://x\n[profile tool]\ncredential_process = /bin/creds\nendpoint_url = http://localhost:4566\n# comment\n';
    const credentials = '[ci]\naws_access_key_id = AKIA...\naws_secret_access_key = x\n';
    const ps = listProfiles(config, credentials);
    assert.deepEqual(ps.map((p) => p.name), ['default', 'ci', 'dev', 'tool']);
    assert.equal(ps.find((p) => p.name === 'dev')!.kind, 'sso');
    assert.equal(ps.find((p) => p.name === 'tool')!.kind, 'process');
    assert.equal(ps.find((p) => p.name === 'tool')!.endpointUrl, 'http://localhost:4566');
    assert.equal(ps.find((p) => p.name === 'ci')!.kind, 'keys');
    assert.equal(ps[0]!.region, 'eu-west-1');
  });
  it('survives garbage', () => {
    assert.deepEqual(listProfiles('\u0000[[[\n= =\nkey without section = 1', ''), []);
    assert.equal(parseIni('').size, 0);
  });
});

describe('console links', () => {
  it('escape names and keep the Region', () => {
    const node = { kind: 'service', region: 'eu-west-1', clusterArn: 'arn:aws:ecs:eu-west-1:1:cluster/prod', serviceName: 'web api' } as unknown as ExplorerNode;
    assert.equal(consoleUrl(node), 'https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/web%20api/health?region=eu-west-1');
  });
});
