// The SDK shapes -> core facts mapping: what a thin endpoint fills differently from AWS must not
// become evidence (an exit code on a container that is still running).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Task } from '@aws-sdk/client-ecs';
import { toStopInput, toTaskFacts } from '../../../../src/aws/diagnose/facts';

const running: Task = {
  taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef0123456789abcdef',
  lastStatus: 'RUNNING',
  containers: [
    { name: 'app', lastStatus: 'RUNNING', exitCode: 0 },
    { name: 'init', lastStatus: 'STOPPED', exitCode: 0 },
  ],
};

describe('facts: exit codes of containers that have not stopped', () => {
  it('toTaskFacts keeps a stopped container\'s exit code and drops a running one\'s', () => {
    const f = toTaskFacts(running);
    assert.equal(f.containers[0]?.exitCode, null);
    assert.equal(f.containers[1]?.exitCode, 0);
  });
  it('toStopInput does the same for the classifier', () => {
    const s = toStopInput(running);
    assert.equal(s.containers?.[0]?.exitCode, null);
    assert.equal(s.containers?.[1]?.exitCode, 0);
  });
});
