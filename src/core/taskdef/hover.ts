/** Hover text for healthCheck fields (pure: the editor turns it into a Hover). */
import { findNodeAtOffset, type Node } from 'jsonc-parser';
import type { TaskDoc } from './document';
import { HEALTH_CHECK_OVERVIEW, healthCheckFieldMarkdown, isHealthCheckKey } from './healthCheckFields';

export interface HoverInfo {
  offset: number;
  length: number;
  markdown: string;
}

/** The hover for the healthCheck key or field under `offset`, if any. */
export function hoverAt(doc: TaskDoc, offset: number): HoverInfo | undefined {
  if (!doc.shape || !doc.root) return undefined;
  const node = findNodeAtOffset(doc.root, offset, true);
  if (!node) return undefined;
  // The property that holds the node (the node is its key or its direct value).
  const property: Node | undefined = node.parent?.type === 'property' ? node.parent : undefined;
  if (!property) return undefined;
  const keyNode = property.children?.[0];
  const key = keyNode?.value;
  if (typeof key !== 'string' || !keyNode) return undefined;
  const owner = property.parent;
  const range = { offset: keyNode.offset, length: keyNode.length };
  if (key === 'healthCheck' && doc.containers.some((c) => c.node === owner)) {
    return { ...range, markdown: HEALTH_CHECK_OVERVIEW };
  }
  if (isHealthCheckKey(key) && owner && doc.containers.some((c) => c.healthCheck === owner)) {
    return { ...range, markdown: healthCheckFieldMarkdown(key) };
  }
  return undefined;
}
