// A service that looks wrong offers Diagnose Service inline: its row's contextValue must match the
// inline menu's `when` regex in package.json, and a healthy one's must not. A rollout that makes no
// progress reads "deployment stuck" on the row (from its description alone, no extra call).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { EcsService } from '../../../../src/core/ecsTypes';
import { serviceHealth } from '../../../../src/core/health';
import { present, type ServiceNode } from '../../../../src/core/explorer/model';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const ago = (min: number) => new Date(NOW - min * 60_000);

/** The inline Diagnose Service menu entry's `viewItem =~ /.../` regex, as VS Code reads it. */
function inlineDiagnoseRegex(): RegExp {
  const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../../../package.json'), 'utf8'));
  const entry = (pkg.contributes.menus['view/item/context'] as Array<{ command: string; when: string; group?: string }>).find(
    (m) => m.command === 'ecsDoctor.diagnoseService' && m.group?.startsWith('inline'),
  );
  assert.ok(entry, 'an inline Diagnose Service entry');
  const m = /viewItem =~ \/(.+)\/$/.exec(entry.when);
  assert.ok(m, entry.when);
  return new RegExp(m[1]!);
}

function node(service: EcsService): ServiceNode {
  return {
    kind: 'service',
    id: 'svc',
    parent: undefined,
    scope: undefined,
    state: 'loaded',
    children: [],
    region: 'us-east-1',
    clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web',
    serviceName: 'web',
    service,
    health: serviceHealth(service, [], NOW),
  };
}

const steady: EcsService = { serviceName: 'web', status: 'ACTIVE', desiredCount: 2, runningCount: 2, deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED', desiredCount: 2, runningCount: 2, createdAt: ago(600) }], events: [] };
const stuck: EcsService = {
  ...steady,
  deployments: [
    { status: 'PRIMARY', rolloutState: 'IN_PROGRESS', desiredCount: 2, runningCount: 0, createdAt: ago(120) },
    { status: 'ACTIVE', rolloutState: 'COMPLETED', desiredCount: 2, runningCount: 2, createdAt: ago(600) },
  ],
};

describe('the service row asks for attention when it looks wrong', () => {
  it('a healthy service: no inline Diagnose Service', () => {
    const p = present(node(steady));
    assert.doesNotMatch(p.contextValue ?? '', inlineDiagnoseRegex());
  });

  it('a rollout stuck for 2 h: "deployment stuck" on the row, degraded, Diagnose Service inline', () => {
    const n = node(stuck);
    assert.equal(n.health?.condition, 'degraded');
    const p = present(n);
    assert.match(String(p.description), /deployment stuck: 2 h in progress/);
    assert.doesNotMatch(String(p.description), /deploying/);
    assert.match(p.contextValue ?? '', inlineDiagnoseRegex());
    assert.match(p.contextValue ?? '', /\.stuck\./);
  });

  it('a rollout 10 min old is deploying, not stuck', () => {
    const young: EcsService = { ...stuck, deployments: [{ ...stuck.deployments![0]!, createdAt: ago(10) }, stuck.deployments![1]!] };
    const p = present(node(young));
    assert.match(String(p.description), /deploying/);
    assert.doesNotMatch(String(p.description), /stuck/);
  });

  it('a service with nothing running of 2 desired: failed, Diagnose Service inline', () => {
    const down: EcsService = { ...steady, runningCount: 0, deployments: [{ ...steady.deployments![0]!, runningCount: 0 }] };
    const p = present(node(down));
    assert.match(p.contextValue ?? '', inlineDiagnoseRegex());
  });
});

describe('a rollback in the last hour shows on the row after it completed', () => {
  const events = (minAgo: number) => [
    { createdAt: ago(minAgo - 1), message: '(service web) (deployment ecs-svc/1) deployment completed.' },
    { createdAt: ago(minAgo), message: '(service web) rolling back to deployment ecs-svc/1.' },
    { createdAt: ago(minAgo + 1), message: '(service web) (deployment ecs-svc/2) deployment failed: tasks failed to start.' },
  ];
  it('rolled back 12 min ago: "rolled back", degraded, Diagnose Service inline', () => {
    const n = node({ ...steady, events: events(12) });
    assert.equal(n.health?.rolledBack, true);
    assert.equal(n.health?.condition, 'degraded');
    const p = present(n);
    assert.match(String(p.description), /rolled back/);
    assert.match(p.contextValue ?? '', inlineDiagnoseRegex());
  });
  it('rolled back 3 h ago, or at an unknown time: no longer flagged', () => {
    assert.equal(node({ ...steady, events: events(180) }).health?.rolledBack, false);
    assert.equal(node({ ...steady, events: [{ message: '(service web) rolling back to deployment ecs-svc/1.' }] }).health?.rolledBack, false);
  });
});

describe('a Stopped group with nothing in it', () => {
  it('reads "none in the last hour", not "0 in the last hour"', () => {
    const svc = node(steady);
    svc.glance = { stopped: 0, more: false, trouble: 0, restarting: false, text: undefined };
    const group = { kind: 'stoppedGroup', id: 'svc/stopped', parent: svc, scope: undefined, state: 'idle', region: 'us-east-1', clusterArn: svc.clusterArn, serviceName: 'web' } as unknown as Parameters<typeof present>[0];
    assert.equal(present(group).description, 'none in the last hour');
  });
});
