// Activation in the real extension host: activate() reports how long it took (the figure
// `npm run bench` prints as activation.ms), and activating never loads the AWS SDK bundle.
// This file sorts first, so no other suite has used AWS when it runs.
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { EcsDoctorApi } from '../../src/extension';
import { extensionId } from './helpers';

function awsBundleLoaded(): boolean {
  return Object.keys(require.cache).some((k) => k.endsWith(`${path.sep}dist${path.sep}aws.js`));
}

suite('Activation', () => {
  test('activate() returns its own duration, and does not load the AWS SDK', async () => {
    const ext = vscode.extensions.getExtension<EcsDoctorApi>(extensionId());
    assert.ok(ext, 'extension loaded in the host');
    const fresh = !ext.isActive;
    const t0 = performance.now();
    const api = fresh ? await ext.activate() : ext.exports;
    const hostActivateMs = performance.now() - t0;
    assert.equal(typeof api.activationMs, 'number');
    assert.ok(Number.isFinite(api.activationMs) && api.activationMs >= 0, `activationMs ${api.activationMs}`);
    // The host usually activates us before this suite starts (a JSON document opens: onLanguage:json).
    // Either way nothing has called AWS yet (this suite runs first), so the SDK bundle must not be loaded.
    const awsLoaded = awsBundleLoaded();
    assert.equal(awsLoaded, false, 'dist/aws.js is loaded: the AWS SDK must load on the first AWS call only, never at activation');
    // For `npm run bench` (out/ is not committed); no timing is asserted here.
    const repo = process.env.ECS_DOCTOR_REPO;
    if (repo) {
      const dir = path.join(repo, 'out', 'bench');
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        path.join(dir, 'activation.json'),
        JSON.stringify({ activationMs: api.activationMs, hostActivateMs: fresh ? hostActivateMs : null, fresh, awsLoaded }),
      );
    }
  });
});
