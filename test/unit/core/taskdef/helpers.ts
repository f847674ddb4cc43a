import { strict as assert } from 'node:assert';
import { applyEdits, lintText, type Finding, type LintOptions } from '../../../../src/core/taskdef';

export type Json = Record<string, unknown>;

/** A healthy Fargate register-task-definition document: no rule fires on it. */
export function goodTask(): Json {
  return {
    family: 'web',
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '512',
    memory: '1024',
    executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
    containerDefinitions: [goodContainer()],
  };
}

export function goodContainer(over: Json = {}): Json {
  return {
    name: 'app',
    image: 'public.ecr.aws/nginx/nginx:1.27',
    essential: true,
    portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
    healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'], interval: 30, timeout: 5, retries: 3, startPeriod: 60 },
    logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'ecs' } },
    ...over,
  };
}

/** A task with one container changed by `over` (and the task by `task`). */
export function withContainer(over: Json, task: Json = {}): string {
  return JSON.stringify({ ...goodTask(), ...task, containerDefinitions: [goodContainer(over)] }, null, 2);
}

export function lint(text: string, options?: LintOptions): Finding[] {
  return lintText(text, options).findings;
}

export function ids(text: string, options?: LintOptions): string[] {
  return lint(text, options).map((f) => f.ruleId);
}

export function only(text: string, ruleId: string): Finding[] {
  return lint(text).filter((f) => f.ruleId === ruleId);
}

/** The text under a finding's range. */
export function under(text: string, f: Finding): string {
  return text.slice(f.offset, f.offset + f.length);
}

/** Applies the finding's fix (the preferred one by default) and returns the new text. */
export function applyFix(text: string, f: Finding, title?: string | RegExp): string {
  const fix = title === undefined ? (f.fixes.find((x) => x.isPreferred) ?? f.fixes[0]) : f.fixes.find((x) => (typeof title === 'string' ? x.title === title : title.test(x.title)));
  assert.ok(fix, `no fix ${String(title ?? '(preferred)')} for ${f.ruleId}; have ${f.fixes.map((x) => x.title).join(', ')}`);
  return applyEdits(text, fix.edits);
}

/** The parsed value after a fix (the fix must keep the document valid JSON). */
export function parsed(text: string): any {
  return JSON.parse(text);
}
