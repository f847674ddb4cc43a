// roles/*, logging/*, ports/*, secrets/*
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { applyFix, goodContainer, only, parsed, under, withContainer } from './helpers';

const noRole = { executionRoleArn: undefined };

describe('roles/execution-role', () => {
  it('fires on awslogs, secrets, a private ECR image and repositoryCredentials without an execution role', () => {
    const text = withContainer(
      {
        image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1',
        secrets: [{ name: 'DB', valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db' }],
        repositoryCredentials: { credentialsParameter: 'arn:aws:secretsmanager:eu-west-1:1:secret:x' },
      },
      noRole,
    );
    const fs = only(text, 'roles/execution-role');
    assert.deepEqual(fs.map((f) => under(text, f)).sort(), ['"123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1"', '"awslogs"', '"repositoryCredentials"', '"secrets"'].sort());
    assert.ok(fs.every((f) => f.severity === 'error'));
  });
  it('stays quiet with an execution role, or with a public image and no awslogs', () => {
    assert.deepEqual(only(withContainer({ secrets: [{ name: 'A', valueFrom: 'arn:aws:ssm:eu-west-1:1:parameter/a' }] }), 'roles/execution-role'), []);
    assert.deepEqual(only(withContainer({ logConfiguration: undefined }, noRole), 'roles/execution-role'), []);
  });
});

describe('logging/awslogs-options', () => {
  it('fires without awslogs-region and the fix adds the Region found in the document', () => {
    const text = withContainer({ image: '123456789012.dkr.ecr.ap-south-1.amazonaws.com/web:1', logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs' } } });
    const [f] = only(text, 'logging/awslogs-options');
    assert.equal(f?.severity, 'error');
    assert.equal(under(text, f!), '"awslogs"');
    assert.ok(f!.fixes[0]!.isPreferred);
    const opts = parsed(applyFix(text, f!)).containerDefinitions[0].logConfiguration.options;
    assert.equal(opts['awslogs-region'], 'ap-south-1');
    assert.equal(opts['awslogs-group'], '/ecs/web');
  });
  it('adds a whole options object when it is missing (placeholder Region, not preferred)', () => {
    const text = withContainer({ logConfiguration: { logDriver: 'awslogs' } });
    const [f] = only(text, 'logging/awslogs-options');
    assert.equal(f!.fixes[0]!.isPreferred, false);
    const opts = parsed(applyFix(text, f!, /awslogs-group/)).containerDefinitions[0].logConfiguration.options;
    assert.deepEqual(Object.keys(opts), ['awslogs-group', 'awslogs-region']);
    assert.equal(opts['awslogs-group'], '/ecs/web');
  });
  it('stays quiet with both options, or another driver', () => {
    assert.deepEqual(only(withContainer({}), 'logging/awslogs-options'), []);
    assert.deepEqual(only(withContainer({ logConfiguration: { logDriver: 'json-file' } }), 'logging/awslogs-options'), []);
  });
});

describe('logging/awslogs-stream-prefix', () => {
  it('fires on Fargate without a prefix and adds one', () => {
    const text = withContainer({ logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g', 'awslogs-region': 'eu-west-1' } } });
    const [f] = only(text, 'logging/awslogs-stream-prefix');
    assert.equal(f?.severity, 'warning');
    assert.equal(parsed(applyFix(text, f!)).containerDefinitions[0].logConfiguration.options['awslogs-stream-prefix'], 'ecs');
  });
  it('stays quiet on EC2', () => {
    const text = withContainer({ memory: 256, logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g', 'awslogs-region': 'eu-west-1' } } }, { requiresCompatibilities: ['EC2'] });
    assert.deepEqual(only(text, 'logging/awslogs-stream-prefix'), []);
  });
});

describe('ports/awsvpc-host-port', () => {
  it('fires on a hostPort that differs in awsvpc mode, and sets it to the containerPort', () => {
    const text = withContainer({ portMappings: [{ containerPort: 8080, hostPort: 80 }] });
    const [f] = only(text, 'ports/awsvpc-host-port');
    assert.equal(f?.severity, 'error');
    assert.equal(under(text, f!), '80');
    assert.equal(parsed(applyFix(text, f!)).containerDefinitions[0].portMappings[0].hostPort, 8080);
  });
  it('stays quiet on equal ports, no hostPort, and in bridge mode', () => {
    assert.deepEqual(only(withContainer({ portMappings: [{ containerPort: 8080, hostPort: 8080 }] }), 'ports/awsvpc-host-port'), []);
    assert.deepEqual(only(withContainer({}), 'ports/awsvpc-host-port'), []);
    assert.deepEqual(only(withContainer({ memory: 256, portMappings: [{ containerPort: 8080, hostPort: 0 }] }, { requiresCompatibilities: ['EC2'], networkMode: 'bridge' }), 'ports/awsvpc-host-port'), []);
  });
});

describe('secrets/plaintext-environment', () => {
  it('fires on secret-looking names with literal values, on the value', () => {
    for (const name of ['DB_PASSWORD', 'API_KEY', 'STRIPE_SECRET', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'apiKey', 'CLIENT_SECRET']) {
      const text = withContainer({ environment: [{ name, value: 's3cr3t-value' }] });
      const [f] = only(text, 'secrets/plaintext-environment');
      assert.equal(f?.severity, 'warning', name);
      assert.equal(under(text, f!), '"s3cr3t-value"');
      assert.ok(!f!.message.includes('s3cr3t-value'), 'the message never repeats the secret');
    }
  });
  it('stays quiet on references, descriptions of secrets and ordinary variables', () => {
    for (const [name, value] of [
      ['DB_PASSWORD_ARN', 'arn:aws:secretsmanager:eu-west-1:1:secret:x'],
      ['SECRET_NAME', 'prod/db'],
      ['TOKEN_URL', 'https://auth.example.com/token'],
      ['PASSWORD_FILE', '/run/secrets/db'],
      ['LOG_LEVEL', 'debug'],
      ['PWD', '/app'],
      ['DB_PASSWORD', ''],
      ['API_KEY', 'arn:aws:ssm:eu-west-1:1:parameter/key'],
    ]) {
      assert.deepEqual(only(withContainer({ environment: [{ name, value }] }), 'secrets/plaintext-environment'), [], name);
    }
    assert.deepEqual(only(JSON.stringify([goodContainer({ environment: [{ name: 'PORT', value: '80' }] })]), 'secrets/plaintext-environment'), []);
  });
});
