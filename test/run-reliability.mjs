// Runs every node:test file under out/test/reliability (built by `npm run build:tests`): faults,
// the refresh race, bad input, secrets and memory. `npm run test:reliability`.
import { runNodeTests } from './node-test-runner.mjs';

// --expose-gc: the memory test measures the heap after full collections.
runNodeTests({ root: 'out/test/reliability', what: 'reliability', nodeArgs: ['--expose-gc', '--no-warnings', '--test-concurrency=2'] });
