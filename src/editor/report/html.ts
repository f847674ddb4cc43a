/**
 * The diagnosis report as HTML for a webview, answer first: the verdict with the one or two
 * causes that fit, then the fix steps (each AWS CLI command with a Copy button), then the
 * evidence, the other causes (collapsed), where to look, prevention, the documentation, and the
 * raw "What happened" fields last, collapsed. Pure (no `vscode` import) so it is unit-tested in
 * node; every text passes through redact() and is HTML-escaped; long reasons and ARNs wrap as
 * text at their separators rather than overflow in monospace.
 */
import { clusterNameOf, taskIdOf } from '../../core/arn';
import type { TaskFacts } from '../../core/diagnose/facts';
import { redact, redactValue } from '../../core/redact';
import { evidenceTitle } from '../../core/diagnose/verdict';
import type { Cause, Diagnosis, Evidence } from '../../core/diagnose/types';
import { plural } from '../../core/plural';

export interface ReportModel {
  diagnosis: Diagnosis;
  /** Live diagnoses: the task as describe-tasks reported it (times, launch type, subnet, ...). */
  task?: TaskFacts;
  cluster?: string;
  region?: string;
  /** When the evidence was gathered (live) or the text explained (offline), ISO. */
  generatedAt?: string;
  /** 'live' when evidence was gathered from AWS; 'offline' for a pasted reason. */
  mode: 'live' | 'offline';
}

