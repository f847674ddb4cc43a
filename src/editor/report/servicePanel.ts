import type * as vscode from 'vscode';
import { clusterNameOf } from '../../core/arn';
import { redact } from '../../core/redact';
import type { ServiceReport } from '../../core/diagnose/service';
import { serviceMarkdown } from '../../core/diagnose/service/format';
import type { Ctx } from '../context';
import { ReportPanelBase } from './panelBase';
import { renderServiceBody, renderServiceHtml } from './serviceHtml';
import type { PageOptions } from './shell';

export const SERVICE_REPORT_VIEW_TYPE = 'ecsDoctor.serviceReport';

/** A service diagnosis in an editor tab, one per service: diagnosing it again refreshes its tab. */
export class ServiceReportPanel extends ReportPanelBase<ServiceReport> {
  private static readonly open = new Map<string, ServiceReportPanel>();

  private constructor(ctx: Ctx, key: string, panel: vscode.WebviewPanel, report: ServiceReport, rerun?: () => Promise<ServiceReport | undefined>) {
    super(ctx, key, panel, report, ServiceReportPanel.open, rerun);
  }

  static show(ctx: Ctx, report: ServiceReport, rerun?: () => Promise<ServiceReport | undefined>): ServiceReportPanel {
    const key = `${report.region}|${report.serviceArn ?? `${report.cluster}/${report.service}`}`;
    return ReportPanelBase.showIn(ctx, ServiceReportPanel.open, key, report, SERVICE_REPORT_VIEW_TYPE, titleOf(report), (panel) => new ServiceReportPanel(ctx, key, panel, report, rerun));
  }

  /** The open panel of a service (tests). */
  static find(service: string): ServiceReportPanel | undefined {
    return [...ServiceReportPanel.open.values()].find((p) => p.model.service === service || p.model.serviceArn === service);
  }

  get body(): string {
    return renderServiceBody(this.model);
  }

  get markdown(): string {
    return redact(serviceMarkdown(this.model));
  }

  protected titleOf(r: ServiceReport): string {
    return titleOf(r);
  }

  protected renderHtml(r: ServiceReport, opts: PageOptions): string {
    return renderServiceHtml(r, opts);
  }

  protected styles(): readonly string[] {
    return ['report.css', 'service-report.css'];
  }

  protected copiedWhat(): string {
    return 'the service report';
  }
}

function titleOf(r: ServiceReport): string {
  return `Service ${r.service} (${clusterNameOf(r.cluster)}): ${r.verdict.kind}`;
}
