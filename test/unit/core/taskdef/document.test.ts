import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { lintText, parseTaskDefinition } from '../../../../src/core/taskdef';
import { goodContainer, goodTask } from './helpers';

describe('taskdef document shapes', () => {
  it('recognises register-task-definition input', () => {
    const d = parseTaskDefinition(JSON.stringify(goodTask()));
    assert.equal(d.shape, 'register');
    assert.equal(d.containers.length, 1);
    assert.equal(d.containers[0]!.name, 'app');
    assert.equal(d.isFargate, true);
    assert.equal(d.networkMode, 'awsvpc');
  });

  it('recognises describe-task-definition output', () => {
    const d = parseTaskDefinition(JSON.stringify({ taskDefinition: { ...goodTask(), taskDefinitionArn: 'arn:aws:ecs:eu-west-1:1:task-definition/web:3', revision: 3 }, tags: [] }));
    assert.equal(d.shape, 'describe');
    assert.equal(d.containers.length, 1);
    assert.equal(d.isFargate, true);
  });

  it('recognises a bare array of container definitions (Terraform)', () => {
    const d = parseTaskDefinition(JSON.stringify([goodContainer(), goodContainer({ name: 'b', essential: false })]));
    assert.equal(d.shape, 'containers');
    assert.equal(d.task, undefined);
    assert.deepEqual(d.containers.map((c) => c.essential), [true, false]);
  });

  it('tolerates comments and trailing commas', () => {
    const text = '{\n // comment\n "family": "x", /* block */\n "containerDefinitions": [ { "name": "a", "image": "nginx:1", }, ],\n}';
    const r = lintText(text);
    assert.equal(r.shape, 'register');
    assert.equal(r.parseErrors.length, 0);
  });

  it('never flags other JSON', () => {
    const others = [
      '{"name": "my-package", "version": "1.0.0", "dependencies": {"a": "1"}}',
      '{"compilerOptions": {"strict": true}}',
      '[1, 2, 3]',
      '[{"name": "web", "image": "nginx"}]', // name+image but nothing ECS-specific
      '[{"name": "a", "essential": true}, 42]',
      '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"T": {"Type": "AWS::S3::Bucket", "Properties": {"ContainerDefinitions": [{"Name": "a", "Essential": false}]}}}}',
      '{"containerDefinitions": "not an array"}',
      '{"containerDefinitions": [1, 2]}',
      '{"taskDefinition": "arn:aws:ecs:eu-west-1:1:task-definition/web:3"}',
      '',
      '   ',
      'null',
      '"string"',
      '{',
    ];
    for (const t of others) {
      const r = lintText(t);
      assert.equal(r.shape, undefined, t);
      assert.deepEqual(r.findings, [], t);
    }
  });

  it('reports malformed JSON as json/parse only when asked (the CLI), with a position', () => {
    const text = '{\n  "family": "x",\n  "containerDefinitions": [ { "name": "a" "image": "b" } ]\n}';
    assert.ok(!lintText(text).findings.some((f) => f.ruleId === 'json/parse'));
    const parse = lintText(text, { includeParseErrors: true }).findings.filter((f) => f.ruleId === 'json/parse');
    assert.equal(parse.length, 1);
    assert.equal(parse[0]!.severity, 'error');
    assert.equal(text.slice(parse[0]!.offset, parse[0]!.offset + parse[0]!.length), '"image"');
    assert.match(parse[0]!.message, /Comma expected/);
  });

  it('a truncated file: one json/parse finding at its end, and no rule findings on a document never read whole', () => {
    const whole = JSON.stringify({ family: 'web', containerDefinitions: [{ name: 'app', image: 'nginx', essential: true, memory: 4 }] }, null, 2);
    const text = whole.slice(0, whole.indexOf('"essential"'));
    const r = lintText(text, { includeParseErrors: true });
    assert.ok(r.parseErrors.length > 1, 'the parser reports several errors at the end');
    assert.equal(r.findings.filter((f) => f.ruleId === 'json/parse').length, 1);
    assert.deepEqual(r.findings.filter((f) => f.ruleId !== 'json/parse'), []);
  });

  it('applies severity overrides and turns rules off', () => {
    const text = JSON.stringify([{ name: 'a', image: 'nginx', essential: true }]);
    const base = lintText(text).findings.find((f) => f.ruleId === 'container/image-latest');
    assert.equal(base?.severity, 'info');
    assert.equal(lintText(text, { rules: { 'container/image-latest': 'error' } }).findings.find((f) => f.ruleId === 'container/image-latest')?.severity, 'error');
    assert.ok(!lintText(text, { rules: { 'container/image-latest': 'off' } }).findings.some((f) => f.ruleId === 'container/image-latest'));
  });

  it('says nothing about a healthy task definition', () => {
    assert.deepEqual(lintText(JSON.stringify(goodTask(), null, 2)).findings, []);
  });
});
