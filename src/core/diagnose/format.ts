/**
 * The terminal faces of a diagnosis, shared by `ecs-doctor diagnose` (live) and `ecs-doctor
 * explain` (offline): plain text in the report's order, and the issue's JSON shape. Everything
 * passes through redact()/redactValue().
 */
import { redact, redactValue } from '../redact';
import { evidenceTitle } from './verdict';
import type { Diagnosis } from './types';

/** The issue's JSON for one task (a few extra fields after `evidence`). */
export function diagnosisJson(d: Diagnosis): Record<string, unknown> {
  const safe = redactValue(d);
  return {
    taskArn: safe.taskArn ?? null,
    category: safe.category,
    variant: safe.variant,
    title: safe.title,
    summary: safe.summary,
    whereToLook: safe.whereToLook,
    causes: safe.causes.map((c) => ({ id: c.id, text: c.text, ...(c.status ? { status: c.status } : {}), ...(c.because?.length ? { because: c.because } : {}) })),
    fixes: safe.fixes.map((f) => ({ text: f.text, ...(f.command ? { command: f.command } : {}) })),
    docs: safe.docs,
    evidence: (safe.evidence ?? []).map((e) => ({
      check: e.check,
      status: e.status,
      detail: e.detail,
      ...(e.title ? { title: e.title } : {}),
      ...(e.missingPermission ? { missingPermission: e.missingPermission } : {}),
      ...(e.command ? { command: e.command } : {}),
    })),
    verdict: safe.verdict ?? null,
    confidence: safe.confidence,
    prevention: safe.prevention,
    checks: safe.checks,
    ...(safe.container ? { container: safe.container } : {}),
    ...(safe.exitCode !== undefined ? { exitCode: safe.exitCode } : {}),
    ...(safe.registry ? { registry: safe.registry } : {}),
  };
}

const MARK = { pass: 'PASS', fail: 'FAIL', skipped: 'SKIP' } as const;

function indent(text: string, by = '    '): string {
  return text
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

export interface TextOptions {
  /** What describe-tasks said, when known (live): shown under "What happened". */
  task?: { taskArn?: string; lastStatus?: string };
  /** Offline explanations: say that no live check ran. */
  offline?: boolean;
}

/** Plain text, in the report's order: what happened, verdict, causes, evidence, fix, prevention, docs. */
export function diagnosisText(diagnosis: Diagnosis, opts: TextOptions = {}): string {
  const d = redactValue(diagnosis);
  const out: string[] = [];
  out.push(`${d.title}`);
  out.push(`${d.category} / ${d.variant} (${d.confidence} confidence)`);
  out.push('');
  out.push('Verdict');
  // The report leads with what the evidence says, then what the message means.
  if (d.verdict) out.push(`  ${d.verdict}`);
  out.push(`  ${d.summary}`);
  if (!d.verdict && opts.offline) out.push('  (Explained from the text alone: no live checks were run. `ecs-doctor diagnose` checks the evidence.)');
  out.push('');
  out.push('What happened');
  const taskArn = d.taskArn ?? opts.task?.taskArn;
  if (taskArn || !opts.offline) out.push(`  task        ${taskArn ?? '?'}`);
  if (opts.task?.lastStatus || !opts.offline) out.push(`  lastStatus  ${opts.task?.lastStatus ?? '?'}`);
  out.push(`  stopCode    ${d.raw.stopCode ?? '(none)'}`);
  out.push(`  reason      ${d.raw.stoppedReason ?? '(none)'}`);
  for (const c of d.raw.containers) {
    const exit = c.exitCode === null || c.exitCode === undefined ? 'no exit code' : `exit ${c.exitCode}`;
    out.push(`  container   ${c.name}: ${c.lastStatus ?? '?'}, ${exit}${c.reason ? `, ${c.reason}` : ''}`);
  }
  if (d.causes.length) {
    out.push('');
    out.push('Likely causes');
    d.causes.forEach((c, i) => out.push(`  ${i + 1}. ${d.evidence ? `[${c.status ?? 'unchecked'}] ` : ''}${c.text}`));
  }
  if (d.whereToLook.length) {
    out.push('');
    out.push('Where to look first');
    d.whereToLook.forEach((w, i) => out.push(`  ${i + 1}. ${w}`));
  }
  const ev = d.evidence ?? [];
  if (ev.length) {
    out.push('');
    out.push('Evidence');
    for (const e of ev) {
      out.push(`  ${MARK[e.status]}  ${evidenceTitle(e)}: ${e.detail}`);
      for (const l of e.lines ?? []) out.push(`          | ${l}`);
    }
  }
  if (d.fixes.length) {
    out.push('');
    out.push('Fix');
    d.fixes.forEach((f, i) => {
      out.push(`  ${i + 1}. ${f.text}`);
      if (f.command) out.push(indent(f.command, '       $ '));
    });
  }
  const manual = ev.filter((e) => e.status === 'skipped' && e.command);
  if (manual.length) {
    out.push('');
    out.push('Checks to run yourself');
    for (const e of manual) {
      out.push(`  ${evidenceTitle(e)}${e.missingPermission ? ` (needs ${e.missingPermission})` : ''}:`);
      out.push(indent(e.command!, '       $ '));
    }
  }
  if (d.prevention.length) {
    out.push('');
    out.push('Prevention');
    for (const p of d.prevention) out.push(`  - ${p}`);
  }
  if (d.docs.length) {
    out.push('');
    out.push('Documentation');
    for (const x of d.docs) out.push(`  ${x.title}: ${x.url}`);
  }
  return redact(out.join('\n')) + '\n';
}
