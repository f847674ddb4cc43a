import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

// package.json's contributes.configuration is an array of titled sections: the Settings UI shows
// each as a page under Extensions > ECS Doctor ("ECS Doctor › ECS Exec"). A setting's label is its
// key with the leading parts it shares with its section's id taken off, so a section whose id is
// ecsDoctor.<something> shows `ecsDoctor.exec.command` as "Command" on the ECS Exec page, not as
// "Ecs Doctor › Exec: Command" (VS Code's own id for a section without one is the extension id,
// ecs-doctor.ecs-doctor, which matches no key).
interface Section {
  id?: string;
  title?: string;
  order?: number;
  properties: Record<string, unknown>;
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const sections = pkg.contributes.configuration as Section[];

describe('the settings sections (package.json contributes.configuration)', () => {
  it('is an array of sections, each with its own title, id under ecsDoctor. and order', () => {
    assert.ok(Array.isArray(sections) && sections.length > 1);
    for (const s of sections) {
      assert.ok(s.title && s.title.trim(), JSON.stringify(s.id));
      assert.match(s.id ?? '', /^ecsDoctor\.[A-Za-z]+$/, `section ${s.title}`);
      assert.equal(typeof s.order, 'number', `section ${s.title}`);
    }
    assert.equal(new Set(sections.map((s) => s.id)).size, sections.length, 'section ids are distinct');
    assert.equal(new Set(sections.map((s) => s.title)).size, sections.length, 'section titles are distinct');
    assert.equal(new Set(sections.map((s) => s.order)).size, sections.length, 'section orders are distinct');
  });

  it('contributes each setting once, every key under ecsDoctor.', () => {
    const keys = sections.flatMap((s) => Object.keys(s.properties));
    assert.equal(new Set(keys).size, keys.length, `a key in two sections: ${keys.join(', ')}`);
    for (const k of keys) assert.match(k, /^ecsDoctor\.[A-Za-z]/);
  });

  it('contributes every setting the extension reads (src/editor/config.ts), under its old key', () => {
    const source = readFileSync('src/editor/config.ts', 'utf8');
    const read = [...source.matchAll(/\bc\.get<[^>]*>\('([^']+)'/g)].map((m) => `ecsDoctor.${m[1]}`);
    assert.ok(read.length >= 10, `found only ${read.length} settings read in config.ts`);
    const contributed = new Set(sections.flatMap((s) => Object.keys(s.properties)));
    for (const k of read) assert.ok(contributed.has(k), `${k} is read but not contributed`);
  });
});
