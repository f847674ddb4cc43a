/**
 * "Open Task Definition as JSON": a read-only document named after the family and revision
 * (`web:7.json`), served by a TextDocumentContentProvider with its own scheme, so closing it
 * never asks to save an "Untitled-1". Its language is JSON, so the task-definition diagnostics
 * (src/editor/diagnostics.ts, selected by language) still apply.
 * See https://code.visualstudio.com/api/extension-guides/virtual-documents
 */
import * as vscode from 'vscode';

export const TASK_DEFINITION_SCHEME = 'ecs-doctor-taskdef';

/** The label a task definition goes by ("web:7") from its ARN or family:revision. */
export function familyRevision(arn: string, td?: { family?: string; revision?: number }): string {
  if (td?.family && td.revision !== undefined) return `${td.family}:${td.revision}`;
  const tail = arn.split('/').pop() ?? arn;
  return tail;
}

export class TaskDefinitionDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(TASK_DEFINITION_SCHEME, this);
  }

  /** The URI of a task definition's document; the query keeps two Regions' same-named revisions apart. */
  uriFor(label: string, where: string): vscode.Uri {
    return vscode.Uri.from({ scheme: TASK_DEFINITION_SCHEME, path: `/${label}.json`, query: where });
  }

  /** Opens (or re-shows) the read-only document with this content. */
  async open(label: string, where: string, content: string): Promise<vscode.TextEditor> {
    const uri = this.uriFor(label, where);
    const key = uri.toString();
    const changed = this.contents.has(key) && this.contents.get(key) !== content;
    this.contents.set(key, content);
    if (changed) this.emitter.fire(uri);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== 'json') doc = await vscode.languages.setTextDocumentLanguage(doc, 'json');
    return vscode.window.showTextDocument(doc, { preview: false });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '// This task definition is no longer loaded: open it again from the ECS Doctor explorer.\n';
  }

  dispose(): void {
    this.registration.dispose();
    this.emitter.dispose();
    this.contents.clear();
  }
}
