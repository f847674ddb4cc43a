import * as vscode from 'vscode';
import type { AwsSession } from '../../aws/session';
import { loadAws } from '../../awsLoader';
import { clusterNameOf, parseTaskArn, taskIdOf } from '../../core/arn';
import { userMessage } from '../../core/awsErrors';
import type { TaskChoice } from '../../core/diagnose/choices';
import type { DiagnoseResult } from '../../core/diagnose/pipeline';
import { redact } from '../../core/redact';
import type { Ctx } from '../context';
import { commandUi, type CommandUi } from './ui';
import { showDiagnosisReport, type ReportModel, type ReportPanel } from '../report';

export const COMMAND = 'ecsDoctor.diagnoseStoppedTask';
const CLUSTER_KEY = 'ecsDoctor.diagnose.lastCluster';

/** What the explorer passes: a task or container node (or anything with these fields). */
export interface DiagnoseTarget {
  clusterArn?: string;
  cluster?: string;
  taskArn?: string;
  task?: string | { taskArn?: string; clusterArn?: string };
  region?: string;
  scope?: { region?: string; profile?: string };
}

export interface ClusterItem extends vscode.QuickPickItem {
  clusterArn: string;
}
export interface TaskItem extends vscode.QuickPickItem {
  choice: TaskChoice;
}

/** The UI the command uses; tests pass their own (the AWS Toolkit's pattern). */
export interface DiagnoseUi extends CommandUi {
  pickCluster(items: ClusterItem[], title: string): Promise<ClusterItem | undefined>;
  pickTask(items: TaskItem[], title: string): Promise<TaskItem | undefined>;
}

export function defaultUi(ctx: Ctx): DiagnoseUi {
  return {
    ...commandUi(ctx),
    pickCluster: async (items, title) => vscode.window.showQuickPick(items, { title, placeHolder: 'Cluster', matchOnDescription: true, ignoreFocusOut: true }),
    pickTask: async (items, title) =>
      vscode.window.showQuickPick(items, { title, placeHolder: 'Task to diagnose (newest first)', matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true }),
  };
}

export function register(ctx: Ctx): void {
  ctx.push(vscode.commands.registerCommand(COMMAND, (arg?: unknown) => diagnoseStoppedTask(ctx, arg)));
}

/** cluster and task of an explorer node, a task ARN string, or nothing. */
export function targetOf(arg: unknown): { cluster?: string; task?: string; region?: string; profile?: string } {
  if (typeof arg === 'string') {
    // arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/ID carries its cluster.
    const t = parseTaskArn(arg.trim());
    return t?.cluster && t.region ? { task: arg.trim(), cluster: t.cluster, region: t.region } : {};
  }
  if (!arg || typeof arg !== 'object') return {};
  const a = arg as DiagnoseTarget;
  const nested = typeof a.task === 'object' && a.task ? a.task : undefined;
  const task = a.taskArn ?? (typeof a.task === 'string' ? a.task : nested?.taskArn);
  let cluster = a.clusterArn ?? a.cluster ?? nested?.clusterArn;
  const fromArn = task ? targetOf(task) : {};
  cluster ??= fromArn.cluster;
  const out: { cluster?: string; task?: string; region?: string; profile?: string } = {};
  if (cluster) out.cluster = cluster;
  if (task) out.task = task;
  const region = a.scope?.region ?? a.region ?? fromArn.region;
  if (region) out.region = region;
  if (a.scope?.profile) out.profile = a.scope.profile;
  return out;
}

