// parseStopText(): bare reasons, container reasons, describe-tasks and other task shapes, and
// hostile input (malformed, huge, deeply nested, wrong types): a clear error value, never a throw.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { classify } from '../../../../src/core/diagnose/classify';
import { looksLikeStopText, MAX_PASTE_CHARS, MAX_TASKS, parseStopText } from '../../../../src/core/diagnose/parse';
import type { ParseResult, StopInput } from '../../../../src/core/diagnose/types';

function ok(r: ParseResult): { kind: string; inputs: StopInput[]; notes: string[] } {
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r;
}
function err(r: ParseResult): string {
  assert.equal(r.ok, false, JSON.stringify(r).slice(0, 200));
  return (r as { error: string }).error;
}

const TASK = {
  taskArn: 'arn:aws:ecs:us-east-1:111122223333:task/prod/0123456789abcdef0123456789abcdef',
  lastStatus: 'STOPPED',
  stopCode: 'EssentialContainerExited',
  stoppedReason: 'Essential container in task exited',
  stoppedAt: '2024-05-01T10:00:00.000000+00:00',
  startedAt: 1714557000.123,
  group: 'service:web',
  launchType: 'FARGATE',
  containers: [
    { name: 'app', lastStatus: 'STOPPED', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage', image: '111122223333.dkr.ecr.us-east-1.amazonaws.com/web:1.0' },
    { name: 'sidecar', lastStatus: 'STOPPED', exitCode: 143 },
  ],
};

describe('parseStopText: text', () => {
  it('a bare stoppedReason', () => {
    const r = ok(parseStopText('  CannotPullContainerError: context canceled \n'));
    assert.equal(r.kind, 'reason');
    assert.deepEqual(r.inputs, [{ stoppedReason: 'CannotPullContainerError: context canceled' }]);
  });

  it('strips a console label and surrounding JSON quotes', () => {
    assert.deepEqual(ok(parseStopText('Stopped reason: Task stopped by user')).inputs, [{ stoppedReason: 'Task stopped by user' }]);
    assert.deepEqual(ok(parseStopText('"Your Spot Task was interrupted."')).inputs, [{ stoppedReason: 'Your Spot Task was interrupted.' }]);
    assert.deepEqual(ok(parseStopText('stoppedReason:\tScaling activity initiated by (deployment ecs-svc/1)')).inputs, [{ stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)' }]);
  });

  it('a container reason goes to the container, and classifies from there', () => {
    const r = ok(parseStopText('OutOfMemoryError: Container killed due to memory usage'));
    assert.equal(r.kind, 'container-reason');
    assert.equal(r.inputs[0]!.stoppedReason, undefined);
    assert.equal(r.inputs[0]!.containers![0]!.reason, 'OutOfMemoryError: Container killed due to memory usage');
    assert.equal(classify(r.inputs[0]!).category, 'OutOfMemoryError');
  });

  it('removes control characters', () => {
    const r = ok(parseStopText('Task stopped\u0000 by user\u0007'));
    assert.equal(r.inputs[0]!.stoppedReason, 'Task stopped by user');
  });

  it('junk gets a clear error', () => {
    assert.match(err(parseStopText('')), /Nothing to explain/);
    assert.match(err(parseStopText('   \n\t ')), /Nothing to explain/);
    assert.match(err(parseStopText('12345 !!! ...')), /does not look like a stop reason/);
    assert.match(err(parseStopText('""')), /Nothing to explain/);
    for (const v of [undefined, null, 42, {}, ['x'], Symbol('s')]) assert.match(err(parseStopText(v)), /not text/);
  });

  it('a very long reason is cut, with a note', () => {
    const r = ok(parseStopText('CannotPullContainerError: ' + 'a'.repeat(20_000)));
    assert.ok(r.inputs[0]!.stoppedReason!.length <= 8192);
    assert.match(r.notes.join(' '), /read the first 8192/);
  });
});

describe('parseStopText: JSON', () => {
  it('aws ecs describe-tasks output: every task, camelCase fields, times normalised', () => {
    const other = { ...TASK, taskArn: TASK.taskArn.replace('0123', '9999'), stoppedReason: 'Task stopped by user', stopCode: 'UserInitiated', containers: [] };
    const r = ok(parseStopText(JSON.stringify({ tasks: [TASK, other], failures: [] }, null, 2)));
    assert.equal(r.kind, 'tasks');
    assert.equal(r.inputs.length, 2);
    const t = r.inputs[0]!;
    assert.equal(t.taskArn, TASK.taskArn);
    assert.equal(t.stopCode, 'EssentialContainerExited');
    assert.equal(t.group, 'service:web');
    assert.equal(t.stoppedAt, '2024-05-01T10:00:00.000Z');
    assert.equal(t.startedAt, new Date(1714557000123).toISOString());
    assert.deepEqual(t.containers![1], { name: 'sidecar', exitCode: 143, lastStatus: 'STOPPED' });
    assert.equal(classify(t).category, 'OutOfMemoryError');
    assert.equal(classify(r.inputs[1]!).category, 'UserInitiated');
  });

  it('describe-tasks with only failures says the task is gone', () => {
    const e = err(parseStopText(JSON.stringify({ tasks: [], failures: [{ arn: 'arn:aws:ecs:us-east-1:1:task/prod/abc', reason: 'MISSING' }] })));
    assert.match(e, /no task, only failures: abc: MISSING/);
    assert.match(e, /about an hour/);
    assert.match(err(parseStopText('{"tasks": []}')), /is empty/);
  });

  it('a single task, an array of tasks, the describe-tasks --query shape of the troubleshooting guides', () => {
    assert.equal(ok(parseStopText(JSON.stringify(TASK))).kind, 'task');
    const arr = ok(parseStopText(JSON.stringify([TASK, TASK])));
    assert.equal(arr.kind, 'tasks');
    assert.equal(arr.inputs.length, 2);
    const q = ok(parseStopText('{"lastStatus":"STOPPED","stoppedReason":"Essential container in task exited","stopCode":"EssentialContainerExited","containers":[{"name":"app","reason":"","exitCode":1,"lastStatus":"STOPPED"}]}'));
    assert.equal(classify(q.inputs[0]!).variant, 'exit-1');
  });

  it('the EventBridge task state change event and a Step Functions Cause (PascalCase)', () => {
    const ev = ok(parseStopText(JSON.stringify({ 'detail-type': 'ECS Task State Change', source: 'aws.ecs', detail: TASK })));
    assert.equal(ev.inputs[0]!.taskArn, TASK.taskArn);
    const cause = JSON.stringify({ StoppedReason: 'Your Spot Task was interrupted.', StopCode: 'SpotInterruption', Containers: [{ Name: 'app', ExitCode: 143 }] });
    const sf = ok(parseStopText(JSON.stringify({ Error: 'States.TaskFailed', Cause: cause })));
    assert.equal(sf.inputs[0]!.stoppedReason, 'Your Spot Task was interrupted.');
    assert.equal(sf.inputs[0]!.containers![0]!.exitCode, 143);
  });

  it('skips entries that are not tasks, with a note', () => {
    const r = ok(parseStopText(JSON.stringify([TASK, 1, 'x', { foo: 1 }])));
    assert.equal(r.inputs.length, 1);
    assert.match(r.notes[0]!, /Skipped 3 entries/);
  });

  it('reads at most 100 tasks, with a note', () => {
    const r = ok(parseStopText(JSON.stringify({ tasks: Array.from({ length: 250 }, () => TASK) })));
    assert.equal(r.inputs.length, MAX_TASKS);
    assert.match(r.notes.join(' '), /first 100 of 250/);
  });

  it('malformed, unrelated or wrongly typed JSON gets a clear error', () => {
    assert.match(err(parseStopText('{"tasks": [ {"stoppedReason": "x" ')), /looks like JSON but cannot be read/);
    assert.match(err(parseStopText('{"taskDefinition": {"family": "web"}}')), /expected the output of aws ecs describe-tasks/);
    assert.match(err(parseStopText('[1, 2, 3]')), /no task/);
    assert.match(err(parseStopText('{}')), /an empty object/);
    assert.match(err(parseStopText('{"tasks": "nope"}')), /expected the output/);
    const wrongTypes = ok(parseStopText('{"tasks":[{"stoppedReason": 5, "stopCode": ["x"], "containers": [null, 3, {"name": {}, "exitCode": "oops", "reason": 7}]}]}'));
    assert.deepEqual(wrongTypes.inputs[0], { containers: [{ name: 'container 3', exitCode: null }] });
    assert.equal(classify(wrongTypes.inputs[0]!).category, 'Unknown');
  });

  it('deeply nested JSON is one parse and no recursion', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    assert.match(err(parseStopText(deep)), /no task|empty/);
    const deepObj = '{"tasks":[{"stoppedReason":"Task stopped by user","containers":[{"name":"a","reason":' + '{"x":'.repeat(100_000) + '1' + '}'.repeat(100_000) + '}]}]}';
    const r = ok(parseStopText(deepObj));
    assert.equal(r.inputs[0]!.stoppedReason, 'Task stopped by user');
    assert.equal(r.inputs[0]!.containers![0]!.reason, undefined);
  });

  it('refuses a paste over the size limit without reading it', () => {
    // On its size alone: a task that would read fine is refused once it is one character too long.
    const task = JSON.stringify({ tasks: [TASK] });
    assert.equal(ok(parseStopText(task.padEnd(MAX_PASTE_CHARS))).inputs.length, 1);
    assert.match(err(parseStopText(task.padEnd(MAX_PASTE_CHARS + 1))), /too large/);
    assert.match(err(parseStopText(' '.repeat(MAX_PASTE_CHARS + 1))), /too large/);
  });

  it('a big describe-tasks output is read whole (its speed is `npm run bench`\'s explain.paste100Ms)', () => {
    const doc = JSON.stringify({ tasks: Array.from({ length: 100 }, (_, i) => ({ ...TASK, taskArn: `${TASK.taskArn}${i}` })) });
    const r = ok(parseStopText(doc));
    assert.equal(r.inputs.length, 100);
    assert.equal(new Set(r.inputs.map((i) => i.taskArn)).size, 100, 'every task, once');
    for (const i of r.inputs) assert.equal(classify(i).category, 'OutOfMemoryError');
  });

  it('prototype keys in pasted JSON do nothing', () => {
    const r = ok(parseStopText('{"__proto__": {"stoppedReason": "x"}, "constructor": 1, "stoppedReason": "Task stopped by user"}'));
    assert.equal(r.inputs[0]!.stoppedReason, 'Task stopped by user');
    assert.equal(({} as Record<string, unknown>).stoppedReason, undefined);
  });
});

describe('looksLikeStopText', () => {
  it('recognises reasons and describe-tasks JSON, and nothing else', () => {
    assert.ok(looksLikeStopText('CannotPullContainerError: context canceled'));
    assert.ok(looksLikeStopText('Essential container in task exited'));
    assert.ok(looksLikeStopText(JSON.stringify({ tasks: [TASK] })));
    assert.ok(!looksLikeStopText('const x = 1;'));
    assert.ok(!looksLikeStopText('{"family": "web"}'));
    assert.ok(!looksLikeStopText(''));
    assert.ok(!looksLikeStopText(undefined));
  });
});
