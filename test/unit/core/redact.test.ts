import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { describeError, redact, redactValue } from '../../../src/core/redact';

describe('redact', () => {
  it('masks access key ids but keeps a recognisable prefix', () => {
    const out = redact('using key AKIAIOSFODNN7EXAMPLE and ASIAXXXXXXXXXXXXXXXX');
    assert.ok(!out.includes('IOSFODNN7EXAMPLE'));
    assert.ok(!out.includes('ASIAXXXXXXXXXXXXXXXX'));
    assert.match(out, /AKIA\*\*\*/);
  });

  it('masks secret fields in JSON, INI and header form', () => {
    const json = JSON.stringify({ tokenValue: 'tok-123456', sessionId: 's-1', SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG' });
    const r = redact(json);
    assert.ok(!r.includes('tok-123456'));
    assert.ok(!r.includes('wJalrXUtnFEMI'));
    assert.ok(r.includes('s-1'), 'non-secret fields stay');
    assert.ok(!redact('aws_session_token = FQoGZXIvYXdzEJr').includes('FQoGZXIvYXdzEJr'));
    assert.ok(!redact('X-Amz-Security-Token: IQoJb3JpZ2luX2VjE').includes('IQoJb3JpZ2luX2VjE'));
    assert.ok(!redact('Authorization: AWS4-HMAC-SHA256 Credential=x, Signature=abcdef0123456789abcdef').includes('abcdef0123456789abcdef'));
  });

  it('masks JSON fields inside an escaped JSON string', () => {
    const inner = JSON.stringify({ TokenValue: 'secret-token-value', StreamUrl: 'wss://x' });
    const outer = JSON.stringify({ arg: inner });
    const r = redact(outer);
    assert.ok(!r.includes('secret-token-value'), r);
    assert.ok(r.includes('wss://x'));
  });

  it('leaves ordinary text alone', () => {
    const text = 'service web (port 8080) is unhealthy in target-group tg-1 due to (reason Health checks failed)';
    assert.equal(redact(text), text);
  });

  it('redactValue masks secret keys and extra secret strings anywhere in a value', () => {
    const v = redactValue({ a: [{ tokenValue: 'x1' }], b: 'prefix hunter2 suffix' }, ['hunter2']);
    assert.deepEqual(v, { a: [{ tokenValue: '***' }], b: 'prefix *** suffix' });
  });

  it('describeError gives one secret-free line', () => {
    const e = new Error('The security token AKIAIOSFODNN7EXAMPLE is invalid\n    at stack');
    e.name = 'UnrecognizedClientException';
    const d = describeError(e);
    assert.equal(d.includes('\n'), false);
    assert.ok(d.startsWith('UnrecognizedClientException: '));
    assert.ok(!d.includes('IOSFODNN7EXAMPLE'));
  });
});
