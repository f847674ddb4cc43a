import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { redact } from '../../core/redact';
import type { Ctx } from '../context';
import type { PageOptions } from './shell';

/** A message from a report page's script (see renderPage in ./shell). */
export interface ReportMessage {
  type?: string;
  text?: unknown;
}

/**
 * What the report tabs share (the stopped-task diagnosis in ./panel, the service doctor in
 * ./servicePanel): one tab per subject, revealed and refreshed when shown again; the webview
 * locked to media/ with a fresh nonce per render; the page's messages (Copy as Markdown, a
 * command's Copy button, Run again); disposal. A subclass says how its model is titled, rendered
 * and put in Markdown, and may answer more messages (onMessage).
 */
export abstract class ReportPanelBase<M> implements vscode.Disposable {
  protected model: M;
  protected disposed = false;
  private readonly disposables: vscode.Disposable[] = [];

  protected constructor(
    protected readonly ctx: Ctx,
    readonly key: string,
    readonly panel: vscode.WebviewPanel,
    model: M,
    private readonly open: Map<string, ReportPanelBase<M>>,
    private readonly rerun?: () => Promise<M | undefined>,
  ) {
    this.model = model;
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((msg: ReportMessage) => {
        if (msg?.type === 'copyMarkdown') void this.copyMarkdown();
        else if (msg?.type === 'rerun') void this.runAgain();
        else if (msg?.type === 'copyText') void this.copyText(msg.text);
        else if (msg) this.onMessage(msg);
      }),
    );
    this.render();
  }

  /** The tab's title for a model. */
  protected abstract titleOf(model: M): string;
  /** The whole page (renderPage in ./shell). */
  protected abstract renderHtml(model: M, opts: PageOptions): string;
  /** The stylesheets in media/ the page uses. */
  protected abstract styles(): readonly string[];
  /** What "Copy as Markdown" copied, for the status bar: "the diagnosis". */
  protected abstract copiedWhat(): string;
  /** The report as Markdown, redacted. */
  abstract get markdown(): string;
  /** The rendered body, as the webview shows it (used by tests). */
  abstract get body(): string;

  /** A message this tab answers beyond the shared ones. */
  protected onMessage(_msg: ReportMessage): void {}

  get current(): M {
    return this.model;
  }

  update(model: M): void {
    this.model = model;
    this.panel.title = this.titleOf(model);
    this.render();
  }

  async copyMarkdown(): Promise<void> {
    await vscode.env.clipboard.writeText(this.markdown);
    // Said in the page itself (a status line), not only in a toast that may be hidden.
    void this.panel.webview.postMessage({ type: 'copied', what: 'markdown' });
    void vscode.window.setStatusBarMessage(`ECS Doctor: ${this.copiedWhat()} was copied as Markdown.`, 3000);
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
    const media = vscode.Uri.joinPath(this.ctx.extensionContext.extensionUri, 'media');
    const styleUris = this.styles().map((f) => webview.asWebviewUri(vscode.Uri.joinPath(media, f)).toString());
    webview.html = this.renderHtml(this.model, { cspSource: webview.cspSource, styleUris, nonce: randomBytes(16).toString('base64') });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.open.get(this.key) === this) this.open.delete(this.key);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }

  /**
   * The tab of `key` in `open`, refreshed with `model` and revealed; else a new webview tab (scripts
   * on, command URIs off, resources from media/ only) made into a panel by `create`, and kept.
   */
  protected static showIn<M, P extends ReportPanelBase<M>>(
    ctx: Ctx,
    open: Map<string, P>,
    key: string,
    model: M,
    viewType: string,
    title: string,
    create: (panel: vscode.WebviewPanel) => P,
  ): P {
    const existing = open.get(key);
    if (existing && !existing.disposed) {
      existing.update(model);
      existing.panel.reveal(undefined, false);
      return existing;
    }
    const media = vscode.Uri.joinPath(ctx.extensionContext.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Active, {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [media],
      retainContextWhenHidden: false,
    });
    panel.iconPath = vscode.Uri.joinPath(media, 'ecs-doctor.svg');
    const p = create(panel);
    open.set(key, p);
    ctx.push(p);
    return p;
  }
}
