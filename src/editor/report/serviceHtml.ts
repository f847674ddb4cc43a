/**
 * The service doctor's report as HTML for a webview, in the order a reader acts on it: the
 * verdict, then causes and fix steps (each command with a copy button), then the evidence, the
 * stopped-task groups, the health-check arithmetic, memory, the timeline chart and the events.
 * Pure (no `vscode`), unit-tested in node; every AWS text goes through h() (redact, then escape).
 */
import { clusterNameOf, lastSegment } from '../../core/arn';
import { redactValue } from '../../core/redact';
import type { ServiceReport, StoppedGroup } from '../../core/diagnose/service';
import { h } from './html';
import { renderTimelineSvg } from './serviceChart';

export interface ServiceHtmlOptions {
  cspSource: string;
  /** media/report.css and media/service-report.css as the webview sees them. */
  styleUris: string[];
  nonce: string;
}

const VERDICT_LABEL: Record<ServiceReport['verdict']['kind'], string> = {
  'restart-loop': 'Restart loop',
  'deployment-stuck': 'Deployment stuck',
  'deployment-failed': 'Deployment failed',
  unhealthy: 'Unhealthy',
  'under-capacity': 'Under capacity',
  healthy: 'Healthy',
};

const STATUS = { pass: ['✓', 'passed'], fail: ['✗', 'failed'], skipped: ['–', 'not checked'] } as const;
const CAUSE = { confirmed: 'confirmed', likely: 'fits the evidence', possible: 'possible' } as const;

function section(id: string, title: string, body: string): string {
  return body ? `<section id="${id}"><h2>${h(title)}</h2>${body}</section>` : '';
}

let copyId = 0;
function cmd(command: string | undefined): string {
  if (!command) return '';
  const id = `cmd${++copyId}`;
  return `<div class="cmdbox"><pre class="cmd" id="${id}"><code>${h(command)}</code></pre><button type="button" class="copy secondary" data-copy="${id}" title="Copy the command">Copy</button></div>`;
}

function secs(n: number | undefined): string {
  if (n === undefined) return '';
  if (n < 120) return `${Math.round(n)} s`;
  if (n < 7200) return `${Math.round(n / 60)} min`;
  return `${(n / 3600).toFixed(1)} h`;
}

