/** Builders of text edits over the parsed tree (no re-parsing, no formatting pass). */
import type { Node } from './document';
import type { TextEdit } from './types';

/** Replaces a value node with `newText`. */
export function replaceNode(node: Node, newText: string): TextEdit {
  return { offset: node.offset, length: node.length, newText };
}

/** The JSON text of a number or string value. */
export function jsonValue(v: string | number | boolean | object): string {
  return JSON.stringify(v);
}

/** Whitespace that starts the line holding `offset`, and whether only whitespace precedes `offset` on it. */
function lineIndent(text: string, offset: number): { indent: string; alone: boolean } {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  let i = start;
  while (i < offset && (text[i] === ' ' || text[i] === '\t')) i++;
  return { indent: text.slice(start, i), alone: i === offset };
}

/**
 * Adds `"key": valueText` at the end of an object, matching the layout of its last property
 * (one property per line, or all on one line). Works with trailing commas and comments.
 */
export function insertProperty(text: string, obj: Node, key: string, valueText: string): TextEdit {
  return insertProperties(text, obj, [[key, valueText]]);
}

/** Like insertProperty, for several properties in one edit (in the given order). */
export function insertProperties(text: string, obj: Node, entries: Array<[string, string]>): TextEdit {
  const props = (obj.children ?? []).filter((c) => c.type === 'property');
  const parts = entries.map(([k, v]) => `${JSON.stringify(k)}: ${v}`);
  const entry = parts.join(', ');
  const last = props[props.length - 1];
  if (!last) {
    // Empty object: `{}` or a multi-line `{\n}`.
    const inner = text.slice(obj.offset + 1, obj.offset + obj.length - 1);
    if (/[\r\n]/.test(inner)) {
      const { indent } = lineIndent(text, obj.offset);
      return { offset: obj.offset + 1, length: 0, newText: `\n${indent}  ${parts.join(`,\n${indent}  `)}` };
    }
    return { offset: obj.offset + 1, length: 0, newText: ` ${entry} ` };
  }
  const end = last.offset + last.length;
  const { indent, alone } = lineIndent(text, last.offset);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return alone
    ? { offset: end, length: 0, newText: parts.map((p) => `,${eol}${indent}${p}`).join('') }
    : { offset: end, length: 0, newText: `, ${entry}` };
}

/**
 * The offset in the document of character `index` of a string node's value, when the raw text
 * has no escapes before it (so positions map one to one); undefined otherwise.
 */
export function stringOffset(text: string, node: Node, index: number): number | undefined {
  const raw = text.slice(node.offset + 1, node.offset + 1 + index);
  if (raw.includes('\\') || raw.length !== index) return undefined;
  return node.offset + 1 + index;
}
