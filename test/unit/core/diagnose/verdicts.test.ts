// Verdicts you can trust (issue 12): the catalogue's headlines and cause order say what the
// message can mean, offline, before any evidence.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { classify } from '../../../../src/core/diagnose/classify';

describe('offline verdicts', () => {
  it('"Essential container in task exited" alone is not headlined "never started", and the crash comes first', () => {
    const d = classify({ stoppedReason: 'Essential container in task exited' });
    assert.equal(d.category, 'EssentialContainerExited');
    assert.doesNotMatch(d.title, /never started/i);
    assert.equal(d.causes[0]?.id, 'app-error');
    assert.match(d.causes[0]!.text, /application crashed/);
    assert.ok(d.checks.includes('logs'));
  });

  it('the ELB explanation ranks "instance target group with awsvpc" last (ECS refuses it at service creation)', () => {
    const d = classify({ stoppedReason: 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef)' });
    assert.equal(d.category, 'ElbHealthCheckFailed');
    assert.notEqual(d.causes[0]?.id, 'target-type');
    assert.equal(d.causes[d.causes.length - 1]?.id, 'target-type');
    assert.notEqual(d.fixes[0]?.cause, 'target-type');
  });
});
