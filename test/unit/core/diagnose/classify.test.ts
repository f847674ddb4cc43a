// classify(): every documented family and variant with AWS's exact texts, the exit-code
// refinements of "Essential container in task exited", container-only reasons, Unknown, and the
// shape guarantees the live collector and the faces rely on.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FAMILIES, EXIT_CODES } from '../../../../src/core/diagnose/catalogue';
import { classify, findFamily, MAX_TEXT } from '../../../../src/core/diagnose/classify';
import { EVIDENCE_CHECKS, STOP_CATEGORIES, type Diagnosis, type StopInput } from '../../../../src/core/diagnose/types';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-bad-tg/fedcba9876543210';

/** [stoppedReason, category, variant]: AWS's own texts (the AWS documentation, the ECS agent, public reports, the simulator scenario). */
const EXACT: Array<[string, string, string]> = [
  // CannotPullContainerError (the documented forms)
  ['CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v2-missing: 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v2-missing: not found', 'CannotPullContainerError', 'manifest-not-found'],
  ['CannotPullContainerError: Error response from daemon: manifest for 111122223333.dkr.ecr.us-east-1.amazonaws.com/web:1.2.3 not found: manifest unknown: Requested image not found', 'CannotPullContainerError', 'manifest-not-found'],
  ['CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v1: failed to do request: Head "https://123456789012.dkr.ecr.us-east-1.amazonaws.com/v2/api/manifests/v1": dial tcp 52.94.0.1:443: i/o timeout', 'CannotPullContainerError', 'no-route-to-registry'],
  ['CannotPullContainerError: API error (500): Get https://111122223333.dkr.ecr.us-east-1.amazonaws.com/v2/: net/http: request canceled while waiting for connection"', 'CannotPullContainerError', 'no-route-to-registry'],
  ['CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/tryretool/backend:2.110.5: failed to do request: Head "https://registry-1.docker.io/v2/tryretool/backend/manifests/2.110.5": dial tcp 34.205.13.154:443: i/o timeout', 'CannotPullContainerError', 'no-route-to-registry'],
  ['CannotPullContainerError: context canceled', 'CannotPullContainerError', 'context-canceled'],
  ['CannotPullContainerError: API error (404): repository 111122223333.dkr.ecr.us-east-1.amazonaws.com/<repo>/<image> not found', 'CannotPullContainerError', 'repository-not-found'],
  ['CannotPullContainerError: write /var/lib/docker/tmp/GetImageBlob111111111: no space left on device', 'CannotPullContainerError', 'disk-full'],
  ['CannotPullContainerError: inspect image has been retried 5 time(s): httpReaderSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/manifests/sha256:2bb501e6429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit', 'CannotPullContainerError', 'docker-hub-rate-limit'],
  ['CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: httpReaderSeeker: failed open: unexpected status code', 'CannotPullContainerError', 'forbidden-403'],
  ["CannotPullContainerError: The task can’t pull the image. Check that the role has the permissions to pull images from the registry. Error response from daemon: pull access denied for 123123123123.dkr.ecr.us-east-1.amazonaws.com/my_image, repository does not exist or may require 'docker login': denied: User: arn:aws:sts::123123123123:assumed-role/MyBrokenRole/xyz is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:123123123123:repository/test_image because no identity-based policy allows the ecr:BatchGetImage action", 'CannotPullContainerError', 'ecr-permission-denied'],
  ["CannotPullContainerError: The task can’t pull the image. Check whether the image exists. Error response from daemon: pull access denied for 123123123123.dkr.ecr.us-east-1.amazonaws.com/my_image, repository does not exist or may require 'docker login': denied: requested access to the resource is denied", 'CannotPullContainerError', 'pull-access-denied'],
  ["CannotPullContainerError: image Manifest does not contain descriptor matching platform 'linux/amd64'", 'CannotPullContainerError', 'platform-mismatch'],
  ['CannotPullContainerError: Error response from daemon: invalid reference format', 'CannotPullContainerError', 'invalid-reference'],
  ['CannotPullContainerError: API error (500): Get https://111122223333.dkr.ecr.us-east-1.amazonaws.com/v2/web/manifests/latest: no basic auth credentials', 'CannotPullContainerError', 'no-basic-auth-credentials'],
  // ResourceInitializationError
  ['ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post "https://api.ecr.us-east-1.amazonaws.com/": dial tcp 52.46.145.142:443: i/o timeout. Please check your task network configuration.', 'ResourceInitializationError', 'registry-auth-network'],
  ['ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 5 time(s): RequestCanceled: request context canceled caused by: context deadline exceeded', 'ResourceInitializationError', 'secrets-network'],
  ["ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:api/old-XyZ123 from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret.", 'ResourceInitializationError', 'secret-not-found'],
  ['ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to get registry auth: no execution role', 'ResourceInitializationError', 'no-execution-role'],
  ['ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1', 'ResourceInitializationError', 'log-group-missing'],
  ['ResourceInitializationError: failed to validate logger args: The task cannot find the Amazon CloudWatch log group defined in the task definition. There is a connection issue between the task and Amazon CloudWatch. Check your network configuration. : signal: killed', 'ResourceInitializationError', 'logs-network'],
  ['ResourceInitializationError: failed to configure ENI: failed to setup regular eni: netplugin failed with no error message', 'ResourceInitializationError', 'eni'],
  ['ResourceInitializationError: unable to pull secrets or registry auth: pull command failed: : signal: killed', 'ResourceInitializationError', 'secrets-network'],
  // TaskFailedToStart
  ["Unexpected EC2 error while attempting to Create Network Interface with public IP assignment enabled in subnet 'subnet-0123456789abcdef0'", 'TaskFailedToStart', 'subnet-out-of-ips'],
  ['Timeout waiting for network interface provisioning to complete.', 'TaskFailedToStart', 'eni-provisioning-timeout'],
  ['The selected task definition is not compatible with the selected compute strategy.', 'TaskFailedToStart', 'compute-incompatible'],
  ['Unable to attach network interface to unused device index', 'TaskFailedToStart', 'eni-attach-limit'],
  ['AGENT', 'TaskFailedToStart', 'agent-disconnected'],
  ['Unexpected EC2 error while attempting to tag the network interface: TagPolicyViolation', 'TaskFailedToStart', 'eni-tagging-failed'],
  ['CannotCreateContainerError: API error (500): devmapper: Thin Pool has 4350 free data blocks which is less than minimum required 4454 free data blocks. Create more free space in thin pool or use dm.min_free_space option to change behavior', 'CannotStartContainerError', 'host-storage-full'],
  // The rest of the families
  ['OutOfMemoryError: Container killed due to memory usage', 'OutOfMemoryError', 'container-killed'],
  ['DockerTimeoutError: Could not transition to created; timed out after waiting 4m0s', 'ContainerRuntimeTimeoutError', 'start-timeout'],
  ['CannotInspectContainerError: Could not transition to inspecting; timed out after waiting 30s', 'CannotInspectContainerError', 'runtime-error'],
  ['Essential container in task exited - CannotInspectContainerError: Could not transition to inspecting; timed out after waiting 30s', 'CannotInspectContainerError', 'runtime-error'],
  [`Task failed ELB health checks in (target-group ${TG})`, 'ElbHealthCheckFailed', 'target-group'],
  ['Task failed container health checks', 'ContainerHealthCheckFailed', 'unhealthy'],
  ['Your Spot Task was interrupted.', 'SpotInterruption', 'reclaimed'],
  ['Scaling activity initiated by (deployment ecs-svc/1234567890123456789)', 'ServiceSchedulerInitiated', 'scaling-activity'],
  ['Task stopped by user', 'UserInitiated', 'stop-task'],
  ['Container instance deregistration forced by user', 'UserInitiated', 'instance-deregistered'],
  ['ECS is performing maintenance on the underlying infrastructure hosting the task', 'InfrastructureMaintenance', 'platform-maintenance'],
  ['Host EC2 (instance i-0123456789abcdef0) stopped/terminated', 'InfrastructureMaintenance', 'host-stopped'],
];

