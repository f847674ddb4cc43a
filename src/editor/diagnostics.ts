/**
 * Task-definition diagnostics in the editor: squiggles on open, on change (debounced) and on
 * save, cleared on close; quick fixes keyed on the diagnostic code; hovers on healthCheck
 * fields. The knowledge lives in core/taskdef, loaded on the first JSON document; the YAML and
 * HCL readers (src/iac) load on the first CloudFormation YAML template or Terraform file that
 * mentions an ECS resource, so other YAML and .tf files never load them.
 */
import * as vscode from 'vscode';
import type * as Taskdef from '../core/taskdef';
import { readersFor } from '../iacLoader';
import type { Ctx } from './context';

export const DEBOUNCE_MS = 300;
export const SOURCE = 'ECS Doctor';
/** VS Code has no `terraform` language without an extension: .tf files are matched by name too. */
const SELECTOR: vscode.DocumentSelector = [
  { language: 'json' },
  { language: 'jsonc' },
  { language: 'yaml' },
  { language: 'terraform' },
  { language: 'hcl' },
  { pattern: '**/*.{tf,tftpl,tpl,template}' },
];
const LANGUAGES = new Set(['json', 'jsonc', 'yaml', 'terraform', 'hcl']);
const FILE_NAMES = /\.(tf|tftpl|tpl|template|ya?ml|json)$/i;

type Core = typeof Taskdef;
let corePromise: Promise<Core> | undefined;
/** core/taskdef (and jsonc-parser) are evaluated on first use, not at activation. */
function loadCore(): Promise<Core> {
  corePromise ??= import('../core/taskdef');
  return corePromise;
}

interface Linted {
  version: number;
  file: Taskdef.SourceFile;
  findings: Taskdef.Finding[];
}

const SEVERITY: Record<Taskdef.Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

function isCandidate(d: vscode.TextDocument): boolean {
  return (LANGUAGES.has(d.languageId) || FILE_NAMES.test(d.uri.path)) && d.uri.scheme !== 'git' && d.uri.scheme !== 'output';
}

/** The name the linter reads the document by (its language decides the syntax when the name does not). */
function lintName(d: vscode.TextDocument): string {
  const name = d.uri.path;
  if (d.languageId === 'yaml' && !/\.(ya?ml|template)$/i.test(name)) return `${name}.yaml`;
  if ((d.languageId === 'terraform' || d.languageId === 'hcl') && !/\.tf$/i.test(name)) return `${name}.tf`;
  return name;
}

/** YAML and HCL need a reader from src/iac, and only files that name an ECS resource get one. */
function needsReader(core: Core, d: vscode.TextDocument): 'yaml' | 'hcl' | undefined {
  const syntax = core.syntaxOf(lintName(d), '');
  if (syntax === 'json') return undefined;
  const text = d.getText();
  if (syntax === 'yaml') return core.syntaxOf(lintName(d), text) === 'yaml' && text.includes('AWS::ECS::') ? 'yaml' : undefined;
  return text.includes('aws_ecs_') ? 'hcl' : undefined;
}

