/** ECS Exec preflight: the checks as text, the same in the CLI and the editor. */
import type { ExecCheck, ExecCheckStatus } from './types';

export const STATUS_ICON: Record<ExecCheckStatus, string> = { pass: '✔', fail: '✖', warn: '⚠', unknown: '?' };
export const STATUS_LABEL: Record<ExecCheckStatus, string> = { pass: 'pass', fail: 'FAIL', warn: 'warning', unknown: 'could not check' };

export function formatChecksText(checks: readonly ExecCheck[]): string {
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`${STATUS_ICON[c.status]} ${c.title}: ${STATUS_LABEL[c.status]}`);
    lines.push(`    ${c.detail}`);
    if (c.fix && c.status !== 'pass') lines.push(`    Fix: ${c.fix}`);
  }
  return lines.join('\n');
}

export function summarizeChecks(checks: readonly ExecCheck[]): string {
  const count = (s: ExecCheckStatus) => checks.filter((c) => c.status === s).length;
  const fail = count('fail');
  const parts = [`${count('pass')} passed`, `${fail} failed`, `${count('warn')} warnings`, `${count('unknown')} could not be checked`];
  return `${fail ? 'ECS Exec cannot start' : 'ECS Exec is ready'}: ${parts.join(', ')}.`;
}
