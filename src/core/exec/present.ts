/** ECS Exec preflight: the checks as text, the same in the CLI and the editor. */
import { lastSegment } from '../arn';
import { plural } from '../plural';
import type { ExecCheck, ExecCheckStatus, ExecFixAction } from './types';

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

/** The one-line summary; `feature` names what the checks are for ("ECS Exec", "Port forwarding"). */
export function summarizeChecks(checks: readonly ExecCheck[], feature = 'ECS Exec'): string {
  const count = (s: ExecCheckStatus) => checks.filter((c) => c.status === s).length;
  const fail = count('fail');
  const parts = [`${count('pass')} passed`, `${fail} failed`, plural(count('warn'), 'warning'), `${count('unknown')} could not be checked`];
  return `${feature} ${fail ? 'cannot start' : 'is ready'}: ${parts.join(', ')}.`;
}

/** Every check as text for a modal: the failing ones first, each with its fix in full, then the rest. */
export function preflightDetail(checks: readonly ExecCheck[], feature = 'ECS Exec'): string {
  const rank: Record<ExecCheckStatus, number> = { fail: 0, warn: 1, unknown: 2, pass: 3 };
  const mark: Record<ExecCheckStatus, string> = { fail: '✖', warn: '⚠', unknown: '?', pass: '✔' };
  const sorted = [...checks].sort((a, b) => rank[a.status] - rank[b.status]);
  const lines = sorted.map((c) =>
    c.status === 'pass' ? `${mark.pass} ${c.title}` : [`${mark[c.status]} ${c.title} (${STATUS_LABEL[c.status]}): ${c.detail}`, c.fix ? `   Fix: ${c.fix}` : ''].filter(Boolean).join('\n'),
  );
  return `${summarizeChecks(checks, feature)}\n\n${lines.join('\n')}`;
}

/** The words of the "Enable and Redeploy" confirmation: the cluster, the service and how many tasks get replaced. */
export function redeployConfirmation(action: ExecFixAction, counts: { desiredCount?: number | undefined; runningCount?: number | undefined } | undefined): { message: string; detail: string } {
  const svc = action.serviceName;
  const cluster = lastSegment(action.clusterArn);
  const running = counts?.runningCount;
  const replaced =
    running === undefined
      ? 'all of its running tasks (ECS Doctor could not read how many)'
      : running === 0
        ? 'no task (none is running now; new tasks will have ECS Exec)'
        : `its ${plural(running, 'running task')}`;
  return {
    message: `Redeploy service ${svc} in cluster ${cluster} with ECS Exec turned on?`,
    detail:
      `This writes to the service: UpdateService on ${svc} (cluster ${cluster}) with enableExecuteCommand and forceNewDeployment. ` +
      `ECS replaces ${replaced}${counts?.desiredCount !== undefined ? ` (desired ${counts.desiredCount})` : ''}, within the service's deployment settings. ` +
      'Only tasks started after this accept ECS Exec sessions.',
  };
}