/** Representative texts for forms AWS documents only by their prefix (InternalError: <reason>). */
const REPRESENTATIVE: Array<[string, string, string]> = [
  ['InternalError: failed to attach network interface: the ENI attachment timed out', 'InternalError', 'eni-attachment'],
  ['DockerTimeoutError: Could not transition to started; timed out after waiting 3m0s', 'ContainerRuntimeTimeoutError', 'start-timeout'],
];

function checkShape(d: Diagnosis): void {
  assert.ok(STOP_CATEGORIES.includes(d.category), d.category);
  assert.ok(d.variant && d.title && d.summary, 'variant, title and summary are set');
  assert.ok(['high', 'medium', 'low'].includes(d.confidence));
  assert.ok(d.whereToLook.length > 0, 'somewhere to look');
  for (const c of d.checks) assert.ok(EVIDENCE_CHECKS.includes(c), `unknown check ${c}`);
  assert.equal(new Set(d.checks).size, d.checks.length, 'checks are unique');
  const ids = new Set(d.causes.map((c) => c.id));
  assert.equal(ids.size, d.causes.length, `cause ids are unique in ${d.variant}`);
  for (const c of d.causes) for (const k of c.checks ?? []) assert.ok(EVIDENCE_CHECKS.includes(k), `cause ${c.id}: unknown check ${k}`);
  for (const f of d.fixes) if (f.cause) assert.ok(ids.has(f.cause), `fix for unknown cause ${f.cause} in ${d.category}/${d.variant}`);
  for (const x of d.docs) assert.match(x.url, /^https:\/\/(docs\.aws\.amazon\.com|aws\.amazon\.com)\//);
}

describe('classify: exact AWS texts', () => {
  for (const [text, category, variant] of EXACT) {
    it(`${category}/${variant}: ${text.slice(0, 70)}`, () => {
      const d = classify({ stoppedReason: text });
      assert.equal(d.category, category, d.summary);
      assert.equal(d.variant, variant);
      assert.equal(d.raw.stoppedReason, text, 'the raw text is kept verbatim');
      checkShape(d);
    });
  }

  it('covers every category but Unknown and EssentialContainerExited with at least one exact text', () => {
    const seen = new Set([...EXACT, ...REPRESENTATIVE].map((e) => e[1]));
    const missing = STOP_CATEGORIES.filter((c) => !seen.has(c) && c !== 'Unknown' && c !== 'EssentialContainerExited' && c !== 'ContainerRuntimeError' && c !== 'CannotStopContainerError' && c !== 'CannotCreateVolumeError' && c !== 'CannotStartContainerError');
    assert.deepEqual(missing, []);
  });
});

describe('classify: representative texts', () => {
  for (const [text, category, variant] of REPRESENTATIVE) {
    it(`${category}/${variant}`, () => {
      const d = classify({ stoppedReason: text });
      assert.deepEqual([d.category, d.variant], [category, variant]);
    });
  }
});

describe('classify: the catalogue', () => {
  it('every variant of every family classifies its own example texts', () => {
    let n = 0;
    for (const fam of FAMILIES) {
      assert.ok(fam.variants.length > 0);
      assert.equal(fam.variants[fam.variants.length - 1]!.match, undefined, `${fam.category}: the last variant is the generic one`);
      for (const v of fam.variants) {
        if (v.match) assert.ok(v.examples.length > 0, `${fam.category}/${v.variant} has an example text`);
        for (const ex of v.examples) {
          const d = classify({ stoppedReason: ex });
          assert.equal(d.category, fam.category, ex);
          assert.equal(d.variant, v.variant, ex);
          checkShape(d);
          n++;
        }
      }
    }
    assert.ok(n >= 60, `only ${n} example texts`);
  });

  it('the pull error has at least fourteen documented forms', () => {
    const pull = FAMILIES.find((f) => f.category === 'CannotPullContainerError')!;
    assert.ok(pull.variants.filter((v) => v.match).length >= 14, String(pull.variants.length));
  });

  it('names the family the message names first (the outer error)', () => {
    assert.equal(findFamily('CannotStartContainerError: ResourceInitializationError: unable to create new container: mount callback failed on /tmp/x: no users found')?.category, 'CannotStartContainerError');
    const d = classify({ stoppedReason: 'CannotStartContainerError: ResourceInitializationError: unable to create new container: mount callback failed on /tmp/containerd-mount2631870398: no users found' });
    assert.equal(d.category, 'CannotStartContainerError');
    assert.equal(d.variant, 'user-not-found');
  });

  it('reads past the prefix: a ResourceInitializationError wrapping a registry-auth time-out is a network problem', () => {
    const d = classify({ stoppedReason: 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post "https://api.ecr.eu-west-1.amazonaws.com/": dial tcp 63.34.62.189:443: i/o timeout. Please check your task network configuration.' });
    assert.equal(d.variant, 'registry-auth-network');
    assert.equal(d.checks[0], 'vpc-endpoints');
    assert.ok(d.causes.some((c) => c.id === 'no-route'));
  });

  it('takes the variant from the container reason when the task reason is the short form', () => {
    const d = classify({
      stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
      containers: [{ name: 'app', exitCode: null, reason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/node:20: toomanyrequests: You have reached your pull rate limit.' }],
    });
    assert.equal(d.variant, 'docker-hub-rate-limit');
    assert.equal(d.container, 'app');
  });

  it('fills the placeholders the message names (repository, tag, cluster, task, target group)', () => {
    const d = classify({
      taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef0123456789abcdef',
      stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api:v2-missing: 123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api:v2-missing: not found',
    });
    const cmds = d.fixes.map((f) => f.command ?? '').join('\n');
    assert.match(cmds, /--repository-name team\/api\b/);
    assert.doesNotMatch(cmds, /<repository>/);
    assert.match(d.summary, /Image: 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/team\/api:v2-missing/);
    const elb = classify({ stoppedReason: `Task failed ELB health checks in (target-group ${TG})`, taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/abc', group: 'service:web' });
    const elbCmds = elb.fixes.map((f) => f.command ?? '').join('\n');
    assert.ok(elbCmds.includes(`--target-group-arns ${TG}`), elbCmds);
    assert.match(elbCmds, /--cluster prod --service web/);
  });
});

describe('classify: Essential container in task exited, by exit code', () => {
  const essential = (exitCode: number | null, extra: Partial<StopInput> = {}, reason?: string) =>
    classify({
      stoppedReason: 'Essential container in task exited',
      stopCode: 'EssentialContainerExited',
      containers: [{ name: 'app', exitCode, lastStatus: 'STOPPED', ...(reason ? { reason } : {}) }],
      ...extra,
    });

  const expected: Array<[number, string]> = [
    [0, 'exit-0'],
    [1, 'exit-1'],
    [2, 'exit-2'],
    [126, 'exit-126'],
    [127, 'exit-127'],
    [137, 'exit-137-sigkill'],
    [139, 'exit-139-sigsegv'],
    [143, 'exit-143-sigterm'],
    [255, 'exit-255'],
  ];
  for (const [code, variant] of expected) {
    it(`exit ${code} -> ${variant}`, () => {
      const d = essential(code);
      assert.equal(d.category, 'EssentialContainerExited');
      assert.equal(d.variant, variant);
      assert.equal(d.container, 'app');
      assert.equal(d.exitCode, code);
      assert.match(d.summary, new RegExp(`exit code ${code}`));
      checkShape(d);
    });
  }

  it('every documented exit code has an entry', () => {
    for (const code of [0, 1, 2, 126, 127, 137, 139, 143, 255]) assert.ok(EXIT_CODES[code], String(code));
  });

  it('exit 137 without OOM text is SIGKILL: memory or a stop that outlived stopTimeout', () => {
    const d = essential(137);
    assert.deepEqual(d.causes.map((c) => c.id).slice(0, 2), ['memory', 'stop-timeout']);
    assert.match(d.summary, /stopTimeout/);
    assert.ok(d.checks.includes('memory'));
    assert.notEqual(d.confidence, 'high', 'two explanations: not a confident single answer');
  });

  it('exit 137 with the OOM reason on the container is an OutOfMemoryError', () => {
    const d = essential(137, {}, 'OutOfMemoryError: Container killed due to memory usage');
    assert.equal(d.category, 'OutOfMemoryError');
    assert.equal(d.container, 'app');
    assert.equal(d.checks[0], 'memory');
  });

  it('an OOM that appears only in a container reason (no stoppedReason) is found', () => {
    const d = classify({ containers: [{ name: 'worker', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }] });
    assert.equal(d.category, 'OutOfMemoryError');
    assert.equal(d.container, 'worker');
  });

  it('a container reason naming another family wins over the exit code', () => {
    const d = essential(null, {}, 'CannotStartContainerError: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/app/start.sh": permission denied: unknown');
    assert.equal(d.category, 'CannotStartContainerError');
    assert.equal(d.variant, 'permission-denied');
  });

  it('exitCode null means the agent side first', () => {
    const d = essential(null);
    assert.equal(d.variant, 'never-started');
    assert.match(d.summary, /agent side/);
    assert.ok(d.checks.includes('ecr-image') && d.checks.includes('vpc-endpoints'));
  });

  it('an exit code above 128 not in the table is named by its signal', () => {
    const d = essential(134);
    assert.equal(d.variant, 'exit-134-signal');
    assert.match(d.title, /SIGABRT/);
    assert.equal(essential(42).variant, 'exit-other');
  });

  it('picks the failing essential container, not the sidecars stopped along with it', () => {
    const d = classify({
      stoppedReason: 'Essential container in task exited',
      containers: [
        { name: 'log-router', exitCode: 0, lastStatus: 'STOPPED' },
        { name: 'envoy', exitCode: 143, lastStatus: 'STOPPED' },
        { name: 'app', exitCode: 1, lastStatus: 'STOPPED' },
      ],
    });
    assert.equal(d.container, 'app');
    assert.equal(d.variant, 'exit-1');
    assert.match(d.summary, /envoy: exit code 143 \(stopped along with the task\)/);
  });

  it('ignores a non-essential container when the task definition says which is essential', () => {
    const d = classify({
      stoppedReason: 'Essential container in task exited',
      containers: [
        { name: 'migrate', exitCode: 3, essential: false },
        { name: 'app', exitCode: 127, essential: true },
      ],
    });
    assert.equal(d.container, 'app');
    assert.equal(d.variant, 'exit-127');
  });

  it('with no container details, says what is missing instead of guessing', () => {
    const d = classify({ stoppedReason: 'Essential container in task exited' });
    assert.equal(d.category, 'EssentialContainerExited');
    assert.equal(d.variant, 'no-container-details');
    assert.equal(d.confidence, 'low');
  });
});

describe('classify: stop codes, requested stops, Unknown', () => {
  it('a stop that outlived stopTimeout: a user stop with a container killed by 137', () => {
    const d = classify({ stoppedReason: 'Task stopped by user', stopCode: 'UserInitiated', containers: [{ name: 'app', exitCode: 137 }] });
    assert.equal(d.category, 'UserInitiated');
    assert.ok(d.causes.some((c) => c.id === 'ignored-sigterm' && /stopTimeout/.test(c.text)));
    assert.ok(d.fixes.some((f) => f.cause === 'ignored-sigterm'));
  });

  it('the ELB failure of the simulator scenario with a clean SIGTERM has no SIGKILL cause', () => {
    const d = classify({ stoppedReason: `Task failed ELB health checks in (target-group ${TG})`, containers: [{ name: 'web', exitCode: 143 }] });
    assert.equal(d.category, 'ElbHealthCheckFailed');
    assert.ok(!d.causes.some((c) => c.id === 'ignored-sigterm'));
    assert.deepEqual(d.checks.slice(0, 2), ['target-group', 'service-events']);
  });

  it('StopTask with a custom reason is UserInitiated, keeping the reason', () => {
    const d = classify({ stoppedReason: 'rotating credentials', stopCode: 'UserInitiated' });
    assert.equal(d.category, 'UserInitiated');
    assert.match(d.summary, /rotating credentials/);
  });

  it('stop codes alone map to their categories', () => {
    assert.equal(classify({ stopCode: 'SpotInterruption' }).category, 'SpotInterruption');
    assert.equal(classify({ stopCode: 'ServiceSchedulerInitiated' }).category, 'ServiceSchedulerInitiated');
    assert.equal(classify({ stopCode: 'TerminationNotice' }).category, 'InfrastructureMaintenance');
    const tfs = classify({ stopCode: 'TaskFailedToStart' });
    assert.equal(tfs.category, 'TaskFailedToStart');
    assert.equal(tfs.confidence, 'low');
  });

  it('an unknown message is Unknown with the raw text and the generic order of looking, never a guess', () => {
    const text = 'The flux capacitor is out of plutonium (error 88)';
    for (const stopCode of [undefined, 'SomeFutureCode']) {
      const d = classify({ stoppedReason: text, ...(stopCode ? { stopCode } : {}) });
      assert.equal(d.category, 'Unknown', String(stopCode));
      assert.equal(d.confidence, 'low');
      assert.equal(d.raw.stoppedReason, text);
      assert.ok(d.summary.includes(text));
      assert.deepEqual(d.causes, [], 'no invented causes');
      assert.match(d.whereToLook.join('\n'), /exitCode null.*agent side/s);
      assert.ok(d.checks.includes('logs') && d.checks.includes('service-events'));
      checkShape(d);
    }
  });

  it('a text it does not know, with a telling stop code, falls back on the code\'s documented meaning, with low confidence and the text quoted', () => {
    const text = 'The flux capacitor is out of plutonium (error 88)';
    for (const [stopCode, family] of [['TaskFailedToStart', 'TaskFailedToStart'], ['EssentialContainerExited', 'EssentialContainerExited'], ['UserInitiated', 'UserInitiated'], ['ServiceSchedulerInitiated', 'ServiceSchedulerInitiated']] as const) {
      const d = classify({ stoppedReason: text, stopCode });
      assert.equal(d.category, family, stopCode);
      assert.ok(d.summary.includes(text), stopCode);
      assert.equal(d.raw.stoppedReason, text);
      if (stopCode === 'TaskFailedToStart' || stopCode === 'EssentialContainerExited') assert.equal(d.confidence, 'low', stopCode);
      checkShape(d);
    }
  });

  it('a user stop with a custom reason is UserInitiated, with or without its stop code', () => {
    assert.equal(classify({ stoppedReason: 'Task killed by the user', stopCode: 'UserInitiated' }).category, 'UserInitiated');
    assert.equal(classify({ stoppedReason: 'Task killed by the user' }).category, 'UserInitiated');
  });

  it('a placement event that quotes a task error is classified by the quoted error; one that quotes none stays TaskFailedToStart', () => {
    const wrapped = classify({ stoppedReason: '(service web) was unable to place a task. Reason: CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:v42": not found' });
    assert.equal(wrapped.category, 'CannotPullContainerError');
    const placement = classify({ stoppedReason: 'service web was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster.' });
    assert.equal(placement.category, 'TaskFailedToStart');
    assert.equal(placement.variant, 'no-container-instance');
  });

  it('"Could not transition to inspecting" is CannotInspectContainerError; the other transitions are runtime time-outs', () => {
    assert.equal(classify({ stoppedReason: 'Could not transition to inspecting; timed out after waiting 30s' }).category, 'CannotInspectContainerError');
    assert.equal(classify({ stoppedReason: 'Could not transition to running; timed out after waiting 1m0s' }).category, 'ContainerRuntimeTimeoutError');
  });

  it('an unknown container reason is Unknown and quotes it', () => {
    const d = classify({ containers: [{ name: 'x', reason: 'Something odd' }] });
    assert.equal(d.category, 'Unknown');
    assert.match(d.summary, /Something odd/);
  });

  it('empty input is Unknown/empty', () => {
    const d = classify({});
    assert.equal(d.category, 'Unknown');
    assert.equal(d.variant, 'empty');
  });

  it('never throws on hostile input and caps what it reads', () => {
    const bad: unknown[] = [null, undefined, 42, 'text', [], { containers: 'nope' }, { containers: [null, 1, 'x', { name: 5, exitCode: 'abc' }] }, { stoppedReason: 12, stopCode: {} }, { containers: [{ name: 'a', exitCode: '137' }], stoppedReason: 'Essential container in task exited' }];
    for (const b of bad) {
      const d = classify(b as StopInput);
      checkShape(d);
    }
    assert.equal(classify({ containers: [{ name: 'a', exitCode: '137' as unknown as number }], stoppedReason: 'Essential container in task exited' }).variant, 'exit-137-sigkill');
    const huge = 'CannotPullContainerError: ' + 'x'.repeat(2_000_000) + ' manifest unknown';
    const d = classify({ stoppedReason: huge });
    assert.equal(d.category, 'CannotPullContainerError');
    assert.ok(d.raw.stoppedReason!.length <= MAX_TEXT);
    // Its speed (runaway backtracking included) is `npm run bench`'s: explain.hugeReasonMs.
  });
});

// Thin endpoints (moto, LocalStack) report exitCode 0 on containers that are still running: an
// exit code only counts for a container whose lastStatus is STOPPED (the ECS API reference,
// Container.exitCode: "The exit code returned from the container").
describe('classify: an exit code counts only for a stopped container', () => {
  it('a RUNNING task whose RUNNING container reports exitCode 0 is not "finished (exit code 0)"', () => {
    const d = classify({ lastStatus: 'RUNNING', containers: [{ name: 'app', lastStatus: 'RUNNING', exitCode: 0 }] });
    assert.notEqual(d.category, 'EssentialContainerExited');
    assert.doesNotMatch(d.title, /exit code 0|finished/i);
    assert.equal(d.exitCode, undefined);
  });
  it('a container without lastStatus in a RUNNING task: its exit code is not trusted either', () => {
    const d = classify({ lastStatus: 'RUNNING', containers: [{ name: 'app', exitCode: 0 }] });
    assert.notEqual(d.category, 'EssentialContainerExited');
  });
  it('the running sidecar\'s exit code is no evidence; the stopped container\'s still is', () => {
    const d = classify({
      stoppedReason: 'Essential container in task exited',
      lastStatus: 'STOPPED',
      containers: [{ name: 'app', lastStatus: 'STOPPED', exitCode: 1, essential: true }, { name: 'side', lastStatus: 'RUNNING', exitCode: 0, essential: true }],
    });
    assert.equal(d.container, 'app');
    assert.equal(d.exitCode, 1);
  });
  it('a pasted exit code without any lastStatus still counts (nothing says it is running)', () => {
    const d = classify({ containers: [{ name: 'app', exitCode: 137 }] });
    assert.equal(d.exitCode, 137);
  });
});