function groupsTable(groups: readonly StoppedGroup[]): string {
  if (!groups.length) return '';
  const rows = groups
    .map((g) => {
      const l = g.lifetimes;
      const life = [l.median !== undefined ? `${secs(l.median)} median (${secs(l.min)}–${secs(l.max)})` : '', g.neverStarted ? `${g.neverStarted} never started` : ''].filter(Boolean).join(', ');
      return `<tr class="${g.failure ? 'fail' : ''}"><td class="num">${g.count}</td><td class="num">${g.lastHour}</td><td>${h(g.title)}<div class="variant"><code>${h(`${g.category}/${g.variant}`)}</code>${g.failure ? '' : ' · not a failure'}</div></td><td>${h(life)}</td><td><code>${h(lastSegment(g.newest.taskArn))}</code>${g.newest.stoppedReason ? `<div class="reason">${h(g.newest.stoppedReason)}</div>` : ''}</td></tr>`;
    })
    .join('');
  return `<table class="groups"><thead><tr><th>Tasks</th><th>Last hour</th><th>Stop</th><th>Lived</th><th>Newest example</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderServiceBody(report: ServiceReport): string {
  copyId = 0;
  const r = redactValue(report);
  const v = r.verdict;
  const counts = r.counts.desired !== undefined ? `${r.counts.running ?? '?'} of ${r.counts.desired} running${r.counts.pending ? `, ${r.counts.pending} pending` : ''}` : 'counts not reported';
  const subtitle = [`cluster ${clusterNameOf(r.cluster)}`, r.region, counts, new Date(r.generatedAt).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')];
  const meta = [v.why && v.kind === 'deployment-stuck' ? `Why: ${v.why}` : '', v.from ? `From ${v.from}` : '', v.to ? `back to ${v.to}` : ''].filter(Boolean).join(' · ');
  const verdictHtml = `<div class="svc-verdict ${v.kind}" id="verdict"><div class="kind">${h(VERDICT_LABEL[v.kind])} <code>${h(v.kind)}</code></div><p class="summary">${h(v.summary)}</p>${meta ? `<p class="meta">${h(meta)}</p>` : ''}${
    r.dominant ? `<p class="dominant">Most common stop, explained from task <code>${h(lastSegment(r.dominant.taskArn))}</code>: <strong>${h(r.dominant.title)}</strong>${r.dominant.verdict ? ` — ${h(r.dominant.verdict)}` : ''}</p>` : ''
  }</div>`;
  const causes = r.causes.length ? `<ol class="causes">${r.causes.map((c) => `<li class="cause ${c.status}"><span class="badge ${c.status === 'possible' ? 'unchecked' : c.status}">${CAUSE[c.status]}</span> ${h(c.text)}</li>`).join('')}</ol>` : '<p>No cause to act on.</p>';
  const fixes = r.fixes.length ? `<ol class="fixes">${r.fixes.map((f) => `<li>${h(f.text)}${cmd(f.command)}</li>`).join('')}</ol>` : '';
  const evidence = `<table class="evidence"><thead><tr><th><span class="sr">Status</span></th><th>Check</th><th>Result</th></tr></thead><tbody>${r.evidence
    .map((e) => {
      const [glyph, label] = STATUS[e.status];
      const perm = e.missingPermission ? `<div class="perm">Needs <code>${h(e.missingPermission)}</code></div>` : '';
      const lines = e.lines?.length ? `<details><summary>${e.lines.length} line${e.lines.length === 1 ? '' : 's'}</summary><pre class="lines">${e.lines.map((l) => h(l)).join('\n')}</pre></details>` : '';
      const c = e.command ? `<details class="cmd"><summary>AWS CLI</summary>${cmd(e.command)}</details>` : '';
      return `<tr class="${e.status}"><td class="status"><span class="icon ${e.status}" role="img" aria-label="${label}" title="${label}">${glyph}</span></td><td class="check">${h(e.title ?? e.check)}</td><td>${h(e.detail)}${perm}${lines}${c}</td></tr>`;
    })
    .join('')}</tbody></table>`;
  const arithmetic = r.arithmetic.length ? `<table class="arith"><tbody>${r.arithmetic.map((a) => `<tr class="${a.warn ? 'warn' : ''}"><th scope="row">${h(a.label)}</th><td class="num">${a.seconds !== undefined ? h(`${a.seconds} s`) : ''}</td><td>${h(a.text)}</td></tr>`).join('')}</tbody></table>` : '';
  const memory = r.memory ? `<p class="memory ${r.memory.pattern}"><strong>${h(r.memory.pattern)}</strong>: ${h(r.memory.text)}</p>` : '';
  const deployments = r.deployments.length
    ? `<table class="deployments"><thead><tr><th>Status</th><th>Revision</th><th>Rollout</th><th>Running</th><th>Failed</th><th>Created</th></tr></thead><tbody>${r.deployments
        .map((d) => `<tr><td>${h(d.status ?? '')}</td><td><code>${h(d.taskDefinition ? lastSegment(d.taskDefinition) : '')}</code></td><td>${h(d.rolloutState ?? '')}${d.rolloutStateReason ? `<div class="reason">${h(d.rolloutStateReason)}</div>` : ''}</td><td>${h(`${d.runningCount ?? '?'}/${d.desiredCount ?? '?'}`)}</td><td>${h(d.failedTasks ?? '')}</td><td>${h(d.createdAt ?? '')}</td></tr>`)
        .join('')}</tbody></table>`
    : '';
  const events = r.events.length ? `<details><summary>${r.events.length} service events (newest first)</summary><table class="events"><tbody>${r.events.slice(0, 100).map((e) => `<tr><td class="when">${h(e.createdAt ?? '')}</td><td>${h(e.message)}</td></tr>`).join('')}</tbody></table></details>` : '';
  return [
    `<header><h1>Service ${h(r.service)}</h1><p class="subtitle">${h(subtitle.join(' · '))}</p><div class="actions"><button id="copy" type="button">Copy as Markdown</button><button id="rerun" type="button" class="secondary">Run again</button></div></header>`,
    section('verdict-section', 'Verdict', verdictHtml),
    section('causes', 'Causes', causes),
    section('fix', 'Fix', fixes),
    section('evidence', 'Evidence', evidence),
    section('stopped', `Stopped tasks (${r.stoppedTasks.count} in the last hour)`, r.stoppedTasks.checked ? groupsTable(r.stoppedTasks.groups) || '<p>None.</p>' : '<p>Not checked.</p>'),
    section('arithmetic', 'Health-check arithmetic', arithmetic),
    section('memory', 'Memory', memory),
    section('timeline', 'Timeline', renderTimelineSvg(r.timeline)),
    section('deployments', 'Deployments', deployments + events),
  ].join('\n');
}

export function renderServiceHtml(report: ServiceReport, opts: ServiceHtmlOptions): string {
  const csp = [`default-src 'none'`, `style-src ${opts.cspSource}`, `img-src ${opts.cspSource}`, `script-src 'nonce-${opts.nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${opts.styleUris.map((u) => `<link rel="stylesheet" href="${h(u)}">`).join('\n')}
<title>${h(`Service ${report.service}: ${report.verdict.kind}`)}</title>
</head>
<body class="service-report">
${renderServiceBody(report)}
<script nonce="${opts.nonce}">
(function () {
  const vscode = acquireVsCodeApi();
  document.getElementById('copy')?.addEventListener('click', () => vscode.postMessage({ type: 'copyMarkdown' }));
  document.getElementById('rerun')?.addEventListener('click', () => vscode.postMessage({ type: 'rerun' }));
  for (const b of document.querySelectorAll('button[data-copy]')) {
    b.addEventListener('click', () => {
      const el = document.getElementById(b.getAttribute('data-copy'));
      if (el) vscode.postMessage({ type: 'copyText', text: el.textContent });
    });
  }
})();
</script>
</body>
</html>`;
}
