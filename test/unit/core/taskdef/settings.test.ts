import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { RULES } from '../../../../src/core/taskdef';

interface RuleSettingSchema {
  enum: string[];
  markdownDescription: string;
}

describe('the ecsDoctor.lint.rules setting', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  // contributes.configuration is an array of titled sections (one per settings page).
  const sections = pkg.contributes.configuration as { properties: Record<string, { properties?: unknown }> }[];
  const setting = sections.find((s) => 'ecsDoctor.lint.rules' in s.properties)?.properties['ecsDoctor.lint.rules'];
  assert.ok(setting, 'package.json contributes ecsDoctor.lint.rules');
  const properties = setting.properties as Record<string, RuleSettingSchema>;

  it('lists every rule, in the rules\' order, with its summary and default severity', () => {
    assert.deepEqual(Object.keys(properties), RULES.map((r) => r.id));
    for (const r of RULES) {
      const p = properties[r.id];
      assert.ok(p, r.id);
      assert.deepEqual(p.enum, ['off', 'error', 'warning', 'info'], r.id);
      assert.equal(p.markdownDescription, `${r.summary} (default: ${r.severity})`, r.id);
    }
  });

  it('is what test/tools/lint-settings.mjs generates', () => {
    const r = spawnSync(process.execPath, ['test/tools/lint-settings.mjs'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
});
