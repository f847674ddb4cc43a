import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { classifyAwsError, words } from '../../../src/core/awsErrors';
import { listProfiles, parseIni } from '../../../src/core/awsProfiles';
import { consoleUrl } from '../../../src/core/explorer/links';
import type { ExplorerNode } from '../../../src/core/explorer/nodes';

const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8')) as { contributes: { viewsWelcome: unknown } };

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
  it('missing credentials: the explorer welcome view\'s words, never the SDK class name', () => {
    const c = classifyAwsError(err('CredentialsProviderError', 'Could not load credentials from any providers'));
    assert.equal(c.kind, 'credentials-missing');
    assert.equal(c.credentials, true);
    assert.equal(c.message, 'No AWS credentials were found for the default profile: run `aws configure` or `aws configure sso` to create them, or choose another profile');
    // The welcome view (package.json viewsWelcome, noCredentials) gives the same advice.
    const welcome = (pkg.contributes.viewsWelcome as Array<{ contents: string; when: string }>).find((v) => /noCredentials/.test(v.when))!.contents;
    assert.match(welcome, /^No AWS credentials were found for this profile\./);
    for (const advice of ['`aws configure`', '`aws configure sso`']) {
      assert.ok(welcome.includes(advice) && c.message.includes(advice), advice);
    }
    const named = classifyAwsError(err('CredentialsProviderError', 'Could not load credentials from any providers'), { profile: 'dev' });
    assert.match(named.message, /^No AWS credentials were found for profile "dev": run `aws configure --profile dev` or `aws configure sso --profile dev`/);
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
  it('never shows an SDK or service class name', () => {
    const cases: Array<[string, string, Record<string, unknown>?]> = [
      ['CredentialsProviderError', 'Could not load credentials from any providers'],
      ['TimeoutError', 'Connection timed out after 3000 ms'],
      ['UnrecognizedClientException', 'The security token included in the request is invalid.', { $metadata: { httpStatusCode: 400 } }],
      ['InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.', { $metadata: { httpStatusCode: 403 } }],
      ['ClusterNotFoundException', 'Cluster not found.', { $metadata: { httpStatusCode: 400 } }],
      ['InvalidParameterException', 'Invalid identifier: Unexpected number of separators', { $metadata: { httpStatusCode: 400 } }],
      ['ServerException', 'Service Unavailable', { $metadata: { httpStatusCode: 500 } }],
      ['TargetNotConnectedException', 'The execute command failed due to an internal error.', { $metadata: { httpStatusCode: 400 } }],
      ['ServiceNotActiveException', '', { $metadata: { httpStatusCode: 400 } }],
      ['NoSuchEntity', 'The role with name x cannot be found.', { $metadata: { httpStatusCode: 404 } }],
    ];
    for (const [name, message, extra] of cases) {
      const c = classifyAwsError(err(name, message, extra));
      assert.ok(!c.message.includes(name), `${name} appears in "${c.message}"`);
      assert.doesNotMatch(c.message, /[A-Za-z]+(Exception|Error)\b/, c.message);
    }
    assert.equal(classifyAwsError(err('ServiceNotActiveException', '', { $metadata: { httpStatusCode: 400 } })).message, 'Service not active.');
    assert.match(classifyAwsError(err('InvalidSignatureException', 'x', { $metadata: { httpStatusCode: 403 } })).message, /secret access key is wrong/);
    assert.equal(classifyAwsError(err('ClusterNotFoundException', 'Cluster not found.')).message, 'Cluster not found.');
    assert.equal(classifyAwsError(err('ServerException', 'boom', { $metadata: { httpStatusCode: 503 } })).message, 'AWS answered with a server error (HTTP 503): boom');
    // A JavaScript error is a bug: its name stays, for the report.
    assert.match(classifyAwsError(new TypeError('x is not a function')).message, /^TypeError: x is not a function$/);
  });
  it('words() spells a class name', () => {
    assert.equal(words('TargetNotConnectedException'), 'Target not connected');
    assert.equal(words('KMSAccessDeniedFault'), 'KMS access denied');
    assert.equal(words('ParameterNotFound'), 'Parameter not found');
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
