// Runs every node:test file under out/test/unit (built by `npm run build:tests`).
import { runNodeTests } from './node-test-runner.mjs';

runNodeTests({ root: 'out/test/unit', what: 'unit' });
