/** ECS Exec preflight: what a task is (its service, launch type, platform) and which container to open. */
import type { ExecTaskFacts } from './types';

// ---------------------------------------------------------------------------------------------
// The task

/** The service a task belongs to (from its `group`), or undefined for standalone tasks. */
export function serviceOfTask(task: ExecTaskFacts | undefined): string | undefined {
  const g = task?.group;
  return g?.startsWith('service:') ? g.slice('service:'.length) : undefined;
}

/** FARGATE, EC2 or EXTERNAL, reading capacity providers and container instances when launchType is absent. */
export function launchTypeOf(task: ExecTaskFacts): 'FARGATE' | 'EC2' | 'EXTERNAL' | 'MANAGED_INSTANCES' | undefined {
  const lt = task.launchType?.toUpperCase();
  if (lt === 'FARGATE' || lt === 'EC2' || lt === 'EXTERNAL' || lt === 'MANAGED_INSTANCES') return lt;
  const cp = task.capacityProviderName?.toUpperCase();
  if (cp === 'FARGATE' || cp === 'FARGATE_SPOT') return 'FARGATE';
  if (task.containerInstanceArn) return 'EC2';
  return undefined;
}

export function isWindowsFamily(platformFamily: string | undefined): boolean {
  return !!platformFamily && platformFamily.toUpperCase().startsWith('WINDOWS');
}

// ---------------------------------------------------------------------------------------------
// Versions

/** Compares dotted versions numerically ("1.10.0" > "1.4.0"); a leading "v" and suffixes are ignored. */
export function compareVersions(a: string, b: string): number {
  const nums = (v: string) =>
    v
      .trim()
      .replace(/^v/i, '')
      .split(/[.-]/)
      .map((p) => Number.parseInt(p, 10))
      .map((n) => (Number.isFinite(n) ? n : 0));
  const x = nums(a);
  const y = nums(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export function looksLikeVersion(v: string | undefined): v is string {
  return !!v && /^v?\d+(\.\d+)*/i.test(v.trim());
}


// ---------------------------------------------------------------------------------------------
// Choosing the container

/** The container to open the session in: the one asked for, or the task's only container. */
export function chooseContainer(task: ExecTaskFacts, requested?: string): { name: string } | { error: string; choices: string[] } {
  const want = requested?.trim();
  if (want) return { name: want };
  const names = (task.containers ?? []).map((c) => c.name).filter((n): n is string => !!n);
  if (names.length === 1) return { name: names[0]! };
  if (names.length === 0) return { error: 'The task reports no containers.', choices: [] };
  return { error: `The task has ${names.length} containers (${names.join(', ')}): choose one with --container.`, choices: names };
}
