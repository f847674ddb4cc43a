// The mocha entry that @vscode/test-electron and our code-server launcher both call inside the
// extension host: run() loads every *.test.js beside this file and rejects when a test fails
// or when no test ran. ECS_DOCTOR_TEST_GREP narrows the run to matching tests.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import path from 'node:path';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.ECS_DOCTOR_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const name of readdirSync(__dirname).sort()) {
    if (name.endsWith('.test.js')) mocha.addFile(path.join(__dirname, name));
  }
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const total = runner.stats?.tests ?? 0;
        const passed = runner.stats?.passes ?? 0;
        console.log(`integration: ${passed} passed, ${failures} failed`);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else if (total === 0) reject(new Error('No integration test ran'));
        else resolve();
      });
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
