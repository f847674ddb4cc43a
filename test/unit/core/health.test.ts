import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { EcsService, EcsTask, EcsTaskDefinition, HealthStatus } from '../../../src/core/ecsTypes';
import {
  clusterHealth,
  computeTaskHealth,
  needsTaskDefinition,
  serviceHealth,
  taskCondition,
  taskHealth,
  worstHealth,
} from '../../../src/core/health';

const task = (...health: (HealthStatus | undefined)[]): EcsTask => ({
  lastStatus: 'RUNNING',
  containers: health.map((h, i) => ({ name: `Container${i + 1}`, healthStatus: h })),
});

describe('health roll-up: the HealthCheck reference examples', () => {
  // Every example of the reference, as [container health..., expected task health].
  const examples: Array<[HealthStatus[], HealthStatus]> = [
    [['UNHEALTHY', 'UNKNOWN'], 'UNHEALTHY'],
    [['UNHEALTHY', 'HEALTHY'], 'UNHEALTHY'],
    [['HEALTHY', 'UNKNOWN'], 'UNKNOWN'],
    [['HEALTHY', 'HEALTHY'], 'HEALTHY'],
    [['UNHEALTHY', 'UNKNOWN', 'UNKNOWN'], 'UNHEALTHY'],
    [['UNHEALTHY', 'UNKNOWN', 'HEALTHY'], 'UNHEALTHY'],
    [['UNHEALTHY', 'HEALTHY', 'HEALTHY'], 'UNHEALTHY'],
    [['HEALTHY', 'UNKNOWN', 'HEALTHY'], 'UNKNOWN'],
    [['HEALTHY', 'UNKNOWN', 'UNKNOWN'], 'UNKNOWN'],
    [['HEALTHY', 'HEALTHY', 'HEALTHY'], 'HEALTHY'],
  ];
  for (const [containers, expected] of examples) {
    it(`${containers.join(' + ')} -> ${expected}`, () => {
      assert.equal(computeTaskHealth(task(...containers).containers!), expected);
      // Same answer whatever the order of the containers.
      assert.equal(computeTaskHealth(task(...[...containers].reverse()).containers!), expected);
      assert.equal(taskHealth(task(...containers)).health, expected);
      assert.equal(taskHealth(task(...containers)).source, 'computed');
    });
  }
});

describe('health roll-up: essential containers only', () => {
  const def: EcsTaskDefinition = {
    containerDefinitions: [{ name: 'Container1' }, { name: 'Container2', essential: false }, { name: 'Container3', essential: true }],
  };
  it('a non-essential sidecar never makes a task unhealthy', () => {
    assert.equal(taskHealth(task('HEALTHY', 'UNHEALTHY', 'HEALTHY'), def).health, 'HEALTHY');
    assert.equal(taskHealth(task('HEALTHY', 'UNKNOWN', 'HEALTHY'), def).health, 'HEALTHY');
  });
  it('essential defaults to true', () => {
    assert.equal(taskHealth(task('UNHEALTHY', 'HEALTHY', 'HEALTHY'), def).health, 'UNHEALTHY');
  });
  it('without the task definition every container counts', () => {
    assert.equal(taskHealth(task('HEALTHY', 'UNHEALTHY', 'HEALTHY')).health, 'UNHEALTHY');
  });
  it('a container with no health check (no healthStatus) is UNKNOWN', () => {
    assert.equal(taskHealth(task('HEALTHY', undefined)).health, 'UNKNOWN');
  });
  it("the task's own healthStatus wins when ECS gives it", () => {
    const t = { ...task('HEALTHY', 'UNHEALTHY'), healthStatus: 'HEALTHY' };
    assert.deepEqual(taskHealth(t), { health: 'HEALTHY', source: 'task' });
    assert.equal(needsTaskDefinition(t), false);
    assert.equal(needsTaskDefinition(task('HEALTHY', 'UNHEALTHY')), true);
    assert.equal(needsTaskDefinition(task('HEALTHY')), true, 'one reported container may be a sidecar: only the task definition says');
  });
  it('an essential container the task does not report is UNKNOWN: a lone HEALTHY sidecar is no healthy task', () => {
    const sidecarOnly: EcsTask = { lastStatus: 'RUNNING', containers: [{ name: 'Container2', healthStatus: 'HEALTHY' }] };
    assert.equal(taskHealth(sidecarOnly, def).health, 'UNKNOWN');
    const allEssentialsHealthy: EcsTask = { lastStatus: 'RUNNING', containers: [{ name: 'Container1', healthStatus: 'HEALTHY' }, { name: 'Container3', healthStatus: 'HEALTHY' }] };
    assert.equal(taskHealth(allEssentialsHealthy, def).health, 'HEALTHY', 'the sidecar missing changes nothing');
  });
  it('no essential container known is UNKNOWN; an empty set has no health', () => {
    assert.equal(computeTaskHealth([]), 'UNKNOWN');
    assert.equal(worstHealth([]), undefined);
  });
});

