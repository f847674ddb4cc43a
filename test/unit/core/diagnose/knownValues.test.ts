// fillKnown: "check the secret" becomes a step per secret the task definition references (SSM
// parameters in one get-parameters call), and no step for a task that references none; other
// commands' <secret-arn> (a registry credential) is another secret and stays as it is.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { TaskDefFacts } from '../../../../src/core/diagnose/facts';
import { fillKnown, taskSecrets } from '../../../../src/core/diagnose/knownValues';
import type { Diagnosis } from '../../../../src/core/diagnose/types';

const SM = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';
const td = (secrets: Array<{ name: string; valueFrom: string }>): TaskDefFacts => ({ containers: [{ name: 'app', portMappings: [], secrets }] });

function diagnosis(): Diagnosis {
  return {
    category: 'EssentialContainerExited',
    variant: 'exit-1',
    title: 'The application exited with an error (exit code 1)',
    summary: '',
    confidence: 'high',
    whereToLook: [],
    causes: [],
    fixes: [
      { text: 'Check the secrets the task references exist.', command: 'aws secretsmanager describe-secret --secret-id <secret-arn>', cause: 'missing-config' },
      { text: 'Use a pull-through cache.', command: 'aws ecr create-pull-through-cache-rule --ecr-repository-prefix docker-hub --credential-arn <secret-arn>', cause: 'anonymous-pulls' },
    ],
    prevention: [],
    docs: [],
    checks: [],
    raw: {},
  } as unknown as Diagnosis;
}

describe('fillKnown and the task definition\'s secrets', () => {
  it('one Secrets Manager secret (with a JSON key): its secret ARN, without the key', () => {
    const s = taskSecrets(td([{ name: 'DB_PASSWORD', valueFrom: `${SM}:password::` }]));
    assert.deepEqual(s, { secretsManager: [SM], ssm: [] });
    const d = fillKnown(diagnosis(), {}, { secrets: s });
    assert.deepEqual(d.fixes.map((f) => f.command), [`aws secretsmanager describe-secret --secret-id ${SM}`, 'aws ecr create-pull-through-cache-rule --ecr-repository-prefix docker-hub --credential-arn <secret-arn>']);
  });

  it('SSM parameters: one get-parameters call naming them', () => {
    const s = taskSecrets(td([{ name: 'A', valueFrom: '/prod/a' }, { name: 'B', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/prod/b' }]));
    const d = fillKnown(diagnosis(), {}, { secrets: s });
    assert.equal(d.fixes[0]!.command, 'aws ssm get-parameters --names /prod/a arn:aws:ssm:us-east-1:123456789012:parameter/prod/b --query InvalidParameters');
  });

  it('many secrets: the first few named, and how many more', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ name: `S${i}`, valueFrom: `arn:aws:secretsmanager:us-east-1:123456789012:secret:s${i}-AbCdEf` }));
    const d = fillKnown(diagnosis(), {}, { secrets: taskSecrets(td(many)) });
    const steps = d.fixes.filter((f) => f.cause === 'missing-config');
    assert.equal(steps.length, 5);
    assert.match(steps[4]!.text, /and 2 more in the task definition's secrets/);
    assert.doesNotMatch(steps[0]!.text, /more/);
  });

  it('no secrets: no step that checks one', () => {
    const d = fillKnown(diagnosis(), {}, { secrets: taskSecrets(td([])) });
    assert.deepEqual(d.fixes.map((f) => f.cause), ['anonymous-pulls']);
  });

  it('the task definition not read: the step stays as the catalogue wrote it', () => {
    const d = fillKnown(diagnosis(), {});
    assert.equal(d.fixes[0]!.command, 'aws secretsmanager describe-secret --secret-id <secret-arn>');
  });
});
