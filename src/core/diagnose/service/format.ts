/**
 * The terminal faces of a service diagnosis: the issue's JSON, plain text and Markdown, in the
 * report's order (verdict, causes and fixes, evidence, stopped groups, arithmetic, timeline).
 * Everything passes through redactValue(): AWS text is data, never markup.
 */
import { lastSegment } from '../../arn';
import { redactValue } from '../../redact';
import { duration } from './time';
import type { ServiceReport, StoppedGroup } from './types';

function groupJson(g: StoppedGroup) {
  return {
    category: g.category,
    variant: g.variant,
    title: g.title,
    failure: g.failure,
    count: g.count,
    lastHour: g.lastHour,
    newest: g.newest,
    lifetimes: g.lifetimes,
    neverStarted: g.neverStarted,
  };
}

/** The issue's JSON shape (a few extra fields after the required ones). */
export function serviceJson(report: ServiceReport): Record<string, unknown> {
  const r = redactValue(report);
  return {
    service: r.service,
    verdict: { kind: r.verdict.kind, summary: r.verdict.summary, ...(r.verdict.why ? { why: r.verdict.why } : {}), ...(r.verdict.from ? { from: r.verdict.from } : {}), ...(r.verdict.to ? { to: r.verdict.to } : {}) },
    stoppedTasks: {
      count: r.stoppedTasks.count,
      byCategory: r.stoppedTasks.byCategory,
      groups: r.stoppedTasks.groups.map(groupJson),
      failuresLastHour: r.stoppedTasks.failuresLastHour,
      ...(r.stoppedTasks.sinceDeployment !== undefined ? { sinceDeployment: r.stoppedTasks.sinceDeployment } : {}),
      checked: r.stoppedTasks.checked,
    },
    deployments: r.deployments,
    evidence: r.evidence.map((e) => ({ check: e.check, status: e.status, detail: e.detail, ...(e.title ? { title: e.title } : {}), ...(e.missingPermission ? { missingPermission: e.missingPermission } : {}), ...(e.command ? { command: e.command } : {}), ...(e.lines?.length ? { lines: e.lines } : {}) })),
    causes: r.causes,
    fixes: r.fixes,
    arithmetic: r.arithmetic,
    ...(r.memory ? { memory: { pattern: r.memory.pattern, text: r.memory.text, ...(r.memory.limitMiB ? { limitMiB: r.memory.limitMiB } : {}), ...(r.memory.reservationMiB ? { reservationMiB: r.memory.reservationMiB } : {}) } } : {}),
    ...(r.dominant ? { dominant: r.dominant } : {}),
    cluster: r.cluster,
    region: r.region,
    generatedAt: r.generatedAt,
  };
}

const STATUS = { pass: 'ok  ', fail: 'FAIL', skipped: 'n/c ' } as const;

function lifetimeText(g: StoppedGroup): string {
  const l = g.lifetimes;
  const parts: string[] = [];
  if (l.median !== undefined) parts.push(`lived ${duration(l.median)} median (${duration(l.min!)}–${duration(l.max!)})`);
  if (g.neverStarted) parts.push(`${g.neverStarted} never started`);
  return parts.join(', ');
}