function ago(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

function shortReason(c: TaskChoice): string {
  const text = c.stoppedReason ?? c.container?.reason ?? (c.healthStatus === 'UNHEALTHY' ? 'Running, failing its health checks' : '');
  const exit = c.container && c.container.exitCode !== null && c.container.exitCode !== undefined ? ` (${c.container.name} exit ${c.container.exitCode})` : '';
  const one = redact(text.replace(/\s+/g, ' ').trim());
  return `${one.length > 140 ? `${one.slice(0, 139)}…` : one}${exit}`;
}

export function taskItems(choices: TaskChoice[], now = Date.now()): TaskItem[] {
  return choices.map((c) => ({
    label: `${c.lastStatus === 'RUNNING' ? '$(heart) ' : '$(error) '}${c.taskId}`,
    description: [c.stopCode ?? (c.lastStatus === 'RUNNING' ? 'UNHEALTHY' : c.lastStatus), c.service ? `service ${c.service}` : c.group, ago(c.time, now)].filter(Boolean).join(' · '),
    detail: shortReason(c),
    choice: c,
  }));
}

/**
 * ECS Doctor: Diagnose Task (id ecsDoctor.diagnoseStoppedTask, kept for key bindings). From the palette: pick a cluster (the last one is offered
 * first), then one of its recent stopped tasks or running tasks failing health checks, then the
 * report opens. From the explorer: the node names the task. Returns the report (for tests).
 */
export async function diagnoseStoppedTask(ctx: Ctx, arg?: unknown, ui: DiagnoseUi = defaultUi(ctx)): Promise<ReportPanel | undefined> {
  const target = targetOf(arg);
  let session: AwsSession;
  let own: AwsSession | undefined;
  try {
    ({ session, own } = await sessionFor(ctx, target));
  } catch (err) {
    ui.error(`ECS Doctor: ${userMessage(err, { profile: ctx.config.settings.profile || process.env.AWS_PROFILE || undefined })}`);
    return undefined;
  }
  try {
    const aws = await loadAws();
    let cluster = target.cluster;
    let task = target.task;
    const scopeKey = `${session.profile ?? ''}|${await session.region()}|${session.endpoint ?? ''}`;
    if (!cluster) {
      const arns = await ui.withProgress('ECS Doctor: listing clusters…', () => aws.listClusterArns(session));
      if (!arns.length) {
        ui.info(`ECS Doctor: no clusters in ${await session.region()}${session.profile ? ` (profile ${session.profile})` : ''}.`);
        return undefined;
      }
      const remembered = ctx.extensionContext.workspaceState.get<Record<string, string>>(CLUSTER_KEY, {})[scopeKey];
      const sorted = [...arns].sort((a, b) => (a === remembered ? -1 : b === remembered ? 1 : clusterNameOf(a).localeCompare(clusterNameOf(b))));
      const picked = await ui.pickCluster(
        sorted.map((arn) => ({ label: clusterNameOf(arn), description: arn === remembered ? 'last used' : '', clusterArn: arn })),
        `Diagnose Task (${await session.region()}): cluster`,
      );
      if (!picked) return undefined;
      cluster = picked.clusterArn;
      const all = ctx.extensionContext.workspaceState.get<Record<string, string>>(CLUSTER_KEY, {});
      await ctx.extensionContext.workspaceState.update(CLUSTER_KEY, { ...all, [scopeKey]: cluster });
    }
    if (!task) {
      const c = cluster;
      const choices = await ui.withProgress(`ECS Doctor: reading the stopped tasks of ${clusterNameOf(c)}…`, () => aws.listDiagnosableTasks(session, c));
      if (!choices.length) {
        ui.info(`ECS Doctor: cluster ${clusterNameOf(c)} has no stopped task (ECS keeps them about an hour) and no running task failing its health checks.`);
        return undefined;
      }
      const picked = await ui.pickTask(taskItems(choices), `Diagnose Task: ${clusterNameOf(c)}`);
      if (!picked) return undefined;
      task = picked.choice.taskArn;
    }
    const c = cluster;
    const t = task;
    const run = async (): Promise<ReportModel> => {
      const result = await ui.withProgress(`ECS Doctor: diagnosing task ${taskIdOf(t).slice(0, 8)}…`, () => aws.diagnoseTask(session, c, t));
      ctx.log.info(`Diagnosed ${taskIdOf(t)}: ${result.diagnosis.category}/${result.diagnosis.variant}, ${summary(result)}`);
      return modelOf(result, c);
    };
    const model = await run();
    return showDiagnosisReport(ctx, model, async () => {
      try {
        const fresh = own ? (await sessionFor(ctx, target)).session : session;
        if (fresh === session) return await run();
        const result = await ui.withProgress(`ECS Doctor: diagnosing task ${taskIdOf(t).slice(0, 8)}…`, () => aws.diagnoseTask(fresh, c, t));
        fresh.dispose();
        return modelOf(result, c);
      } catch (err) {
        ui.error(`ECS Doctor could not diagnose task ${taskIdOf(t)}: ${messageOf(aws, err, session)}`);
        return undefined;
      }
    });
  } catch (err) {
    ctx.log.error(err instanceof Error ? err : String(err));
    const aws = await loadAws().catch(() => undefined);
    ui.error(`ECS Doctor could not diagnose${target.task ? ` task ${taskIdOf(target.task)}` : ''}: ${aws ? messageOf(aws, err, session) : userMessage(err)}`);
    return undefined;
  } finally {
    own?.dispose();
  }
}

function messageOf(aws: Awaited<ReturnType<typeof loadAws>>, err: unknown, session: AwsSession): string {
  return aws.diagnoseErrorMessage(err, { profile: session.profile ?? (process.env.AWS_PROFILE || undefined) });
}

function summary(r: DiagnoseResult): string {
  const ev = r.diagnosis.evidence ?? [];
  const n = (s: string) => ev.filter((e) => e.status === s).length;
  return `${n('pass')} passed, ${n('fail')} failed, ${n('skipped')} skipped`;
}

export function modelOf(result: DiagnoseResult, cluster: string): ReportModel {
  return { diagnosis: result.diagnosis, task: result.task, cluster, region: result.region, generatedAt: new Date().toISOString(), mode: 'live' };
}

/** The session of the explorer node's profile and Region (ctx.sessionForNode: shared, owned by the Ctx). */
async function sessionFor(ctx: Ctx, target: { region?: string; profile?: string }): Promise<{ session: AwsSession; own?: AwsSession }> {
  return { session: await ctx.sessionFor(target) };
}
