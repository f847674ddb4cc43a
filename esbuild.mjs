// One command builds the three bundles:
//   dist/extension.js  the VS Code extension (vscode external); small, so activation is fast
//   dist/cli.js        the `ecs-doctor` command
//   dist/aws.js        everything that crosses the network (the AWS SDK clients), loaded by the
//                      other two only when the first AWS call needs it (see src/awsLoader.ts)
// Flags: --production (minify, no source maps), --watch.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
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
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [lazyAws] },
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [lazyAws] },
  { ...common, entryPoints: ['src/aws/index.ts'], outfile: 'dist/aws.js' },
];

if (watch) {
  const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching');
} else {
  const started = Date.now();
  await Promise.all(configs.map((c) => esbuild.build(c)));
  console.log(`esbuild: built dist/ in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}
