// applyEvidence: a cause is never judged more surely than the evidence allows.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { classify } from '../../../../src/core/diagnose/classify';
import { applyEvidence } from '../../../../src/core/diagnose/verdict';
import type { Diagnosis, Evidence } from '../../../../src/core/diagnose/types';

const PULL = 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v2-missing: 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v2-missing: not found';
const SECRETS =
  'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf from secrets manager: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ecsTaskExecutionRole/abc is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf because no identity-based policy allows the secretsmanager:GetSecretValue action';

const statuses = (d: Diagnosis) => Object.fromEntries(d.causes.map((c) => [c.id, c.status]));

describe('applyEvidence judging', () => {
  it('a failed check that fits several causes makes each likely, and the verdict says which finding', () => {
    const base = classify({ stoppedReason: PULL });
    const tagCauses = base.causes.filter((c) => (c.checks ?? []).includes('ecr-image')).map((c) => c.id);
    assert.ok(tagCauses.length >= 2, JSON.stringify(base.causes));
    const d = applyEvidence(base, [{ check: 'ecr-image', status: 'fail', detail: 'No image with tag v2-missing.' }]);
    for (const id of tagCauses) assert.equal(statuses(d)[id], 'likely', id);
    assert.match(d.verdict ?? '', /^A check found the problem: .*No image with tag v2-missing\..*It fits/);
    assert.equal(d.causes[0]!.status, 'likely', 'likely causes rank first when nothing is confirmed');
  });

  it('a failed check that names one cause confirms it', () => {
    const base = classify({ stoppedReason: PULL });
    const id = base.causes.find((c) => (c.checks ?? []).includes('ecr-image'))!.id;
    const d = applyEvidence(base, [{ check: 'ecr-image', status: 'fail', detail: 'tag deleted by the lifecycle policy', causes: [id] }]);
    assert.equal(statuses(d)[id], 'confirmed');
    assert.equal(d.causes[0]!.id, id);
    assert.match(d.verdict ?? '', /^The evidence points to:/);
  });

  it('a passing check rules out only the causes it names: "the role is set" does not clear a missing permission', () => {
    const base = classify({ stoppedReason: SECRETS });
    assert.equal(base.category, 'ResourceInitializationError');
    const roleCauses = base.causes.filter((c) => (c.checks ?? []).includes('execution-role'));
    assert.ok(roleCauses.length > 0, JSON.stringify(base.causes));
    const evidence: Evidence[] = [
      { check: 'execution-role', status: 'pass', detail: 'Execution role ecsTaskExecutionRole is set; its policies were not read.' },
      { check: 'secrets', status: 'pass', detail: 'Every referenced secret exists.' },
    ];
    const d = applyEvidence(base, evidence);
    for (const c of roleCauses) assert.notEqual(statuses(d)[c.id], 'ruled-out', c.id);
    assert.doesNotMatch(d.verdict ?? '', /ruled out every listed cause/);
  });

  it('a passing check that names a cause rules it out, and it ranks last', () => {
    const base = classify({ stoppedReason: PULL });
    const id = base.causes[0]!.id;
    const d = applyEvidence(base, [{ check: 'ecr-image', status: 'pass', detail: 'The tag exists.', causes: [id] }]);
    assert.equal(statuses(d)[id], 'ruled-out');
    assert.equal(d.causes[d.causes.length - 1]!.id, id);
  });

  it('a confirmation outweighs a likely fit, and both outrank unchecked causes', () => {
    const base = classify({ stoppedReason: PULL });
    const [a, b] = base.causes.filter((c) => (c.checks ?? []).includes('ecr-image'));
    const d = applyEvidence(base, [
      { check: 'ecr-image', status: 'fail', detail: 'No image with that tag.' },
      { check: 'task-definition', status: 'fail', detail: 'The tag differs from the last pushed one.', causes: [b!.id] },
    ]);
    assert.equal(statuses(d)[b!.id], 'confirmed');
    assert.equal(statuses(d)[a!.id], 'likely');
    assert.deepEqual(d.causes.slice(0, 2).map((c) => c.id), [b!.id, a!.id]);
  });
});

describe('applyEvidence: specific checks against generic findings', () => {
  it('a pass that verified one alternative rules it out, though a failure fits it among others', () => {
    const base = classify({ stoppedReason: PULL });
    const [a, b] = base.causes.filter((c) => (c.checks ?? []).includes('ecr-image'));
    const d = applyEvidence(base, [
      { check: 'ecr-image', status: 'fail', detail: 'No image with that tag.' },
      { check: 'task-definition', status: 'pass', detail: 'The tag matches the one CI pushed.', causes: [a!.id] },
    ]);
    assert.equal(statuses(d)[a!.id], 'ruled-out');
    assert.equal(statuses(d)[b!.id], 'likely');
  });

  it('a confirmation is not undone by a pass', () => {
    const base = classify({ stoppedReason: PULL });
    const id = base.causes[0]!.id;
    const d = applyEvidence(base, [
      { check: 'ecr-image', status: 'fail', detail: 'Deleted by the lifecycle policy.', causes: [id] },
      { check: 'task-definition', status: 'pass', detail: 'Looks fine.', causes: [id] },
    ]);
    assert.equal(statuses(d)[id], 'confirmed');
  });
});
