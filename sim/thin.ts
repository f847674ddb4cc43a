// A thin endpoint's ECS answers (faults.thin): the fields moto and LocalStack (whose ECS is
// moto's) leave out or fill differently from ECS, applied to the simulator's own views so a
// scenario reads the same with and without it. ECS Doctor must give right answers or "could not
// check" over these, never a wrong verdict.
import type { Service, Task } from '@aws-sdk/client-ecs';

/**
 * A task as a thin endpoint describes it: no task or container health, no stopCode, no managed
 * agents (so no ExecuteCommandAgent), and exitCode 0 on containers that are still running.
 */
export function thinTask(t: Task): Task {
  const out: Task = { ...t };
  delete out.healthStatus;
  delete out.stopCode;
  out.containers = (t.containers ?? []).map((c) => {
    const x = { ...c };
    delete x.healthStatus;
    delete x.managedAgents;
    if (x.exitCode === undefined || x.exitCode === null) {
      if (x.lastStatus === 'RUNNING' || t.lastStatus === 'RUNNING') x.exitCode = 0;
    }
    return x;
  });
  return out;
}

/** A service as a thin endpoint describes it: runningCount and pendingCount 0 whatever runs. */
export function thinService(s: Service): Service {
  return {
    ...s,
    runningCount: 0,
    pendingCount: 0,
    deployments: (s.deployments ?? []).map((d) => ({ ...d, runningCount: 0, pendingCount: 0 })),
  };
}
