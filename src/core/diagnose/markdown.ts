/**
 * A diagnosis as Markdown (the report's "Copy as Markdown", `ecs-doctor explain --format
 * markdown` users paste into tickets), in the order a reader acts on it: what happened, the
 * verdict, the evidence when there is some, the fix with exact AWS CLI commands, prevention and
 * the documentation. Every text passes through redact(); table cells are escaped.
 */
import { redact } from '../redact';
import { evidenceTitle } from './verdict';
import type { Diagnosis, Evidence } from './types';

const STATUS = { pass: '✅ pass', fail: '❌ fail', skipped: '➖ not checked' } as const;
const CAUSE_STATUS = { confirmed: '**confirmed**', likely: '*fits the evidence*', 'ruled-out': '~~ruled out~~', unchecked: 'not checked' } as const;

/** One table cell: no line breaks, pipes escaped. */
function cell(text: unknown): string {
  return String(text ?? '')
    .replace(/\r?\n/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
}

/** Inline code that survives backticks inside the text. */
function code(text: string): string {
  const t = text.replace(/\r?\n/g, ' ');
  const ticks = (t.match(/`+/g) ?? []).reduce((n, s) => Math.max(n, s.length), 0);
  const fence = '`'.repeat(ticks + 1);
  return ticks ? `${fence} ${t} ${fence}` : `${fence}${t}${fence}`;
}

function block(command: string): string[] {
  const longest = (command.match(/`{3,}/g) ?? []).reduce((n, s) => Math.max(n, s.length), 2);
  const fence = '`'.repeat(longest + 1);
  return [`${fence}sh`, command, fence];
}

function exitOf(code: number | null | undefined): string {
  return code === null || code === undefined ? 'none (never started)' : String(code);
}

function evidenceTable(evidence: readonly Evidence[]): string[] {
  const out = ['| Result | Check | Detail |', '| --- | --- | --- |'];
  for (const e of evidence) {
    const perm = e.missingPermission ? ` (needs ${code(e.missingPermission)})` : '';
    out.push(`| ${STATUS[e.status] ?? e.status} | ${cell(evidenceTitle(e))} | ${cell(e.detail)}${cell(perm)} |`);
  }
  return out;
}

/** The diagnosis (with its evidence, when applyEvidence() added some) as GitHub-flavoured Markdown. */
export function renderMarkdown(diagnosis: Diagnosis): string {
  const d = diagnosis;
  const out: string[] = [];
  out.push(`# ${cell(d.title)}`, '');
  out.push(`**${d.category}** · \`${d.variant}\` · ${d.confidence} confidence${d.taskArn ? ` · task ${code(d.taskArn)}` : ''}`, '');

  // The report leads with its verdict: what the evidence says, then what the message means.
  out.push('## Verdict', '');
  if (d.verdict) out.push(`**${d.verdict}**`, '');
  out.push(d.summary, '');
  if (!d.verdict && !d.evidence) out.push('_Explained from the text alone; no live checks were run._', '');

  out.push('## What happened', '');
  out.push('| Field | Value |', '| --- | --- |');
  out.push(`| stopCode | ${d.raw.stopCode ? code(d.raw.stopCode) : '(none)'} |`);
  out.push(`| stoppedReason | ${d.raw.stoppedReason ? cell(code(d.raw.stoppedReason)) : '(none)'} |`);
  out.push('');
  if (d.raw.containers.length) {
    out.push('| Container | lastStatus | exitCode | reason |', '| --- | --- | --- | --- |');
    for (const c of d.raw.containers) {
      const name = c.name === d.container ? `**${cell(c.name)}**` : cell(c.name);
      out.push(`| ${name} | ${cell(c.lastStatus ?? '')} | ${exitOf(c.exitCode)} | ${c.reason ? cell(code(c.reason)) : ''} |`);
    }
    out.push('');
  }


  if (d.causes.length) {
    out.push('## Likely causes', '');
    d.causes.forEach((c, i) => {
      const st = d.evidence && c.status ? ` (${CAUSE_STATUS[c.status]})` : '';
      out.push(`${i + 1}. ${c.text}${st}`);
      for (const b of c.because ?? []) out.push(`   - ${b}`);
    });
    out.push('');
  }
  if (d.whereToLook.length) {
    out.push('## Where to look first', '');
    d.whereToLook.forEach((w, i) => out.push(`${i + 1}. ${w}`));
    out.push('');
  }

  if (d.evidence?.length) {
    out.push('## Evidence', '', ...evidenceTable(d.evidence), '');
    for (const e of d.evidence.filter((x) => x.lines?.length)) {
      out.push(`<details><summary>${cell(evidenceTitle(e))}</summary>`, '', ...block(e.lines!.join('\n')), '', '</details>', '');
    }
  }

  if (d.fixes.length) {
    out.push('## Fix', '');
    d.fixes.forEach((f, i) => {
      out.push(`${i + 1}. ${f.text}`);
      if (f.command) out.push('', ...block(f.command).map((l) => `   ${l}`), '');
    });
    out.push('');
  }
  const manual = (d.evidence ?? []).filter((e) => e.status === 'skipped' && e.command);
  if (manual.length) {
    out.push('### Checks to run yourself', '');
    for (const e of manual) {
      out.push(`- ${evidenceTitle(e)}${e.missingPermission ? ` (ECS Doctor needs ${code(e.missingPermission)})` : ''}:`, '', ...block(e.command!).map((l) => `  ${l}`), '');
    }
  }
  if (d.prevention.length) {
    out.push('## Prevention', '', ...d.prevention.map((p) => `- ${p}`), '');
  }
  if (d.docs.length) {
    out.push('## Documentation', '', ...d.docs.map((x) => `- [${x.title.replace(/[[\]]/g, '')}](${x.url.replace(/[()\s]/g, encodeURIComponent)})`), '');
  }
  return redact(out.join('\n').replace(/\n{3,}/g, '\n\n')).trimEnd() + '\n';
}
