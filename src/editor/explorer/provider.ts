import * as vscode from 'vscode';
import type { ExplorerModel } from '../../core/explorer/model';
import type { ExplorerNode } from '../../core/explorer/nodes';
import { treeItem } from './treeItem';

/** Credential problems that replace the tree with welcome content (package.json viewsWelcome). */
const WELCOME: Record<string, string> = {
  'credentials-missing': 'noCredentials',
  'credentials-invalid': 'noCredentials',
  'token-expired': 'ssoExpired',
  'sso-expired': 'ssoExpired',
  'profile-unknown': 'profileUnknown',
  'region-missing': 'noRegion',
};

/**
 * The TreeDataProvider: a thin adapter over the ExplorerModel. getChildren returns what the model
 * knows (waiting for the first names of a node that is still loading), and model change events
 * are batched into one onDidChangeTreeData per frame with only the nodes that changed.
 */
export class ExplorerProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ExplorerNode | ExplorerNode[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private model: Promise<ExplorerModel | undefined> = Promise.resolve(undefined);
  private unsubscribe: (() => void) | undefined;
  private pending = new Set<ExplorerNode>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private welcome: string | undefined;

  constructor(
    private readonly setWelcome: (state: string | undefined, message: string | undefined) => void,
    private readonly batchMs = 30,
  ) {}

  /** Swaps the model (profile/Region changed); the old one is disposed. */
  setModel(next: Promise<ExplorerModel | undefined>): void {
    const previous = this.model;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.model = next.then((m) => {
      if (m && this.model === guarded) this.unsubscribe = m.onDidChange((n) => this.queue(n));
      return m;
    });
    const guarded = this.model;
    void previous.then((m) => m?.dispose(), () => undefined);
    this.pending.clear();
    this.emitter.fire(undefined);
  }

  current(): Promise<ExplorerModel | undefined> {
    return this.model;
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    const model = await this.model.catch(() => undefined);
    if (!model) return [];
    const target = node ?? model.root;
    let kids = model.children(target);
    if (!kids.length && (target.state === 'idle' || target.state === 'loading')) {
      // Show the first page of names as soon as it is in, not the whole list.
      await new Promise<void>((resolve) => {
        const off = model.onDidChange((n) => {
          if (n === target) {
            off();
            resolve();
          }
        });
        void model.whenListed(target).then(() => {
          off();
          resolve();
        });
      });
      kids = model.children(target);
    }
    if (!node) this.updateWelcome(kids);
    // A credentials problem shows the welcome content (which needs an empty tree) instead.
    if (!node && this.welcome && this.welcome !== 'noRegion') return kids.filter((k) => k.kind === 'header');
    return kids;
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return treeItem(node);
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    const p = node.parent;
    return p && p.kind !== 'root' ? p : undefined;
  }

  private updateWelcome(top: ExplorerNode[]): void {
    let state: string | undefined;
    let message: string | undefined;
    const err = top.find((n) => n.kind === 'error');
    if (err && err.kind === 'error' && WELCOME[err.errorKind]) {
      state = WELCOME[err.errorKind];
      message = err.message;
    }
    if (state !== this.welcome) {
      this.welcome = state;
      this.setWelcome(state, message);
    }
  }

  private queue(node: ExplorerNode): void {
    this.pending.add(node);
    this.timer ??= setTimeout(() => this.flush(), this.batchMs);
  }

  private flush(): void {
    this.timer = undefined;
    const nodes = [...this.pending];
    this.pending.clear();
    if (!nodes.length) return;
    if (nodes.some((n) => n.kind === 'root')) this.emitter.fire(undefined);
    else this.emitter.fire(nodes);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.unsubscribe?.();
    void this.model.then((m) => m?.dispose(), () => undefined);
    this.emitter.dispose();
  }
}
