// The demo account with what the thin-endpoint and Region tests need on top: a cluster `prod-2`
// (a thin endpoint's ListTasks matches `prod` as a prefix and lists its task) and a cluster `west`
// in us-west-2 (served only to calls signed for that Region).
import { readScenario } from '../../../sim/scenario';
import type { ScenarioData } from '../../../sim/types';

export function thinScenario(): ScenarioData {
  const demo = readScenario('demo');
  return {
    ...demo,
    name: 'thin-demo',
    clusters: [
      ...(demo.clusters ?? []),
      { name: 'prod-2', tasks: [{ taskDefinition: 'worker:4', startedBy: 'prod-2-runner' }] },
      { name: 'west', region: 'us-west-2', tasks: [{ taskDefinition: 'worker:4', startedBy: 'west-runner' }] },
    ],
  };
}
