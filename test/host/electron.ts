// The launcher for machines that can download desktop VS Code: @vscode/test-electron fetches a
// VS Code build and runs the same mocha suite (out/test/integration/index.js) in its extension
// host. This machine cannot reach Microsoft's update server; `npm test` uses the offline
// code-server launcher (test/host/run-integration.mjs) instead.
import { runTests } from '@vscode/test-electron';
import path from 'node:path';

async function main(): Promise<void> {
  const repo = path.resolve(__dirname, '..', '..', '..');
  try {
    await runTests({
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(repo, 'out', 'test', 'integration', 'index'),
      launchArgs: ['--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
      extensionTestsEnv: { ECS_DOCTOR_TEST_GREP: process.env.ECS_DOCTOR_TEST_GREP ?? '' },
    });
  } catch (err) {
    console.error(`test:electron: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}

void main();
