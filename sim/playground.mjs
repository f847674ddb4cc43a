// `npm start`: try ECS Doctor without an AWS account. Builds the extension, starts the ECS
// simulator with the `demo` account, starts the same real VS Code the tests use (code-server)
// with the extension loaded, `ecsDoctor.endpoint` pointed at the simulator and dummy
// credentials that never leave the machine, and prints the URL to open. Ctrl-C stops it all.
//
// ECS Exec works end to end: `ecsDoctor.sessionManagerPluginPath` names the stand-in
// session-manager-plugin (sim/bin, the tests use it too), so a session opens a terminal with the
// stand-in's simulated shell (labelled as such) for the container the simulator describes. The
// real AWS plugin is never used, even when it is installed. (A setting, not PATH: the workbench
// may start its extension host with the login shell's environment instead of ours.)
//
// The explorer shows two Regions (ecsDoctor.regions): the scenario's own, and us-west-2 with a
// standby cluster `prod-west` the simulator serves only there.
//
//   npm start -- [--port 8123] [--scenario demo] [--latency 0] [--thin]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
// The VS Code host is the integration tests' (test/host): the playground is that same VS Code.
import { startCodeServer, workbenchUrl } from '../test/host/code-server.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '8123' },
    scenario: { type: 'string', default: 'demo' },
    latency: { type: 'string', default: '0' },
    // Answer like a thin endpoint (moto, LocalStack): see the simulator's `thin` fault.
    thin: { type: 'boolean', default: false },
  },
});

/** The playground's second Region (ecsDoctor.regions): the simulator serves its clusters only there. */
const SECOND_REGION = 'us-west-2';

/**
 * The scenario plus a small standby cluster `prod-west` in the second Region (two healthy `web`
 * tasks, like prod's), unless the scenario already puts a cluster in another Region. The first
 * Region shows exactly what the scenario holds.
 */
function withSecondRegion(data) {
  const home = data.region ?? 'us-east-1';
  if ((data.clusters ?? []).some((c) => c.region && c.region !== home)) return data;
  const web = data.clusters?.find((c) => c.name === 'prod')?.services?.find((s) => s.name === 'web');
  const service = web
    ? { name: 'web', taskDefinition: web.taskDefinition, launchType: web.launchType, enableExecuteCommand: web.enableExecuteCommand, networkConfiguration: web.networkConfiguration, desiredCount: 2, runningTasks: 2 }
    : undefined;
  return { ...data, clusters: [...(data.clusters ?? []), { name: 'prod-west', region: SECOND_REGION, services: service ? [service] : [] }] };
}

function build() {
  for (const [cmd, what] of [
    [['esbuild.mjs'], 'extension'],
    [['test/build-tests.mjs'], 'simulator'],
  ]) {
    const r = spawnSync(process.execPath, cmd, { cwd: repo, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`building the ${what} failed`);
  }
}

async function main() {
  build();
  const { startSimulator } = require(path.join(repo, 'out', 'sim', 'server.js'));
  const { mergeScenarios, readScenario } = require(path.join(repo, 'out', 'sim', 'scenario.js'));
  // The demo account gets the `services` scenario's live cluster (`live`: one service per
  // service-doctor verdict, run by the scheduler), and the scheduler adopts any service that
  // UpdateService or StopTask touches, so "Enable and Redeploy" really starts new tasks.
  const base = args.scenario === 'demo' ? mergeScenarios(readScenario('demo'), readScenario('services')) : readScenario(args.scenario);
  const scenario = withSecondRegion(base);
  const sim = await startSimulator({ scenario, latencyMs: Number(args.latency) || 0, scheduler: true, faults: args.thin ? { thin: true } : {} });
  console.log(`ecs simulator (${args.scenario}${args.thin ? ', thin' : ''}) listening on ${sim.url}`);

  // A scratch workspace with sample task definitions to edit: copies of the tests' fixtures
  // (test/fixtures/taskdefs), which stay untouched.
  const workspace = path.join(os.tmpdir(), 'ecs-doctor-playground');
  mkdirSync(workspace, { recursive: true });
  const fixtures = path.join(repo, 'test', 'fixtures', 'taskdefs');
  for (const f of readdirSync(fixtures)) if (f.endsWith('.json')) cpSync(path.join(fixtures, f), path.join(workspace, f));
  // CloudFormation YAML, a CDK cdk.out template and a Terraform module (test/fixtures/taskdefs/iac).
  cpSync(path.join(fixtures, 'iac'), path.join(workspace, 'iac'), { recursive: true });

  const log = (m) => console.log(`[code-server] ${m}`);
  const server = await startCodeServer({
    folder: workspace,
    settings: {
      'ecsDoctor.endpoint': sim.url,
      'ecsDoctor.region': 'us-east-1',
      // Both Regions: the demo account in us-east-1, a standby cluster in the second one.
      'ecsDoctor.regions': ['us-east-1', SECOND_REGION],
      'ecsDoctor.sessionManagerPluginPath': path.join(repo, 'sim', 'bin', 'session-manager-plugin'),
      // The samples carry comments (ECS Doctor reads JSON with comments); open them as JSONC so
      // VS Code's own JSON mode does not flag every comment.
      'files.associations': { '*.json': 'jsonc' },
      // The first screen: the ECS Doctor view, the walkthrough that says what to try (opened by
      // src/editor/playground.ts), no secondary side bar, and one dark theme that a reload keeps
      // (not switched by the browser's light/dark preference).
      'ecsDoctor.playground.welcome': true,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'window.autoDetectColorScheme': false,
      'workbench.preferredDarkColorTheme': 'Default Dark Modern',
      'workbench.preferredLightColorTheme': 'Default Dark Modern',
      'workbench.colorTheme': 'Default Dark Modern',
    },
    log,
  });
  // Opening a task definition with mistakes at start shows the lint at once and activates ECS
  // Doctor (on JSON), which opens its view and the walkthrough.
  const target = workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: repo, openFile: path.join(workspace, 'bad-register.json') });

  // A short, memorable address that opens the workbench with the extension loaded.
  const front = http.createServer((req, res) => {
    res.writeHead(302, { Location: target });
    res.end();
  });
  await new Promise((resolve, reject) => {
    front.once('error', reject);
    front.listen(Number(args.port) || 0, '127.0.0.1', resolve);
  }).catch(async (err) => {
    console.log(`port ${args.port} is busy (${err.code}); picking a free one`);
    await new Promise((resolve) => front.listen(0, '127.0.0.1', resolve));
  });
  const { port } = front.address();

  console.log('');
  console.log(`  ECS Doctor playground: open http://127.0.0.1:${port}/ in your browser`);
  console.log('  (the demo account is simulated; no AWS account or credentials are used)');
  console.log('  ECS Exec: on the container of a prod > web or legacy-ec2 > billing task, click the terminal icon');
  console.log('  (Start ECS Exec Session): a simulated shell opens. Check ECS Exec Readiness (right-click) on other');
  console.log('  tasks shows why they cannot: exec off, the task role, the agent version, a read-only root filesystem.');
  console.log('  Port forwarding: right-click the same web task or container, Forward a Port..., port 8080: the stand-in');
  console.log('  plugin listens on 127.0.0.1 and answers with a page saying it is simulated (Open in Browser).');
  console.log('  Press Ctrl-C to stop.');
  console.log('');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('stopping...');
    front.close();
    await server.stop();
    await sim.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`npm start: ${err?.message ?? err}`);
  process.exit(1);
});
