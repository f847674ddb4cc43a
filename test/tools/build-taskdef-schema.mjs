// Generates schemas/task-definition.schema.json from the ECS API model shipped in
// @aws-sdk/client-ecs (dist-types/models: RegisterTaskDefinitionRequest,
// DescribeTaskDefinitionResponse, ContainerDefinition, HealthCheck, ... and the enums).
// Run: node test/tools/build-taskdef-schema.mjs  (add --check to fail when the committed file is stale)
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import ts from 'typescript';

const require = createRequire(import.meta.url);
const ecsPkg = path.dirname(require.resolve('@aws-sdk/client-ecs/package.json'));
const modelsDir = path.join(ecsPkg, 'dist-types', 'models');
const out = path.resolve('schemas', 'task-definition.schema.json');
const ecsVersion = JSON.parse(readFileSync(path.join(ecsPkg, 'package.json'), 'utf8')).version;

/** name -> InterfaceDeclaration; name -> string[] (enum values) */
const interfaces = new Map();
const enums = new Map();
/** Tagged unions (`export declare namespace X { interface AMember { a: T } ... }`): name -> [key, TypeNode][] */
const unions = new Map();
for (const file of readdirSync(modelsDir).filter((f) => f.endsWith('.d.ts'))) {
  const sf = ts.createSourceFile(file, readFileSync(path.join(modelsDir, file), 'utf8'), ts.ScriptTarget.Latest, true);
  for (const st of sf.statements) {
    if (ts.isInterfaceDeclaration(st)) interfaces.set(st.name.text, st);
    else if (ts.isModuleDeclaration(st) && st.body && ts.isModuleBlock(st.body)) {
      const members = [];
      for (const i of st.body.statements) {
        if (!ts.isInterfaceDeclaration(i) || i.name.text === 'Visitor' || i.name.text === '$UnknownMember') continue;
        for (const m of i.members) {
          if (ts.isPropertySignature(m) && m.type && m.type.kind !== ts.SyntaxKind.NeverKeyword && !m.questionToken) members.push([m.name.getText(), m.type, m]);
        }
      }
      unions.set(st.name.text, members);
    }
    else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (d.type && ts.isTypeLiteralNode(d.type) && ts.isIdentifier(d.name)) {
          const values = [];
          for (const m of d.type.members) {
            if (ts.isPropertySignature(m) && m.type && ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal)) values.push(m.type.literal.text);
          }
          if (values.length) enums.set(d.name.text, values);
        }
      }
    }
  }
}

