// One command builds the three bundles:
//   dist/extension.js  the VS Code extension (vscode external); small, so activation is fast
//   dist/cli.js        the `ecs-doctor` command
//   dist/aws.js        everything that crosses the network (the AWS SDK clients), loaded by the
//                      other two only when the first AWS call needs it (see src/awsLoader.ts)
//   dist/iac.js        the YAML and HCL readers (yaml, web-tree-sitter + the HCL grammar, whose
//                      .wasm files are copied beside it), loaded on the first YAML/.tf file
//                      (see src/iacLoader.ts)
// Flags: --production (minify, no source maps), --watch.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The version the CLI prints comes from package.json, never from a copy in the source. */
const version = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).version;

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Keeps `import('./aws/index')` in src/awsLoader.ts out of the bundle: it becomes require('./aws.js'). */
const lazyAws = {
  name: 'lazy-aws',
  setup(build) {
    build.onResolve({ filter: /^\.\/aws\/index$/ }, (args) => {
      if (path.basename(args.importer) !== 'awsLoader.ts') return undefined;
      return { path: './aws.js', external: true };
    });
  },
};

/** Keeps `import('./iac/index')` in src/iacLoader.ts out of the bundle: it becomes require('./iac.js'). */
const lazyIac = {
  name: 'lazy-iac',
  setup(build) {
    build.onResolve({ filter: /^\.\/iac\/index$/ }, (args) => {
      if (path.basename(args.importer) !== 'iacLoader.ts') return undefined;
      return { path: './iac.js', external: true };
    });
  },
};

/** web-tree-sitter's CommonJS build (its ES module build needs import.meta.url, empty in a CommonJS bundle). */
const treeSitterCjs = {
  name: 'web-tree-sitter-cjs',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: path.resolve('node_modules/web-tree-sitter/web-tree-sitter.cjs') }));
  },
};

/** The WebAssembly the HCL reader loads at run time, copied into dist/ beside iac.js. */
const WASM = [
  ['node_modules/web-tree-sitter/web-tree-sitter.wasm', 'dist/web-tree-sitter.wasm'],
  ['node_modules/@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm', 'dist/tree-sitter-hcl.wasm'],
];

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  mainFields: ['module', 'main'],
  // Dynamic import() becomes require(), so a lazily loaded module works in CommonJS.
  supported: { 'dynamic-import': false },
  logLevel: 'warning',
  legalComments: 'none',
  define: { ECS_DOCTOR_VERSION: JSON.stringify(version) },
};

const configs = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [lazyAws, lazyIac] },
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [lazyAws, lazyIac] },
  { ...common, entryPoints: ['src/aws/index.ts'], outfile: 'dist/aws.js' },
  { ...common, entryPoints: ['src/iac/index.ts'], outfile: 'dist/iac.js', plugins: [treeSitterCjs] },
];

mkdirSync('dist', { recursive: true });
for (const [from, to] of WASM) copyFileSync(from, to);

if (watch) {
  const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching');
} else {
  const started = Date.now();
  await Promise.all(configs.map((c) => esbuild.build(c)));
  console.log(`esbuild: built dist/ in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}
