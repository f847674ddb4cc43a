import * as vscode from 'vscode';
import type { AwsSession } from '../../aws/session';
import { loadAws } from '../../awsLoader';
import { clusterNameOf, parseArn, serviceNameOf } from '../../core/arn';
import { userMessage } from '../../core/awsErrors';
import type { ServiceReport } from '../../core/diagnose/service';
import type { Ctx } from '../context';
import { commandUi, type CommandUi } from './ui';
import { ServiceReportPanel } from '../report/servicePanel';

/**
 * ECS Doctor: Diagnose Service. On a service node of the explorer (context menu; also inline when
 * the explorer flags the service: its contextValue ends in `.attention`), or from the palette:
 * pick a cluster, then a service. Opens the service report (verdict, causes and fixes, evidence,
 * stopped groups, arithmetic, timeline).
 */
export const COMMAND = 'ecsDoctor.diagnoseService';

export interface ServiceTarget {
  clusterArn?: string;
  cluster?: string;
  serviceArn?: string;
  serviceName?: string;
  region?: string;
  scope?: { region?: string; profile?: string };
}

export interface Pick extends vscode.QuickPickItem {
  value: string;
}

/** The UI the command uses; tests pass their own. */
export interface DiagnoseServiceUi extends CommandUi {
  pick(items: Pick[], title: string, placeHolder: string): Promise<Pick | undefined>;
}

export function defaultUi(ctx: Ctx): DiagnoseServiceUi {
  return {
    ...commandUi(ctx),
    pick: async (items, title, placeHolder) => vscode.window.showQuickPick(items, { title, placeHolder, matchOnDescription: true, ignoreFocusOut: true }),
  };
}

export function register(ctx: Ctx): void {
  ctx.push(vscode.commands.registerCommand(COMMAND, (arg?: unknown, ui?: DiagnoseServiceUi) => diagnoseServiceCommand(ctx, arg, ui)));
}

/** Cluster and service of an explorer node or a service ARN. */
export function serviceTargetOf(arg: unknown): { cluster?: string; service?: string; region?: string; profile?: string } {
  if (typeof arg === 'string') {
    const a = parseArn(arg.trim());
    const m = /^service\/([^/]+)\/(.+)$/.exec(a?.resource ?? '');
    return m && a ? { cluster: m[1]!, service: arg.trim(), region: a.region } : {};
  }
  if (!arg || typeof arg !== 'object') return {};
  const t = arg as ServiceTarget;
  const out: { cluster?: string; service?: string; region?: string; profile?: string } = {};
  const cluster = t.clusterArn ?? t.cluster;
  const service = t.serviceArn ?? t.serviceName;
  if (cluster) out.cluster = cluster;
  if (service) out.service = service;
  const region = t.scope?.region ?? t.region;
  if (region) out.region = region;
  if (t.scope?.profile) out.profile = t.scope.profile;
  return out;
}

export async function diagnoseServiceCommand(ctx: Ctx, arg?: unknown, ui: DiagnoseServiceUi = defaultUi(ctx)): Promise<ServiceReportPanel | undefined> {
  const target = serviceTargetOf(arg);
  let session: AwsSession;
  let own: AwsSession | undefined;
  try {
    session = await ctx.session();
    const region = await session.region().catch(() => undefined);
    if ((target.region && target.region !== region) || (target.profile && target.profile !== (session.profile ?? ''))) {
      const { AwsSession } = await loadAws();
      const s = ctx.config.settings;
      own = new AwsSession({ profile: target.profile ?? s.profile, region: target.region ?? region ?? s.region, endpoint: s.endpoint, logger: ctx.log });
      session = own;
    }
  } catch (err) {
    ui.error(`ECS Doctor: ${userMessage(err)}`);
    return undefined;
  }
  try {
    const aws = await loadAws();
    let cluster = target.cluster;
    let service = target.service;
    if (!cluster) {
      const arns = await ui.withProgress('ECS Doctor: listing clusters…', () => aws.listClusterArns(session));
      if (!arns.length) {
        ui.info(`ECS Doctor: no clusters in ${await session.region()}.`);
        return undefined;
      }
      const picked = await ui.pick(arns.map((a) => ({ label: clusterNameOf(a), value: a })), 'Diagnose Service: cluster', 'Cluster');
      if (!picked) return undefined;
      cluster = picked.value;
    }
    if (!service) {
      const c = cluster;
      const ecs = aws.ecsDataFor(session);
      const list = await ui.withProgress(`ECS Doctor: listing the services of ${clusterNameOf(c)}…`, () => ecs.services(c));
      if (!list.items.length) {
        ui.info(`ECS Doctor: cluster ${clusterNameOf(c)} has no services.`);
        return undefined;
      }
      const picked = await ui.pick(
        list.items.map((s) => ({ label: s.serviceName ?? serviceNameOf(s.serviceArn ?? '?'), description: `${s.runningCount ?? '?'} of ${s.desiredCount ?? '?'} running`, value: s.serviceArn ?? s.serviceName ?? '' })),
        `Diagnose Service: ${clusterNameOf(c)}`,
        'Service',
      );
      if (!picked) return undefined;
      service = picked.value;
    }
    const c = cluster;
    const s = service;
    const run = async (): Promise<ServiceReport> => {
      const report = await ui.withProgress(`ECS Doctor: diagnosing service ${serviceNameOf(s)}…`, () => aws.diagnoseService(session, c, s));
      ctx.log.info(`Diagnosed service ${report.service}: ${report.verdict.kind}`);
      return report;
    };
    const report = await run();
    const keep = own;
    own = undefined; // the panel's "Run again" keeps using it
    const panel = ServiceReportPanel.show(ctx, report, async () => {
      try {
        return await run();
      } catch (err) {
        ui.error(`ECS Doctor could not diagnose service ${serviceNameOf(s)}: ${aws.serviceDiagnoseErrorMessage(err, { profile: session.profile })}`);
        return undefined;
      }
    });
    if (keep) panel.panel.onDidDispose(() => keep.dispose());
    return panel;
  } catch (err) {
    ctx.log.error(err instanceof Error ? err : String(err));
    const aws = await loadAws().catch(() => undefined);
    ui.error(`ECS Doctor could not diagnose the service: ${aws ? aws.serviceDiagnoseErrorMessage(err, { profile: session.profile }) : userMessage(err)}`);
    return undefined;
  } finally {
    own?.dispose();
  }
}
