/**
 * Builders of text edits over the parsed tree (no re-parsing, no formatting pass). Rules give
 * values as JSON text and keys in the ECS API's camelCase; the edit is written in the syntax of
 * the file and the object it lands in: JSON, YAML (block or flow), HCL (block body or object),
 * with the file's key case (StartPeriod in CloudFormation, network_mode in a Terraform block).
 */
import type { Node, Syntax } from './document';
import type { TextEdit } from './types';

/** What an edit needs to know about the file. TaskDoc and SourceFile are both this. */
export interface EditTarget {
  text: string;
  syntax: Syntax;
}

/** The JSON text of a number or string value. */
export function jsonValue(v: string | number | boolean | object): string {
  return JSON.stringify(v);
}

/** A JSON value text written for the file's syntax (YAML is a superset of JSON; HCL escapes `${`). */
export function valueText(target: EditTarget, json: string): string {
  if (target.syntax !== 'hcl') return json;
  // In JSON text `${` and `%{` only occur inside strings, where HCL reads them as templates.
  return json.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** Replaces a value node with a JSON value (written in the file's syntax). */
export function replaceNode(target: EditTarget, node: Node, json: string): TextEdit {
  return { offset: node.offset, length: node.length, newText: valueText(target, json) };
}

/** Whitespace that starts the line holding `offset`, and whether only whitespace precedes `offset` on it. */
function lineIndent(text: string, offset: number): { indent: string; alone: boolean; prefix: string } {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  let i = start;
  while (i < offset && (text[i] === ' ' || text[i] === '\t')) i++;
  return { indent: text.slice(start, i), alone: i === offset, prefix: text.slice(start, offset) };
}

let eolText: string | undefined;
let eolValue = '\n';
/** The file's line ending (looked up once per text: a template with many fixes must not rescan it for each). */
function eolOf(text: string): string {
  if (text !== eolText) {
    eolText = text;
    eolValue = text.includes('\r\n') ? '\r\n' : '\n';
  }
  return eolValue;
}

/** A camelCase API key as the object writes its keys. */
export function writtenKey(obj: Node, key: string): string {
  if (obj.keyCase === 'pascal') return key.charAt(0).toUpperCase() + key.slice(1);
  if (obj.keyCase === 'snake') return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return key;
}

function keyText(obj: Node, key: string): string {
  const k = writtenKey(obj, key);
  switch (obj.style) {
    case 'yaml-block':
    case 'yaml-flow':
      return /^[A-Za-z_][\w.-]*$/.test(k) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(k) ? k : JSON.stringify(k);
    case 'hcl-body':
      return k;
    case 'hcl-object':
      return /^[A-Za-z_][\w-]*$/.test(k) && !k.includes('-') ? k : JSON.stringify(k);
    default:
      return JSON.stringify(k);
  }
}

function entryText(target: EditTarget, obj: Node, key: string, json: string): string {
  const sep = obj.style === 'hcl-body' || obj.style === 'hcl-object' ? ' = ' : ': ';
  return `${keyText(obj, key)}${sep}${valueText(target, json)}`;
}

/**
 * Adds `key: value` at the end of an object, matching the layout of its last property
 * (one property per line, or all on one line). Works with trailing commas and comments.
 */
export function insertProperty(target: EditTarget, obj: Node, key: string, json: string): TextEdit {
  return insertProperties(target, obj, [[key, json]]);
}

/** Like insertProperty, for several properties in one edit (in the given order). */
export function insertProperties(target: EditTarget, obj: Node, entries: Array<[string, string]>): TextEdit {
  const text = target.text;
  const props = (obj.children ?? []).filter((c) => c.type === 'property');
  const parts = entries.map(([k, v]) => entryText(target, obj, k, v));
  const last = props[props.length - 1];
  const eol = eolOf(text);
  const lineStyle = obj.style === 'yaml-block' || obj.style === 'hcl-body';
  // Commas separate JSON members and YAML flow entries; HCL objects take commas or newlines.
  const comma = obj.style === 'hcl-body' ? '' : ',';
  if (!last) {
    if (obj.style === 'yaml-block') return { offset: obj.offset, length: 0, newText: parts.join(`${eol}${lineIndent(text, obj.offset).indent}`) };
    const inner = text.slice(obj.offset + 1, obj.offset + obj.length - 1);
    if (lineStyle || /[\r\n]/.test(inner)) {
      const { indent } = lineIndent(text, obj.offset);
      return { offset: obj.offset + 1, length: 0, newText: `${eol}${indent}  ${parts.join(`${comma}${eol}${indent}  `)}${lineStyle ? eol + indent : ''}` };
    }
    return { offset: obj.offset + 1, length: 0, newText: ` ${parts.join(`${comma} `)} ` };
  }
  const end = last.offset + last.length;
  const first = props[0]!;
  const { indent, alone } = lineIndent(text, last.offset);
  if (lineStyle) {
    // A YAML block key's column is where the first key starts (it may follow "- " on its line).
    const col = first.offset - lineStartOf(text, first.offset);
    const pad = obj.style === 'yaml-block' ? ' '.repeat(col) : indent;
    return { offset: end, length: 0, newText: parts.map((p) => `${eol}${pad}${p}`).join('') };
  }
  if (obj.style === 'hcl-object') {
    return alone
      ? { offset: end, length: 0, newText: parts.map((p) => `${eol}${indent}${p}`).join('') }
      : { offset: end, length: 0, newText: parts.map((p) => `, ${p}`).join('') };
  }
  return alone
    ? { offset: end, length: 0, newText: parts.map((p) => `,${eol}${indent}${p}`).join('') }
    : { offset: end, length: 0, newText: `, ${parts.join(', ')}` };
}

function lineStartOf(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return start;
}

/** Inserts a JSON value into an array before element `index` (or at its end). */
export function insertElement(target: EditTarget, arr: Node, index: number, json: string): TextEdit {
  const text = target.text;
  const elems = arr.children ?? [];
  const v = valueText(target, json);
  const eol = eolOf(text);
  if (arr.style === 'yaml-block') {
    const ref = elems[Math.min(index, elems.length - 1)];
    if (ref) {
      const { prefix } = lineIndent(text, ref.offset);
      const dash = /^(\s*)-\s+$/.exec(prefix) ? prefix : `${' '.repeat(Math.max(0, prefix.length - 2))}- `;
      if (index < elems.length) return { offset: ref.offset, length: 0, newText: `${v}${eol}${dash}` };
      return { offset: ref.offset + ref.length, length: 0, newText: `${eol}${dash}${v}` };
    }
  }
  const at = elems[index];
  if (at) return { offset: at.offset, length: 0, newText: `${v}, ` };
  const last = elems[elems.length - 1];
  if (last) return { offset: last.offset + last.length, length: 0, newText: `, ${v}` };
  return { offset: arr.offset + 1, length: 0, newText: v };
}

/**
 * The offset in the document of character `index` of a string node's value, when the raw text
 * maps one to one onto the value (no escapes, no folding); undefined otherwise.
 */
export function stringOffset(target: EditTarget, node: Node, index: number): number | undefined {
  if (node.textStart !== undefined) return node.textStart + index;
  if (target.syntax !== 'json') return undefined;
  const raw = target.text.slice(node.offset + 1, node.offset + 1 + index);
  if (raw.includes('\\') || raw.length !== index) return undefined;
  return node.offset + 1 + index;
}