describe('health roll-up: services and clusters', () => {
  const svc = (over: Partial<EcsService> = {}): EcsService => ({
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }],
    ...over,
  });
  const t = (h: HealthStatus, lastStatus = 'RUNNING') => ({ task: { lastStatus }, health: h });

  it('rolls up over running tasks only', () => {
    const h = serviceHealth(svc(), [t('HEALTHY'), t('HEALTHY'), t('UNHEALTHY', 'STOPPED')]);
    assert.equal(h.health, 'HEALTHY');
    assert.equal(h.condition, 'healthy');
    assert.equal(serviceHealth(svc(), [t('HEALTHY'), t('UNKNOWN')]).health, 'UNKNOWN');
    const bad = serviceHealth(svc(), [t('HEALTHY'), t('UNHEALTHY')]);
    assert.equal(bad.health, 'UNHEALTHY');
    assert.equal(bad.unhealthyTasks, 1);
    assert.equal(bad.condition, 'failed');
  });
  it('shows running < desired separately from health', () => {
    const h = serviceHealth(svc({ runningCount: 1 }), [t('HEALTHY')]);
    assert.equal(h.health, 'HEALTHY');
    assert.equal(h.belowDesired, true);
    assert.equal(h.condition, 'degraded');
    assert.equal(serviceHealth(svc({ runningCount: 0 })).condition, 'failed', 'nothing running of 2 desired');
  });
  it('reads the rollout state and a circuit-breaker rollback', () => {
    assert.equal(serviceHealth(svc({ deployments: [{ status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }] })).condition, 'deploying');
    const failed = serviceHealth(svc({ deployments: [{ status: 'PRIMARY', rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1' }] }));
    assert.equal(failed.rolloutState, 'FAILED');
    assert.equal(failed.rolledBack, true);
    assert.equal(failed.condition, 'failed');
  });
  it('idle when nothing is desired', () => {
    assert.equal(serviceHealth(svc({ desiredCount: 0, runningCount: 0 }), []).condition, 'idle');
  });
  it('a cluster is the worst of its services', () => {
    const c = clusterHealth([serviceHealth(svc(), [t('HEALTHY')]), serviceHealth(svc({ runningCount: 1 }), [t('UNKNOWN')])]);
    assert.equal(c.health, 'UNKNOWN');
    assert.equal(c.condition, 'degraded');
    assert.equal(c.belowDesired, 1);
    const bad = clusterHealth([serviceHealth(svc(), [t('UNHEALTHY')]), serviceHealth(svc(), [t('HEALTHY')])]);
    assert.equal(bad.health, 'UNHEALTHY');
    assert.equal(bad.condition, 'failed');
    assert.equal(clusterHealth([]).condition, undefined);
  });
  it('task conditions follow the lifecycle', () => {
    assert.equal(taskCondition({ lastStatus: 'PROVISIONING' }, 'UNKNOWN'), 'starting');
    assert.equal(taskCondition({ lastStatus: 'ACTIVATING' }, 'UNKNOWN'), 'starting');
    assert.equal(taskCondition({ lastStatus: 'DEACTIVATING' }, 'HEALTHY'), 'stopping');
    assert.equal(taskCondition({ lastStatus: 'STOPPED' }, 'UNHEALTHY'), 'stopped');
    assert.equal(taskCondition({ lastStatus: 'RUNNING' }, 'UNHEALTHY'), 'failed');
  });
});
