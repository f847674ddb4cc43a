/**
 * YAML CloudFormation templates, read with the `yaml` package (https://eemeli.org/yaml/), which
 * keeps every node's range in the text. Short-form intrinsic functions are YAML tags (`!Ref X`,
 * `!Sub ...`, `!If [...]`, `!GetAtt A.B`): a tagged value is unknown, and the resource it names is
 * kept for the cross-resource rules. Only reached through src/iac (its own bundle, loaded on the
 * first YAML file), so activation and JSON linting never load the YAML library.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq, type Node as YamlNode, type Tags } from 'yaml';
import { looksLikeTemplate, readTemplate } from './cloudformation';
import type { Node, ParseProblem } from './document';
import { emptyFile, type SourceFile } from './source';

type Range3 = [number, number, number];

/** The short-form intrinsic functions (and Condition) CloudFormation reads as YAML tags. */
const INTRINSICS = [
  'Ref', 'Sub', 'GetAtt', 'If', 'ImportValue', 'Join', 'Select', 'Split', 'FindInMap', 'GetAZs', 'Base64', 'Cidr', 'Equals', 'And', 'Or', 'Not',
  'Condition', 'Transform', 'Length', 'ToJsonString', 'ForEach', 'ValueOf', 'Contains', 'EachMemberEquals', 'EachMemberIn', 'RefAll',
];

/** Each tag on a scalar, a sequence and a mapping: known tags, so the parser keeps them without a warning each. */
export const CUSTOM_TAGS: Tags = INTRINSICS.flatMap((name) => [
  { tag: `!${name}`, resolve: (s: string) => s },
  { tag: `!${name}`, collection: 'seq' as const, nodeClass: YAMLSeq },
  { tag: `!${name}`, collection: 'map' as const, nodeClass: YAMLMap },
]);

function rangeOf(n: { range?: Range3 | null }): [number, number] {
  const r = n.range;
  return r ? [r[0], r[1]] : [0, 0];
}

/** The resource a tagged value names: !Ref X, !GetAtt X.Arn, !GetAtt [X, Arn]. */
function tagRef(tag: string, n: YamlNode): string | undefined {
  if (tag === '!Ref' && isScalar(n) && typeof n.value === 'string') return n.value;
  if (tag === '!GetAtt') {
    if (isScalar(n) && typeof n.value === 'string') return n.value.split('.')[0];
    if (isSeq(n)) {
      const first = n.items[0];
      if (isScalar(first) && typeof first.value === 'string') return first.value;
    }
  }
  return undefined;
}

/** The options the reader parses with (the benchmark compares against the same parse). */
export const YAML_OPTIONS = { uniqueKeys: false, strict: false, prettyErrors: false, keepSourceTokens: false, customTags: CUSTOM_TAGS } as const;

/** Converts the yaml package's tree to Nodes, iteratively (depth cannot overflow the stack). */
function convert(text: string, top: YamlNode): Node {
  const root: Node = { type: 'null', offset: 0, length: 0 };
  const stack: Array<{ src: unknown; dst: Node }> = [{ src: top, dst: root }];
  while (stack.length) {
    const { src, dst } = stack.pop()!;
    const n = src as YamlNode & { tag?: string };
    const [start, rawEnd] = rangeOf(n as { range?: Range3 });
    let end = rawEnd;
    // A block collection's range runs to the next line: squiggles and inserts stop at its last character.
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    dst.offset = start;
    dst.length = Math.max(0, end - start);
    const tag = n.tag;
    if (isAlias(n) || (tag && tag.startsWith('!') && !tag.startsWith('!!'))) {
      dst.type = 'unknown';
      if (tag) dst.ref = tagRef(tag, n);
      continue;
    }
    if (isMap(n)) {
      dst.type = 'object';
      dst.style = n.flow ? 'yaml-flow' : 'yaml-block';
      dst.children = [];
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        const k = pair.key as YamlNode | null;
        if (!k || !isScalar(k) || k.range == null) continue;
        const [ks, ke] = rangeOf(k);
        const keyNode: Node = { type: 'string', value: String(k.value), offset: ks, length: ke - ks };
        const prop: Node = { type: 'property', offset: ks, length: ke - ks, parent: dst, children: [keyNode] };
        keyNode.parent = prop;
        const v = pair.value as YamlNode | null;
        if (v && (v as { range?: Range3 }).range) {
          const valueNode: Node = { type: 'null', offset: 0, length: 0, parent: prop };
          prop.children!.push(valueNode);
          stack.push({ src: v, dst: valueNode });
          let [, ve] = rangeOf(v as { range?: Range3 });
          while (ve > ks && /\s/.test(text[ve - 1]!)) ve--;
          prop.length = Math.max(prop.length, ve - ks);
        } else {
          prop.children!.push({ type: 'null', value: null, offset: ke, length: 0, parent: prop });
        }
        dst.children.push(prop);
      }
      continue;
    }
    if (isSeq(n)) {
      dst.type = 'array';
      dst.style = n.flow ? 'yaml-flow' : 'yaml-block';
      dst.children = [];
      for (const item of n.items) {
        if (!item || !(item as { range?: Range3 }).range) continue;
        const c: Node = { type: 'null', offset: 0, length: 0, parent: dst };
        dst.children.push(c);
        stack.push({ src: item, dst: c });
      }
      continue;
    }
    if (isScalar(n)) {
      const v = n.value;
      if (typeof v === 'string') {
        dst.type = 'string';
        dst.value = v;
        const quoted = n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE';
        const s = quoted ? start + 1 : start;
        if ((n.type === 'PLAIN' || quoted) && text.slice(s, s + v.length) === v) dst.textStart = s;
      } else if (typeof v === 'number') {
        dst.type = Number.isFinite(v) ? 'number' : 'string';
        dst.value = Number.isFinite(v) ? v : String(v);
      } else if (typeof v === 'boolean') {
        dst.type = 'boolean';
        dst.value = v;
      } else {
        dst.type = 'null';
        dst.value = null;
      }
      continue;
    }
    dst.type = 'unknown';
  }
  return root;
}

/** Reads a YAML file: a CloudFormation template with ECS resources, or nothing of ours. Never throws. */
export function readYaml(text: string): SourceFile {
  let doc;
  try {
    doc = parseDocument(text, YAML_OPTIONS);
  } catch (err) {
    // Only a stack overflow on absurd nesting gets here; the file is then not ours to judge.
    if (!(err instanceof RangeError)) throw err;
    return emptyFile(text, 'yaml', [{ message: 'The YAML is nested too deeply to read', offset: 0, length: Math.min(1, text.length) }]);
  }
  const parseErrors: ParseProblem[] = doc.errors.map((e) => {
    const offset = Math.max(0, Math.min(e.pos[0], text.length));
    return { message: e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''), offset, length: Math.max(0, Math.min(e.pos[1], text.length) - offset) };
  });
  // YAML that is no ECS template is not ours to judge, even when it is broken.
  if (!text.includes('AWS::ECS::')) return emptyFile(text, 'yaml');
  if (!doc.contents) return emptyFile(text, 'yaml', parseErrors);
  let root: Node;
  try {
    root = convert(text, doc.contents as YamlNode);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    return emptyFile(text, 'yaml', parseErrors);
  }
  if (!looksLikeTemplate(root)) return emptyFile(text, 'yaml', parseErrors);
  return readTemplate(text, 'yaml', root, parseErrors);
}
