// The stand-in session-manager-plugin (sim/bin), as the playground's VS Code runs it:
// the six arguments of a real ExecuteCommand against the `demo` simulator, then a simulated shell
// that says it is one, names the container and the task, answers a few commands from what the
// simulator knows of that container (never a secret), and asks nothing of an endpoint that is not
// on this machine.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AwsSession } from '../../../src/aws/session';
import { startExecSession } from '../../../src/aws/exec';
import { startSimulator, type Simulator } from '../../../sim/server';
import { sandboxEnv } from '../../awsSandbox';

const ROOT = path.resolve(__dirname, '../../../..');
const STAND_IN = path.join(ROOT, 'sim/bin/session-manager-plugin');
const WEB = '2f6a1c9e8b7d4a3f9e0c1b2a3d4e5f60';
const BILLING = 'd4e5f60718293a4b5c6d7e8f90a1b2c3';
const BANNER = 'ECS Doctor simulator: this is a simulated shell, not your container.';

interface Run {
  code: number | null;
  /** stdout with \r\n turned into \n. */
  out: string;
  records: Array<{ argv?: string[]; started?: string; input?: string; responseFromEnv?: string; response?: string; error?: string }>;
}

describe('the stand-in session-manager-plugin: a simulated shell', () => {
  let sim: Simulator;
  let session: AwsSession;
  let dir: string;
  let restoreEnv: () => void = () => undefined;
  before(async () => {
    restoreEnv = sandboxEnv();
    sim = await startSimulator({ scenario: 'demo' });
    session = new AwsSession({ endpoint: sim.url, region: 'us-east-1', maxAttempts: 1 });
    dir = mkdtempSync(path.join(tmpdir(), 'ecs-doctor-smp-'));
  });
  after(async () => {
    session.dispose();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
    restoreEnv();
  });

  /** Runs the stand-in with `argv`, types `lines` (the last one ends the session) and collects what it printed. */
  async function run(argv: string[], lines: string[], env: Record<string, string> = {}): Promise<Run> {
    const record = path.join(dir, `record-${Math.random().toString(36).slice(2)}.jsonl`);
    // Asynchronously: the simulator answers the stand-in from this process's event loop.
    const child = spawn(process.execPath, [STAND_IN, ...argv], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ECS_DOCTOR_SMP_RECORD: record, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.end(lines.map((l) => `${l}\n`).join(''));
    const timer = setTimeout(() => child.kill(), 20_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    const records = readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Run['records'][number]);
    return { code, out: out.replace(/\r\n/g, '\n'), records };
  }

  async function argvFor(cluster: string, task: string, container: string): Promise<string[]> {
    return (await startExecSession(session, { cluster, task, container, command: '/bin/sh', env: {} })).argv;
  }

  /** What the shell printed for the command typed after the `n`th prompt (1-based). */
  function answer(out: string, prompt: string, n: number): string {
    const parts = out.split(prompt);
    return (parts[n] ?? '').trim();
  }

  it('is labelled as simulated, names the task and container, and answers from the container\'s task definition', async () => {
    const argv = await argvFor('prod', WEB, 'web');
    const sessionId = (JSON.parse(argv[0]!) as { sessionId: string }).sessionId;
    const r = await run(argv, ['hostname', 'whoami', 'ls', 'env', 'printenv DATABASE_URL', 'echo "$NODE_ENV" $SESSION_KEY done', 'reboot', 'exit']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, new RegExp(`^\\nStarting session with SessionId: ${sessionId}\\n`));
    assert.ok(r.out.includes(BANNER), r.out);
    assert.ok(r.out.includes(`Task ${WEB} in cluster prod, container web (123456789012.dkr.ecr.us-east-1.amazonaws.com/web:3.8.1).`), r.out);
    const prompt = '[simulated] web@2f6a1c9e:/# ';
    assert.equal(answer(r.out, prompt, 1), 'ip-10-0-1-21.ec2.internal', 'hostname: the task\'s private DNS name');
    assert.equal(answer(r.out, prompt, 2), 'root');
    assert.match(answer(r.out, prompt, 3), /^bin {2}boot {2}dev {2}etc /);
    const env = answer(r.out, prompt, 4).split('\n');
    for (const line of ['NODE_ENV=production', 'PORT=8080', 'AWS_EXECUTION_ENV=AWS_ECS_FARGATE', 'AWS_REGION=us-east-1', 'HOSTNAME=ip-10-0-1-21.ec2.internal']) assert.ok(env.includes(line), `${line} in\n${env.join('\n')}`);
    assert.ok(env.some((l) => l.startsWith('ECS_CONTAINER_METADATA_URI_V4=http://169.254.170.2/v4/')));
    assert.equal(env.at(-1), '# simulated: DATABASE_URL, SESSION_KEY hold secrets in the real container; the simulator does not show them');
    assert.ok(!env.some((l) => /^(DATABASE_URL|SESSION_KEY)=/.test(l)), 'no secret in env');
    assert.match(answer(r.out, prompt, 5), /DATABASE_URL holds a secret/);
    assert.equal(answer(r.out, prompt, 6), 'production done', 'quotes group, $NAME expands, a secret expands to nothing');
    assert.match(answer(r.out, prompt, 7), /^sh: reboot: not available in this simulated shell \(try help\)$/);
    assert.match(r.out, new RegExp(`Exiting session with sessionId: ${sessionId}\\.\\n+$`));
    // Nothing the simulator holds as a secret reaches the terminal.
    for (const secret of ['postgres://web:sim-not-real', 'sim-session-key-not-real', 'sim-not-real']) assert.ok(!r.out.includes(secret), secret);
    // Every typed line is recorded, as the integration tests expect.
    assert.deepEqual(r.records.filter((x) => x.input !== undefined).map((x) => x.input), ['hostname', 'whoami', 'ls', 'env', 'printenv DATABASE_URL', 'echo "$NODE_ENV" $SESSION_KEY done', 'reboot', 'exit']);
    assert.equal(r.records.find((x) => x.started)?.started, sessionId);
  });

  it('an EC2 container in bridge mode has its Docker id as its host name; cd and pwd move around', async () => {
    const r = await run(await argvFor('legacy-ec2', BILLING, 'billing'), ['hostname', 'cd /tmp', 'pwd', 'cd /nowhere', 'exit']);
    assert.equal(r.code, 0, r.out);
    const runtimeId = sim.state.ecs.clusters.get('legacy-ec2')!.tasks.get(BILLING)!.containers![0]!.runtimeId!;
    assert.equal(answer(r.out, '[simulated] billing@d4e5f607:/# ', 1), runtimeId.slice(0, 12));
    assert.equal(answer(r.out, '[simulated] billing@d4e5f607:/tmp# ', 1), '/tmp');
    assert.match(r.out, /can't cd to \/nowhere: No such file or directory/);
  });

  it('end of input ends the session like exit', async () => {
    const r = await run(await argvFor('prod', WEB, 'web'), ['pwd']);
    assert.equal(r.code, 0);
    assert.match(r.out, /Exiting session with sessionId: ecs-execute-command-/);
  });

  it('asks nothing of an endpoint that is not this machine\'s simulator, and still opens a labelled shell', { skip: process.platform !== 'linux' && '127.0.0.2 is a loopback address on Linux only' }, async () => {
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests++;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    try {
      const argv = await argvFor('prod', WEB, 'web');
      argv[5] = `http://127.0.0.2:${(server.address() as { port: number }).port}`;
      const r = await run(argv, ['hostname', 'exit']);
      assert.equal(r.code, 0, r.out);
      assert.equal(requests, 0, 'no request to an endpoint other than 127.0.0.1/localhost');
      assert.ok(r.out.includes(BANNER));
      assert.ok(r.out.includes(`Task ${WEB} in cluster prod, container with runtime id ${WEB}-`), r.out);
      assert.match(r.out, /\[simulated\] container@2f6a1c9e:\/# /);
    } finally {
      server.close();
    }
  });

  it('keeps the plugin\'s own forms: no arguments, --version, and a bad argument vector', async () => {
    const none = await run([], []);
    assert.equal(none.code, 0);
    assert.match(none.out, /The Session Manager plugin was installed successfully/);
    const version = await run(['--version'], []);
    assert.match(version.out, /^1\.2\.650\.0\n$/, 'a release new enough to read the session from its environment');
    assert.equal((await run(['--version'], [], { ECS_DOCTOR_SMP_VERSION: '1.2.497.0' })).out, '1.2.497.0\n');
    const bad = await run(['{"sessionId": "s"}', 'us-east-1', 'StartSession'], []);
    assert.equal(bad.code, 1);
    assert.match(bad.out, /expected 6 arguments/);
  });

  it('reads the session from the variable its first argument names (and unsets it), as plugins after 1.2.497.0 do; an old one cannot', async () => {
    const started = await startExecSession(session, { cluster: 'prod', task: WEB, container: 'web', command: '/bin/sh', env: {}, pluginVersion: '1.2.650.0' });
    assert.equal(started.argv[0], 'AWS_SSM_START_SESSION_RESPONSE');
    const r = await run(started.argv, ['exit'], started.env);
    assert.equal(r.code, 0, r.out);
    assert.ok(r.out.includes(BANNER));
    const read = r.records.find((x) => x.responseFromEnv)!;
    assert.equal(read.responseFromEnv, 'AWS_SSM_START_SESSION_RESPONSE');
    assert.equal(read.response, started.env.AWS_SSM_START_SESSION_RESPONSE);
    assert.ok(r.records.some((x) => x.started === started.sessionId));
    assert.deepEqual(r.records[0]!.argv, started.argv);

    const old = await run(started.argv, [], { ...started.env, ECS_DOCTOR_SMP_VERSION: '1.2.497.0' });
    assert.equal(old.code, 1);
    assert.match(old.out, /the first argument is not JSON/);
    const unset = await run(started.argv, []);
    assert.equal(unset.code, 1);
    assert.match(unset.out, /the environment variable AWS_SSM_START_SESSION_RESPONSE, named by the first argument, is not set/);
  });
});
