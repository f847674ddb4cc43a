/**
 * What the explorer's loaders and detail helpers (listLoad.ts, levels.ts, details.ts) need from
 * the ExplorerModel (model.ts) that owns the tree: its settings, its logger, whether it is
 * disposed, and the one way to announce a change. The model builds one of these over its own
 * state; the helpers are plain functions over it, so no helper owns state of its own.
 */
import type { Logger } from '../logger';
import type { ExplorerNode, HeaderNode, Scope } from './nodes';

export interface ModelContext {
  /** The scopes the model reads (its options' list, read at each load). */
  readonly scopes: readonly Scope[];
  /** The profile/Region header row (first child of the root), unless turned off. */
  readonly header: HeaderNode | undefined;
  /** Newest service events shown per service. */
  readonly maxEvents: number;
  readonly logger: Logger;
  /** The time now (ms since the epoch): the model's clock, so tests can fix it. */
  now(): number;
  /** True once the model is disposed: answers that arrive later must not touch the tree. */
  readonly disposed: boolean;
  /** Fires a node when its presentation (or, with `structural`, its children) changed. */
  fire(node: ExplorerNode, structural?: boolean): void;
}
