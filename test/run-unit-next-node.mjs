// The unit suite (the CLI's tests among them) on the newer Node that the test host already
// brings (Node 24 from the npm registry, see host/ensure-host.mjs). The AWS SDK for JavaScript v3
// drops Node 20 in its releases after January 2027; running the suite on both keeps the move to
// `engines.node >= 22` a one-line change. Extra arguments go to node, as with `npm run test:unit`.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureHost } from './host/ensure-host.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const host = ensureHost();
const node = path.join(host.nodeBinDir, 'node');
const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(`unit tests on Node ${version} (${path.relative(repo, node)})`);
const r = spawnSync(node, [path.join(repo, 'test', 'run-unit.mjs'), ...process.argv.slice(2)], { cwd: repo, stdio: 'inherit' });
process.exit(r.status ?? 1);
