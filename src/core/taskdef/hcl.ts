/**
 * Terraform modules (.tf): `aws_ecs_task_definition` with `container_definitions =
 * jsonencode([...])` written as HCL objects, `aws_ecs_service` and `aws_lb_target_group`. The
 * tree comes from the tree-sitter HCL grammar (run by src/iac through web-tree-sitter, loaded on
 * the first .tf file); this file reads any tree of that shape and stays pure. Block attributes are
 * snake_case (network_mode), jsonencode's keys the API's camelCase. Variables, locals, resource
 * attributes, function calls and interpolated strings are unknown values.
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_task_definition
 */
import { buildViews, emptyDoc, isUnknown, keyOf, prop, rangeOf, str, type Node, type ParseProblem } from './document';
import type { LoadBalancerView, ServiceView, SourceFile, TargetGroupView } from './source';

/** The part of a tree-sitter syntax node this reader uses (web-tree-sitter's Node has it). */
export interface HclSyntaxNode {
  readonly type: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly text: string;
  readonly children: ReadonlyArray<HclSyntaxNode | null>;
  readonly namedChildren: ReadonlyArray<HclSyntaxNode | null>;
  readonly hasError: boolean;
  readonly isError: boolean;
  readonly isMissing: boolean;
}

/**
 * The named children (punctuation such as `=` and `,` is never read, and skipping it halves the
 * nodes web-tree-sitter materialises as objects, which is most of this reader's cost).
 */
const kids = (n: HclSyntaxNode): HclSyntaxNode[] => n.namedChildren.filter((c): c is HclSyntaxNode => c !== null && c.type !== 'comment');
/** The text being read (set by readHclTree): slicing it is cheaper than asking the tree for a node's text. */
let source = '';
const textOf = (n: HclSyntaxNode): string => source.slice(n.startIndex, n.endIndex);

/** Every child, tokens included (a MISSING token is anonymous). */
const allKids = (n: HclSyntaxNode): HclSyntaxNode[] => n.children.filter((c): c is HclSyntaxNode => c !== null);

