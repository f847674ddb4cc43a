/**
 * Stops requested from outside the task: Spot interruptions, the service scheduler, a user
 * (StopTask, a deregistered instance) and infrastructure maintenance.
 */
import { c, CMD, DOCS, f, type FamilySpec } from './shared';

export const SPOT: FamilySpec = {
  category: 'SpotInterruption',
  family: /Spot Task was interrupted|SpotInterruption/i,
  docs: [DOCS.spot, DOCS.fargateSpot],
  prevention: [
    'Handle SIGTERM: finish in-flight work within stopTimeout (default 30 s, max 120 s) and exit.',
    'Make work idempotent so a task killed mid-way can be retried safely.',
    'Keep a base of FARGATE (On-Demand) in the capacity provider strategy and put only the extra on FARGATE_SPOT.',
  ],
  variants: [
    {
      variant: 'reclaimed',
      title: 'Fargate Spot reclaimed the capacity',
      summary: 'This is not a failure of the task: AWS reclaimed the Spot capacity, sent a two-minute warning and SIGTERM, then stopped the task. A service starts a replacement when capacity allows.',
      whereToLook: ['The capacity provider strategy of the service.', 'Whether the application stopped cleanly on SIGTERM (its last log lines, exit code 143 vs 137).'],
      causes: [c('spot-reclaimed', 'Spot capacity was reclaimed by AWS (expected behaviour).'), c('no-graceful-shutdown', 'If work was lost: the application does not handle SIGTERM within stopTimeout.', ['logs', 'task-definition'])],
      fixes: [f('Keep an On-Demand base in the capacity provider strategy for the minimum you must always run.', "aws ecs update-service --cluster <cluster> --service <service> --capacity-provider-strategy capacityProvider=FARGATE,base=1,weight=1 capacityProvider=FARGATE_SPOT,weight=3 --force-new-deployment", 'spot-reclaimed')],
      confidence: 'high',
      checks: ['service-events', 'logs'],
      examples: ['Your Spot Task was interrupted.'],
    },
  ],
};

export const SCHEDULER: FamilySpec = {
  category: 'ServiceSchedulerInitiated',
  family: /Scaling activity initiated by/i,
  docs: [DOCS.viewStopped, DOCS.serviceEvents],
  prevention: ['Handle SIGTERM and drain within stopTimeout; set the target group\'s deregistration delay to match.'],
  variants: [
    {
      variant: 'scaling-activity',
      match: [/Scaling activity initiated by/i],
      title: 'The service scheduler stopped the task (scale-in or deployment)',
      summary: 'Not a failure: the service needed fewer tasks of this version (a deployment replacing old tasks, or the desired count was lowered / auto scaling scaled in), so the scheduler stopped this one.',
      whereToLook: ['The service events and deployments at the stop time (the deployment id in the message).', 'Application Auto Scaling activities for the service.'],
      causes: [c('deployment', 'A deployment replaced the task with a new revision.', ['service-events']), c('scale-in', 'The desired count was lowered (by a person or auto scaling).', ['service-events'])],
      fixes: [f('Nothing to fix if expected; confirm in the service events.', CMD.serviceEvents)],
      confidence: 'high',
      checks: ['service-events'],
      examples: ['Scaling activity initiated by (deployment ecs-svc/1234567890123456789)'],
    },
    {
      variant: 'other',
      title: 'The service scheduler stopped the task',
      summary: 'The service scheduler stopped the task (a deployment, a scale-in, or the replacement of an unhealthy task); the message says which.',
      confidence: 'medium',
      whereToLook: ['The service events and deployments at the stop time.'],
      causes: [c('deployment', 'A deployment or scale-in.', ['service-events'])],
      fixes: [f('Read the service events.', CMD.serviceEvents)],
      checks: ['service-events'],
      examples: [],
    },
  ],
};

export const USER: FamilySpec = {
  category: 'UserInitiated',
  family: /Task stopped by user|deregistration forced by user|(?:killed|stopped|terminated) by (?:the )?user\b/i,
  docs: [DOCS.viewStopped],
  prevention: ['Restrict ecs:StopTask in production with IAM, and look up who stopped it in CloudTrail (StopTask events).'],
  variants: [
    {
      variant: 'instance-deregistered',
      match: [/deregistration forced by user/i],
      title: 'Stopped because its container instance was deregistered',
      summary: 'Someone (or automation) force-deregistered the container instance the task ran on, which stops its tasks.',
      whereToLook: ['CloudTrail DeregisterContainerInstance events.'],
      causes: [c('instance-deregistered', 'The container instance was force-deregistered.')],
      fixes: [f('Find who deregistered it in CloudTrail.', "aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=DeregisterContainerInstance --max-results 20")],
      checks: ['service-events'],
      examples: ['Container instance deregistration forced by user'],
    },
    {
      variant: 'stop-task',
      title: 'Someone stopped the task',
      summary: 'Not a failure: the task was stopped through StopTask (the console, the CLI, an SDK or automation). A service starts a replacement.',
      whereToLook: ['CloudTrail StopTask events around the stop time (who, and with what reason).'],
      causes: [c('stop-task', 'A person or automation called StopTask.')],
      fixes: [f('Find who stopped it in CloudTrail.', 'aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=StopTask --max-results 20')],
      checks: ['service-events'],
      examples: ['Task stopped by user'],
    },
  ],
};

export const MAINTENANCE: FamilySpec = {
  category: 'InfrastructureMaintenance',
  family: /performing maintenance on the underlying infrastructure|Task is being retired|scheduled for retirement|Host EC2 \(instance [^)]*\) (?:stopped|terminated)|TerminationNotice|InfrastructureHealth/i,
  docs: [DOCS.maintenance, DOCS.viewStopped],
  prevention: ['Run services with at least two tasks across Availability Zones, and handle SIGTERM, so maintenance replaces tasks without an outage.'],
  variants: [
    {
      variant: 'host-stopped',
      match: [/Host EC2 \(instance [^)]*\) (?:stopped|terminated)/i],
      title: 'Stopped because its EC2 host stopped or terminated',
      summary: 'The container instance the task ran on was stopped or terminated (by a person, Auto Scaling scale-in, a Spot reclaim, or an EC2 health problem).',
      whereToLook: ['The EC2 instance\'s state reason and the Auto Scaling group\'s activities.'],
      causes: [c('host-gone', 'The instance was stopped/terminated (scale-in, Spot, health or manual).')],
      fixes: [f('Use managed termination protection / instance draining on the capacity provider so tasks are moved before instances go.', 'aws autoscaling describe-scaling-activities --auto-scaling-group-name <asg-name> --max-items 10')],
      checks: ['service-events'],
      examples: ['Host EC2 (instance i-0123456789abcdef0) stopped/terminated'],
    },
    {
      variant: 'platform-maintenance',
      title: 'AWS retired the task for infrastructure maintenance',
      summary: 'Not a failure of the task: AWS stopped it to patch or maintain the underlying infrastructure (Fargate task retirement). A service replaces it; standalone tasks must be restarted.',
      whereToLook: ['AWS Health events (task retirement notices) for the account.'],
      causes: [c('retirement', 'Scheduled Fargate task retirement / infrastructure maintenance.')],
      fixes: [f('Nothing to fix; for standalone tasks, restart them or run them as a service.')],
      confidence: 'high',
      checks: ['service-events'],
      examples: ['ECS is performing maintenance on the underlying infrastructure hosting the task'],
    },
  ],
};
