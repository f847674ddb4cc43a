import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { main } from '../../../src/cli';
import { fakeIO } from './fakeIO';

describe('ecs-doctor --version', () => {
  it("prints package.json's version (no copy of it in the source)", async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    assert.match(version, /^\d+\.\d+\.\d+/);
    for (const flag of ['--version', '-V']) {
      const io = fakeIO();
      assert.equal(await main([flag], io), 0);
      assert.equal(io.out, `ecs-doctor ${version}\n`);
    }
  });
});
