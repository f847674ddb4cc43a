// renderMarkdown(): the report's order, evidence when present, escaping and redaction.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { classify } from '../../../../src/core/diagnose/classify';
import { applyEvidence } from '../../../../src/core/diagnose/verdict';
import { diagnosisJson, diagnosisText } from '../../../../src/core/diagnose/format';
import { renderMarkdown } from '../../../../src/core/diagnose/markdown';

const PULL = 'CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v2-missing: 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v2-missing: not found';

describe('renderMarkdown', () => {
  it('follows the report order and says an offline explanation ran no checks', () => {
    const md = renderMarkdown(classify({ stoppedReason: PULL, containers: [{ name: 'app', exitCode: null, reason: PULL }] }));
    const order = ['# Image pull failed', '## Verdict', '## What happened', '## Likely causes', '## Where to look first', '## Fix', '## Prevention', '## Documentation'].map((h) => md.indexOf(h));
    assert.ok(order.every((i) => i >= 0), md);
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
    assert.match(md, /no live checks were run/);
    assert.match(md, /\*\*CannotPullContainerError\*\* · `manifest-not-found`/);
    assert.match(md, /```sh\n\s+aws ecr describe-images --registry-id 123456789012 --region us-east-1 --repository-name api /);
    assert.doesNotMatch(md, /## Evidence/);
    assert.match(md, /\| \*\*app\*\* \| {2}\| none \(never started\) \|/);
  });

  it('adds the evidence table, cause status and the checks to run by hand', () => {
    const d = applyEvidence(classify({ stoppedReason: PULL }), [
      { check: 'ecr-image', status: 'fail', detail: 'The repository api has no image with tag v2-missing.', title: 'Image of app in ECR' },
      { check: 'vpc-endpoints', status: 'skipped', detail: 'Could not check.', missingPermission: 'ec2:DescribeVpcEndpoints', command: 'aws ec2 describe-vpc-endpoints' },
    ]);
    const md = renderMarkdown(d);
    assert.match(md, /## Evidence\n\n\| Result \| Check \| Detail \|/);
    assert.match(md, /\| ❌ fail \| Image of app in ECR \| The repository api has no image with tag v2-missing\. \|/);
    assert.match(md, /\(\*fits the evidence\*\)/);
    assert.match(md, /### Checks to run yourself[\s\S]*needs `ec2:DescribeVpcEndpoints`[\s\S]*aws ec2 describe-vpc-endpoints/);
    assert.match(md, /\*\*A check found the problem:/);
  });

  it('escapes table cells and never prints secrets', () => {
    const md = renderMarkdown(
      classify({ stoppedReason: 'weird | pipe\nnew line aws_secret_access_key=abcd1234SECRET AKIAABCDEFGHIJKLMNOP', containers: [{ name: 'a|b', exitCode: 1, reason: 'password=hunter2 `tick`' }] }),
    );
    assert.match(md, /weird \\\| pipe new line/);
    assert.match(md, /a\\\|b/);
    assert.doesNotMatch(md, /abcd1234SECRET|hunter2|AKIAABCDEFGHIJKLMNOP/);
    assert.match(md, /`` password=\*\*\* `tick` ``/);
  });
});

describe('shared text and JSON formatters', () => {
  it('offline text has no live-only fields and names the next step', () => {
    const t = diagnosisText(classify({ stoppedReason: 'Task stopped by user' }), { offline: true });
    assert.doesNotMatch(t, /lastStatus {2}\?/);
    assert.match(t, /no live checks were run/);
    assert.match(t, /^Someone stopped the task\nUserInitiated \/ stop-task \(high confidence\)\n/);
  });

  it('live text keeps the task fields', () => {
    const t = diagnosisText(classify({ stoppedReason: 'Task stopped by user' }), { task: { taskArn: 'arn:aws:ecs:us-east-1:1:task/c/t', lastStatus: 'STOPPED' } });
    assert.match(t, /task {8}arn:aws:ecs:us-east-1:1:task\/c\/t\n {2}lastStatus {2}STOPPED/);
  });

  it('JSON has the issue\'s keys and redacts', () => {
    const j = diagnosisJson(classify({ stoppedReason: 'Task stopped by user aws_session_token=SECRETVALUE123' }));
    for (const k of ['taskArn', 'category', 'variant', 'title', 'summary', 'whereToLook', 'causes', 'fixes', 'docs', 'evidence']) assert.ok(k in j, k);
    assert.deepEqual(j.evidence, []);
    assert.doesNotMatch(JSON.stringify(j), /SECRETVALUE123/);
  });
});
