/**
 * The service doctor's report as HTML for a webview, in the order a reader acts on it: the
 * verdict, then causes and fix steps (each command with a copy button), then the evidence, the
 * stopped-task groups, the health-check arithmetic, memory, the timeline chart and the events.
 * Pure (no `vscode`), unit-tested in node; every AWS text goes through h() (redact, then escape).
 */
import { clusterNameOf, lastSegment } from '../../core/arn';
import { redactValue } from '../../core/redact';
import type { ServiceReport, StoppedGroup } from '../../core/diagnose/service';
import { actionButton, commandBlock, evidenceTable, h, renderPage, reportHeader, section, type PageOptions } from './shell';
import { renderTimelineSvg } from './serviceChart';

/** media/report.css and media/service-report.css as the webview sees them, in `styleUris`. */
export type ServiceHtmlOptions = PageOptions;

const VERDICT_LABEL: Record<ServiceReport['verdict']['kind'], string> = {
  'restart-loop': 'Restart loop',
  'deployment-stuck': 'Deployment stuck',
  'deployment-failed': 'Deployment failed',
  unhealthy: 'Unhealthy',
  'under-capacity': 'Under capacity',
  healthy: 'Healthy',
};

const CAUSE = { confirmed: 'confirmed', likely: 'fits the evidence', possible: 'possible' } as const;

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
  let copyId = 0;
  const cmd = (command: string | undefined) => commandBlock(command, `cmd${++copyId}`);
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
  const evidence = evidenceTable(r.evidence, (e) => e.title ?? e.check, cmd);
  const arithmetic = r.arithmetic.length ? `<table class="arith"><tbody>${r.arithmetic.map((a) => `<tr class="${a.warn ? 'warn' : ''}"><th scope="row">${h(a.label)}</th><td class="num">${a.seconds !== undefined ? h(`${a.seconds} s`) : ''}</td><td>${h(a.text)}</td></tr>`).join('')}</tbody></table>` : '';
  const memory = r.memory ? `<p class="memory ${r.memory.pattern}"><strong>${h(r.memory.pattern)}</strong>: ${h(r.memory.text)}</p>` : '';
  const deployments = r.deployments.length
    ? `<table class="deployments"><thead><tr><th>Status</th><th>Revision</th><th>Rollout</th><th>Running</th><th>Failed</th><th>Created</th></tr></thead><tbody>${r.deployments
        .map((d) => `<tr><td>${h(d.status ?? '')}</td><td><code>${h(d.taskDefinition ? lastSegment(d.taskDefinition) : '')}</code></td><td>${h(d.rolloutState ?? '')}${d.rolloutStateReason ? `<div class="reason">${h(d.rolloutStateReason)}</div>` : ''}</td><td>${h(`${d.runningCount ?? '?'}/${d.desiredCount ?? '?'}`)}</td><td>${h(d.failedTasks ?? '')}</td><td>${h(d.createdAt ?? '')}</td></tr>`)
        .join('')}</tbody></table>`
    : '';
  const events = r.events.length ? `<details><summary>${r.events.length} service events (newest first)</summary><table class="events"><tbody>${r.events.slice(0, 100).map((e) => `<tr><td class="when">${h(e.createdAt ?? '')}</td><td>${h(e.message)}</td></tr>`).join('')}</tbody></table></details>` : '';
  return [
    reportHeader(`Service ${r.service}`, subtitle.join(' · '), actionButton('rerun', 'Run again')),
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

/** The whole page (see renderPage in ./shell). */
export function renderServiceHtml(report: ServiceReport, opts: ServiceHtmlOptions): string {
  return renderPage({ ...opts, title: `Service ${report.service}: ${report.verdict.kind}`, body: renderServiceBody(report), bodyClass: 'service-report' });
}
