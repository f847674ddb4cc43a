/**
 * Parses a task definition once, with positions (jsonc-parser: comments and trailing commas
 * tolerated), recognises its shape by content and builds the views every rule reads. Rules
 * never re-parse: they look properties up in maps built here (each object at most once).
 */
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { DocumentShape } from './types';

/**
 * A value with its place in the text, whatever the file's syntax (JSON, YAML, HCL). jsonc-parser's
 * nodes are this shape; the YAML and HCL readers build the same. `unknown` is a value the file
 * computes (a CloudFormation intrinsic, a Terraform variable or a template placeholder): no rule
 * judges it. Keys are the ECS API's camelCase whatever the file writes (StartPeriod, network_mode).
 */
export interface Node {
  type: 'object' | 'array' | 'property' | 'string' | 'number' | 'boolean' | 'null' | 'unknown';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  value?: any;
  offset: number;
  length: number;
  children?: Node[];
  parent?: Node;
  /** How an object or array is written, for edits that add to it (JSON when absent). */
  style?: NodeStyle;
  /** How keys of this object are written in the file (camelCase when absent). */
  keyCase?: 'pascal' | 'snake';
  /** Strings: offset of the value's first character when the raw text equals the value. */
  textStart?: number;
  /** Unknown values: the resource they point at (`!Ref Web`, `aws_lb_target_group.web.arn`). */
  ref?: string;
}

export type NodeStyle = 'json' | 'yaml-block' | 'yaml-flow' | 'hcl-body' | 'hcl-object';
/** The syntax of a whole file: how values are written in edits. */
export type Syntax = 'json' | 'yaml' | 'hcl';

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
  /** `essential` is computed by the template (a rule on it would guess). */
  essentialUnknown: boolean;
  /** Some port mapping or containerPort is computed by the template. */
  portsUnknown: boolean;
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
  /** How the file is written (JSON for task definitions, YAML or JSON templates, HCL). */
  syntax: Syntax;
  /** The template's name for the task definition (CloudFormation logical id, Terraform resource name). */
  ref?: string;
  /** The part of the text this task definition covers (hovers look here). */
  extent?: Range;
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
  /** Every container is known (none is computed by the template, nor their names). */
  containersComplete: boolean;
  /** requiresCompatibilities is computed by the template (the launch type is unknown). */
  compatUnknown: boolean;
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
export function isUnknown(node: Node | undefined): boolean {
  return node?.type === 'unknown';
}

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
    // A template placeholder (`"image": "${image}"`) still says the key is there.
    const hasName = str(prop(e, 'name')) !== undefined || isUnknown(prop(e, 'name'));
    const hasImage = str(prop(e, 'image')) !== undefined || isUnknown(prop(e, 'image'));
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
  return arr?.type === 'array' && (arr.children ?? []).every((c) => c.type === 'object' || c.type === 'unknown');
}

/** An empty document of a syntax (no task found yet). */
export function emptyDoc(text: string, syntax: Syntax): TaskDoc {
  return {
    text,
    syntax,
    root: undefined,
    parseErrors: [],
    shape: undefined,
    task: undefined,
    containersNode: undefined,
    containersAnchor: { offset: 0, length: 0 },
    containers: [],
    byName: new Map(),
    isFargate: false,
    networkMode: undefined,
    containersComplete: true,
    compatUnknown: false,
  };
}

/**
 * Template placeholders in a JSON file that Terraform's templatefile() fills: `${...}` outside a
 * string becomes a string of the same length (so positions hold) that the tree marks unknown;
 * `%{...}` directives become spaces. With `template`, strings holding `${` are unknown too.
 */
function maskTemplate(text: string): { masked: string; holes: Set<number> } | undefined {
  if (!text.includes('${') && !text.includes('%{')) return undefined;
  const holes = new Set<number>();
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92) i++;
      else if (ch === 34 || ch === 10) inString = false;
      continue;
    }
    if (ch === 34) {
      inString = true;
      continue;
    }
    if ((ch === 36 || ch === 37) && text.charCodeAt(i + 1) === 123) {
      // Find the matching `}` (placeholders may hold braces: ${jsonencode({a = 1})}).
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        const c = text.charCodeAt(j);
        if (c === 123) depth++;
        else if (c === 125 && --depth === 0) break;
      }
      const end = Math.min(j + 1, text.length);
      out += text.slice(last, i) + (ch === 36 ? `"${'_'.repeat(Math.max(0, end - i - 2))}"` : ' '.repeat(end - i));
      if (ch === 36) holes.add(i);
      last = end;
      i = end - 1;
    }
  }
  if (last === 0) return undefined;
  return { masked: out + text.slice(last), holes };
}