export interface HtmlOptions {
  /** Content-Security-Policy source for the stylesheet (webview.cspSource). */
  cspSource: string;
  /** URI of media/report.css as the webview sees it. */
  styleUri: string;
  /** Per-render nonce for the one inline script. */
  nonce: string;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Redact, then escape: the only way text enters the page. */
export function h(text: unknown): string {
  return redact(String(text ?? '')).replace(/[&<>"']/g, (c) => ESC[c]!);
}

const STATUS_ICON: Record<Evidence['status'], { glyph: string; label: string }> = {
  pass: { glyph: '✓', label: 'passed' },
  fail: { glyph: '✗', label: 'failed' },
  skipped: { glyph: '–', label: 'not checked' },
};

const CAUSE_LABEL = { confirmed: 'confirmed', likely: 'fits the evidence', 'ruled-out': 'ruled out', unchecked: 'not checked' } as const;

function exitText(code: number | null | undefined, status?: string): string {
  if (code === null || code === undefined) return status === 'RUNNING' ? '—' : 'none (never started)';
  return String(code);
}

function time(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** Escaped text that may break after "/" and ":" (ARNs, image URIs, long reasons), as text, not code. */
export function wrapText(text: unknown): string {
  // Only long unbroken runs (ARNs, URIs) get break points; prose wraps at its spaces.
  const parts = redact(String(text ?? '')).split(/(\S{30,})/);
  return `<span class="wrap">${parts.map((p, i) => (i % 2 ? p.split(/(?<=[/:])/).map(h).join('<wbr>') : h(p))).join('')}</span>`;
}

function section(id: string, title: string, body: string): string {
  return body ? `<section id="${id}"><h2>${h(title)}</h2>${body}</section>` : '';
}

/** A section that starts collapsed (raw fields, the causes that do not fit). */
function collapsed(id: string, title: string, body: string): string {
  return body ? `<section id="${id}"><details><summary><h2>${h(title)}</h2></summary>${body}</details></section>` : '';
}

function list(items: readonly string[], ordered = false): string {
  if (!items.length) return '';
  const tag = ordered ? 'ol' : 'ul';
  return `<${tag}>${items.map((i) => `<li>${h(i)}</li>`).join('')}</${tag}>`;
}

/** An AWS CLI command with its Copy button (the page script sends its text to the extension, which copies it). */
function command(cmd: string | undefined): string {
  return cmd ? `<div class="cmd-block"><pre class="cmd"><code>${h(cmd)}</code></pre><button type="button" class="secondary copy-cmd" title="Copy this command">Copy</button></div>` : '';
}

function whatHappened(m: ReportModel): string {
  const d = m.diagnosis;
  const t = m.task;
  const rows: Array<[string, string | undefined]> = [
    ['lastStatus', t?.lastStatus ?? undefined],
    ['stopCode', d.raw.stopCode ?? t?.stopCode],
    ['stoppedReason', d.raw.stoppedReason ?? t?.stoppedReason],
    ['Task', d.taskArn ?? t?.taskArn],
    ['Cluster', m.cluster],
    ['Service', t?.group?.startsWith('service:') ? t.group.slice(8) : undefined],
    ['Launch', [t?.launchType, t?.platformVersion && `platform ${t.platformVersion}`].filter(Boolean).join(' · ') || undefined],
    ['Task health', t?.healthStatus && t.healthStatus !== 'UNKNOWN' ? t.healthStatus : undefined],
    ['Started', time(t?.startedAt)],
    ['Stopped', time(t?.stoppedAt)],
    ['Subnet', t?.subnetId],
  ];
  const fields = rows
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `<tr><th scope="row">${h(k)}</th><td>${k === 'stoppedReason' || k === 'Task' ? wrapText(v) : h(v)}</td></tr>`)
    .join('');
  const containers = d.raw.containers.length
    ? `<table class="containers"><thead><tr><th>Container</th><th>lastStatus</th><th>exitCode</th><th>reason</th></tr></thead><tbody>${d.raw.containers
        .map(
          (c) =>
            `<tr${c.name === d.container ? ' class="focus"' : ''}><td>${h(c.name)}</td><td>${h(c.lastStatus ?? '')}</td><td>${h(exitText(c.exitCode, c.lastStatus))}</td><td>${c.reason ? wrapText(c.reason) : ''}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  return `<table class="fields"><tbody>${fields}</tbody></table>${containers}`;
}

/** The causes that fit: confirmed ones, else the likely ones, else (offline, or nothing checked) the first; at most two. */
export function leadingCauses(d: Diagnosis): Cause[] {
  const confirmed = d.causes.filter((c) => c.status === 'confirmed');
  if (confirmed.length) return confirmed.slice(0, 2);
  const likely = d.causes.filter((c) => c.status === 'likely');
  if (likely.length) return likely.slice(0, 2);
  return d.causes.filter((c) => c.status !== 'ruled-out').slice(0, d.causes.some((c) => c.status) ? 1 : 2);
}

/** Causes as a list; a "because" sentence already shown under an earlier cause is not repeated. */
function causeList(m: ReportModel, causes: readonly Cause[], shown: Set<string>, cls = 'causes'): string {
  if (!causes.length) return '';
  return `<ol class="${cls}">${causes
    .map((c) => {
      const st = c.status ?? 'unchecked';
      const badge = m.mode === 'live' ? `<span class="badge ${st}">${CAUSE_LABEL[st]}</span> ` : '';
      const fresh = (c.because ?? []).filter((b) => !shown.has(b));
      const repeated = (c.because?.length ?? 0) > fresh.length;
      for (const b of fresh) shown.add(b);
      const because = fresh.length ? `<div class="because">${fresh.map((b) => wrapText(b)).join('<br>')}</div>` : repeated ? '<div class="because same">Same evidence as above.</div>' : '';
      return `<li class="cause ${st}">${badge}${h(c.text)}${because}</li>`;
    })
    .join('')}</ol>`;
}

function verdict(m: ReportModel, shown: Set<string>): string {
  const d = m.diagnosis;
  const lead = leadingCauses(d);
  // "Fits" only when evidence says so; from the text alone they are the most likely ones.
  const checked = lead.some((c) => c.status === 'confirmed' || c.status === 'likely');
  const heading = checked ? (lead.length === 1 ? 'The cause that fits' : 'The causes that fit') : lead.length === 1 ? 'The most likely cause' : 'The most likely causes';
  const causes = lead.length ? `<h3>${heading}</h3>${causeList(m, lead, shown)}` : '';
  return (
    `<div class="verdict"><div class="category"><span class="cat">${h(d.category)}</span> <span class="variant">${h(d.variant)}</span>` +
    ` <span class="confidence">${h(d.confidence)} confidence</span></div>` +
    (d.verdict ? `<p class="points-to"><strong>${h(d.verdict)}</strong></p>` : '') +
    `<p class="summary">${h(d.summary)}</p>` +
    (!d.verdict && m.mode === 'offline' ? '<p class="points-to">Offline: explained from the text alone, no live checks were run.</p>' : '') +
    `</div>${causes}`
  );
}

function otherCauses(m: ReportModel, shown: Set<string>): string {
  const d = m.diagnosis;
  const lead = new Set(leadingCauses(d));
  return causeList(m, d.causes.filter((c) => !lead.has(c)), shown, 'causes other');
}

function evidenceTable(evidence: readonly Evidence[]): string {
  if (!evidence.length) return '';
  const rows = evidence
    .map((e) => {
      const icon = STATUS_ICON[e.status];
      const perm = e.missingPermission ? `<div class="perm">Needs <code>${h(e.missingPermission)}</code></div>` : '';
      const lines = e.lines?.length ? `<details><summary>${plural(e.lines.length, 'line')}</summary><pre class="lines">${e.lines.map((l) => h(l)).join('\n')}</pre></details>` : '';
      const cmd = e.command ? `<details class="cmd"><summary>AWS CLI</summary>${command(e.command)}</details>` : '';
      return `<tr class="${e.status}"><td class="status"><span class="icon ${e.status}" role="img" aria-label="${icon.label}" title="${icon.label}">${icon.glyph}</span></td><td class="check">${h(evidenceTitle(e))}</td><td>${wrapText(e.detail)}${perm}${lines}${cmd}</td></tr>`;
    })
    .join('');
  const n = (s: Evidence['status']) => evidence.filter((e) => e.status === s).length;
  return `<p class="tally"><span class="icon pass">✓</span> ${n('pass')} passed · <span class="icon fail">✗</span> ${n('fail')} failed · <span class="icon skipped">–</span> ${n('skipped')} not checked</p><table class="evidence"><thead><tr><th><span class="sr">Status</span></th><th>Check</th><th>Result</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Fix steps for the causes that fit first (confirmed, then likely, then the rest; ruled-out last). */
function fixOrder(d: Diagnosis) {
  const RANK: Record<string, number> = { confirmed: 0, likely: 1, unchecked: 2, 'ruled-out': 3 };
  const rank = (f: Diagnosis['fixes'][number]) => {
    const st = f.cause ? d.causes.find((c) => c.id === f.cause)?.status : undefined;
    return st ? (RANK[st] ?? 2) : 2;
  };
  return d.fixes.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map((x) => x.f);
}

function fixes(m: ReportModel): string {
  const d = m.diagnosis;
  const steps = fixOrder(d)
    .map((f) => {
      const st = f.cause ? d.causes.find((c) => c.id === f.cause)?.status : undefined;
      const TAGS: Partial<Record<string, string>> = {
        confirmed: '<span class="badge confirmed">for the confirmed cause</span> ',
        likely: '<span class="badge likely">for a cause that fits the evidence</span> ',
        'ruled-out': '<span class="badge ruled-out">cause ruled out</span> ',
      };
      const tag = m.mode === 'live' && st ? (TAGS[st] ?? '') : '';
      return `<li>${tag}${h(f.text)}${command(f.command)}</li>`;
    })
    .join('');
  const skipped = (d.evidence ?? []).filter((e) => e.status === 'skipped' && e.command);
  const manual = skipped.length
    ? `<h3>Checks to run yourself</h3><p>ECS Doctor could not run these checks${skipped.some((e) => e.missingPermission) ? ' (missing permissions are named)' : ''}; the same look-ups with the AWS CLI:</p><ul class="manual">${skipped
        .map((e) => `<li>${h(evidenceTitle(e))}${e.missingPermission ? ` <span class="perm">(needs <code>${h(e.missingPermission)}</code>)</span>` : ''}${command(e.command)}</li>`)
        .join('')}</ul>`
    : '';
  return (steps ? `<ol class="fixes">${steps}</ol>` : '') + manual;
}

function docs(d: Diagnosis): string {
  if (!d.docs.length) return '';
  return `<ul class="docs">${d.docs
    .filter((x) => /^https:\/\//.test(x.url))
    .map((x) => `<li><a href="${h(x.url)}">${h(x.title)}</a></li>`)
    .join('')}</ul>`;
}

/** The page body (no <html> shell): also what tests read. */
export function renderReportBody(model: ReportModel): string {
  const m: ReportModel = { ...model, diagnosis: redactValue(model.diagnosis) };
  const d = m.diagnosis;
  const subtitle = [
    m.mode === 'live' ? 'Live diagnosis' : 'Offline explanation',
    d.taskArn ? `task ${taskIdOf(d.taskArn)}` : undefined,
    m.cluster ? `cluster ${clusterNameOf(m.cluster)}` : undefined,
    m.region,
    time(m.generatedAt),
  ].filter(Boolean);
  // Each "because" sentence is shown once, under the first cause it supports.
  const shown = new Set<string>();
  return [
    `<header><h1>${h(d.title)}</h1><p class="subtitle">${h(subtitle.join(' · '))}</p>`,
    `<div class="actions"><button id="copy" type="button">Copy as Markdown</button>${m.mode === 'live' ? '<button id="rerun" type="button" class="secondary">Run again</button>' : ''}${m.mode === 'live' && d.taskArn ? '<button id="logs" type="button" class="secondary">Show Logs</button>' : ''}<span id="status" class="status-text" role="status" aria-live="polite"></span></div></header>`,
    section('verdict', 'Verdict', verdict(m, shown)),
    section('fix', 'Fix', fixes(m)),
    section('evidence', 'Evidence', evidenceTable(d.evidence ?? [])),
    collapsed('other-causes', 'Other possible causes', otherCauses(m, shown)),
    section('where-to-look', 'Where to look first', list(d.whereToLook, true)),
    section('prevention', 'Prevention', list(d.prevention)),
    section('docs', 'Documentation', docs(d)),
    collapsed('what-happened', 'What happened (the task as ECS reported it)', whatHappened(m)),
  ].join('\n');
}

/** The whole page, with a locked-down CSP: no remote content, the stylesheet and one nonce'd script. */
export function renderReportHtml(model: ReportModel, opts: HtmlOptions): string {
  const csp = [`default-src 'none'`, `style-src ${opts.cspSource}`, `img-src ${opts.cspSource}`, `script-src 'nonce-${opts.nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${h(opts.styleUri)}">
<title>${h(model.diagnosis.title)}</title>
</head>
<body>
${renderReportBody(model)}
<script nonce="${opts.nonce}">
(function () {
  const vscode = acquireVsCodeApi();
  const status = document.getElementById('status');
  const copy = document.getElementById('copy');
  if (copy) copy.addEventListener('click', () => vscode.postMessage({ type: 'copyMarkdown' }));
  const rerun = document.getElementById('rerun');
  if (rerun) rerun.addEventListener('click', () => vscode.postMessage({ type: 'rerun' }));
  // Copy buttons beside each command: the extension writes the clipboard and answers 'copied'.
  let last = null;
  document.addEventListener('click', (e) => {
    const b = e.target && e.target.closest ? e.target.closest('button.copy-cmd') : null;
    if (!b) return;
    const pre = b.parentElement && b.parentElement.querySelector('pre');
    if (!pre) return;
    last = b;
    vscode.postMessage({ type: 'copyText', text: pre.textContent || '' });
  });
  window.addEventListener('message', (e) => {
    const m = e.data || {};
    if (m.type !== 'copied') return;
    const what = m.what === 'markdown' ? 'The report was copied as Markdown.' : 'Command copied.';
    if (status) status.textContent = what;
    if (m.what !== 'markdown' && last) {
      const b = last;
      b.textContent = 'Copied';
      setTimeout(() => { b.textContent = 'Copy'; }, 2000);
    }
  });
  const logs = document.getElementById('logs');
  if (logs) logs.addEventListener('click', () => vscode.postMessage({ type: 'showLogs' }));
})();
</script>
</body>
</html>`;
}
