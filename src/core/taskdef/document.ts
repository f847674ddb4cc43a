/**
 * Parses a task definition once, with positions (jsonc-parser: comments and trailing commas
 * tolerated), recognises its shape by content and builds the views every rule reads. Rules
 * never re-parse: they look properties up in maps built here (each object at most once).
 */
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { DocumentShape } from './types';

export type { Node } from 'jsonc-parser';

export interface ParseProblem {
  message: string;
  offset: number;
  length: number;
}

export interface Range {
  offset: number;
  length: number;
}

export interface ContainerView {
  index: number;
  /** The container definition object. */
  node: Node;
  name: string | undefined;
  /** `essential` defaults to true. */
  essential: boolean;
  /** The healthCheck value when it is an object. */
  healthCheck: Node | undefined;
  /** containerPort values of portMappings. */
  containerPorts: number[];
  /** containerPortRange values ("8000-8010") of portMappings. */
  portRanges: Array<[number, number]>;
  /** Where findings about the container as a whole go: its name value, else its opening brace. */
  anchor: Range;
}

export interface TaskDoc {
  text: string;
  root: Node | undefined;
  parseErrors: ParseProblem[];
  /** undefined: not a task definition (the linter says nothing about it). */
  shape: DocumentShape | undefined;
  /** The object holding task-level fields; undefined for a bare container array. */
  task: Node | undefined;
  /** The containerDefinitions array (or the root array). */
  containersNode: Node | undefined;
  /** Where task-wide container findings go: the containerDefinitions key, or the root's `[`. */
  containersAnchor: Range;
  containers: ContainerView[];
  /** First container of each name. */
  byName: Map<string, ContainerView>;
  /** requiresCompatibilities contains FARGATE. */
  isFargate: boolean;
  networkMode: string | undefined;
}

/**
 * The property nodes of an object by key (last duplicate wins, as in JSON.parse). Allocates a
 * map: rules use prop()/keyOf(), which scan the few properties of an object without allocating.
 */
export function propsOf(obj: Node | undefined): Map<string, Node> {
  const m = new Map<string, Node>();
  if (obj?.type !== 'object') return m;
  for (const p of obj.children ?? []) {
    const k = p.children?.[0];
    if (p.type === 'property' && k && typeof k.value === 'string') m.set(k.value, p);
  }
  return m;
}

/** The property node obj[key] (the last one when the key is repeated). */
function propertyOf(obj: Node | undefined, key: string): Node | undefined {
  if (obj?.type !== 'object' || !obj.children) return undefined;
  const ps = obj.children;
  for (let i = ps.length - 1; i >= 0; i--) {
    const p = ps[i]!;
    if (p.children?.[0]?.value === key) return p;
  }
  return undefined;
}

/** The value node of obj[key]. */
export function prop(obj: Node | undefined, key: string): Node | undefined {
  return propertyOf(obj, key)?.children?.[1];
}

/** The key node of obj[key]. */
export function keyOf(obj: Node | undefined, key: string): Node | undefined {
  return propertyOf(obj, key)?.children?.[0];
}

export function has(obj: Node | undefined, key: string): boolean {
  return propertyOf(obj, key) !== undefined;
}

export function str(node: Node | undefined): string | undefined {
  return node?.type === 'string' ? (node.value as string) : undefined;
}

export function num(node: Node | undefined): number | undefined {
  return node?.type === 'number' && Number.isFinite(node.value) ? (node.value as number) : undefined;
}

export function bool(node: Node | undefined): boolean | undefined {
  return node?.type === 'boolean' ? (node.value as boolean) : undefined;
}

/** Elements of an array node (empty for anything else). */
export function items(node: Node | undefined): Node[] {
  return node?.type === 'array' ? (node.children ?? []) : [];
}

export function rangeOf(node: Node): Range {
  return { offset: node.offset, length: node.length };
}

/** Keys only ECS container definitions have: a bare array needs one of them to count as one. */
const CONTAINER_MARKERS = new Set([
  'essential', 'portMappings', 'memoryReservation', 'healthCheck', 'logConfiguration', 'dependsOn',
  'secrets', 'mountPoints', 'volumesFrom', 'repositoryCredentials', 'firelensConfiguration',
  'environmentFiles', 'linuxParameters', 'ulimits', 'readonlyRootFilesystem', 'stopTimeout',
  'startTimeout', 'systemControls', 'resourceRequirements', 'dockerLabels', 'dockerSecurityOptions',
  'entryPoint', 'workingDirectory', 'disableNetworking', 'extraHosts', 'dnsServers', 'pseudoTerminal',
  'interactive', 'privileged', 'restartPolicy', 'credentialSpecs', 'versionConsistency', 'environment',
  'memory', 'cpu', 'command', 'links', 'hostname', 'user',
]);

function looksLikeContainerArray(root: Node): boolean {
  const elements = root.children ?? [];
  if (elements.length === 0) return false;
  let marker = false;
  let image = false;
  for (const e of elements) {
    if (e.type !== 'object') return false;
    const hasName = str(prop(e, 'name')) !== undefined;
    const hasImage = str(prop(e, 'image')) !== undefined;
    if (!hasName && !hasImage) return false;
    if (hasImage) image = true;
    if (!marker) {
      for (const p of e.children ?? []) {
        const k = p.children?.[0]?.value;
        if (typeof k === 'string' && CONTAINER_MARKERS.has(k)) {
          marker = true;
          break;
        }
      }
    }
  }
  return image && marker;
}

