/**
 * The infrastructure-as-code readers: YAML CloudFormation templates (the `yaml` package) and
 * Terraform files (the tree-sitter HCL grammar run by web-tree-sitter, WebAssembly). Bundled into
 * dist/iac.js with the two .wasm files beside it and reached only through src/iacLoader.ts, so
 * activation and JSON linting load none of it; the HCL runtime starts on the first .tf file.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import { readHclTree, type HclSyntaxNode } from '../core/taskdef/hcl';
import type { Readers } from '../core/taskdef/lint';
import { emptyFile, type SourceFile } from '../core/taskdef/source';
import { readYaml } from '../core/taskdef/yaml';

export { readYaml };

/** A .wasm file: beside the bundle (dist/), else from its npm package (tests run from out/). */
function wasm(file: string, packagePath: string): string {
  const beside = path.join(__dirname, file);
  return existsSync(beside) ? beside : require.resolve(packagePath);
}

let hcl: Promise<Parser> | undefined;

/** The grammar's named node types by type id (anonymous tokens such as `=` left out), built once per language. */
const namedTypes = new WeakMap<Language, ReadonlyArray<string | undefined>>();
function namedTypesOf(language: Language): ReadonlyArray<string | undefined> {
  let t = namedTypes.get(language);
  if (!t) {
    t = Array.from(language.types, (name, id) => (language.nodeTypeIsNamed(id) ? (name || 'ERROR') : undefined));
    namedTypes.set(language, t);
  }
  return t;
}

/** Starts the HCL parser once (the WebAssembly runtime and the grammar, about 300 KB). */
export function loadHclParser(): Promise<Parser> {
  hcl ??= (async () => {
    await Parser.init({ locateFile: () => wasm('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm') });
    const language = await Language.load(wasm('tree-sitter-hcl.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm'));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  hcl.catch(() => {
    hcl = undefined; // a failed start may be retried
  });
  return hcl;
}

/** Reads a .tf file with a started parser. Never throws. */
export function readHcl(parser: Parser, text: string): SourceFile {
  const tree = parser.parse(text);
  if (!tree) return emptyFile(text, 'hcl');
  const cursor = tree.walk();
  const named = namedTypesOf(tree.language);
  try {
    return readHclTree(text, {
      root: tree.rootNode as unknown as HclSyntaxNode,
      cursor,
      // An id past the table is ERROR (tree-sitter's error symbol), a named node.
      namedType: (id) => (id < named.length ? named[id] : 'ERROR'),
    });
  } finally {
    cursor.delete();
    tree.delete(); // the tree and the cursor live in WebAssembly memory
  }
}

/** The readers for the syntaxes given (the HCL parser is started only when asked for). */
export async function readers(syntaxes: ReadonlyArray<'yaml' | 'hcl'>): Promise<Readers> {
  const r: Readers = { yaml: readYaml };
  if (syntaxes.includes('hcl')) {
    const parser = await loadHclParser();
    r.hcl = (text) => readHcl(parser, text);
  }
  return r;
}
