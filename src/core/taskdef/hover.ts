/** Hover text for healthCheck fields (pure: the editor turns it into a Hover). */
import type { Node, TaskDoc } from './document';
import { HEALTH_CHECK_OVERVIEW, healthCheckFieldMarkdown, isHealthCheckKey } from './healthCheckFields';
import type { SourceFile } from './source';

export interface HoverInfo {
  offset: number;
  length: number;
  markdown: string;
}

/** The innermost node whose range holds `offset`, with its parent (iterative). */
function nodeAt(root: Node, offset: number): { node: Node; parent: Node | undefined } | undefined {
  let found: { node: Node; parent: Node | undefined } | undefined;
  let parent: Node | undefined;
  let cur: Node | undefined = root;
  while (cur) {
    if (offset < cur.offset || offset > cur.offset + cur.length) break;
    found = { node: cur, parent };
    parent = cur;
    cur = (cur.children ?? []).find((c) => offset >= c.offset && offset <= c.offset + c.length);
  }
  return found;
}

/** The hover for the healthCheck key or field under `offset`, if any (any syntax). */
export function hoverAt(docOrFile: TaskDoc | SourceFile, offset: number): HoverInfo | undefined {
  const docs = 'tasks' in docOrFile ? docOrFile.tasks : [docOrFile];
  for (const doc of docs) {
    const h = hoverIn(doc, offset);
    if (h) return h;
  }
  return undefined;
}

function hoverIn(doc: TaskDoc, offset: number): HoverInfo | undefined {
  if (!doc.shape) return undefined;
  for (const c of doc.containers) {
    if (offset < c.node.offset || offset > c.node.offset + c.node.length) continue;
    const at = nodeAt(c.node, offset);
    // The property that holds the node (the node is its key or its direct value).
    const property = at?.parent?.type === 'property' ? at.parent : undefined;
    const keyNode = property?.children?.[0];
    const key = keyNode?.value;
    if (!property || !keyNode || typeof key !== 'string') return undefined;
    const range = { offset: keyNode.offset, length: keyNode.length };
    if (key === 'healthCheck' && nodeParentIs(c.node, property)) return { ...range, markdown: HEALTH_CHECK_OVERVIEW };
    if (isHealthCheckKey(key) && c.healthCheck && nodeParentIs(c.healthCheck, property)) return { ...range, markdown: healthCheckFieldMarkdown(key) };
    return undefined;
  }
  return undefined;
}

function nodeParentIs(obj: Node, property: Node): boolean {
  return (obj.children ?? []).includes(property);
}
