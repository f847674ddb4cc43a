import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from '../../../sim/server';

const MAIN = path.resolve(__dirname, '../../../sim/main.js');

function hasAwsCli(): boolean {
  const r = spawnSync('aws', ['--version'], { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0;
}

interface Running {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startMain(args: string[]): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    const timer = setTimeout(() => reject(new Error(`simulator did not start: ${err}`)), 15_000);
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const url = /^ecs simulator listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url, stdout: () => out, stderr: () => err, exited });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited (${code}) before listening: ${err}`));
    });
  });
}

describe('npm run sim (sim/main.ts)', () => {
  it('prints exactly one line once it accepts connections and stops cleanly on SIGTERM', async () => {
    const sim = await startMain(['--port', '0', '--scenario', 'empty']);
    const r = await fetch(`${sim.url}/_sim/health`);
    assert.equal(r.status, 200);
    sim.child.kill('SIGTERM');
    assert.equal(await sim.exited, 0);
    assert.equal(sim.stdout(), `ecs simulator listening on ${sim.url}\n`);
  });

  it('stops on SIGINT too', async () => {
    const sim = await startMain(['--scenario', 'empty', '--latency', '5', '--throttle']);
    sim.child.kill('SIGINT');
    assert.equal(await sim.exited, 0);
  });

  it('bad usage exits 2 with a message and the usage, never a stack trace', () => {
    for (const args of [
      ['--port', 'abc'],
      ['--latency'],
      ['--bogus'],
      ['--scenario', 'no-such-scenario'],
      ['--error-rate', '3'],
      ['--throttle-next', 'ecs:service-read'],
      ['--throttle-next', 'ecs:service-read=-1'],
      ['--throttle-next', 'ecs:no-such-bucket=3'],
    ]) {
      const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout: 15_000 });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^ecs simulator: /);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(r.stdout, '');
    }
  });

  it('--throttle-next K=N throttles exactly the next N calls of K', async () => {
    const sim = await startMain(['--scenario', 'empty', '--throttle-next', 'ecs:ListClusters=2', '--throttle-next', 'DescribeClusters=1']);
    try {
      const call = async (op: string) => {
        const r = await fetch(sim.url, {
          method: 'POST',
          headers: { 'x-amz-target': `AmazonEC2ContainerServiceV20141113.${op}`, 'content-type': 'application/x-amz-json-1.1' },
          body: '{}',
        });
        const body = (await r.json()) as { __type?: string };
        return `${op} ${r.status} ${body.__type ?? 'ok'}`;
      };
      const seen: string[] = [];
      for (const op of ['ListClusters', 'DescribeClusters', 'ListClusters', 'DescribeClusters', 'ListClusters']) seen.push(await call(op));
      assert.deepEqual(seen, [
        'ListClusters 400 ThrottlingException',
        'DescribeClusters 400 ThrottlingException',
        'ListClusters 400 ThrottlingException',
        'DescribeClusters 200 ok',
        'ListClusters 200 ok',
      ]);
    } finally {
      sim.child.kill('SIGTERM');
      await sim.exited;
    }
  });

  it('a port in use is a clear error', async () => {
    const busy = await startSimulator({});
    try {
      const r = spawnSync(process.execPath, [MAIN, '--port', String(busy.port), '--scenario', 'empty'], { encoding: 'utf8', timeout: 15_000 });
      assert.equal(r.status, 2);
      assert.match(r.stderr, new RegExp(`port ${busy.port} is already in use`));
    } finally {
      await busy.stop();
    }
  });
});

describe('the AWS CLI against the simulator', { skip: hasAwsCli() ? false : 'the AWS CLI (`aws`) is not on PATH' }, () => {
  let sim: Running;
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_'))),
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'y',
    AWS_CONFIG_FILE: path.join(__dirname, 'no-such-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(__dirname, 'no-such-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  const aws = (...args: string[]) =>
    spawnSync('aws', ['--region', 'us-east-1', '--endpoint-url', sim.url, '--output', 'json', ...args], { encoding: 'utf8', env, timeout: 60_000 });

  before(async () => {
    sim = await startMain(['--port', '0', '--scenario', 'demo']);
  });
  after(async () => {
    sim.child.kill('SIGTERM');
    await sim.exited;
  });

  it('ecs list-clusters', () => {
    const r = aws('ecs', 'list-clusters');
    assert.equal(r.status, 0, r.stderr);
    assert.ok(JSON.parse(r.stdout).clusterArns.includes('arn:aws:ecs:us-east-1:123456789012:cluster/prod'));
  });

  it('ecs describe-services and describe-tasks', () => {
    const s = aws('ecs', 'describe-services', '--cluster', 'prod', '--services', 'web', 'api', 'ghost');
    assert.equal(s.status, 0, s.stderr);
    const sj = JSON.parse(s.stdout);
    assert.deepEqual(sj.services.map((x: { serviceName: string }) => x.serviceName), ['web', 'api']);
    assert.equal(sj.failures[0].reason, 'MISSING');
    const l = aws('ecs', 'list-tasks', '--cluster', 'prod', '--service-name', 'worker');
    assert.equal(l.status, 0, l.stderr);
    const arns: string[] = JSON.parse(l.stdout).taskArns;
    assert.equal(arns.length, 2);
    const t = aws('ecs', 'describe-tasks', '--cluster', 'prod', '--tasks', ...arns);
    assert.equal(t.status, 0, t.stderr);
    const tasks = JSON.parse(t.stdout).tasks as { healthStatus: string; group: string }[];
    assert.deepEqual(tasks.map((x) => x.group), ['service:worker', 'service:worker']);
    assert.ok(tasks.some((x) => x.healthStatus === 'UNHEALTHY'));
  });

  it('a bad call gets the API\'s own error', () => {
    const r = aws('ecs', 'describe-services', '--cluster', 'ghost', '--services', 'web');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /An error occurred \(ClusterNotFoundException\) when calling the DescribeServices operation: Cluster not found\./);
    const many = aws('ecs', 'describe-services', '--cluster', 'prod', '--services', ...'abcdefghijk'.split(''));
    assert.match(many.stderr, /\(InvalidParameterException\) when calling the DescribeServices operation/);
  });

  it('sts get-caller-identity (awsQuery on the same endpoint)', () => {
    const r = aws('sts', 'get-caller-identity');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).Account, '123456789012');
  });
});
