/** Memory limits against what was killed. */
import type { TaskDefFacts, TaskFacts } from '../facts';
import { fromTaskDef } from '../live';
import type { Evidence } from '../types';

/** Memory limits against what was killed: the OOM-killed (or exit 137) container's hard limit. */
export function judgeMemory(td: TaskDefFacts, task: TaskFacts): Evidence {
  const limits = td.containers.map(
    (c) => `${c.name}: ${c.memory !== undefined ? `hard limit ${c.memory} MiB` : 'no hard limit'}${c.memoryReservation !== undefined ? `, reservation ${c.memoryReservation} MiB` : ''}`,
  );
  const taskMem = td.memory ? `task memory ${td.memory} MiB` : 'no task-level memory';
  const killed = task.containers.filter((c) => /OutOfMemory/i.test(c.reason ?? '') || c.exitCode === 137);
  const oom = killed.filter((c) => /OutOfMemory/i.test(c.reason ?? ''));
  if (oom.length || /OutOfMemory/i.test(task.stoppedReason ?? '')) {
    const who = oom[0] ?? killed[0];
    const def = who ? td.containers.find((c) => c.name === who.name) : undefined;
    const limit = def?.memory !== undefined ? `its hard limit of ${def.memory} MiB` : td.memory ? `the task's ${td.memory} MiB` : 'its memory limit';
    return {
      check: 'memory',
      status: 'fail',
      detail: `${who ? who.name : 'A container'} was killed for using more memory than ${limit} (${taskMem}).`,
      lines: limits,
    };
  }
  if (killed.length) {
    const who = killed[0]!;
    const def = td.containers.find((c) => c.name === who.name);
    return {
      check: 'memory',
      status: 'pass',
      detail: `${who.name} exited with 137 (SIGKILL) but no out-of-memory reason was reported: more likely a stop that outlived stopTimeout (${def?.stopTimeout ?? 30} s) than memory. ${taskMem}.`,
      lines: limits,
    };
  }
  return { check: 'memory', status: 'pass', detail: `No container was killed for memory (${taskMem}).`, lines: limits };
}

export const checkMemory = fromTaskDef('memory', (facts) => judgeMemory(facts.taskDef, facts.task));
