/** True when `ecs-doctor diagnose` was asked about a service (--service): the service doctor's path. */
export function wantsService(args: readonly string[]): boolean {
  return args.some((a) => a === '--service' || a.startsWith('--service='));
}

export const serviceUsage = `Usage: ecs-doctor diagnose --cluster <name|arn> --service <name|arn> [--profile P] [--region R]
                          [--endpoint-url URL] [--format text|json|markdown] [--verbose]

Diagnoses one service: a restart loop, a stuck or failed deployment, unhealthy or missing tasks.
Reads the service (deployments, events, counts), its stopped and running tasks, the running task
definition (linted), the target groups' health and, for out-of-memory stops, memory over time;
explains the most common stop with the task diagnosis, and gives fix steps with AWS CLI commands.

Options:
  --cluster <c>        cluster name or ARN (required)
  --service <s>        service name or ARN (required)
  --format <f>         text (default), markdown, or json: {service, verdict: {kind, summary},
                       stoppedTasks: {count, byCategory, groups}, deployments, evidence: [{check,
                       status, detail}], causes, fixes, ...}; stoppedTasks.count is the tasks
                       stopped in the last hour

Exit codes: 0 healthy, 1 any other verdict (or the service could not be read), 2 bad usage.`;