function snakeToCamel(k: string): string {
  return k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The value of a quoted string without interpolation (a string_lit, or a quoted_template whose
 * parts are all literal, as with `$${`), escapes decoded, and whether the raw text is the value.
 */
function stringLit(n: HclSyntaxNode): { value: string; verbatim: boolean } {
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

/** A quoted_template made only of literal parts (no `${...}` nor `%{...}`). */
function literalTemplate(n: HclSyntaxNode): HclSyntaxNode | undefined {
  const q = kids(n);
  const quoted = q.length === 1 && q[0]!.type === 'quoted_template' ? q[0]! : undefined;
  if (!quoted) return undefined;
  return kids(quoted).every((c) => c.type === 'quoted_template_start' || c.type === 'quoted_template_end' || c.type === 'template_literal') ? quoted : undefined;
}

/** `aws_lb_target_group.web.arn` -> `aws_lb_target_group.web`. */
function refOf(text: string): string | undefined {
  const m = /^([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)/.exec(text);
  return m ? `${m[1]}.${m[2]}` : undefined;
}

interface Job {
  src: HclSyntaxNode;
  dst: Node;
}

/** Fills `dst` from an `expression` node; pushes the collections' elements on `stack`. */
function expression(e: HclSyntaxNode, dst: Node, stack: Job[]): void {
  dst.offset = e.startIndex;
  dst.length = e.endIndex - e.startIndex;
  const ks = kids(e);
  const k = ks.length === 1 ? ks[0]! : undefined;
  let quoted: HclSyntaxNode | undefined;
  if (k?.type === 'literal_value') {
    const v = kids(k)[0];
    if (v?.type === 'numeric_lit') {
      const n = Number(textOf(v));
      if (Number.isFinite(n)) {
        dst.type = 'number';
        dst.value = n;
        return;
      }
    } else if (v?.type === 'bool_lit') {
      dst.type = 'boolean';
      dst.value = textOf(v) === 'true';
      return;
    } else if (v?.type === 'null_lit') {
      dst.type = 'null';
      dst.value = null;
      return;
    } else if (v?.type === 'string_lit') {
      const { value, verbatim } = stringLit(v);
      dst.type = 'string';
      dst.value = value;
      if (verbatim) dst.textStart = v.startIndex + 1;
      return;
    }
  } else if (k?.type === 'template_expr' && (quoted = literalTemplate(k))) {
    const q = quoted;
    const { value, verbatim } = stringLit(q);
    dst.type = 'string';
    dst.value = value;
    if (verbatim) dst.textStart = q.startIndex + 1;
    return;
  } else if (k?.type === 'collection_value') {
    const c = kids(k)[0];
    if (c?.type === 'tuple') {
      dst.type = 'array';
      dst.children = [];
      for (const el of kids(c)) {
        if (el.type !== 'expression') continue;
        const child: Node = { type: 'null', offset: el.startIndex, length: 0, parent: dst };
        dst.children.push(child);
        stack.push({ src: el, dst: child });
      }
      return;
    }
    if (c?.type === 'object') {
      dst.type = 'object';
      dst.style = 'hcl-object';
      dst.children = [];
      for (const el of kids(c)) {
        if (el.type !== 'object_elem') continue;
        const [keyExpr, valExpr] = kids(el).filter((x) => x.type === 'expression');
        if (!keyExpr || !valExpr) continue;
        const keyKids = kids(keyExpr);
        const kk = keyKids.length === 1 ? keyKids[0]! : undefined;
        let key: string | undefined;
        if (kk?.type === 'variable_expr') key = textOf(kk);
        else if (kk?.type === 'literal_value' && kids(kk)[0]?.type === 'string_lit') key = stringLit(kids(kk)[0]!).value;
        if (key === undefined) continue;
        const property: Node = { type: 'property', offset: el.startIndex, length: el.endIndex - el.startIndex, parent: dst };
        const keyNode: Node = { type: 'string', value: key, offset: keyExpr.startIndex, length: keyExpr.endIndex - keyExpr.startIndex, parent: property };
        const valueNode: Node = { type: 'null', offset: valExpr.startIndex, length: 0, parent: property };
        property.children = [keyNode, valueNode];
        dst.children.push(property);
        stack.push({ src: valExpr, dst: valueNode });
      }
      return;
    }
  }
  dst.type = 'unknown';
  if (k?.type === 'variable_expr' || ks[0]?.type === 'variable_expr') dst.ref = refOf(textOf(e));
}

function convertExpression(e: HclSyntaxNode): Node {
  const root: Node = { type: 'null', offset: e.startIndex, length: 0 };
  const stack: Job[] = [{ src: e, dst: root }];
  while (stack.length) {
    const { src, dst } = stack.pop()!;
    expression(src, dst, stack);
  }
  return root;
}

/** `jsonencode(x)` -> x; anything else (file(), templatefile(), a variable) -> unknown. */
function containerDefinitions(e: HclSyntaxNode): Node {
  const ks = kids(e);
  const call = ks.length === 1 && ks[0]!.type === 'function_call' ? ks[0]! : undefined;
  const parts = call ? kids(call) : [];
  if (parts[0] !== undefined && textOf(parts[0]) === 'jsonencode') {
    const args = parts.find((p) => p.type === 'function_arguments');
    const exprs = args ? kids(args).filter((a) => a.type === 'expression') : [];
    if (exprs.length === 1) return convertExpression(exprs[0]!);
  }
  return { type: 'unknown', offset: e.startIndex, length: e.endIndex - e.startIndex };
}

/** A block's body as an object (attributes and nested blocks, snake_case keys as camelCase). */
function blockBody(block: HclSyntaxNode): Node {
  const ks = kids(block);
  const open = ks.find((c) => c.type === 'block_start');
  const close = ks.find((c) => c.type === 'block_end');
  const start = open?.startIndex ?? block.startIndex;
  const obj: Node = { type: 'object', style: 'hcl-body', keyCase: 'snake', offset: start, length: (close?.endIndex ?? block.endIndex) - start, children: [] };
  const body = ks.find((c) => c.type === 'body');
  for (const item of body ? kids(body) : []) {
    const parts = kids(item);
    const name = parts[0];
    if (!name || name.type !== 'identifier') continue;
    const property: Node = { type: 'property', offset: item.startIndex, length: item.endIndex - item.startIndex, parent: obj };
    const keyNode: Node = { type: 'string', value: snakeToCamel(textOf(name)), offset: name.startIndex, length: name.endIndex - name.startIndex, parent: property };
    let value: Node;
    if (item.type === 'attribute') {
      const e = parts.find((p) => p.type === 'expression');
      if (!e) continue;
      value = textOf(name) === 'container_definitions' ? containerDefinitions(e) : convertExpression(e);
    } else if (item.type === 'block') {
      value = blockBody(item);
    } else continue;
    value.parent = property;
    property.children = [keyNode, value];
    obj.children!.push(property);
  }
  return obj;
}

function syntaxErrors(root: HclSyntaxNode): ParseProblem[] {
  const out: ParseProblem[] = [];
  const stack: HclSyntaxNode[] = [root];
  while (stack.length && out.length < 100) {
    const n = stack.pop()!;
    if (n.isError) out.push({ message: 'Syntax error', offset: n.startIndex, length: Math.max(0, n.endIndex - n.startIndex) });
    else if (n.isMissing) out.push({ message: `Missing ${JSON.stringify(n.type)}`, offset: n.startIndex, length: 0 });
    else if (n.hasError) {
      const ks = allKids(n);
      for (let i = ks.length - 1; i >= 0; i--) stack.push(ks[i]!);
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** Reads a Terraform file's tree. Never throws on any tree of the grammar. */
export function readHclTree(text: string, root: HclSyntaxNode): SourceFile {
  source = text;
  const parseErrors = root.hasError ? syntaxErrors(root) : [];
  const file: SourceFile = { text, syntax: 'hcl', shape: undefined, parseErrors, tasks: [], services: [], targetGroups: new Map(), parseRule: 'hcl/parse' };
  const body = kids(root).find((c) => c.type === 'body');
  for (const block of body ? kids(body) : []) {
    if (block.type !== 'block') continue;
    const parts = kids(block);
    if (parts[0] === undefined || textOf(parts[0]) !== 'resource') continue;
    const labels = parts.filter((p) => p.type === 'string_lit');
    const type = labels[0] ? stringLit(labels[0]).value : undefined;
    const name = labels[1] ? stringLit(labels[1]).value : undefined;
    if (!type || name === undefined || !labels[1]) continue;
    const ref = `${type}.${name}`;
    const anchor = { offset: labels[1].startIndex, length: labels[1].endIndex - labels[1].startIndex };
    if (type === 'aws_ecs_task_definition') {
      const props = blockBody(block);
      const doc = emptyDoc(text, 'hcl');
      doc.shape = 'terraform';
      doc.ref = ref;
      doc.extent = { offset: block.startIndex, length: block.endIndex - block.startIndex };
      doc.root = props;
      doc.task = props;
      doc.containersNode = prop(props, 'containerDefinitions');
      const k = keyOf(props, 'containerDefinitions');
      doc.containersAnchor = k ? rangeOf(k) : anchor;
      if (!doc.containersNode) doc.containersComplete = false;
      buildViews(doc);
      file.tasks.push(doc);
    } else if (type === 'aws_ecs_service') {
      const props = blockBody(block);
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
      const props = blockBody(block);
      const tg: TargetGroupView = { ref, props, anchor, targetType: prop(props, 'targetType') };
      file.targetGroups.set(ref, tg);
    }
  }
  if (file.tasks.length > 0 || file.services.length > 0) file.shape = 'terraform';
  return file;
}
