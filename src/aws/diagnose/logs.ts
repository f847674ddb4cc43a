import type { LogLookup } from '../../core/diagnose/facts';
import { judgeLogs, judgeNoLogs, taskIdOf } from '../../core/diagnose/judges';
import type { Evidence } from '../../core/diagnose/types';
import { call, errorName, failedEvidence, pool } from './guard';
import { needsTaskDef, type Collector, type EvidenceContext } from './context';

const LINES = 20;

/** The last log lines of each awslogs container (CloudWatch Logs GetLogEvents). */
export const collectLogs: Collector = async (ctx) => {
  const td = ctx.taskDef;
  if (!td) return [needsTaskDef(ctx, 'logs')];
  const taskId = taskIdOf(ctx.task.taskArn);
  // Containers of the task first (they have exit codes), then definitions not reported.
  const names = [...new Set([...ctx.task.containers.map((c) => c.name), ...td.containers.map((c) => c.name)])];
  const jobs = names.map((name) => async (): Promise<Evidence> => {
    const def = td.containers.find((c) => c.name === name);
    const live = ctx.task.containers.find((c) => c.name === name);
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
    if (region && region !== ctx.region) {
      return { check: 'logs', title, status: 'skipped', detail: `${name} logs to ${region}, not ${ctx.region}; read them there.`, command: `aws logs get-log-events --region ${region} --log-group-name ${group} --log-stream-name ${stream} --limit 50 --no-start-from-head` };
    }
    try {
      const lookup = await readTail(ctx, group, stream);
      return judgeLogs(name, lookup, live?.exitCode, live?.lastStatus);
    } catch (err) {
      return failedEvidence('logs', err, { title, command: `aws logs get-log-events --log-group-name ${group} --log-stream-name ${stream} --limit 50 --no-start-from-head` });
    }
  });
  return pool(jobs, 3);
};

async function readTail(ctx: EvidenceContext, group: string, stream: string): Promise<LogLookup> {
  const { CloudWatchLogsClient, GetLogEventsCommand, DescribeLogStreamsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  const logs = ctx.session.client(CloudWatchLogsClient);
  try {
    const out = await call('logs:GetLogEvents', () =>
      logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit: LINES, startFromHead: false })),
    );
    const lines = (out.events ?? []).map((e) => (e.message ?? '').replace(/\r?\n$/, ''));
    return { kind: 'lines', group, stream, lines };
  } catch (err) {
    if (errorName(err) !== 'ResourceNotFoundException') throw err;
  }
  // The stream or the group is missing: tell which.
  try {
    await call('logs:DescribeLogStreams', () =>
      logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: stream, limit: 1 })),
    );
    return { kind: 'no-stream', group, stream };
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') return { kind: 'no-group', group, stream };
    throw err;
  }
}
