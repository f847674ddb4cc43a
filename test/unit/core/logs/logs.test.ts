import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  explainMissing,
  formatJsonLine,
  formatLine,
  mergeByTime,
  parseSince,
  renderLogDocument,
  resolveLogSources,
  sanitizeMessage,
  type AwsLogsSource,
  type LogTask,
  type LogTaskDefinition,
} from '../../../../src/core/logs';

const TASK_ID = '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e';
const task: LogTask = {
  taskArn: `arn:aws:ecs:us-east-1:123456789012:task/prod/${TASK_ID}`,
  lastStatus: 'RUNNING',
  startedAt: '2026-12-01T00:00:00Z',
  containers: [{ name: 'api', runtimeId: 'rt-api' }, { name: 'ec2app', runtimeId: 'dockerid123' }],
};
const awslogs = (group: string, prefix?: string, extra: Record<string, string> = {}) => ({
  logDriver: 'awslogs',
  options: { 'awslogs-group': group, 'awslogs-region': 'us-east-1', ...(prefix ? { 'awslogs-stream-prefix': prefix } : {}), ...extra },
});
const td: LogTaskDefinition = {
  executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
  requiresCompatibilities: ['FARGATE'],
  containerDefinitions: [
    { name: 'api', logConfiguration: awslogs('/ecs/api', 'ecs') },
    { name: 'xray', logConfiguration: { ...awslogs('/ecs/api', 'xray'), options: { ...awslogs('/ecs/api', 'xray').options, 'awslogs-region': 'eu-west-1' } } },
    { name: 'ec2app', logConfiguration: awslogs('/ecs/legacy') },
    { name: 'nolog' },
    { name: 'fl', logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'cloudwatch_logs', log_group_name: '/ecs/web', region: 'us-east-1', log_stream_prefix: 'web/' } } },
    { name: 'spl', logConfiguration: { logDriver: 'splunk', options: { 'splunk-url': 'https://splunk.example.com:8088' } } },
    { name: 'quiet', logConfiguration: { logDriver: 'none' } },
  ],
};

