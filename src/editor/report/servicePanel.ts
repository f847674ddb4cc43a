import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { clusterNameOf } from '../../core/arn';
import { redact } from '../../core/redact';
import type { ServiceReport } from '../../core/diagnose/service';
import { serviceMarkdown } from '../../core/diagnose/service/format';
import type { Ctx } from '../context';
import { renderServiceBody, renderServiceHtml } from './serviceHtml';

export const SERVICE_REPORT_VIEW_TYPE = 'ecsDoctor.serviceReport';

/** A service diagnosis in an editor tab, one per service: diagnosing it again refreshes its tab. */
export class ServiceReportPanel implements vscode.Disposable {
  private static readonly open = new Map<string, ServiceReportPanel>();
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];

  private constructor(
    private readonly ctx: Ctx,
    readonly key: string,
    readonly panel: vscode.WebviewPanel,
    private report: ServiceReport,
    private readonly rerun?: () => Promise<ServiceReport | undefined>,
  ) {
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((msg: { type?: string; text?: unknown }) => {
        if (msg?.type === 'copyMarkdown') void this.copy(this.markdown, 'the report was copied as Markdown');
        else if (msg?.type === 'copyText' && typeof msg.text === 'string') void this.copy(redact(msg.text), 'the command was copied');
        else if (msg?.type === 'rerun') void this.runAgain();
      }),
    );
    this.render();
  }

  static show(ctx: Ctx, report: ServiceReport, rerun?: () => Promise<ServiceReport | undefined>): ServiceReportPanel {
    const key = `${report.region}|${report.serviceArn ?? `${report.cluster}/${report.service}`}`;
    const existing = ServiceReportPanel.open.get(key);
    if (existing && !existing.disposed) {
      existing.update(report);
      existing.panel.reveal(undefined, false);
      return existing;
    }
    const media = vscode.Uri.joinPath(ctx.extensionContext.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(SERVICE_REPORT_VIEW_TYPE, titleOf(report), vscode.ViewColumn.Active, {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [media],
      retainContextWhenHidden: false,
    });
    panel.iconPath = vscode.Uri.joinPath(media, 'ecs-doctor.svg');
    const p = new ServiceReportPanel(ctx, key, panel, report, rerun);
    ServiceReportPanel.open.set(key, p);
    ctx.push(p);
    return p;
  }

  /** The open panel of a service (tests). */
  static find(service: string): ServiceReportPanel | undefined {
    return [...ServiceReportPanel.open.values()].find((p) => p.report.service === service || p.report.serviceArn === service);
  }

  get current(): ServiceReport {
    return this.report;
  }

  get body(): string {
    return renderServiceBody(this.report);
  }

  get markdown(): string {
    return redact(serviceMarkdown(this.report));
  }

  update(report: ServiceReport): void {
    this.report = report;
    this.panel.title = titleOf(report);
    this.render();
  }

  private async copy(text: string, what: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
    void vscode.window.showInformationMessage(`ECS Doctor: ${what}.`);
  }

  private async runAgain(): Promise<void> {
    if (!this.rerun) return;
    try {
      const next = await this.rerun();
      if (next && !this.disposed) this.update(next);
    } catch (err) {
      this.ctx.log.error(err instanceof Error ? err : String(err));
    }
  }

  private render(): void {
    const webview = this.panel.webview;
    const css = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.ctx.extensionContext.extensionUri, 'media', f)).toString();
    webview.html = renderServiceHtml(this.report, { cspSource: webview.cspSource, styleUris: [css('report.css'), css('service-report.css')], nonce: randomBytes(16).toString('base64') });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (ServiceReportPanel.open.get(this.key) === this) ServiceReportPanel.open.delete(this.key);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}

function titleOf(r: ServiceReport): string {
  return `Service ${r.service} (${clusterNameOf(r.cluster)}): ${r.verdict.kind}`;
}
