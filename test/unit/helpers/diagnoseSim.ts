// Shared set-up for the live-evidence tests: the 'diagnose' scenario in the simulator and an
// AwsSession pointed at it (dummy credentials from the environment, as the AWS CLI would read them).
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand } from '@aws-sdk/client-ecs';
import { AwsSession } from '../../../src/aws/session';
import { memo, type EvidenceContext } from '../../../src/aws/diagnose/context';
import { toServiceFacts, toTaskDefFacts, toTaskFacts } from '../../../src/aws/diagnose/facts';
import type { Evidence } from '../../../src/core/diagnose/types';
import { startSimulator, type Simulator } from '../../../sim/server';

process.env.AWS_ACCESS_KEY_ID ??= 'AKIASIMULATOR0000001';
process.env.AWS_SECRET_ACCESS_KEY ??= 'simulator-secret-key';
delete process.env.AWS_PROFILE;

/** Task ids of the 'diagnose' scenario: d000...0NN with NN in hex. */
export const T = (n: number) => `d0000000000000000000000000000${n.toString(16).padStart(3, '0')}`;

export const CLUSTER = 'diag';

export async function startDiagnoseSim(): Promise<{ sim: Simulator; session: AwsSession; stop(): Promise<void> }> {
  const sim = await startSimulator({ scenario: 'diagnose' });
  const session = new AwsSession({ endpoint: sim.url, region: 'us-east-1', maxAttempts: 1 });
  return {
    sim,
    session,
    async stop() {
      session.dispose();
      await sim.stop();
    },
  };
}

/** The context diagnoseTask() builds, made directly so a collector can be tested alone. */
export async function contextFor(session: AwsSession, task: string): Promise<EvidenceContext> {
  const t = (await session.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: [task] }))).tasks![0]!;
  const td = (await session.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: t.taskDefinitionArn! }))).taskDefinition!;
  const ctx: EvidenceContext = { session, region: 'us-east-1', cluster: CLUSTER, task: toTaskFacts(t), taskDef: toTaskDefFacts(td), once: memo() };
  if (t.group?.startsWith('service:')) {
    const svc = (await session.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [t.group.slice(8)] }))).services![0]!;
    ctx.service = toServiceFacts(svc);
  }
  return ctx;
}

export function only(rows: Evidence[], check: Evidence['check'], title?: RegExp): Evidence {
  const hits = rows.filter((r) => r.check === check && (!title || title.test(r.title ?? '')));
  if (hits.length !== 1) throw new Error(`expected one ${check} row${title ? ` titled ${title}` : ''}, got ${hits.length}: ${JSON.stringify(rows, null, 1)}`);
  return hits[0]!;
}
