/**
 * Terraform modules (.tf): `aws_ecs_task_definition` with `container_definitions =
 * jsonencode([...])` written as HCL objects, `aws_ecs_service` and `aws_lb_target_group`. The
 * tree comes from the tree-sitter HCL grammar (run by src/iac through web-tree-sitter, loaded on
 * the first .tf file); this file reads any tree of that shape and stays pure. Block attributes are
 * snake_case (network_mode), jsonencode's keys the API's camelCase. container_definitions written
 * as a heredoc of JSON is read as JSON in place. Variables, locals, resource attributes, function
 * calls and interpolated strings are unknown values.
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_task_definition
 */
import { buildViews, emptyDoc, isUnknown, keyOf, parseJsonTree, prop, rangeOf, str, type Node, type ParseProblem } from './document';
import type { LoadBalancerView, ServiceView, SourceFile, TargetGroupView } from './source';

/**
 * The part of a tree-sitter syntax node the syntax-error report uses (web-tree-sitter's Node has
 * it). Only trees with errors are read this way: each node read is a JS object.
 */
export interface HclSyntaxNode {
  readonly type: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly children: ReadonlyArray<HclSyntaxNode | null>;
  readonly hasError: boolean;
  readonly isError: boolean;
  readonly isMissing: boolean;
}

/**
 * The part of a tree-sitter tree cursor the reader uses (web-tree-sitter's TreeCursor has it).
 * The reader walks the tree with one cursor and creates no object per syntax node: web-tree-sitter's
 * Node objects, with the child arrays each caches, kept the whole tree alive until the file was
 * read, and garbage collection made reading 4x the text take about 9x the time.
 */
