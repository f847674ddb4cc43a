/** The last log lines of each awslogs container (CloudWatch Logs). */
import { taskIdOf } from '../../arn';
import type { LogLookup } from '../facts';
import { failedEvidence, needsTaskDef, pool, type Judge } from '../live';
import { causesSpokenTo, refusedConnectionText, signaturesOf } from '../logSignatures';
import type { Cause, Evidence } from '../types';
import { clip, plural, q } from './text';

const ERROR_LINE = /\b(error|exception|fatal|panic|traceback|segmentation fault|killed|denied|refused|not found|no such file|cannot|can't|could not|failed|unable to|invalid|missing|timed? ?out)\b/i;

/** The last log lines of one awslogs container. */
export function judgeLogs(container: string, lookup: LogLookup, exitCode?: number | null, lastStatus?: string, causes?: readonly Cause[], mode?: string): Evidence {
  const title = `Logs of ${container}`;
  const command = `aws logs get-log-events --log-group-name ${q(lookup.group)} --log-stream-name ${q(lookup.stream)} --limit 50 --no-start-from-head`;
  if (lookup.kind === 'no-group') {
    // A container that ran is not stopped by a missing group: in blocking mode the group existed
    // when it started (and has been deleted since); in non-blocking mode (ECS's default since June
    // 2025 unless the container's `mode` or the account's defaultLogDriverMode says blocking)
    // awslogs starts it without one and drops its lines. Either way its lines cannot be read.
    const ran = (exitCode !== null && exitCode !== undefined) || lastStatus === 'RUNNING';
    if (ran) {
      const running = lastStatus === 'RUNNING';
      const how =
        mode === 'blocking'
          ? 'It logs in blocking mode, so the group existed when it started: it has been deleted since'
          : mode === 'non-blocking'
            ? 'It logs in non-blocking mode, which starts a container without its group'
            : 'Either the group was deleted after it started, or awslogs runs in non-blocking mode (the default unless the account or the container says blocking), which starts a container without its group';
      return {
        check: 'logs',
        title,
        status: running ? 'fail' : 'skipped',
        causes: [],
        detail: running
          ? `The log group ${lookup.group} does not exist: ${container} is running, so awslogs is dropping its lines. ${how}. Create the group, or set awslogs-create-group "true" with logs:CreateLogGroup for the execution role.`
          : `Not checked: the log group ${lookup.group} does not exist, so ${container}'s lines cannot be read although it ran (exit code ${exitCode}). ${how}.`,
        command: `aws logs describe-log-groups --log-group-name-prefix ${q(lookup.group)}`,
      };
    }
    return {
      check: 'logs',
      title,
      status: 'fail',
      causes: ['log-group-missing'],
      detail: `The log group ${lookup.group} does not exist: the awslogs driver cannot start the container unless the group exists (or awslogs-create-group is "true" and the execution role may logs:CreateLogGroup).`,
      command: `aws logs describe-log-groups --log-group-name-prefix ${q(lookup.group)}`,
    };
  }
  if (lookup.kind === 'no-stream') {
    const never = (exitCode === null || exitCode === undefined) && lastStatus !== 'RUNNING';
    const how = exitCode === null || exitCode === undefined ? 'is running' : `exited with ${exitCode}`;
    return {
      check: 'logs',
      title,
      status: never ? 'pass' : 'fail',
      // A finding worth showing, but not evidence for any listed cause (an exit 143 on a Spot
      // interruption does not mean the application ignored SIGTERM).
      causes: [],
      detail: never
        ? `No log stream ${lookup.stream} in ${lookup.group}: ${container} never wrote a line (consistent with a container that never started).`
        : `No log stream ${lookup.stream} in ${lookup.group}, although ${container} ${how}: it ${lastStatus === 'RUNNING' ? 'has not written anything' : 'died before writing anything'}, or awslogs cannot write (execution role, logs endpoint).`,
      command,
    };
  }
  if (!lookup.lines.length) {
    return { check: 'logs', title, status: 'pass', detail: `The log stream ${lookup.stream} is empty.`, command };
  }
  const errors = lookup.lines.filter((l) => ERROR_LINE.test(l) || signaturesOf(l).some((id) => id !== 'sigterm'));
  const last = errors[errors.length - 1];
  if (last) {
    // A line only speaks to the causes naming one of its signatures (logSignatures.ts): an
    // ECONNREFUSED says a dependency was down, not that the command backgrounds its process.
    const spoken = causesSpokenTo(errors, causes ?? []);
    const refused = errors.map(refusedConnectionText).find((t) => t !== undefined);
    return {
      check: 'logs',
      title,
      status: 'fail',
      detail: `The last ${plural(lookup.lines.length, 'line')} of ${container} include an error: "${clip(last, 200)}"${refused ? `: ${refused}` : ''}.`,
      lines: lookup.lines.map((l) => clip(l, 300)),
      command,
      causes: spoken.causes,
    };
  }
  return {
    check: 'logs',
    title,
    status: 'pass',
    detail: `The last ${plural(lookup.lines.length, 'line')} of ${container} show no error.`,
    lines: lookup.lines.map((l) => clip(l, 300)),
    command,
  };
}

/** A container with no awslogs configuration: its output went nowhere ECS Doctor can read. */
export function judgeNoLogs(container: string, driver: string | undefined): Evidence {
  return {
    check: 'logs',
    title: `Logs of ${container}`,
    status: 'skipped',
    detail: driver
      ? `${container} logs with ${driver}, not awslogs: read its output where that driver sends it.`
      : `${container} has no log configuration, so its output was not kept: add awslogs to see why it stopped.`,
    causes: [],
  };
}

/**
 * Each container's log stream, named from its awslogs options (<prefix>/<container>/<task id>),
 * read through the collector and judged; containers without awslogs are skipped with the reason.
 */
export const checkLogs: Judge = async (facts, collect) => {
  const td = facts.taskDef;
  if (!td) return [needsTaskDef(facts, 'logs')];
  const taskId = taskIdOf(facts.task.taskArn);
  // Containers of the task first (they have exit codes), then definitions not reported.
  const names = [...new Set([...facts.task.containers.map((c) => c.name), ...td.containers.map((c) => c.name)])];
  const jobs = names.map((name) => async (): Promise<Evidence> => {
    const def = td.containers.find((c) => c.name === name);
    const live = facts.task.containers.find((c) => c.name === name);
    if (!def) return { check: 'logs', title: `Logs of ${name}`, status: 'skipped', detail: `${name} is not in the task definition.`, causes: [] };
    if (def.logDriver !== 'awslogs') return judgeNoLogs(name, def.logDriver);
    const o = def.logOptions ?? {};
    const group = o['awslogs-group'];
    const prefix = o['awslogs-stream-prefix'];
    const stream = prefix ? `${prefix}/${name}/${taskId}` : live?.runtimeId;
    const title = `Logs of ${name}`;
    if (!group) return { check: 'logs', title, status: 'fail', detail: `${name} uses awslogs without an awslogs-group option.` };
    if (!stream) {
      return { check: 'logs', title, status: 'skipped', detail: `${name} has no awslogs-stream-prefix and no container id was reported, so its log stream cannot be named.`, command: `aws logs describe-log-streams --log-group-name ${group} --order-by LastEventTime --descending --max-items 5` };
    }
    const region = o['awslogs-region'];
    if (region && region !== facts.region) {
      return { check: 'logs', title, status: 'skipped', detail: `${name} logs to ${region}, not ${facts.region}; read them there.`, command: `aws logs get-log-events --region ${region} --log-group-name ${group} --log-stream-name ${stream} --limit 50 --no-start-from-head` };
    }
    try {
      const lookup = await collect('logs', { group, stream });
      return judgeLogs(name, lookup, live?.exitCode, live?.lastStatus, facts.diagnosis?.causes, o.mode);
    } catch (err) {
      return failedEvidence('logs', err, { title, command: `aws logs get-log-events --log-group-name ${group} --log-stream-name ${stream} --limit 50 --no-start-from-head` });
    }
  });
  return pool(jobs, 3);
};
