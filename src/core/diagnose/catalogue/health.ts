/**
 * Health-check stops: the load balancer's target health checks (ELB) and the container health check.
 */
import { c, CMD, DOCS, f, type FamilySpec } from './shared';

export const ELB: FamilySpec = {
  category: 'ElbHealthCheckFailed',
  family: /Task failed ELB health checks|is unhealthy in \(?(?:target-group|elb)|Health checks failed/i,
  docs: [DOCS.lb, DOCS.serviceEvents],
  prevention: [
    'Set the service\'s healthCheckGracePeriodSeconds to cover the application\'s start-up time.',
    'Turn on the deployment circuit breaker with rollback, so a version that never gets healthy rolls back by itself.',
    'Serve a cheap health endpoint that does not depend on slow downstreams.',
  ],
  variants: [
    {
      variant: 'response-code-mismatch',
      match: [/failed with these codes|ResponseCodeMismatch/i],
      title: 'Load balancer health check failed: wrong HTTP status',
      summary: 'The load balancer reached the task but the health-check path answered with a status the target group does not accept (for example 404 for a wrong path, 301/302 for a redirect, 401/403 for an auth-protected path).',
      whereToLook: ['The target group\'s health-check path and success codes (Matcher).', 'What the application returns on that path (curl from inside the VPC).'],
      causes: [c('wrong-path', 'The health-check path does not exist in the application (404) or redirects (301/302).', ['target-group']), c('auth-on-path', 'The path requires authentication (401/403).', ['target-group'])],
      fixes: [f('Point the health check at a path that returns 200 without auth, or widen the matcher.', 'aws elbv2 modify-target-group --target-group-arn <target-group-arn> --health-check-path <path> --matcher HttpCode=200-399', 'wrong-path'), f('See what the targets report.', CMD.targetHealth)],
      checks: ['target-group', 'logs', 'service-events'],
      examples: ['(service web-bad) (port 8080) is unhealthy in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-bad-tg/fedcba9876543210) due to (reason Health checks failed with these codes: [404]).'],
    },
    {
      variant: 'timeout',
      match: [/Request timed out|Target\.Timeout|timed out/i],
      title: 'Load balancer health check failed: no answer in time',
      summary: 'The health-check request timed out: a security group blocks the load balancer, the port is wrong, or the application is too slow (or still starting).',
      whereToLook: ['The task\'s security group: inbound from the load balancer\'s security group on the container port.', 'The health-check port and timeout; the application\'s start-up time vs the grace period.'],
      causes: [c('sg-blocks-lb', 'The task\'s security group does not allow the load balancer on the container port.', ['security-groups']), c('wrong-port', 'The health-check port is not the port the container listens on.', ['target-group']), c('slow-start', 'The application is still starting when checks begin (no or short grace period).', ['target-group', 'container-health-check'])],
      fixes: [f('Allow the load balancer\'s security group on the container port.', CMD.securityGroups, 'sg-blocks-lb'), f('Give the service a grace period longer than the start-up.', CMD.gracePeriod, 'slow-start')],
      checks: ['target-group', 'security-groups', 'logs', 'service-events'],
      examples: ['(service web) (port 8080) is unhealthy in (target-group arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/0123456789abcdef) due to (reason Request timed out).'],
    },
    {
      variant: 'target-group',
      title: 'Task stopped: it failed the load balancer\'s health checks',
      summary: 'The service registered the task in a target group, the load balancer\'s health checks failed for longer than allowed, and the scheduler replaced the task. The application may be healthy but unreachable, too slow to start, or answering the wrong status on the wrong path/port.',
      whereToLook: [
        'The target group: target type (ip for awsvpc/Fargate), health-check path, port and success codes.',
        'The container port against the target group\'s port and health-check port.',
        'The task\'s security group: inbound from the load balancer\'s security group.',
        'The application\'s start-up time against healthCheckGracePeriodSeconds.',
        'The container logs around the health-check requests.',
      ],
      causes: [
        c('target-type', 'The target group\'s target type is "instance" but the task uses awsvpc (Fargate needs "ip").', ['target-group']),
        c('path-or-port', 'The health-check path or port does not match what the container serves.', ['target-group']),
        c('grace-period', 'The application starts slower than the grace period allows (healthCheckGracePeriodSeconds unset or short).', ['target-group']),
        c('sg-blocks-lb', 'The task\'s security group does not allow the load balancer on the container port.', ['security-groups']),
        c('app-unhealthy', 'The application really is failing (see its logs).', ['logs']),
      ],
      fixes: [
        f('Compare the target group with the container: type ip, the right port, a path that returns 200.', CMD.targetGroup, 'path-or-port'),
        f('See why the targets are unhealthy.', CMD.targetHealth, 'path-or-port'),
        f('A target group with type instance cannot be changed: create one with --target-type ip and point the service at it.', 'aws elbv2 create-target-group --name <name> --protocol HTTP --port <container-port> --vpc-id <vpc-id> --target-type ip --health-check-path <path>', 'target-type'),
        f('Set a health-check grace period longer than the start-up.', CMD.gracePeriod, 'grace-period'),
        f('Allow the load balancer\'s security group on the container port.', CMD.securityGroups, 'sg-blocks-lb'),
      ],
      checks: ['target-group', 'service-events', 'security-groups', 'logs', 'container-health-check'],
      examples: [
        'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-bad-tg/fedcba9876543210)',
        'Task failed ELB health checks in (elb my-classic-elb)',
      ],
    },
  ],
};

export const CONTAINER_HEALTH: FamilySpec = {
  category: 'ContainerHealthCheckFailed',
  family: /Task failed container health checks|container health checks? fail|failed container health checks/i,
  docs: [DOCS.healthCheck, DOCS.stoppedErrors],
  prevention: [
    'Give every container health check a startPeriod that covers start-up (0-300 s); failures during it do not count.',
    'Make the check command exist in the image (curl/wget are often missing from slim images) and test it locally.',
    'Turn on the deployment circuit breaker with rollback.',
  ],
  variants: [
    {
      variant: 'unhealthy',
      title: 'Task stopped: an essential container failed its health check',
      summary: 'The healthCheck command of an essential container failed retries times in a row (after startPeriod), the container became UNHEALTHY, and ECS stopped the task (a service replaces it).',
      whereToLook: [
        'The healthCheck of each essential container: command form (CMD vs CMD-SHELL), interval, timeout, retries, startPeriod.',
        'Whether the command\'s tool exists in the image (curl, wget) and the port/path it calls.',
        'The container logs around the checks.',
      ],
      causes: [
        c('no-start-period', 'No (or too short) startPeriod: checks count while the application is still starting.', ['container-health-check']),
        c('command-broken', 'The check command itself fails: the tool is not in the image, wrong port/path, or exec form with one string containing spaces.', ['container-health-check', 'task-definition']),
        c('timeout-too-short', 'The check\'s timeout is shorter than the endpoint\'s response time under load.', ['container-health-check']),
        c('app-unhealthy', 'The application really is unhealthy (see its logs).', ['logs']),
      ],
      fixes: [
        f('Run the check by hand in a running task (ECS Exec) to see its output and exit code.', CMD.execIntoTask, 'command-broken'),
        f('Set startPeriod to cover start-up and use CMD-SHELL for shell commands (e.g. ["CMD-SHELL","curl -f http://localhost:8080/health || exit 1"]).', CMD.taskDef, 'no-start-period'),
      ],
      checks: ['container-health-check', 'logs', 'task-definition', 'service-events'],
      examples: ['Task failed container health checks'],
    },
  ],
};