/** Marks placeholder holes and templated strings unknown (iterative). */
function markTemplateValues(root: Node, holes: Set<number>, template: boolean): void {
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'string') {
      if (holes.has(n.offset) || (template && typeof n.value === 'string' && /\$\{[^}]*\}/.test(n.value))) {
        if (n.parent?.type !== 'property' || n.parent.children?.[0] !== n) n.type = 'unknown';
      }
    }
    for (const c of n.children ?? []) stack.push(c);
  }
}

/** Parses `text` and recognises a task definition by content. Never throws. */
export function parseTaskDefinition(text: string, options: { template?: boolean } = {}): TaskDoc {
  const { root, doc } = parseJsonTree(text, options.template === true);
  return recogniseJson(doc, root);
}

/** The JSON tree of `text` (placeholders masked) in an otherwise empty document. */
export function parseJsonTree(text: string, template: boolean): { root: Node | undefined; doc: TaskDoc } {
  const errors: ParseError[] = [];
  let root: Node | undefined;
  let tooDeep = false;
  const mask = maskTemplate(text);
  try {
    root = parseTree(mask?.masked ?? text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
    if (root && (mask || template)) markTemplateValues(root, mask?.holes ?? new Set(), template);
  } catch (err) {
    // jsonc-parser recurses once per nesting level: tens of thousands of `[` overflow the stack.
    if (!(err instanceof RangeError)) throw err;
    tooDeep = true;
    root = undefined;
  }
  const doc = emptyDoc(text, 'json');
  doc.root = root;
  doc.parseErrors = errors.map((e) => {
    // jsonc-parser may report a range past the end of the text (an unterminated token): clamp it.
    const offset = Math.max(0, Math.min(e.offset, text.length));
    return { message: describeParseError(printParseErrorCode(e.error)), offset, length: Math.max(0, Math.min(e.length, text.length - offset)) };
  });
  if (tooDeep) doc.parseErrors = [{ message: 'The JSON is nested too deeply to read (thousands of levels of [ or {)', offset: 0, length: Math.min(1, text.length) }];
  return { root, doc };
}

/** Recognises the three JSON task-definition shapes by content. */
export function recogniseJson(doc: TaskDoc, root: Node | undefined): TaskDoc {
  if (!root) return doc;
  if (root.type === 'object') {
    const direct = prop(root, 'containerDefinitions');
    const described = prop(root, 'taskDefinition');
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

  buildViews(doc);
  return doc;
}

/**
 * Fills the container views of a document whose task, containersNode and shape are set (every
 * reader calls this, so rules see the same views whatever the syntax).
 */
export function buildViews(doc: TaskDoc): void {
  if (isUnknown(doc.containersNode)) doc.containersComplete = false;
  for (const [index, node] of items(doc.containersNode).entries()) {
    if (node.type !== 'object') {
      doc.containersComplete = false;
      continue;
    }
    const nameNode = prop(node, 'name');
    const name = str(nameNode);
    if (isUnknown(nameNode)) doc.containersComplete = false;
    const containerPorts: number[] = [];
    const portRanges: Array<[number, number]> = [];
    const pms = prop(node, 'portMappings');
    let portsUnknown = isUnknown(pms);
    for (const pm of items(pms)) {
      const cpNode = prop(pm, 'containerPort');
      if (pm.type === 'unknown' || isUnknown(cpNode) || isUnknown(prop(pm, 'containerPortRange'))) portsUnknown = true;
      const cp = num(cpNode);
      if (cp !== undefined) containerPorts.push(cp);
      const r = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(str(prop(pm, 'containerPortRange')) ?? '');
      if (r) portRanges.push([Number(r[1]), Number(r[2])]);
    }
    const hc = prop(node, 'healthCheck');
    const essentialNode = prop(node, 'essential');
    const view: ContainerView = {
      index,
      node,
      name,
      essential: bool(essentialNode) !== false,
      essentialUnknown: isUnknown(essentialNode),
      portsUnknown,
      healthCheck: hc?.type === 'object' ? hc : undefined,
      containerPorts,
      portRanges,
      anchor: nameNode ? rangeOf(nameNode) : { offset: node.offset, length: 1 },
    };
    doc.containers.push(view);
    if (name !== undefined && !doc.byName.has(name)) doc.byName.set(name, view);
  }
  if (doc.task) {
    const compat = prop(doc.task, 'requiresCompatibilities');
    doc.compatUnknown = isUnknown(compat) || items(compat).some(isUnknown);
    doc.isFargate = items(compat).some((n) => str(n)?.toUpperCase() === 'FARGATE');
    doc.networkMode = str(prop(doc.task, 'networkMode'));
  }
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