export function serviceText(report: ServiceReport): string {
  const r = redactValue(report);
  const out: string[] = [];
  out.push(`Service ${r.service} (cluster ${lastSegment(r.cluster)}, ${r.region})`);
  out.push(`Verdict: ${r.verdict.kind}`);
  out.push(`  ${r.verdict.summary}`);
  if (r.causes.length) {
    out.push('', 'Causes:');
    for (const c of r.causes) out.push(`  [${c.status}] ${c.text}`);
  }
  if (r.fixes.length) {
    out.push('', 'Fix:');
    r.fixes.forEach((f, i) => {
      out.push(`  ${i + 1}. ${f.text}`);
      if (f.command) out.push(`     $ ${f.command}`);
    });
  }
  out.push('', 'Evidence:');
  for (const e of r.evidence) {
    out.push(`  ${STATUS[e.status]} ${e.title ?? e.check}: ${e.detail}${e.missingPermission ? ` (needs ${e.missingPermission})` : ''}`);
    for (const l of e.lines ?? []) out.push(`         ${l}`);
  }
  if (r.stoppedTasks.groups.length) {
    out.push('', `Stopped tasks (${r.stoppedTasks.count} in the last hour):`);
    for (const g of r.stoppedTasks.groups) out.push(`  ${String(g.count).padStart(4)} × ${g.title} [${g.category}/${g.variant}]${g.failure ? '' : ' (not a failure)'}; ${lifetimeText(g) || 'no lifetimes'}; newest ${lastSegment(g.newest.taskArn)}`);
  }
  if (r.arithmetic.length) {
    out.push('', 'Health-check arithmetic:');
    for (const a of r.arithmetic) out.push(`  ${a.warn ? '! ' : ''}${a.label}: ${a.text}`);
  }
  if (r.memory) out.push('', `Memory: ${r.memory.text}`);
  if (r.deployments.length) {
    out.push('', 'Deployments:');
    for (const d of r.deployments) out.push(`  ${d.status ?? '?'} ${d.taskDefinition ? lastSegment(d.taskDefinition) : '?'} ${d.rolloutState ?? ''} ${d.runningCount ?? '?'}/${d.desiredCount ?? '?'} running${d.failedTasks ? `, ${d.failedTasks} failed` : ''}${d.createdAt ? `, since ${d.createdAt}` : ''}`);
  }
  const ev = r.events.slice(0, 10);
  if (ev.length) {
    out.push('', 'Latest events:');
    for (const e of ev) out.push(`  ${e.createdAt ?? '?'}  ${e.message.replace(/[\r\n]+/g, ' ')}`);
  }
  return out.join('\n') + '\n';
}

const md = (s: string) => s.replace(/([\\`*_{}[\]()#+!|<>-])/g, '\\$1').replace(/[\r\n]+/g, ' ');

export function serviceMarkdown(report: ServiceReport): string {
  const r = redactValue(report);
  const out: string[] = [];
  out.push(`# Service ${md(r.service)}: ${r.verdict.kind}`, '', md(r.verdict.summary), '');
  if (r.causes.length) {
    out.push('## Causes', '');
    for (const c of r.causes) out.push(`- **${c.status}**: ${md(c.text)}`);
    out.push('');
  }
  if (r.fixes.length) {
    out.push('## Fix', '');
    r.fixes.forEach((f, i) => {
      out.push(`${i + 1}. ${md(f.text)}`);
      if (f.command) out.push('', '   ```sh', `   ${f.command.replace(/`/g, "'")}`, '   ```');
    });
    out.push('');
  }
  out.push('## Evidence', '', '| check | status | detail |', '|---|---|---|');
  for (const e of r.evidence) out.push(`| ${md(e.title ?? e.check)} | ${e.status === 'skipped' ? 'not checked' : e.status} | ${md(e.detail)}${e.missingPermission ? ` (needs \`${e.missingPermission}\`)` : ''} |`);
  out.push('');
  if (r.stoppedTasks.groups.length) {
    out.push(`## Stopped tasks (${r.stoppedTasks.count} in the last hour)`, '', '| count | stop | lifetimes | newest |', '|---|---|---|---|');
    for (const g of r.stoppedTasks.groups) out.push(`| ${g.count} | ${md(g.title)} | ${md(lifetimeText(g))} | ${md(lastSegment(g.newest.taskArn))} |`);
    out.push('');
  }
  if (r.arithmetic.length) {
    out.push('## Health-check arithmetic', '');
    for (const a of r.arithmetic) out.push(`- ${a.warn ? '**' : ''}${md(a.label)}${a.warn ? '**' : ''}: ${md(a.text)}`);
    out.push('');
  }
  if (r.memory) out.push('## Memory', '', md(r.memory.text), '');
  return out.join('\n');
}
