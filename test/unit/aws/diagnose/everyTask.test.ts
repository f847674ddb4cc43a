// Every stopped task (and every running task failing its health checks) of every simulator
// scenario, diagnosed live: no evidence row says pass without having looked, no command carries a
// placeholder for a value the tool knew, and each report leads with its verdict.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { diagnoseTask } from '../../../../src/aws/diagnose/diagnose';
import { AwsSession } from '../../../../src/aws/session';
import { clusterNameOf, taskIdOf } from '../../../../src/core/arn';
import { diagnosisText } from '../../../../src/core/diagnose/format';
import type { DiagnoseResult } from '../../../../src/core/diagnose/pipeline';
import { listScenarios } from '../../../../sim/scenario';
import { startSimulator, type Simulator } from '../../../../sim/server';
import '../../helpers/diagnoseSim';

/** Words a row uses when it did not look (it must then be "not checked", never "pass"). */
const DID_NOT_LOOK = /not checked|could not (?:check|read|be read)|its policies were not read|were not reported|not simulated, so|confirm it allows/i;

/** The placeholders a live diagnosis of this task knew the value of. */
function knownPlaceholders(sim: Simulator, r: DiagnoseResult): string[] {
  const t = r.task;
  const known = ['cluster', 'task', 'task-id', 'load-balancer-subnet-cidr'];
  if (t.createdAt || t.startedAt) known.push('start', 'end');
  if (t.group?.startsWith('service:')) known.push('service');
  if (t.subnetId) {
    known.push('subnet-id');
    if ((sim.state.ec2.subnets ?? []).some((s) => s.subnetId === t.subnetId && s.vpcId)) known.push('vpc-id');
  }
  const td = r.taskDefinition;
  if (td) {
    known.push('task-definition', 'family');
    if (td.executionRoleArn) known.push('execution-role', 'execution-role-arn');
    if (td.containers.some((c) => c.logDriver === 'awslogs')) known.push('log-group');
  }
  return known;
}

function commandsOf(r: DiagnoseResult): string[] {
  const d = r.diagnosis;
  return [...d.fixes.map((f) => f.command), ...(d.evidence ?? []).flatMap((e) => [e.command, e.fix?.command])].filter((c): c is string => !!c);
}

async function everyTask(scenario: string, check: (sim: Simulator, r: DiagnoseResult, where: string) => void): Promise<number> {
  const sim = await startSimulator({ scenario });
  const session = new AwsSession({ endpoint: sim.url, region: sim.state.region, maxAttempts: 1 });
  let n = 0;
  try {
    for (const c of sim.state.ecs.clusters.values()) {
      for (const t of c.tasks.values()) {
        const unhealthy = t.lastStatus === 'RUNNING' && (t.containers ?? []).some((x) => x.healthStatus === 'UNHEALTHY');
        if (t.lastStatus !== 'STOPPED' && !unhealthy) continue;
        const r = await diagnoseTask(session, c.cluster.clusterArn!, t.taskArn!);
        check(sim, r, `${scenario}/${clusterNameOf(c.cluster.clusterArn!)}/${taskIdOf(t.taskArn!)} (${r.diagnosis.category}/${r.diagnosis.variant})`);
        n++;
      }
    }
  } finally {
    session.dispose();
    await sim.stop();
  }
  return n;
}

describe('every diagnosable task of every scenario', () => {
  for (const scenario of listScenarios().filter((s) => s !== 'large')) {
    it(`${scenario}: honest rows, real values, the verdict first`, async () => {
      await everyTask(scenario, (sim, r, where) => {
        const d = r.diagnosis;
        for (const e of d.evidence ?? []) {
          if (e.status !== 'pass') continue;
          assert.doesNotMatch(e.detail, DID_NOT_LOOK, `${where}: a pass row that did not look: ${e.check}: ${e.detail}`);
          assert.equal(e.missingPermission, undefined, `${where}: a pass row naming a missing permission: ${e.detail}`);
          // The task's own record is read, whatever it says; a health check beside UNHEALTHY is not a pass.
          if (e.check !== 'task-fields') assert.doesNotMatch(e.detail, /UNHEALTHY/, `${where}: "pass" beside UNHEALTHY: ${e.detail}`);
        }
        const known = knownPlaceholders(sim, r);
        for (const cmd of commandsOf(r)) {
          assert.doesNotMatch(cmd, /file:\/\//, `${where}: a command points to a file that does not exist: ${cmd}`);
          for (const [, name] of cmd.matchAll(/<([a-z][a-z-]*)>/g)) assert.ok(!known.includes(name!), `${where}: <${name}> is known: ${cmd}`);
          // With the task definition read, its secrets are known: checking "the secret" names them (or is no step).
          if (r.taskDefinition) assert.doesNotMatch(cmd, /describe-secret --secret-id <secret-arn>/, `${where}: the task's secrets are known: ${cmd}`);
        }
        assert.ok(d.verdict, `${where}: no verdict`);
        const text = diagnosisText(d, { task: r.task });
        const lines = text.split('\n');
        assert.equal(lines[3], 'Verdict', `${where}: the report does not lead with its verdict:\n${text.slice(0, 400)}`);
        assert.equal(lines[4]!.slice(0, 40), `  ${d.verdict}`.slice(0, 40), where);
      });
    });
  }

  it('covers the stopped tasks the scenarios hold', async () => {
    assert.ok((await everyTask('diagnose', () => undefined)) >= 20);
  });
});
