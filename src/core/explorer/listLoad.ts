/**
 * The shared shape of every list load in the explorer (clusters, services, tasks, stopped tasks:
 * levels.ts says what each one lists). Names first, then details batch by batch; on a refresh,
 * the same node objects are kept, new children added and vanished ones removed, and the owner
 * fires as a structural change only when its children really changed. A List that fails becomes
 * an error child naming the cause; a Describe batch that fails marks its nodes.
 */
import { classifyAwsError } from '../awsErrors';
import type { SourceError, StreamHandlers, StreamResult } from '../ecsSource';
import type { ModelContext } from './context';
import type { ExplorerNode, LoadableNode } from './nodes';

/** What one level lists and how its items become child nodes. */
export interface ListSpec<T, N extends ExplorerNode> {
  /** Names the list in messages ("services of web"). */
  what: string;
  /** The placeholder's label when the list is empty. */
  empty: string;
  /** Fixed children before the listed ones (the header row). */
  prefix: ExplorerNode[];
  /** Fixed children after the listed ones (the standalone-tasks, events and stopped-tasks groups). */
  suffix: ExplorerNode[];
  isItem(n: ExplorerNode): n is N;
  arnOf(n: N): string;
  itemArn(item: T): string | undefined;
  make(arn: string): N;
  /** Show a node as soon as its name is listed (false: only once its details accept it). */
  showBeforeDetails: boolean;
  /** Whether a described item belongs in this list (default: every item). */
  accept?(item: T): boolean;
  /** Applies an item's details to its node. */
  apply(node: N, item: T): void;
  sort(a: N, b: N): number;
  /** Runs the List and Describe calls, streaming into the handlers. */
  run(handlers: StreamHandlers<T>): Promise<StreamResult<T>>;
  afterBatch?(): void;
}

/**
 * The shared shape of every list load: names first (a node per ARN, unless `showBeforeDetails`
 * is false), details batch by batch, placeholder when empty, error child when the List fails.
 */
