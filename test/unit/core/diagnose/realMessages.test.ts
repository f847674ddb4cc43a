/**
 * The classifier over real stop messages (test/fixtures/stop-reasons/real-messages.json): each
 * quoted in a public issue, blog post or the AWS documentation, with its source. Every one must
 * land in its family; `npm run bench` reports the same set's accuracy beside the classifier's speed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { classify } from '../../../../src/core/diagnose/classify';
import { STOP_CATEGORIES, type StopInput } from '../../../../src/core/diagnose/types';

interface RealMessage extends StopInput {
  family: string;
  source: string;
}

function realMessages(): RealMessage[] {
  const file = path.resolve('test/fixtures/stop-reasons/real-messages.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { messages: RealMessage[] }).messages;
}

describe('classify: real stop messages', () => {
  const messages = realMessages();

  it('the set is well formed: a source and a known family for each, no duplicates', () => {
    assert.ok(messages.length >= 40, `only ${messages.length} messages`);
    const seen = new Set<string>();
    for (const m of messages) {
      assert.ok(m.source && /https:\/\//.test(m.source), `no source for ${m.stoppedReason}`);
      assert.ok((STOP_CATEGORIES as readonly string[]).includes(m.family), `unknown family ${m.family}`);
      const key = JSON.stringify([m.stoppedReason, m.stopCode, m.containers]);
      assert.ok(!seen.has(key), `duplicate: ${m.stoppedReason}`);
      seen.add(key);
    }
  });

  it('every real message lands in its family', () => {
    const misses = messages
      .map((m) => ({ m, got: classify(m).category }))
      .filter(({ m, got }) => got !== m.family)
      .map(({ m, got }) => `${got} instead of ${m.family}: ${String(m.stoppedReason).slice(0, 120)} (${m.source})`);
    assert.deepEqual(misses, []);
  });
});
