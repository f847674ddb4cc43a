// Runs the real AWS CLI against the simulator, asynchronously (the simulator answers from the test's
// own event loop), with the session-manager-plugin stand-in on PATH; fails the test with the
// CLI's stderr when it exits with an error. Used by the tests that compare our plugin launch with
// the AWS CLI's.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';

export async function runAwsCli(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn('aws', args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  // A CLI that never exits is killed rather than left to hang the suite; its exit is then a failure.
  const timer = setTimeout(() => child.kill(), 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  assert.equal(code, 0, `aws ${args.slice(0, 2).join(' ')} failed: ${stderr}`);
}