export async function loadList<T, N extends ExplorerNode>(
  ctx: ModelContext,
  owner: LoadableNode,
  refresh: boolean,
  listed: () => void,
  spec: ListSpec<T, N>,
): Promise<void> {
  const byArn = new Map<string, N>();
  for (const c of owner.children ?? []) if (spec.isItem(c)) byArn.set(spec.arnOf(c), c);
  const visible = new Set<string>(refresh ? byArn.keys() : []);
  if (!refresh) byArn.clear();
  const seen = new Set<string>();
  // A refresh keeps the state (and so the presentation) of a loaded node until it has news.
  if (!refresh || owner.state === 'idle') owner.state = 'loading';
  let listError: SourceError | undefined;

  const rebuild = (final: boolean) => {
    const items = [...visible].map((a) => byArn.get(a)!).filter(Boolean).sort(spec.sort);
    const middle: ExplorerNode[] = items.length
      ? items
      : listError
        ? [errorNode(owner, spec.what, listError)]
        : final
          ? [{ kind: 'placeholder', id: `${owner.id}|empty`, parent: owner, scope: owner.scope, state: 'loaded', label: spec.empty }]
          : [];
    if (items.length && listError) middle.unshift(errorNode(owner, spec.what, listError));
    return replaceChildren(owner, [...spec.prefix, ...middle, ...spec.suffix]);
  };
  if (!refresh || !owner.children) ctx.fire(owner, rebuild(false));

  const nodeFor = (arn: string): N => {
    let n = byArn.get(arn);
    if (!n) {
      n = spec.make(arn);
      byArn.set(arn, n);
    }
    return n;
  };

  try {
    await spec.run({
      onNames: (arns) => {
        if (ctx.disposed) return;
        let added = false;
        for (const arn of arns) {
          seen.add(arn);
          nodeFor(arn);
          if (spec.showBeforeDetails && !visible.has(arn)) {
            visible.add(arn);
            added = true;
          }
        }
        if (added) ctx.fire(owner, rebuild(false));
      },
      onListed: () => {
        if (owner.state === 'loading') owner.state = 'listed';
        listed();
      },
      onItems: (items) => {
        if (ctx.disposed) return;
        let membership = false;
        for (const item of items) {
          const arn = spec.itemArn(item);
          if (!arn) continue;
          seen.add(arn);
          const n = nodeFor(arn);
          if (spec.accept && !spec.accept(item)) {
            if (visible.delete(arn)) membership = true;
            byArn.delete(arn);
            continue;
          }
          n.error = undefined;
          spec.apply(n, item);
          if (!visible.has(arn)) {
            visible.add(arn);
            membership = true;
          } else {
            ctx.fire(n);
          }
        }
        if (membership) ctx.fire(owner, rebuild(false));
        spec.afterBatch?.();
      },
      onFailures: (failures) => {
        let membership = false;
        for (const f of failures) {
          if (f.arn && f.reason === 'MISSING') {
            seen.delete(f.arn);
            if (visible.delete(f.arn)) membership = true;
            byArn.delete(f.arn);
          } else if (f.arn && byArn.has(f.arn)) {
            const n = byArn.get(f.arn)!;
            n.error = { message: `${f.reason ?? 'Failed'}${f.detail ? `: ${f.detail}` : ''}`, kind: 'failure' };
            ctx.fire(n);
          }
        }
        if (membership) ctx.fire(owner, rebuild(false));
      },
      onError: (error, arns) => {
        for (const arn of arns) {
          const n = byArn.get(arn);
          if (!n) continue;
          n.error = { message: error.message, kind: error.kind };
          if (!visible.has(arn)) visible.add(arn);
          ctx.fire(n);
        }
        ctx.logger.warn(`Explorer: ${spec.what}: ${error.message}`);
        ctx.fire(owner, rebuild(false));
      },
    });
  } catch (err) {
    if (ctx.disposed) return;
    const c = toSourceError(err, owner.scope?.profile, owner.scope?.region);
    if (c.kind === 'cancelled') return;
    listError = c;
    ctx.logger.warn(`Explorer: could not load ${spec.what}: ${c.message}`);
    owner.state = 'error';
    ctx.fire(owner, rebuild(true));
    listed();
    return;
  }
  if (ctx.disposed) return;
  // Drop what vanished since the last read.
  for (const arn of [...visible]) if (!seen.has(arn)) visible.delete(arn);
  for (const arn of [...byArn.keys()]) if (!seen.has(arn)) byArn.delete(arn);
  owner.state = 'loaded';
  ctx.fire(owner, rebuild(true) || !refresh);
  listed();
}

/** A List failure as the source reported it, or classified here when it threw something else. */
function toSourceError(err: unknown, profile: string | undefined, region: string | undefined): SourceError {
  const e = err as Partial<SourceError> | undefined;
  if (e && typeof e.message === 'string' && typeof e.kind === 'string') return { message: e.message, kind: e.kind, code: e.code };
  const c = classifyAwsError(err, { profile, region });
  return { message: c.message, kind: c.kind };
}

/**
 * Sets the owner's children; true when that is a structural change (a child came, went or moved,
 * or a placeholder/error replaced them). A placeholder or error node with the same id as before
 * keeps its old object unless its text changed.
 */
function replaceChildren(owner: LoadableNode, children: ExplorerNode[]): boolean {
  const before = owner.children;
  owner.children = children;
  if (!before || before.length !== children.length) return true;
  for (let i = 0; i < children.length; i++) {
    const b = before[i]!;
    const n = children[i]!;
    if (b.id !== n.id) return true;
    if (b === n) continue;
    // A placeholder or error node with the same id: keep the old object unless its text changed.
    if (n.kind === 'error' && b.kind === 'error' && n.message !== b.message) return true;
    children[i] = b;
  }
  return false;
}

function errorNode(owner: ExplorerNode, what: string, e: SourceError): ExplorerNode {
  return { kind: 'error', id: `${owner.id}|error`, parent: owner, scope: owner.scope, state: 'loaded', message: e.message, errorKind: e.kind, what };
}
