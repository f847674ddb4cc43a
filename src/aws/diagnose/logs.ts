import type { LogLookup } from '../../core/diagnose/facts';
import { errorName } from '../../core/awsErrors';
import type { LookupContext } from './context';
import { call } from './guard';

const LINES = 20;

/** The last lines of one log stream (CloudWatch Logs GetLogEvents); when it is missing, whether the group is too. */
export async function readLogTail(ctx: LookupContext, group: string, stream: string): Promise<LogLookup> {
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