export interface HclCursor {
  readonly nodeTypeId: number;
  readonly startIndex: number;
  readonly endIndex: number;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

/** A parsed file: its root (for syntax errors), a cursor on the root, and the grammar's named node types by type id (undefined: an anonymous token such as `=`). */
export interface HclTree {
  readonly root: HclSyntaxNode;
  readonly cursor: HclCursor;
  namedType(typeId: number): string | undefined;
}

/** A named child (comments excluded) of the node under the cursor: its type, its place among all the children, and (when asked for) its range. */
interface Kid {
  readonly type: string;
  readonly idx: number;
  readonly start: number;
  readonly end: number;
}

/** The kids of a node, and where the cursor is: on child `at`, or on the node itself (-1). */
interface Scan {
  ks: Kid[];
  at: number;
}

/** The text being read and the tree's cursor (set by readHclTree; the reader is synchronous). */
let source = '';
let cur: HclCursor;
let namedType: (typeId: number) => string | undefined;

const textOf = (n: { start: number; end: number }): string => source.slice(n.start, n.end);

/**
 * The named children of the node under the cursor, comments excluded (punctuation such as `=` and
 * `,` is never read). `pos`: which of them get their ranges read (each range is two calls into
 * WebAssembly): all, the first, or the first expression. The cursor is left on the last child (each
 * gotoParent/gotoFirstChild costs a call into WebAssembly, and the kid read next is most often
 * the last child): `at` says where, and moveTo()/up() move from there.
 */
function scan(pos: boolean | 'first' | 'firstExpression' = false): Scan {
  const ks: Kid[] = [];
  const c = cur;
  if (!c.gotoFirstChild()) return { ks, at: -1 };
  let idx = 0;
  let ranged = false;
  for (;;) {
    const type = namedType(c.nodeTypeId);
    if (type !== undefined && type !== 'comment') {
      const range = pos === true || (!ranged && (pos === 'first' || (pos === 'firstExpression' && type === 'expression')));
      if (range) ranged = true;
      ks.push({ type, idx, start: range ? c.startIndex : -1, end: range ? c.endIndex : -1 });
    }
    if (!c.gotoNextSibling()) break;
    idx++;
  }
  return { ks, at: idx };
}

/** Moves the cursor onto one kid of a scanned node (from the node, or from another of its children). */
function moveTo(s: Scan, k: Kid): void {
  if (s.at > k.idx) {
    cur.gotoParent();
    s.at = -1;
  }
  if (s.at === -1) {
    cur.gotoFirstChild();
    s.at = 0;
  }
  for (; s.at < k.idx; s.at++) cur.gotoNextSibling();
}

/** Moves the cursor back onto a scanned node. */
function up(s: Scan): void {
  if (s.at >= 0) cur.gotoParent();
  s.at = -1;
}

/** The named children of the node under the cursor (see scan); the cursor stays on the node. */
function kids(pos = false): Kid[] {
  const s = scan(pos);
  up(s);
  return s.ks;
}

const leave = (): void => void cur.gotoParent();

function snakeToCamel(k: string): string {
  return k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The value of a quoted string without interpolation (a string_lit, or a quoted_template whose
 * parts are all literal, as with `$${`), escapes decoded, and whether the raw text is the value.
 */
function stringLit(n: { start: number; end: number }): { value: string; verbatim: boolean } {
  const t = textOf(n);
  const raw = t.length >= 2 && t.startsWith('"') ? t.slice(1, t.endsWith('"') ? -1 : undefined) : t;
  const value = raw.replace(/\$\$\{|%%\{|\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (m: string, e: string | undefined) => {
    if (m === '$${') return '${';
    if (m === '%%{') return '%{';
    if (e === undefined) return m;
    if (e[0] === 'u' || e[0] === 'U') {
      const cp = parseInt(e.slice(1), 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
    }
    return ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' } as Record<string, string>)[e] ?? e;
  });
  return { value, verbatim: value === raw };
}

/** Cursor on a template_expr: its quoted_template when made only of literal parts (no `${...}` nor `%{...}`). */
function literalTemplate(): Kid | undefined {
  const q = scan(true);
  const quoted = q.ks.length === 1 && q.ks[0]!.type === 'quoted_template' ? q.ks[0]! : undefined;
  let literal = false;
  if (quoted) {
    moveTo(q, quoted);
    literal = kids().every((c) => c.type === 'quoted_template_start' || c.type === 'quoted_template_end' || c.type === 'template_literal');
  }
  up(q);
  return literal ? quoted : undefined;
}

/** `aws_lb_target_group.web.arn` -> `aws_lb_target_group.web`. */
function refOf(text: string): string | undefined {
  const m = /^([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)/.exec(text);
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/** A tuple or an object whose elements are being read (the cursor is two levels below its expression). */
interface Frame {
  dst: Node;
  object: boolean;
}

/**
 * Cursor on an `expression`: fills `dst`. For a tuple or an object, leaves the cursor on the
 * tuple/object node (expression > collection_value > tuple) and returns the frame whose elements
 * are to be read; otherwise the cursor stays on the expression.
 */
function expression(dst: Node): Frame | undefined {
  const start = cur.startIndex;
  const end = cur.endIndex;
  dst.offset = start;
  dst.length = end - start;
  const s = scan();
  const ks = s.ks;
  const k = ks.length === 1 ? ks[0]! : undefined;
  let quoted: Kid | undefined;
  if (k?.type === 'literal_value') {
    moveTo(s, k);
    const v = kids(true)[0];
    up(s);
    if (v?.type === 'numeric_lit') {
      const n = Number(textOf(v));
      if (Number.isFinite(n)) {
        dst.type = 'number';
        dst.value = n;
        return undefined;
      }
    } else if (v?.type === 'bool_lit') {
      dst.type = 'boolean';
      dst.value = textOf(v) === 'true';
      return undefined;
    } else if (v?.type === 'null_lit') {
      dst.type = 'null';
      dst.value = null;
      return undefined;
    } else if (v?.type === 'string_lit') {
      const { value, verbatim } = stringLit(v);
      dst.type = 'string';
      dst.value = value;
      if (verbatim) dst.textStart = v.start + 1;
      return undefined;
    }
  } else if (k?.type === 'template_expr') {
    moveTo(s, k);
    quoted = literalTemplate();
    up(s);
    if (quoted) {
      const { value, verbatim } = stringLit(quoted);
      dst.type = 'string';
      dst.value = value;
      if (verbatim) dst.textStart = quoted.start + 1;
      return undefined;
    }
  } else if (k?.type === 'collection_value') {
    moveTo(s, k);
    const cs = scan();
    const c = cs.ks[0];
    if (c?.type === 'tuple') {
      dst.type = 'array';
      dst.children = [];
      moveTo(cs, c);
      return { dst, object: false };
    }
    if (c?.type === 'object') {
      dst.type = 'object';
      dst.style = 'hcl-object';
      dst.children = [];
      moveTo(cs, c);
      return { dst, object: true };
    }
    up(cs);
    up(s);
  } else up(s);
  dst.type = 'unknown';
  if (k?.type === 'variable_expr' || ks[0]?.type === 'variable_expr') dst.ref = refOf(source.slice(start, end));
  return undefined;
}

/**
 * Cursor on a child of a frame's tuple/object: the node to fill from the element's value
 * expression, with the cursor moved onto that expression (an object_elem's value is one level
 * down); undefined when the child is not an element (punctuation, a comment, an unreadable key).
 */
function element(f: Frame): Node | undefined {
  const type = namedType(cur.nodeTypeId);
  if (!f.object) {
    if (type !== 'expression') return undefined;
    const child: Node = { type: 'null', offset: 0, length: 0, parent: f.dst }; // expression() sets its range
    f.dst.children!.push(child);
    return child;
  }
  if (type !== 'object_elem') return undefined;
  const elStart = cur.startIndex;
  const elEnd = cur.endIndex;
  const s = scan('firstExpression');
  const exprs = s.ks.filter((x) => x.type === 'expression');
  const keyExpr = exprs[0];
  const valExpr = exprs[1];
  let key: string | undefined;
  if (keyExpr && valExpr) {
    moveTo(s, keyExpr);
    const ks = scan(true);
    const kk = ks.ks.length === 1 ? ks.ks[0]! : undefined;
    if (kk?.type === 'variable_expr') key = textOf(kk);
    else if (kk?.type === 'literal_value') {
      moveTo(ks, kk);
      const lit = kids(true)[0];
      if (lit?.type === 'string_lit') key = stringLit(lit).value;
    }
    up(ks);
  }
  if (!keyExpr || !valExpr || key === undefined) {
    up(s);
    return undefined;
  }
  const property: Node = { type: 'property', offset: elStart, length: elEnd - elStart, parent: f.dst };
  const keyNode: Node = { type: 'string', value: key, offset: keyExpr.start, length: keyExpr.end - keyExpr.start, parent: property };
  const valueNode: Node = { type: 'null', offset: 0, length: 0, parent: property }; // expression() sets its range
  property.children = [keyNode, valueNode];
  f.dst.children!.push(property);
  moveTo(s, valExpr);
  return valueNode;
}

/**
 * Cursor on an `expression`: its value, read without recursion (nesting may be thousands deep)
 * and with each tuple/object walked once, element after element. The cursor is back on the
 * expression after.
 */
function convertExpression(): Node {
  const root: Node = { type: 'null', offset: 0, length: 0 };
  const frames: Frame[] = [];
  let dst: Node = root;
  for (;;) {
    // The cursor is on an expression to read into dst.
    const f = expression(dst);
    // 'new': the cursor is on a child of the top frame's tuple/object not looked at yet;
    // 'value': on the expression just read (an element's value, or the root when no frame is left).
    let state: 'new' | 'value' = 'value';
    if (f) {
      if (cur.gotoFirstChild()) {
        frames.push(f);
        state = 'new';
      } else {
        leave();
        leave();
      }
    }
    for (;;) {
      const top = frames[frames.length - 1];
      if (!top) return root;
      if (state === 'new') {
        const next = element(top);
        if (next) {
          dst = next;
          break;
        }
      } else if (top.object) leave(); // from the value up to its object_elem
      // The cursor is on a child of the top frame's tuple/object, done with.
      if (cur.gotoNextSibling()) {
        state = 'new';
        continue;
      }
      leave(); // tuple/object
      leave(); // collection_value
      leave(); // the expression the frame fills
      frames.pop();
      state = 'value';
    }
  }
}

/**
 * The JSON of a heredoc (`<<EOF [...] EOF`, `<<-EOF`), read in place: its nodes carry their offsets
 * in the .tf file, `${...}` placeholders are unknown values. A heredoc that is not a clean JSON
 * array (a syntax error, `%{ for }` directives that build the JSON) is unknown as a whole.
 */
function heredocJson(start: number, end: number): Node | undefined {
  const { root, doc } = parseJsonTree(source.slice(start, end), true);
  if (!root || doc.parseErrors.length || root.type !== 'array' || /%\{/.test(source.slice(start, end))) return undefined;
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    n.offset += start;
    if (n.textStart !== undefined) n.textStart += start;
    for (const c of n.children ?? []) stack.push(c);
  }
  return root;
}

/** Cursor on a `template_expr`: the heredoc's body range (between its two identifiers), if it is a heredoc. */
function heredocBody(): { start: number; end: number } | undefined {
  const s = scan();
  const heredoc = s.ks.length === 1 && s.ks[0]!.type === 'heredoc_template' ? s.ks[0]! : undefined;
  let body: { start: number; end: number } | undefined;
  if (heredoc) {
    moveTo(s, heredoc);
    const parts = kids(true).filter((k) => k.type === 'template_literal' || k.type === 'template_interpolation' || k.type === 'template_directive');
    if (parts.length) body = { start: parts[0]!.start, end: parts[parts.length - 1]!.end };
  }
  up(s);
  return body;
}

/**
 * Cursor on an `expression`: `jsonencode(x)` -> x; a heredoc of JSON -> that JSON; anything else
 * (file(), templatefile(), a variable) -> unknown.
 */
function containerDefinitions(): Node {
  const start = cur.startIndex;
  const end = cur.endIndex;
  const s = scan();
  const call = s.ks.length === 1 && s.ks[0]!.type === 'function_call' ? s.ks[0]! : undefined;
  const template = s.ks.length === 1 && s.ks[0]!.type === 'template_expr' ? s.ks[0]! : undefined;
  let value: Node | undefined;
  if (template) {
    moveTo(s, template);
    const body = heredocBody();
    if (body) value = heredocJson(body.start, body.end);
  }
  if (call) {
    moveTo(s, call);
    const ps = scan(true);
    const parts = ps.ks;
    if (parts[0] !== undefined && textOf(parts[0]) === 'jsonencode') {
      const args = parts.find((p) => p.type === 'function_arguments');
      if (args) {
        moveTo(ps, args);
        const as = scan();
        const exprs = as.ks.filter((a) => a.type === 'expression');
        if (exprs.length === 1) {
          moveTo(as, exprs[0]!);
          value = convertExpression();
        }
        up(as);
      }
    }
    up(ps);
  }
  up(s);
  return value ?? { type: 'unknown', offset: start, length: end - start };
}

/** A block whose body is being read: its object, its scan, and the property that holds it (nested blocks). */
interface BlockFrame {
  obj: Node;
  s: Scan;
  /** The cursor is on a child of the body (else on the body, or on the block's last child). */
  inBody: boolean;
  property?: Node;
  keyNode?: Node;
}

/** Starts reading a block (see blockBody): its object, and the cursor on the body's first child when there is one. */
function openBlock(s: Scan, blockStart: number, blockEnd: number): BlockFrame {
  const open = s.ks.find((c) => c.type === 'block_start');
  const close = s.ks.find((c) => c.type === 'block_end');
  const start = open?.start ?? blockStart;
  const obj: Node = { type: 'object', style: 'hcl-body', keyCase: 'snake', offset: start, length: (close?.end ?? blockEnd) - start, children: [] };
  const body = s.ks.find((c) => c.type === 'body');
  let inBody = false;
  if (body) {
    moveTo(s, body);
    inBody = cur.gotoFirstChild();
  }
  return { obj, s, inBody };
}

/**
 * A block's body as an object (attributes and nested blocks, snake_case keys as camelCase); `s`:
 * the block's scan (kids with ranges), `blockStart`..`blockEnd` its range. Bodies are streamed
 * and nested blocks read without recursion (they may be nested thousands deep); the cursor ends
 * on the block.
 */
function blockBody(s: Scan, blockStart: number, blockEnd: number): Node {
  const stack: BlockFrame[] = [openBlock(s, blockStart, blockEnd)];
  let fresh = stack[0]!.inBody; // the cursor is on a child of the top body not looked at yet
  for (;;) {
    const top = stack[stack.length - 1]!;
    if (fresh) {
      fresh = false;
      const type = namedType(cur.nodeTypeId);
      if (type === 'attribute') attribute(top.obj);
      else if (type === 'block') {
        const nested = nestedBlock(top.obj);
        if (nested) {
          stack.push(nested);
          fresh = nested.inBody;
          continue;
        }
      }
    }
    // The cursor is on a child of the top body, done with (or the top block has no body child).
    if (top.inBody && cur.gotoNextSibling()) {
      fresh = true;
      continue;
    }
    if (top.inBody) leave(); // onto the body
    up(top.s); // onto the block
    stack.pop();
    const parent = stack[stack.length - 1];
    if (!parent) return top.obj;
    // A nested block, a child of the parent's body: its property goes in.
    top.obj.parent = top.property;
    top.property!.children = [top.keyNode!, top.obj];
    parent.obj.children!.push(top.property!);
  }
}

/** Cursor on a block inside a body: the frame to read it with (undefined: unnamed, skipped; the cursor stays on it). */
function nestedBlock(obj: Node): BlockFrame | undefined {
  const itemStart = cur.startIndex;
  const itemEnd = cur.endIndex;
  const s = scan(true);
  const name = s.ks[0];
  if (!name || name.type !== 'identifier') {
    up(s);
    return undefined;
  }
  const property: Node = { type: 'property', offset: itemStart, length: itemEnd - itemStart, parent: obj };
  const keyNode: Node = { type: 'string', value: snakeToCamel(textOf(name)), offset: name.start, length: name.end - name.start, parent: property };
  const f = openBlock(s, itemStart, itemEnd);
  f.property = property;
  f.keyNode = keyNode;
  return f;
}

/** Cursor on an attribute of a body: adds it to `obj` (the cursor ends on it). */
function attribute(obj: Node): void {
  const itemStart = cur.startIndex;
  const itemEnd = cur.endIndex;
  const s = scan('first');
  const name = s.ks[0];
  const e = s.ks.find((p) => p.type === 'expression');
  if (!name || name.type !== 'identifier' || !e) return up(s);
  const property: Node = { type: 'property', offset: itemStart, length: itemEnd - itemStart, parent: obj };
  const keyNode: Node = { type: 'string', value: snakeToCamel(textOf(name)), offset: name.start, length: name.end - name.start, parent: property };
  moveTo(s, e);
  const value = textOf(name) === 'container_definitions' ? containerDefinitions() : convertExpression();
  up(s);
  value.parent = property;
  property.children = [keyNode, value];
  obj.children!.push(property);
}

function syntaxErrors(root: HclSyntaxNode): ParseProblem[] {
  const out: ParseProblem[] = [];
  const stack: HclSyntaxNode[] = [root];
  while (stack.length && out.length < 100) {
    const n = stack.pop()!;
    if (n.isError) out.push({ message: 'Syntax error', offset: n.startIndex, length: Math.max(0, n.endIndex - n.startIndex) });
    else if (n.isMissing) out.push({ message: `Missing ${JSON.stringify(n.type)}`, offset: n.startIndex, length: 0 });
    else if (n.hasError) {
      const ks = n.children;
      for (let i = ks.length - 1; i >= 0; i--) {
        const k = ks[i];
        if (k) stack.push(k);
      }
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** Reads a Terraform file's tree (the cursor on its root; left there). Never throws on any tree of the grammar. */
export function readHclTree(text: string, tree: HclTree): SourceFile {
  source = text;
  cur = tree.cursor;
  namedType = (id) => tree.namedType(id);
  const root = tree.root;
  const parseErrors = root.hasError ? syntaxErrors(root) : [];
  const file: SourceFile = { text, syntax: 'hcl', shape: undefined, parseErrors, tasks: [], services: [], targetGroups: new Map(), parseRule: 'hcl/parse' };
  const s = scan();
  const body = s.ks.find((c) => c.type === 'body');
  if (body) {
    moveTo(s, body);
    if (cur.gotoFirstChild()) {
      do {
        if (namedType(cur.nodeTypeId) === 'block') resource(file);
      } while (cur.gotoNextSibling());
      leave();
    }
  }
  up(s);
  if (file.tasks.length > 0 || file.services.length > 0) file.shape = 'terraform';
  return file;
}

/** Cursor on a top-level block: a task definition, service or target group resource goes into `file`. */
function resource(file: SourceFile): void {
  const s = scan(true);
  up(s); // the block's range is read below only for the resources read
  const parts = s.ks;
  if (parts[0] === undefined || textOf(parts[0]) !== 'resource') return;
  const labels = parts.filter((p) => p.type === 'string_lit');
  const type = labels[0] ? stringLit(labels[0]).value : undefined;
  const name = labels[1] ? stringLit(labels[1]).value : undefined;
  if (!type || name === undefined || !labels[1]) return;
  const ref = `${type}.${name}`;
  const anchor = { offset: labels[1].start, length: labels[1].end - labels[1].start };
  const blockStart = cur.startIndex;
  const blockEnd = cur.endIndex;
  const blockBodyOf = (): Node => blockBody(s, blockStart, blockEnd);
  if (type === 'aws_ecs_task_definition') {
    const props = blockBodyOf();
    const doc = emptyDoc(source, 'hcl');
    doc.shape = 'terraform';
    doc.ref = ref;
    doc.extent = { offset: blockStart, length: blockEnd - blockStart };
    doc.root = props;
    doc.task = props;
    doc.containersNode = prop(props, 'containerDefinitions');
    const k = keyOf(props, 'containerDefinitions');
    doc.containersAnchor = k ? rangeOf(k) : anchor;
    if (!doc.containersNode) doc.containersComplete = false;
    buildViews(doc);
    file.tasks.push(doc);
  } else if (type === 'aws_ecs_service') {
    const props = blockBodyOf();
    const lbProps = (props.children ?? []).filter((p) => p.children?.[0]?.value === 'loadBalancer');
    const loadBalancers: LoadBalancerView[] = lbProps
      .map((p) => p.children?.[1])
      .filter((lb): lb is Node => lb?.type === 'object')
      .map((lb) => {
        const tg = prop(lb, 'targetGroupArn');
        return { node: lb, containerName: prop(lb, 'containerName'), containerPort: prop(lb, 'containerPort'), targetGroupRef: isUnknown(tg) ? tg?.ref : undefined };
      });
    const td = prop(props, 'taskDefinition');
    const service: ServiceView = {
      ref,
      props,
      anchor,
      taskRef: isUnknown(td) ? td?.ref : undefined,
      loadBalancersAnchor: lbProps[0]?.children?.[0] ? rangeOf(lbProps[0].children[0]) : undefined,
      loadBalancers,
      gracePeriod: prop(props, 'healthCheckGracePeriodSeconds'),
      awsvpc: str(prop(props, 'launchType'))?.toUpperCase() === 'FARGATE' || prop(props, 'networkConfiguration') !== undefined,
    };
    file.services.push(service);
  } else if (type === 'aws_lb_target_group' || type === 'aws_alb_target_group') {
    const props = blockBodyOf();
    const tg: TargetGroupView = { ref, props, anchor, targetType: prop(props, 'targetType') };
    file.targetGroups.set(ref, tg);
  }
}
