// The report's HTML (pure renderer): the report's order, the evidence table, commands for
// skipped checks, escaping, redaction and a locked-down CSP.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Diagnosis } from '../../../../src/core/diagnose/types';
import { renderReportBody, renderReportHtml } from '../../../../src/editor/report/html';

function diagnosis(): Diagnosis {
  return {
    taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/diag/d0000000000000000000000000000001',
    category: 'CannotPullContainerError',
    variant: 'manifest-not-found',
    title: 'The image tag does not exist',
    summary: 'ECS could not pull the image: the registry says the tag is not there.',
    confidence: 'high',
    whereToLook: ['ECR: does the tag exist?', 'The task definition image URI'],
    causes: [
      { id: 'tag-missing', text: 'The tag was never pushed', checks: ['ecr-image'], status: 'confirmed', because: ['Image of app in ECR: no image with tag v2'] },
      { id: 'no-route', text: 'No route to the registry', checks: ['vpc-endpoints'], status: 'ruled-out' },
    ],
    fixes: [
      { text: 'Push the tag, or point the task definition at one that exists', command: 'aws ecr describe-images --repository-name api', cause: 'tag-missing' },
    ],
    prevention: ['Check the tag exists right after the push, before deploying.'],
    docs: [
      { title: 'CannotPullContainer task errors', url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html' },
      { title: 'bad', url: 'javascript:alert(1)' },
    ],
    checks: ['ecr-image', 'vpc-endpoints', 'logs'],
    container: 'app',
    exitCode: null,
    raw: {
      stoppedReason: 'CannotPullContainerError: <script>alert(1)</script> not found',
      stopCode: 'TaskFailedToStart',
      containers: [{ name: 'app', exitCode: null, lastStatus: 'STOPPED', reason: 'CannotPullContainerError: not found' }],
    },
    evidence: [
      { check: 'task-fields', status: 'pass', detail: 'lastStatus STOPPED', causes: [] },
      { check: 'ecr-image', title: 'Image of app in ECR', status: 'fail', detail: 'The repository api has no image with tag v2.' },
      { check: 'vpc-endpoints', status: 'pass', detail: 'NAT route.' },
      {
        check: 'logs',
        title: 'Logs of app',
        status: 'skipped',
        detail: 'Could not check (needs logs:GetLogEvents).',
        missingPermission: 'logs:GetLogEvents',
        command: 'aws logs get-log-events --log-group-name /ecs/api --log-stream-name ecs/app/d0000000000000000000000000000001',
        lines: ['password=hunter2 leaked', 'AKIAABCDEFGHIJKLMNOP'],
      },
    ],
    verdict: 'The evidence points to: The tag was never pushed',
  };
}

describe('report HTML', () => {
  const body = renderReportBody({ diagnosis: diagnosis(), mode: 'live', cluster: 'diag', region: 'us-east-1' });

  it('leads with the answer: verdict, fix, evidence; the raw fields last and collapsed', () => {
    const ids = [...body.matchAll(/<section id="([a-z-]+)"/g)].map((m) => m[1]);
    assert.deepEqual(ids, ['verdict', 'fix', 'evidence', 'other-causes', 'where-to-look', 'prevention', 'docs', 'what-happened']);
    assert.match(body, /<section id="what-happened"><details><summary>/);
    assert.match(body, /<section id="other-causes"><details><summary>/);
  });

  it('the verdict shows only the causes that fit; the ruled-out one is under "Other possible causes"', () => {
    const verdict = body.slice(body.indexOf('<section id="verdict">'), body.indexOf('<section id="fix">'));
    assert.match(verdict, /The cause that fits/);
    assert.match(verdict, /The tag was never pushed/);
    assert.doesNotMatch(verdict, /No route to the registry/);
    const other = body.slice(body.indexOf('<section id="other-causes">'), body.indexOf('<section id="where-to-look">'));
    assert.match(other, /No route to the registry/);
  });

  it('every command has a Copy button', () => {
    const commands = (body.match(/<pre class="cmd">/g) ?? []).length;
    assert.ok(commands >= 2);
    assert.equal((body.match(/class="secondary copy-cmd"/g) ?? []).length, commands);
  });

  it('the same evidence sentence is not repeated under every cause', () => {
    const d = diagnosis();
    d.causes = [
      { id: 'a', text: 'Cause A', checks: ['ecr-image'], status: 'likely', because: ['Image of app in ECR: no image with tag v2'] },
      { id: 'b', text: 'Cause B', checks: ['ecr-image'], status: 'likely', because: ['Image of app in ECR: no image with tag v2'] },
      { id: 'c', text: 'Cause C', checks: ['ecr-image'], status: 'unchecked', because: ['Image of app in ECR: no image with tag v2'] },
    ];
    const b = renderReportBody({ diagnosis: d, mode: 'live' });
    assert.equal(b.split('Image of app in ECR: no image with tag v2').length - 1, 1, 'the sentence once');
    assert.match(b, /Same evidence as above/);
  });

  it('long reasons and ARNs wrap as text at their separators, not as code', () => {
    const raw = body.slice(body.indexOf('<section id="what-happened">'));
    assert.match(raw, /<th scope="row">Task<\/th><td><span class="wrap">arn:<wbr>aws:<wbr>ecs:<wbr>/);
    assert.doesNotMatch(raw, /<code>arn:aws/);
  });

  it('shows the five fields and the containers', () => {
    assert.match(body, /stopCode<\/th><td>TaskFailedToStart/);
    assert.match(body, /<td>app<\/td><td>STOPPED<\/td><td>none \(never started\)<\/td>/);
  });

  it('shows the verdict, the category, the variant and the causes with their status', () => {
    assert.match(body, /<span class="cat">CannotPullContainerError<\/span> <span class="variant">manifest-not-found<\/span>/);
    assert.match(body, /The evidence points to: The tag was never pushed/);
    assert.match(body, /<span class="badge confirmed">confirmed<\/span> The tag was never pushed/);
    assert.match(body, /<span class="badge ruled-out">ruled out<\/span> No route to the registry/);
  });

  it('has one evidence row per check with an accessible status icon and a tally', () => {
    assert.equal((body.match(/<tr class="(pass|fail|skipped)">/g) ?? []).length, 4);
    assert.match(body, /aria-label="failed"/);
    assert.match(body, /2 passed · <span class="icon fail">✗<\/span> 1 failed · <span class="icon skipped">–<\/span> 1 not checked/);
  });

  it('lists the CLI command of every check it could not run, with the missing permission', () => {
    const fix = body.slice(body.indexOf('<section id="fix">'), body.indexOf('<section id="prevention">'));
    assert.match(fix, /Checks to run yourself/);
    assert.match(fix, /needs <code>logs:GetLogEvents<\/code>/);
    assert.match(fix, /aws logs get-log-events --log-group-name \/ecs\/api/);
    assert.match(fix, /aws ecr describe-images --repository-name api/);
  });

  it('escapes every text and redacts secrets', () => {
    assert.doesNotMatch(body, /<script>alert/);
    assert.match(body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(body, /hunter2/);
    assert.doesNotMatch(body, /AKIAABCDEFGHIJKLMNOP/);
  });

  it('links only https documentation', () => {
    assert.match(body, /href="https:\/\/docs\.aws\.amazon\.com\/AmazonECS/);
    assert.doesNotMatch(body, /javascript:/);
  });

  it('an offline report says no live checks ran and shows no cause badges', () => {
    const d = diagnosis();
    delete d.evidence;
    delete d.verdict;
    for (const c of d.causes) delete c.status;
    const off = renderReportBody({ diagnosis: d, mode: 'offline' });
    assert.match(off, /Offline: explained from the text alone/);
    assert.doesNotMatch(off, /class="badge/);
    assert.doesNotMatch(off, /<section id="evidence">/);
    assert.doesNotMatch(off, /id="rerun"/);
    assert.doesNotMatch(off, /id="logs"/);
  });

  it('a live report of a task offers Show Logs', () => {
    const d = diagnosis();
    assert.ok(d.taskArn, 'the fixture names its task');
    assert.match(renderReportBody({ diagnosis: d, mode: 'live' }), /<button id="logs" type="button" class="secondary">Show Logs<\/button>/);
  });

  it('locks the page down: CSP with no default source, the stylesheet and only the nonce script', () => {
    const html = renderReportHtml({ diagnosis: diagnosis(), mode: 'live' }, { cspSource: 'vscode-webview://abc', styleUri: 'vscode-webview://abc/media/report.css', nonce: 'N0nce123' });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-N0nce123'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https:/);
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.deepEqual(scripts, ['<script nonce="N0nce123">']);
    assert.match(html, /<link rel="stylesheet" href="vscode-webview:\/\/abc\/media\/report.css">/);
  });
});
