import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { taskIdOf } from '../../core/arn';
import { redact } from '../../core/redact';
import { renderMarkdown } from '../../core/diagnose/markdown';
import type { Ctx } from '../context';
import { renderReportBody, renderReportHtml, type ReportModel } from './html';

/** The one webview kind of the diagnosis report. */
export const REPORT_VIEW_TYPE = 'ecsDoctor.diagnosisReport';

/**
 * A diagnosis report in an editor tab. One panel per task (offline explanations share one):
 * showing the same task again reveals and refreshes its panel.
 */
export class ReportPanel implements vscode.Disposable {
  private static readonly open = new Map<string, ReportPanel>();
  private model: ReportModel;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  private constructor(
    private readonly ctx: Ctx,
    readonly key: string,
    readonly panel: vscode.WebviewPanel,
    model: ReportModel,
    private readonly rerun?: () => Promise<ReportModel | undefined>,
  ) {
    this.model = model;
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((msg: { type?: string; text?: unknown }) => {
        if (msg?.type === 'copyMarkdown') void this.copyMarkdown();
        else if (msg?.type === 'rerun') void this.runAgain();
        else if (msg?.type === 'copyText') void this.copyText(msg.text);
        else if (msg?.type === 'showLogs' && this.model.diagnosis.taskArn) {
          void vscode.commands.executeCommand('ecsDoctor.showLogs', { taskArn: this.model.diagnosis.taskArn, clusterArn: this.model.cluster, region: this.model.region });
        }
      }),
    );
    this.render();
  }

  /** Shows (or refreshes) the report for a diagnosis. `rerun` makes the "Run again" button gather fresh evidence. */
  static show(ctx: Ctx, model: ReportModel, rerun?: () => Promise<ReportModel | undefined>): ReportPanel {
    const key = model.mode === 'live' && model.diagnosis.taskArn ? `task:${model.diagnosis.taskArn}` : 'offline';
    const existing = ReportPanel.open.get(key);
    if (existing && !existing.disposed) {
      existing.update(model);
      existing.panel.reveal(undefined, false);
      return existing;
    }
    const media = vscode.Uri.joinPath(ctx.extensionContext.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, titleOf(model), vscode.ViewColumn.Active, {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [media],
      retainContextWhenHidden: false,
    });
    panel.iconPath = vscode.Uri.joinPath(media, 'ecs-doctor.svg');
    const p = new ReportPanel(ctx, key, panel, model, rerun);
    ReportPanel.open.set(key, p);
    ctx.push(p);
    return p;
  }

  /** The report panel currently open for a task (tests, the explorer). */
  static find(taskArn: string | undefined): ReportPanel | undefined {
    return ReportPanel.open.get(taskArn ? `task:${taskArn}` : 'offline');
  }

  get current(): ReportModel {
    return this.model;
  }

  /** The rendered body, as the webview shows it (used by tests). */
  get body(): string {
    return renderReportBody(this.model);
  }

  /** The report as Markdown (the shared renderer), redacted. */
  get markdown(): string {
    return redact(renderMarkdown(this.model.diagnosis));
  }

  update(model: ReportModel): void {
    this.model = model;
    this.panel.title = titleOf(model);
    this.render();
  }

  async copyMarkdown(): Promise<void> {
    await vscode.env.clipboard.writeText(this.markdown);
    // Said in the page itself (a status line), not only in a toast that may be hidden.
    void this.panel.webview.postMessage({ type: 'copied', what: 'markdown' });
    void vscode.window.setStatusBarMessage('ECS Doctor: the diagnosis was copied as Markdown.', 3000);
  }

  /** A command's Copy button: the text comes from the page (already redacted when rendered). */
  async copyText(text: unknown): Promise<void> {
    if (typeof text !== 'string' || !text || text.length > 20_000) return;
    await vscode.env.clipboard.writeText(redact(text));
    void this.panel.webview.postMessage({ type: 'copied', what: 'command' });
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
    const styleUri = webview.asWebviewUri(vscode.Uri.joinPath(this.ctx.extensionContext.extensionUri, 'media', 'report.css')).toString();
    webview.html = renderReportHtml(this.model, { cspSource: webview.cspSource, styleUri, nonce: randomBytes(16).toString('base64') });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (ReportPanel.open.get(this.key) === this) ReportPanel.open.delete(this.key);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}

function titleOf(m: ReportModel): string {
  const id = m.diagnosis.taskArn !== undefined ? taskIdOf(m.diagnosis.taskArn) : undefined;
  return id ? `Diagnosis: ${id.slice(0, 8)}… ${m.diagnosis.category}` : `Stop reason: ${m.diagnosis.category}`;
}

/**
 * Shows a diagnosis in the report view. The "Explain Stop Reason..." command uses it for an
 * offline diagnosis (mode 'offline', no task); the diagnose command for a live one.
 */
export function showDiagnosisReport(ctx: Ctx, model: ReportModel, rerun?: () => Promise<ReportModel | undefined>): ReportPanel {
  return ReportPanel.show(ctx, model, rerun);
}
