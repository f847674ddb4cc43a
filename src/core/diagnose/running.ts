/**
 * One entry for every face that explains a task (the live diagnosis, `ecs-doctor explain`, the
 * editor's Explain Stop Reason): a task that has stopped is classified by its stop reason; a task
 * that is still running is not a stop, so it is never "Stop reason not recognised". A running task
 * with an UNHEALTHY essential container is the health-check case; any other running task is said
 * to be running.
 */
import { classify } from './classify';
import { factsOf, fill } from './classify/facts';
import type { Container } from './classify/input';
import { RUNNING_UNHEALTHY } from './catalogue';
import { causesSpokenTo, refusedConnectionText } from './logSignatures';
import type { ContainerFacts, Diagnosis, StopInput } from './types';

/**
 * What the texts themselves say, in the words every face uses: a refused connection in a reason is
 * worded by refusedConnectionText() (as the logs check words it), and the causes the texts speak
 * to (their log signatures) come first.
 */
function withTextSignals(d: Diagnosis, input: StopInput): Diagnosis {
  const texts = [input.stoppedReason, ...(input.containers ?? []).map((c) => c.reason)].filter((t): t is string => !!t);
  if (!texts.length) return d;
  const refused = texts.map(refusedConnectionText).find((t) => t !== undefined);
  const spoken = new Set(causesSpokenTo(texts, d.causes).causes);
  const causes = spoken.size ? [...d.causes.filter((c) => spoken.has(c.id)), ...d.causes.filter((c) => !spoken.has(c.id))] : d.causes;
  return { ...d, causes, ...(refused ? { summary: `${d.summary} The message says ${refused}.` } : {}) };
}

const NOT_RUNNING = new Set(['STOPPED', 'DEPROVISIONING', 'STOPPING', 'DEACTIVATING']);

/** Whether the input is a task that is still up (it has a lastStatus and it is not a stopping one). */
export function isRunningTask(input: StopInput): boolean {
  return !!input.lastStatus && !NOT_RUNNING.has(input.lastStatus.toUpperCase()) && !input.stoppedReason;
}

/** The essential container (essential unless it says otherwise) of a running task that reports UNHEALTHY. */
export function unhealthyContainer(input: StopInput): ContainerFacts | undefined {
  return (input.containers ?? []).find((c) => c.healthStatus === 'UNHEALTHY' && c.essential !== false);
}

/** The diagnosis of a task, stopped or running (see the file's comment). */
export function explainTask(input: StopInput): Diagnosis {
  if (!isRunningTask(input)) return withTextSignals(classify(input), input);
  const sick = unhealthyContainer(input);
  const raw: Diagnosis['raw'] = { containers: (input.containers ?? []).map((c) => ({ name: c.name, ...(c.lastStatus ? { lastStatus: c.lastStatus } : {}) })) };
  if (input.stopCode) raw.stopCode = input.stopCode;
  const base = {
    confidence: 'high' as const,
    raw,
    ...(input.taskArn ? { taskArn: input.taskArn } : {}),
  };
  if (sick) {
    const containers: Container[] = (input.containers ?? []).map((c) => ({ ...c, exitCode: c.exitCode ?? null }));
    const facts = factsOf(input, '', containers, containers.find((c) => c.name === sick.name));
    const others = (input.containers ?? []).filter((c) => c !== sick && c.healthStatus === 'UNHEALTHY').map((c) => c.name);
    return {
      ...base,
      category: 'ContainerHealthCheckFailed',
      variant: RUNNING_UNHEALTHY.variant,
      title: `Running, but ${sick.name} is failing its health check`,
      summary: `${RUNNING_UNHEALTHY.summary} The UNHEALTHY container: ${sick.name}${others.length ? ` (also ${others.join(', ')})` : ''}.`,
      whereToLook: [...RUNNING_UNHEALTHY.whereToLook],
      causes: RUNNING_UNHEALTHY.causes.map((c) => ({ ...c, ...(c.checks ? { checks: [...c.checks] } : {}) })),
      fixes: RUNNING_UNHEALTHY.fixes.map((f) => (f.command ? { ...f, command: fill(f.command, facts) } : { ...f })),
      prevention: [
        'Give every container health check a startPeriod that covers start-up (0-300 s); failures during it do not count.',
        'Make the check command exist in the image (curl/wget are often missing from slim images) and test it locally.',
        'Set the service\'s healthCheckGracePeriodSeconds to cover start-up.',
      ],
      docs: [
        { title: 'Task definition parameters: health check', url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_healthcheck' },
        { title: 'Determine Amazon ECS task health using container health checks', url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/healthcheck.html' },
      ],
      checks: [...RUNNING_UNHEALTHY.checks],
      container: sick.name,
    };
  }
  return {
    ...base,
    category: 'Unknown',
    variant: 'running',
    title: 'The task is running: it has not stopped',
    summary: `The task is ${input.lastStatus} and no essential container reports UNHEALTHY, so there is no stop reason to explain. If it misbehaves, read its logs, its health status and the service's events.`,
    confidence: 'high',
    whereToLook: ['The container logs.', 'Each container\'s health status and the task definition\'s health checks.', 'The service\'s events and its load balancer\'s target health.'],
    causes: [],
    fixes: [],
    prevention: [],
    docs: [{ title: 'Amazon ECS task lifecycle', url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html' }],
    checks: ['task-definition', 'logs', 'container-health-check', 'service-events'],
  };
}
