// The logs scenario built in code: cluster "prod" with a two-container task that keeps logging on
// the simulator's clock, a stopped task, a task whose stream is missing, one whose group is
// missing, and a task whose containers log elsewhere. Used by the simulator's, the data layer's
// and the CLI's logs tests.
import type { ScenarioData } from '../../../sim/types';

export const RUNNING = 'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1';
export const STOPPED = 'b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2';
export const NO_STREAM = 'c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3';
export const NO_GROUP = 'd4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4';
export const ELSEWHERE = 'e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5';

const awslogs = (group: string, prefix: string) => ({ logDriver: 'awslogs' as const, options: { 'awslogs-group': group, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': prefix } });

export function logsScenario(): ScenarioData {
  return {
    name: 'logs',
    taskDefinitions: [
      {
        family: 'app',
        revision: 1,
        requiresCompatibilities: ['FARGATE'],
        executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
        containerDefinitions: [
          { name: 'app', image: 'app:1', logConfiguration: awslogs('/ecs/app', 'ecs') },
          { name: 'proxy', image: 'envoy:1', essential: false, logConfiguration: awslogs('/ecs/app', 'proxy') },
        ],
      },
      { family: 'lost', revision: 1, requiresCompatibilities: ['FARGATE'], containerDefinitions: [{ name: 'lost', image: 'x', logConfiguration: awslogs('/ecs/nowhere', 'ecs') }] },
      {
        family: 'other',
        revision: 1,
        requiresCompatibilities: ['FARGATE'],
        containerDefinitions: [
          { name: 'fl', image: 'x', logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'cloudwatch_logs', log_group_name: '/ecs/fl', region: 'us-east-1' } } },
          { name: 'silent', image: 'x' },
        ],
      },
    ],
    clusters: [
      {
        name: 'prod',
        tasks: [
          { id: RUNNING, taskDefinition: 'app:1', startedAt: '-10m', createdAt: '-11m' },
          { id: STOPPED, taskDefinition: 'app:1', lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', startedAt: '-20m', stoppedAt: '-5m', containers: [{ name: 'app', exitCode: 1 }, { name: 'proxy', exitCode: 0 }] },
          { id: NO_STREAM, taskDefinition: 'app:1', startedAt: '-3m' },
          { id: NO_GROUP, taskDefinition: 'lost:1', startedAt: '-3m' },
          { id: ELSEWHERE, taskDefinition: 'other:1', startedAt: '-3m' },
        ],
      },
    ],
    logs: {
      groups: [
        {
          logGroupName: '/ecs/app',
          streams: [
            {
              logStreamName: `ecs/app/${RUNNING}`,
              events: Array.from({ length: 30 }, (_, i) => ({ timestamp: `-${300 - i * 10}s`, message: `app line ${i + 1}` })),
              live: { everyMs: 5000, messages: ['app live {n}'] },
            },
            {
              logStreamName: `proxy/proxy/${RUNNING}`,
              events: [{ timestamp: '-295s', message: '\u001b[32mproxy ready\u001b[0m' }, { timestamp: '-5s', message: 'proxy line <b>2</b>' }],
            },
            { logStreamName: `ecs/app/${STOPPED}`, events: [{ timestamp: '-6m', message: 'fatal: cannot connect' }] },
            { logStreamName: `proxy/proxy/${STOPPED}`, events: [{ timestamp: '-7m', message: 'proxy up' }] },
            { logStreamName: `old/app/${NO_STREAM}`, events: [{ timestamp: '-2m', message: 'written with another prefix' }] },
          ],
        },
      ],
    },
  };
}
