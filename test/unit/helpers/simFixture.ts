// A small scenario built in code (independent of the demo file) for the tests of the simulator and
// of what reads it: the data layer, the explorer model, `ecs-doctor status`, the fault suites.
import type { ScenarioData } from '../../../sim/types';

export const SIM_CREDS = { accessKeyId: 'AKIASIMULATOR0000000', secretAccessKey: 'not-a-secret' };

/** Cluster "prod": 25 services (svc-01..svc-25), service "wide" with 250 running tasks, one stopped task. */
export function pagingScenario(): ScenarioData {
  return {
    name: 'paging',
    taskDefinitions: [
      {
        family: 'app',
        revision: 3,
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
        taskRoleArn: 'arn:aws:iam::123456789012:role/app-task',
        containerDefinitions: [
          {
            name: 'app',
            image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0',
            essential: true,
            memory: 512,
            portMappings: [{ containerPort: 8080 }],
            healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'], interval: 30, timeout: 5, retries: 3 },
            linuxParameters: { initProcessEnabled: true },
          },
          { name: 'log-router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', essential: false },
        ],
      },
      { family: 'app', revision: 4, networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512', containerDefinitions: [{ name: 'app', image: 'app:2' }] },
      { family: 'job', revision: 1, networkMode: 'bridge', containerDefinitions: [{ name: 'job', image: 'busybox', memory: 128 }] },
    ],
    clusters: [
      {
        name: 'prod',
        settings: [{ name: 'containerInsights', value: 'enabled' }],
        configuration: { executeCommandConfiguration: { logging: 'DEFAULT' } },
        containerInstances: [{ ec2InstanceId: 'i-0123456789abcdef0', agentVersion: '1.82.1' }],
        services: [
          ...Array.from({ length: 25 }, (_, i) => ({
            name: `svc-${String(i + 1).padStart(2, '0')}`,
            taskDefinition: 'app:3',
            desiredCount: 1,
            runningTasks: 1,
            enableExecuteCommand: i === 0,
            networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-aaa', 'subnet-bbb'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' as const } },
          })),
          { name: 'wide', taskDefinition: 'app:3', desiredCount: 250, runningTasks: 250 },
        ],
        tasks: [
          {
            service: 'svc-02',
            lastStatus: 'STOPPED',
            stopCode: 'EssentialContainerExited',
            stoppedReason: 'Essential container in task exited',
            stoppedAt: '-10m',
            containers: [{ name: 'app', exitCode: 1, healthStatus: 'UNKNOWN' }],
          },
          { taskDefinition: 'job:1', launchType: 'EC2', startedBy: 'nightly' },
        ],
      },
      { name: 'staging' },
    ],
  };
}
