// "The logs of a task are on screen within one round trip of the node being clicked": from the
// moment Show Logs runs on a task node (the explorer has already described the task and read its
// task definition) to the first content, against the simulator with a fixed latency per call,
// compared with the same GetLogEvents calls sent at once on a warm client (the floor: one round
// trip), and the calls it made (one per stream).
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { openTaskLogs } from '../src/aws/logs';
import { startSimulator } from '../sim/server';
import { median, round, simData } from './common';

const TASK = '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e'; // demo: prod api, two containers logging to /ecs/api
/** A round trip to a Region's endpoint, as the simulator's fixed latency per call. */
const LATENCY_MS = 100;

export async function benchLogs(runs: number, log: (m: string) => void): Promise<Record<string, number>> {
  const sim = await startSimulator({ scenario: 'demo', latencyMs: LATENCY_MS });
  const firsts: number[] = [];
  const colds: number[] = [];
  const floors: number[] = [];
  let calls = 0;
  let streams = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const { session, data } = simData(sim.url);
      try {
        // What the explorer has when the node is clicked: the task, and its task definition.
        const task = (await data.describeTask('prod', TASK)).task!;
        await data.taskDefinition(task.taskDefinitionArn!);
        // The first Show Logs of a session also builds the CloudWatch Logs client and opens its connections.
        const tc = performance.now();
        await openTaskLogs(session, { cluster: 'prod', task: TASK }, { knownTask: task });
        colds.push(performance.now() - tc);
        sim.clearCalls();
        const t0 = performance.now();
        const opened = await openTaskLogs(session, { cluster: 'prod', task: TASK }, { knownTask: task });
        firsts.push(performance.now() - t0);
        if (!opened.lines.length) throw new Error('no lines were read');
        calls = sim.calls.length;
        streams = opened.cursors.length;
        // The floor: one round trip, the same GetLogEvents calls sent at once on the same client.
        const client = session.client(CloudWatchLogsClient);
        const t1 = performance.now();
        await Promise.all(opened.cursors.map((c) => client.send(new GetLogEventsCommand({ logGroupName: c.source.group, logStreamName: c.source.stream, limit: 200, startFromHead: false }))));
        floors.push(performance.now() - t1);
      } finally {
        session.dispose();
      }
    }
  } finally {
    await sim.stop();
  }
  const r = {
    'logs.firstContentMs': round(median(firsts)),
    'logs.firstContentFloorMs': round(median(floors)),
    'logs.coldFirstContentMs': round(median(colds)),
    'logs.apiCalls': calls,
    'logs.apiCallsFloor': streams,
  };
  log(`logs: first content ${r['logs.firstContentMs']} ms (first of a session ${r['logs.coldFirstContentMs']} ms) (one round trip ${r['logs.firstContentFloorMs']} ms), ${calls} calls for ${streams} streams`);
  return r;
}