/** The JSDoc of a node as Markdown (the model's docs are HTML). */
function docOf(node) {
  const jsDoc = node.jsDoc?.[0]?.comment;
  const raw = typeof jsDoc === 'string' ? jsDoc : Array.isArray(jsDoc) ? jsDoc.map((c) => c.text ?? '').join('') : '';
  return raw
    .replace(/<a href="([^"]+)">([\s\S]*?)<\/a>/g, (_, u, t) => `[${t.replace(/<[^>]+>/g, '').trim()}](${u})`)
    .replace(/<code>\s*([\s\S]*?)\s*<\/code>/g, (_, c) => '`' + c.replace(/`/g, "'") + '`')
    .replace(/<li>\s*/g, '\n- ')
    .replace(/<\/p>\s*/g, '\n\n')
    .replace(/<note>|<\/note>|<important>|<\/important>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Documented ranges the model only states in prose. */
const RANGES = {
  'HealthCheck.interval': [5, 300],
  'HealthCheck.timeout': [2, 60],
  'HealthCheck.retries': [1, 10],
  'HealthCheck.startPeriod': [0, 300],
  'PortMapping.containerPort': [0, 65535],
  'PortMapping.hostPort': [0, 65535],
};
/** Properties the service requires although the model marks them optional. */
const REQUIRED = { ContainerDefinition: ['name', 'image'] };

const definitions = {};
const pending = [];
function refTo(name) {
  if (!definitions[name] && !pending.includes(name)) pending.push(name);
  return { $ref: `#/definitions/${name}` };
}

function typeToSchema(t, owner, prop) {
  if (ts.isUnionTypeNode(t)) {
    const parts = t.types.filter((x) => !(x.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isLiteralTypeNode(x) && x.literal.kind === ts.SyntaxKind.NullKeyword)));
    if (parts.length === 1) return typeToSchema(parts[0], owner, prop);
    return { anyOf: parts.map((p) => typeToSchema(p, owner, prop)) };
  }
  if (ts.isParenthesizedTypeNode(t)) return typeToSchema(t.type, owner, prop);
  switch (t.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { type: 'string' };
    case ts.SyntaxKind.NumberKeyword: {
      const r = RANGES[`${owner}.${prop}`];
      return r ? { type: 'integer', minimum: r[0], maximum: r[1] } : { type: 'integer' };
    }
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
  }
  if (ts.isArrayTypeNode(t)) return { type: 'array', items: typeToSchema(t.elementType, owner, prop) };
  if (ts.isTypeReferenceNode(t)) {
    const name = t.typeName.getText();
    if (name === 'Date') return { type: ['string', 'number'], description: 'A timestamp (ISO 8601 or seconds since the epoch).' };
    if (name === 'Record' && t.typeArguments?.length === 2) return { type: 'object', additionalProperties: typeToSchema(t.typeArguments[1], owner, prop) };
    if (name === 'Uint8Array' || name === '__DocumentType') return {};
    if (enums.has(name)) return { type: 'string', enum: enums.get(name) };
    if (interfaces.has(name) || unions.has(name)) return refTo(name);
  }
  throw new Error(`unsupported type ${t.getText()} at ${owner}.${prop}`);
}

function unionToSchema(name) {
  const properties = {};
  for (const [key, type, m] of unions.get(name)) {
    const s = typeToSchema(type, name, key);
    const md = docOf(m.parent);
    if (md) s.markdownDescription = md;
    properties[key] = s;
  }
  return { type: 'object', properties, additionalProperties: false, minProperties: 1, maxProperties: 1, markdownDescription: 'Specify exactly one member.' };
}

function interfaceToSchema(name) {
  if (unions.has(name)) return unionToSchema(name);
  const decl = interfaces.get(name);
  if (!decl) throw new Error(`no interface ${name} in the ECS model`);
  const properties = {};
  const required = [...(REQUIRED[name] ?? [])];
  for (const m of decl.members) {
    if (!ts.isPropertySignature(m) || !m.type) continue;
    const key = m.name.getText().replace(/^["']|["']$/g, '');
    const s = typeToSchema(m.type, name, key);
    const md = docOf(m);
    if (md) s.markdownDescription = md;
    properties[key] = s;
    const optional = !!m.questionToken;
    if (!optional && !required.includes(key)) required.push(key);
  }
  const s = { type: 'object', properties, additionalProperties: false };
  const md = docOf(decl);
  if (md) s.markdownDescription = md;
  if (required.length) s.required = required;
  return s;
}

for (const root of ['RegisterTaskDefinitionRequest', 'DescribeTaskDefinitionResponse', 'ContainerDefinition']) refTo(root);
while (pending.length) {
  const name = pending.shift();
  definitions[name] = interfaceToSchema(name);
}
// Documents may name their own schema.
for (const root of ['RegisterTaskDefinitionRequest', 'DescribeTaskDefinitionResponse']) {
  definitions[root].properties.$schema = { type: 'string' };
}
definitions.ContainerDefinitionList = {
  type: 'array',
  markdownDescription: 'A list of container definitions (what Terraform\'s `container_definitions` reads).',
  items: { $ref: '#/definitions/ContainerDefinition' },
};

const sorted = Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b)));
const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://ecs-doctor.dev/schemas/task-definition.schema.json',
  title: 'Amazon ECS task definition',
  description: `Generated by test/tools/build-taskdef-schema.mjs from the ECS API model in @aws-sdk/client-ecs ${ecsVersion}. ` +
    'Accepts register-task-definition input, describe-task-definition output, or an array of container definitions.',
  if: { type: 'array' },
  then: { $ref: '#/definitions/ContainerDefinitionList' },
  else: {
    if: { type: 'object', required: ['taskDefinition'] },
    then: { $ref: '#/definitions/DescribeTaskDefinitionResponse' },
    else: { $ref: '#/definitions/RegisterTaskDefinitionRequest' },
  },
  definitions: sorted,
};
const text = JSON.stringify(schema, null, 1) + '\n';
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(out, 'utf8');
  } catch {}
  if (current !== text) {
    console.error(`${path.relative(process.cwd(), out)} is out of date: run node test/tools/build-taskdef-schema.mjs`);
    process.exit(1);
  }
  console.log('schema up to date');
} else {
  writeFileSync(out, text);
  console.log(`wrote ${path.relative(process.cwd(), out)}: ${Object.keys(sorted).length} definitions, ${(text.length / 1024).toFixed(0)} KiB`);
}
