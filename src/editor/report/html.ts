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
import { redactValue } from '../../core/redact';
import { evidenceTitle } from '../../core/diagnose/verdict';
import type { Cause, Diagnosis, Evidence } from '../../core/diagnose/types';
import { actionButton, commandBlock as command, evidenceTable, h, renderPage, reportHeader, section, wrapText } from './shell';

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

/** A section that starts collapsed (raw fields, the causes that do not fit). */
function collapsed(id: string, title: string, body: string): string {
  return body ? `<section id="${id}"><details><summary><h2>${h(title)}</h2></summary>${body}</details></section>` : '';
}

function list(items: readonly string[], ordered = false): string {
  if (!items.length) return '';
  const tag = ordered ? 'ol' : 'ul';
  return `<${tag}>${items.map((i) => `<li>${h(i)}</li>`).join('')}</${tag}>`;
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

function evidence(list: readonly Evidence[]): string {
  if (!list.length) return '';
  const n = (s: Evidence['status']) => list.filter((e) => e.status === s).length;
  return `<p class="tally"><span class="icon pass">✓</span> ${n('pass')} passed · <span class="icon fail">✗</span> ${n('fail')} failed · <span class="icon skipped">–</span> ${n('skipped')} not checked</p>${evidenceTable(list, evidenceTitle, command)}`;
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
    reportHeader(d.title, subtitle.join(' · '), (m.mode === 'live' ? actionButton('rerun', 'Run again') : '') + (m.mode === 'live' && d.taskArn ? actionButton('logs', 'Show Logs') : '')),
    section('verdict', 'Verdict', verdict(m, shown)),
    section('fix', 'Fix', fixes(m)),
    section('evidence', 'Evidence', evidence(d.evidence ?? [])),
    collapsed('other-causes', 'Other possible causes', otherCauses(m, shown)),
    section('where-to-look', 'Where to look first', list(d.whereToLook, true)),
    section('prevention', 'Prevention', list(d.prevention)),
    section('docs', 'Documentation', docs(d)),
    collapsed('what-happened', 'What happened (the task as ECS reported it)', whatHappened(m)),
  ].join('\n');
}

/** The whole page (see renderPage in ./shell). */
export function renderReportHtml(model: ReportModel, opts: HtmlOptions): string {
  return renderPage({ cspSource: opts.cspSource, styleUris: [opts.styleUri], nonce: opts.nonce, title: model.diagnosis.title, body: renderReportBody(model) });
}
