// The `ecsDoctor.lint.rules` setting in package.json lists every task-definition rule, so VS Code
// completes the rule ids and shows their defaults. It is generated from the rules' own metadata
// (RULES in src/core/taskdef/lint.ts): after adding or changing a rule, run
//   npm run build:tests && node test/tools/lint-settings.mjs --write
// The unit test test/unit/core/taskdef/settings.test.ts fails while package.json differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

/** The `properties` of the setting, one per rule, in the rules' order. */
export function lintRuleProperties(rules) {
  return Object.fromEntries(
    rules.map((r) => [
      r.id,
      { type: 'string', enum: ['off', 'error', 'warning', 'info'], markdownDescription: `${r.summary} (default: ${r.severity})` },
    ]),
  );
}

/** A setting's schema in package.json, whose `contributes.configuration` is one section or an array of titled sections. */
export function contributedSetting(pkg, key) {
  const sections = [pkg.contributes.configuration].flat();
  const section = sections.find((s) => s.properties && key in s.properties);
  if (!section) throw new Error(`package.json contributes no setting ${key}`);
  return section.properties[key];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { RULES } = require(path.join(repo, 'out', 'src', 'core', 'taskdef', 'lint.js'));
  const file = path.join(repo, 'package.json');
  const text = readFileSync(file, 'utf8');
  const pkg = JSON.parse(text);
  const setting = contributedSetting(pkg, 'ecsDoctor.lint.rules');
  const wanted = lintRuleProperties(RULES);
  if (JSON.stringify(setting.properties) === JSON.stringify(wanted)) {
    console.log(`package.json: ecsDoctor.lint.rules lists the ${RULES.length} rules`);
  } else if (process.argv.includes('--write')) {
    setting.properties = wanted;
    writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
    console.log(`package.json: ecsDoctor.lint.rules rewritten from the ${RULES.length} rules`);
  } else {
    console.error('package.json: ecsDoctor.lint.rules differs from the rules; run with --write');
    process.exit(1);
  }
}