export class TaskDefinitionDiagnostics implements vscode.Disposable, vscode.CodeActionProvider, vscode.HoverProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  readonly collection = vscode.languages.createDiagnosticCollection('ecs-doctor');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly linted = new Map<string, Linted>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  /** The YAML/HCL readers loaded so far. */
  private readers: Taskdef.Readers = {};
  /** Fires after a document's diagnostics were (re)computed; tests wait on it. */
  readonly onDidLint = this.emitter.event;

  constructor(private readonly ctx: Ctx) {
    this.disposables.push(
      this.collection,
      this.emitter,
      vscode.workspace.onDidOpenTextDocument((d) => this.lintSoon(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.lintSoon(e.document, DEBOUNCE_MS);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => this.lintSoon(d, 0)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      ctx.config.onDidChange(({ changed }) => {
        if (changed.includes('lintRules') || changed.includes('lintEnabled')) {
          this.linted.clear(); // the cached findings carry the old severities
          this.lintAll();
        }
      }),
      vscode.languages.registerCodeActionsProvider(SELECTOR, this, { providedCodeActionKinds: TaskDefinitionDiagnostics.providedCodeActionKinds }),
      vscode.languages.registerHoverProvider(SELECTOR, this),
    );
    this.lintAll();
  }

  private lintAll(): void {
    for (const d of vscode.workspace.textDocuments) this.lintSoon(d, 0);
  }

  private lintSoon(d: vscode.TextDocument, delay: number): void {
    if (!isCandidate(d)) return;
    const key = d.uri.toString();
    const old = this.timers.get(key);
    if (old) clearTimeout(old);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (d.isClosed) return;
        void this.lint(d).catch((err: unknown) => this.ctx.log.error(err instanceof Error ? err : String(err)));
      }, delay),
    );
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    this.linted.delete(key);
    this.collection.delete(uri);
  }

  /** Lints a document now and publishes its diagnostics. */
  async lint(d: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
    const core = await loadCore();
    await this.loadReader(core, d);
    if (d.isClosed) return [];
    const result = this.compute(core, d);
    const diagnostics = result ? result.findings.map((f) => this.toDiagnostic(d, f)) : [];
    if (diagnostics.length) this.collection.set(d.uri, diagnostics);
    else this.collection.delete(d.uri);
    this.emitter.fire(d.uri);
    return diagnostics;
  }

  /** Loads the YAML or HCL reader the document needs (once). */
  private async loadReader(core: Core, d: vscode.TextDocument): Promise<void> {
    const need = needsReader(core, d);
    if (!need || this.readers[need]) return;
    try {
      this.readers = { ...this.readers, ...(await readersFor([need])) };
    } catch (err) {
      this.ctx.log.error(`could not load the ${need === 'yaml' ? 'YAML' : 'HCL'} reader: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** The lint of the document's current version (cached per version). */
  private compute(core: Core, d: vscode.TextDocument): Linted | undefined {
    const key = d.uri.toString();
    const cached = this.linted.get(key);
    if (cached && cached.version === d.version) return cached;
    const settings = this.ctx.config.settings;
    if (!settings.lintEnabled || !isCandidate(d)) {
      this.linted.delete(key);
      return undefined;
    }
    const started = Date.now();
    const r = core.lintText(d.getText(), { rules: settings.lintRules, fileName: lintName(d), readers: this.readers });
    const elapsed = Date.now() - started;
    if (elapsed > 200) this.ctx.log.warn(`linting ${d.uri.fsPath} took ${elapsed} ms`);
    const linted: Linted = { version: d.version, file: r.file, findings: r.findings };
    if (r.shape) this.linted.set(key, linted);
    else this.linted.delete(key);
    return r.shape ? linted : undefined;
  }

  private toDiagnostic(d: vscode.TextDocument, f: Taskdef.Finding): vscode.Diagnostic {
    const range = new vscode.Range(d.positionAt(f.offset), d.positionAt(f.offset + f.length));
    const diag = new vscode.Diagnostic(range, f.message, SEVERITY[f.severity]);
    diag.source = SOURCE;
    diag.code = { value: f.ruleId, target: vscode.Uri.parse(f.docsUrl) };
    return diag;
  }

  provideCodeActions(d: vscode.TextDocument, _range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((x) => x.source === SOURCE && typeof x.code === 'object');
    if (ours.length === 0) return [];
    const linted = this.linted.get(d.uri.toString());
    if (!linted || linted.version !== d.version) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diag of ours) {
      const ruleId = String((diag.code as { value: string | number }).value);
      const start = d.offsetAt(diag.range.start);
      const end = d.offsetAt(diag.range.end);
      const finding = linted.findings.find((f) => f.ruleId === ruleId && f.offset === start && f.offset + f.length === end);
      for (const fix of finding?.fixes ?? []) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diag];
        action.isPreferred = fix.isPreferred === true;
        const edit = new vscode.WorkspaceEdit();
        for (const e of fix.edits) {
          edit.replace(d.uri, new vscode.Range(d.positionAt(e.offset), d.positionAt(e.offset + e.length)), e.newText);
        }
        action.edit = edit;
        actions.push(action);
      }
    }
    return actions;
  }

  async provideHover(d: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    if (!this.ctx.config.settings.lintEnabled || !isCandidate(d)) return undefined;
    const core = await loadCore();
    await this.loadReader(core, d);
    const linted = this.compute(core, d);
    if (!linted) return undefined;
    const info = core.hoverAt(linted.file, d.offsetAt(position));
    if (!info) return undefined;
    const md = new vscode.MarkdownString(info.markdown);
    return new vscode.Hover(md, new vscode.Range(d.positionAt(info.offset), d.positionAt(info.offset + info.length)));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.linted.clear();
    for (const x of this.disposables) x.dispose();
  }
}

/** The feature entry for src/extension.ts. */
export function register(ctx: Ctx): TaskDefinitionDiagnostics {
  const diagnostics = new TaskDefinitionDiagnostics(ctx);
  ctx.push(diagnostics);
  return diagnostics;
}