function containersOk(arr: Node | undefined): arr is Node {
  return arr?.type === 'array' && (arr.children ?? []).every((c) => c.type === 'object');
}

/** Parses `text` and recognises a task definition by content. Never throws. */
export function parseTaskDefinition(text: string): TaskDoc {
  const errors: ParseError[] = [];
  let root: Node | undefined;
  let tooDeep = false;
  try {
    root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  } catch (err) {
    // jsonc-parser recurses once per nesting level: tens of thousands of `[` overflow the stack.
    if (!(err instanceof RangeError)) throw err;
    tooDeep = true;
  }
  const doc: TaskDoc = {
    text,
    root,
    parseErrors: errors.map((e) => {
      // jsonc-parser may report a range past the end of the text (an unterminated token): clamp it.
      const offset = Math.max(0, Math.min(e.offset, text.length));
      return { message: describeParseError(printParseErrorCode(e.error)), offset, length: Math.max(0, Math.min(e.length, text.length - offset)) };
    }),
    shape: undefined,
    task: undefined,
    containersNode: undefined,
    containersAnchor: { offset: 0, length: 0 },
    containers: [],
    byName: new Map(),
    isFargate: false,
    networkMode: undefined,
  };
  if (tooDeep) {
    doc.parseErrors = [{ message: 'The JSON is nested too deeply to read (thousands of levels of [ or {)', offset: 0, length: Math.min(1, text.length) }];
    return doc;
  }
  if (!root) return doc;
  if (root.type === 'object') {
    const direct = findNodeAtLocation(root, ['containerDefinitions']);
    const described = findNodeAtLocation(root, ['taskDefinition']);
    if (containersOk(direct)) {
      doc.shape = 'register';
      doc.task = root;
    } else if (described?.type === 'object' && containersOk(prop(described, 'containerDefinitions'))) {
      doc.shape = 'describe';
      doc.task = described;
    } else return doc;
    doc.containersNode = prop(doc.task, 'containerDefinitions');
    const k = keyOf(doc.task, 'containerDefinitions')!;
    doc.containersAnchor = rangeOf(k);
  } else if (root.type === 'array' && looksLikeContainerArray(root)) {
    doc.shape = 'containers';
    doc.containersNode = root;
    doc.containersAnchor = { offset: root.offset, length: 1 };
  } else return doc;

  for (const [index, node] of items(doc.containersNode).entries()) {
    const nameNode = prop(node, 'name');
    const name = str(nameNode);
    const containerPorts: number[] = [];
    const portRanges: Array<[number, number]> = [];
    for (const pm of items(prop(node, 'portMappings'))) {
      const cp = num(prop(pm, 'containerPort'));
      if (cp !== undefined) containerPorts.push(cp);
      const r = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(str(prop(pm, 'containerPortRange')) ?? '');
      if (r) portRanges.push([Number(r[1]), Number(r[2])]);
    }
    const hc = prop(node, 'healthCheck');
    const view: ContainerView = {
      index,
      node,
      name,
      essential: bool(prop(node, 'essential')) !== false,
      healthCheck: hc?.type === 'object' ? hc : undefined,
      containerPorts,
      portRanges,
      anchor: nameNode ? rangeOf(nameNode) : { offset: node.offset, length: 1 },
    };
    doc.containers.push(view);
    if (name !== undefined && !doc.byName.has(name)) doc.byName.set(name, view);
  }
  if (doc.task) {
    doc.isFargate = items(prop(doc.task, 'requiresCompatibilities')).some((n) => str(n)?.toUpperCase() === 'FARGATE');
    doc.networkMode = str(prop(doc.task, 'networkMode'));
  }
  return doc;
}

function describeParseError(code: string): string {
  switch (code) {
    case 'InvalidSymbol': return 'Invalid symbol';
    case 'InvalidNumberFormat': return 'Invalid number';
    case 'PropertyNameExpected': return 'Property name expected';
    case 'ValueExpected': return 'Value expected';
    case 'ColonExpected': return 'Colon expected';
    case 'CommaExpected': return 'Comma expected';
    case 'CloseBraceExpected': return 'Closing brace } expected';
    case 'CloseBracketExpected': return 'Closing bracket ] expected';
    case 'EndOfFileExpected': return 'End of file expected';
    case 'InvalidCommentToken': return 'Invalid comment';
    case 'UnexpectedEndOfComment': return 'Unexpected end of comment';
    case 'UnexpectedEndOfString': return 'Unterminated string';
    case 'UnexpectedEndOfNumber': return 'Unexpected end of number';
    case 'InvalidUnicode': return 'Invalid unicode escape';
    case 'InvalidEscapeCharacter': return 'Invalid escape character';
    case 'InvalidCharacter': return 'Invalid character';
    default: return 'Malformed JSON';
  }
}
