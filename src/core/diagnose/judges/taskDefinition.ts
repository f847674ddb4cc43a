/** The task definition as a whole: essential containers, logging, memory arithmetic, ports, roles. */
import { roleNameOf } from '../../arn';
import type { TaskDefFacts } from '../facts';
import { fromTaskDef } from '../live';
import type { Evidence } from '../types';
import { capital, essential, q } from './text';

/** Task definition: essential containers, log configuration, Fargate memory arithmetic, roles. */
export function judgeTaskDefinition(td: TaskDefFacts): Evidence {
  const problems: string[] = [];
  const fargate = td.requiresCompatibilities?.includes('FARGATE') ?? false;
  if (!td.containers.some(essential)) problems.push('no container is essential');
  for (const c of td.containers) {
    if (c.logDriver === 'awslogs') {
      const o = c.logOptions ?? {};
      const missing = ['awslogs-group', 'awslogs-region'].filter((k) => !o[k]);
      if (fargate && !o['awslogs-stream-prefix']) missing.push('awslogs-stream-prefix');
      if (missing.length) problems.push(`${c.name}: awslogs is missing ${missing.join(', ')}`);
    }
    if (c.memory !== undefined && c.memoryReservation !== undefined && c.memoryReservation > c.memory) {
      problems.push(`${c.name}: memoryReservation ${c.memoryReservation} MiB is above its hard limit memory ${c.memory} MiB`);
    }
    if (td.networkMode === 'awsvpc') {
      for (const p of c.portMappings) {
        if (p.hostPort !== undefined && p.containerPort !== undefined && p.hostPort !== 0 && p.hostPort !== p.containerPort) {
          problems.push(`${c.name}: hostPort ${p.hostPort} differs from containerPort ${p.containerPort} (awsvpc needs them equal)`);
        }
      }
    }
  }
  const taskMem = td.memory ? Number(td.memory) : undefined;
  if (fargate && taskMem) {
    const sum = td.containers.reduce((n, c) => n + (c.memory ?? c.memoryReservation ?? 0), 0);
    if (sum > taskMem) problems.push(`the containers' memory adds up to ${sum} MiB, above the task's ${taskMem} MiB`);
  }
  const logs = td.containers.map((c) => `${c.name}→${c.logDriver ? `${c.logDriver}${c.logOptions?.['awslogs-group'] ? ` ${c.logOptions['awslogs-group']}` : ''}` : 'no log driver'}`);
  const summary = [
    `${td.family ?? '?'}:${td.revision ?? '?'}`,
    td.networkMode ? `network ${td.networkMode}` : undefined,
    td.cpu || td.memory ? `cpu ${td.cpu ?? '-'} / memory ${td.memory ?? '-'}` : undefined,
    `execution role ${td.executionRoleArn ? roleNameOf(td.executionRoleArn) : 'none'}`,
    `task role ${td.taskRoleArn ? roleNameOf(td.taskRoleArn) : 'none'}`,
    `logs ${logs.join(', ')}`,
  ].filter(Boolean);
  const command = `aws ecs describe-task-definition --task-definition ${q(td.arn ?? `${td.family}:${td.revision}`)}`;
  if (problems.length) return { check: 'task-definition', status: 'fail', detail: `${capital(problems.join('; '))}.`, lines: summary as string[], command };
  return { check: 'task-definition', status: 'pass', detail: `${summary.join('; ')}.`, command };
}

export const checkTaskDefinition = fromTaskDef('task-definition', (facts) => judgeTaskDefinition(facts.taskDef));
