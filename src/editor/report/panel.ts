import * as vscode from 'vscode';
import { taskIdOf } from '../../core/arn';
import { redact } from '../../core/redact';
import { renderMarkdown } from '../../core/diagnose/markdown';
import type { Ctx } from '../context';
import { renderReportBody, renderReportHtml, type ReportModel } from './html';
import { ReportPanelBase, type ReportMessage } from './panelBase';
import type { PageOptions } from './shell';

/** The one webview kind of the diagnosis report. */
export const REPORT_VIEW_TYPE = 'ecsDoctor.diagnosisReport';

/**
 * A diagnosis report in an editor tab. One panel per task (offline explanations share one):
 * showing the same task again reveals and refreshes its panel.
 */
export class ReportPanel extends ReportPanelBase<ReportModel> {
  private static readonly open = new Map<string, ReportPanel>();

  private constructor(ctx: Ctx, key: string, panel: vscode.WebviewPanel, model: ReportModel, rerun?: () => Promise<ReportModel | undefined>) {
    super(ctx, key, panel, model, ReportPanel.open, rerun);
  }

  /** Shows (or refreshes) the report for a diagnosis. `rerun` makes the "Run again" button gather fresh evidence. */
  static show(ctx: Ctx, model: ReportModel, rerun?: () => Promise<ReportModel | undefined>): ReportPanel {
    const key = model.mode === 'live' && model.diagnosis.taskArn ? `task:${model.diagnosis.taskArn}` : 'offline';
    return ReportPanelBase.showIn(ctx, ReportPanel.open, key, model, REPORT_VIEW_TYPE, titleOf(model), (panel) => new ReportPanel(ctx, key, panel, model, rerun));
  }

  /** The report panel currently open for a task (tests, the explorer). */
  static find(taskArn: string | undefined): ReportPanel | undefined {
    return ReportPanel.open.get(taskArn ? `task:${taskArn}` : 'offline');
  }

  get body(): string {
    return renderReportBody(this.model);
  }

  /** The report as Markdown (the shared renderer), redacted. */
  get markdown(): string {
    return redact(renderMarkdown(this.model.diagnosis));
  }

  protected override onMessage(msg: ReportMessage): void {
    if (msg.type === 'showLogs' && this.model.diagnosis.taskArn) {
      void vscode.commands.executeCommand('ecsDoctor.showLogs', { taskArn: this.model.diagnosis.taskArn, clusterArn: this.model.cluster, region: this.model.region });
    }
  }

  protected titleOf(m: ReportModel): string {
    return titleOf(m);
  }

  protected renderHtml(m: ReportModel, opts: PageOptions): string {
    return renderReportHtml(m, { cspSource: opts.cspSource, styleUri: opts.styleUris[0]!, nonce: opts.nonce });
  }

  protected styles(): readonly string[] {
    return ['report.css'];
  }

  protected copiedWhat(): string {
    return 'the diagnosis';
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
