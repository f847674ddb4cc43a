// The words ECS Exec shows where the user is looking: a failed preflight in full, and the
// "Enable and Redeploy" confirmation naming the cluster, the service and the tasks replaced.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { preflightDetail, redeployConfirmation, summarizeChecks, type ExecCheck } from '../../../../src/core/exec';

const LONG_FIX = 'Create interface endpoints com.amazonaws.eu-west-1.ssmmessages and com.amazonaws.eu-west-1.ssm with private DNS in vpc-0abc, or give the task outbound internet access (NAT or a public IP).';
const checks: ExecCheck[] = [
  { id: 'plugin', title: 'Session Manager plugin', status: 'pass', detail: 'found', fix: '' },
  { id: 'vpc-endpoints', title: 'Route to SSM', status: 'fail', detail: 'No route.', fix: LONG_FIX },
  { id: 'exec-enabled', title: 'ECS Exec enabled on the task', status: 'warn', detail: 'Maybe.', fix: 'Turn it on.' },
];

describe('ECS Exec: what the user is shown', () => {
  it('the preflight in full: failing first, each fix whole, passing ones after', () => {
    const text = preflightDetail(checks);
    assert.match(text, /^ECS Exec cannot start: 1 passed, 1 failed, 1 warning, 0 could not be checked\./);
    const lines = text.split('\n');
    assert.match(lines[2]!, /^✖ Route to SSM \(FAIL\): No route\.$/);
    assert.equal(lines[3], `   Fix: ${LONG_FIX}`, 'the fix is not cut');
    assert.equal(lines.at(-1), '✔ Session Manager plugin');
  });

  it('counts read as English ("1 warning", "2 warnings")', () => {
    assert.match(summarizeChecks(checks), /1 warning,/);
    assert.match(summarizeChecks([...checks, { ...checks[2]!, id: 'exec-agent' }]), /2 warnings,/);
  });

  it('Enable and Redeploy names the cluster, the service and how many tasks are replaced', () => {
    const action = { kind: 'enable-execute-command' as const, clusterArn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod', serviceName: 'web' };
    const w = redeployConfirmation(action, { desiredCount: 3, runningCount: 3 });
    assert.match(w.message, /service web in cluster prod/);
    assert.match(w.detail, /replaces its 3 running tasks \(desired 3\)/);
    assert.match(redeployConfirmation(action, { desiredCount: 1, runningCount: 1 }).detail, /its 1 running task \(/);
    assert.match(redeployConfirmation(action, undefined).detail, /could not read how many/);
  });
});