describe('core/logs: stream resolution from the task definition', () => {
  it('names awslogs streams prefix/container/task-id, in awslogs-region', () => {
    const r = resolveLogSources(task, td, { region: 'us-east-1' });
    assert.ok('sources' in r);
    const api = r.sources[0] as AwsLogsSource;
    assert.deepEqual([api.kind, api.group, api.region, api.stream], ['awslogs', '/ecs/api', 'us-east-1', `ecs/api/${TASK_ID}`]);
    const xray = r.sources[1] as AwsLogsSource;
    assert.equal(xray.region, 'eu-west-1');
    assert.equal(xray.stream, `xray/xray/${TASK_ID}`);
  });

  it('without a prefix, names the stream after the Docker container id (runtimeId)', () => {
    const r = resolveLogSources(task, td, { region: 'us-east-1', container: 'ec2app' });
    assert.ok('sources' in r);
    assert.equal((r.sources[0] as AwsLogsSource).stream, 'dockerid123');
  });

  it('says where the lines of other drivers go, and what to change', () => {
    const r = resolveLogSources(task, td, { region: 'us-east-1' });
    assert.ok('sources' in r);
    const by = (n: string) => r.sources.find((s) => s.container === n)!;
    const nolog = by('nolog');
    assert.equal(nolog.kind, 'elsewhere');
    assert.match(nolog.kind === 'elsewhere' ? `${nolog.where} ${nolog.change}` : '', /no logConfiguration.*Fargate.*awslogs-group/s);
    const fl = by('fl');
    assert.match(fl.kind === 'elsewhere' ? fl.where : '', /FireLens.*log group \/ecs\/web.*stream prefix web\//);
    const spl = by('spl');
    assert.match(spl.kind === 'elsewhere' ? spl.where : '', /Splunk at https:\/\/splunk\.example\.com:8088/);
    const quiet = by('quiet');
    assert.match(quiet.kind === 'elsewhere' ? quiet.where : '', /discarded/);
  });

  it('an unknown container is an error that lists the real ones', () => {
    const r = resolveLogSources(task, td, { region: 'us-east-1', container: 'nope' });
    assert.ok('error' in r);
    assert.match(r.error, /no container named "nope".*api, xray/);
  });
});

describe('core/logs: missing group or stream', () => {
  const src: AwsLogsSource = { kind: 'awslogs', container: 'api', group: '/ecs/api', region: 'us-east-1', stream: `ecs/api/${TASK_ID}`, prefix: 'ecs', createGroup: false };
  it('a missing group says awslogs does not create it and how to', () => {
    assert.match(explainMissing({ missing: 'group', source: src, task, taskDef: td }), /log group \/ecs\/api does not exist.*does not create groups.*aws logs create-log-group --log-group-name \/ecs\/api/);
  });
  it('a missing stream of a started container names the execution role and logs:CreateLogStream', () => {
    assert.match(explainMissing({ missing: 'stream', source: src, task, taskDef: td }), /role\/exec.*logs:CreateLogStream/);
  });
  it('a differing prefix is named', () => {
    assert.match(explainMissing({ missing: 'stream', source: src, task, taskDef: td, similar: [`app/api/${TASK_ID}`] }), /prefix differs/);
  });
  it('a task that never started says so', () => {
    const never: LogTask = { ...task, startedAt: undefined, lastStatus: 'STOPPED', stoppedReason: 'CannotPullContainerError: x', containers: [{ name: 'api', exitCode: null }] };
    assert.match(explainMissing({ missing: 'stream', source: src, task: never, taskDef: td }), /never started.*CannotPullContainerError/);
  });
});

describe('core/logs: log text is text', () => {
  it('removes ANSI escapes and makes control characters visible', () => {
    assert.equal(sanitizeMessage('\x1b[31mred\x1b[0m plain\x1b]0;title\x07 \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\'), 'red plain link');
    assert.equal(sanitizeMessage('a\x00b\x07c\x7fd\u202eevil\n'), 'a\u2400b\u2407c\u2421d\ufffdevil');
  });
  it('masks credentials a container printed', () => {
    const m = sanitizeMessage('boot with AKIAIOSFODNN7EXAMPLE aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY Authorization: Bearer abc.def.ghi');
    assert.doesNotMatch(m, /AKIAIOSFODNN7EXAMPLE|wJalrXUtnFEMI|abc\.def\.ghi/);
    assert.match(m, /^boot with /);
  });
  it('keeps inner newlines as continuation lines and HTML/Markdown as literal text', () => {
    const line = { timestamp: Date.UTC(2026, 11, 3, 3, 0, 0, 5), container: 'api', message: '<b>**Error**</b>\r\n  at x.js:1\n' };
    assert.equal(formatLine(line, 5), `2026-12-03T03:00:00.005Z api   <b>**Error**</b>\n${' '.repeat(31)}  at x.js:1`);
    assert.deepEqual(JSON.parse(formatJsonLine(line)), { timestamp: '2026-12-03T03:00:00.005Z', container: 'api', message: '<b>**Error**</b>\n  at x.js:1' });
  });
});

describe('core/logs: merging and ranges', () => {
  it('merges containers by time, keeping each container\'s order on ties', () => {
    const a = [1, 3, 3, 7].map((t, i) => ({ timestamp: t, container: 'a', message: `a${i}` }));
    const b = [2, 3, 8].map((t, i) => ({ timestamp: t, container: 'b', message: `b${i}` }));
    assert.deepEqual(mergeByTime([a, b]).map((l) => l.message), ['a0', 'b0', 'a1', 'a2', 'b1', 'a3', 'b2']);
  });
  it('parses --since', () => {
    assert.equal(parseSince('10m', 1_000_000), 1_000_000 - 600_000);
    assert.equal(parseSince('2026-12-03T00:00:00Z', 0), Date.UTC(2026, 11, 3));
    assert.equal(parseSince('soon', 0), undefined);
  });
  it('renders newest at the bottom with the older marker and the status last', () => {
    const r = renderLogDocument({ title: 'task x', containers: ['a'], notices: ['b goes elsewhere'], lines: [{ timestamp: 0, container: 'a', message: 'one' }, { timestamp: 1, container: 'a', message: 'two' }], olderAvailable: true, status: 'Following' });
    const lines = r.text.trimEnd().split('\n');
    assert.equal(lines[0], 'Logs of task x: a');
    assert.equal(r.olderLine, 2);
    assert.match(lines[1]!, /^! b goes elsewhere/);
    assert.match(lines[3]!, /one$/);
    assert.match(lines[4]!, /two$/);
    assert.equal(lines[5], '--- Following ---');
  });
});
