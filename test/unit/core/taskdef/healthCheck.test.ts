import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { applyFix, goodContainer, goodTask, ids, only, parsed, under, withContainer } from './helpers';

const hc = (over: Record<string, unknown>, command: unknown = ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1']) =>
  withContainer({ healthCheck: { command, interval: 30, timeout: 5, retries: 3, startPeriod: 60, ...over } });

describe('health-check/command', () => {
  it('fires on a missing command, on the healthCheck key', () => {
    const text = withContainer({ healthCheck: { interval: 30, startPeriod: 10 } });
    const [f] = only(text, 'health-check/command');
    assert.equal(f?.severity, 'error');
    assert.equal(under(text, f!), '"healthCheck"');
  });
  it('fires on an empty command and on a wrong first element, with fixes', () => {
    assert.equal(only(hc({}, []).toString(), 'health-check/command').length, 1);
    const text = hc({}, ['curl -f http://localhost:8080/ || exit 1']);
    const [f] = only(text, 'health-check/command');
    assert.equal(under(text, f!), '"curl -f http://localhost:8080/ || exit 1"');
    assert.deepEqual(parsed(applyFix(text, f!)).containerDefinitions[0].healthCheck.command, ['CMD-SHELL', 'curl -f http://localhost:8080/ || exit 1']);
    const lower = hc({}, ['cmd-shell', 'true']);
    assert.deepEqual(parsed(applyFix(lower, only(lower, 'health-check/command')[0]!)).containerDefinitions[0].healthCheck.command, ['CMD-SHELL', 'true']);
    const exec = hc({}, ['/bin/check', '--quick']);
    assert.deepEqual(parsed(applyFix(exec, only(exec, 'health-check/command')[0]!)).containerDefinitions[0].healthCheck.command, ['CMD', '/bin/check', '--quick']);
  });
  it('stays quiet on CMD and CMD-SHELL', () => {
    assert.deepEqual(only(hc({}, ['CMD', 'curl', '-f', 'http://localhost:8080/']), 'health-check/command'), []);
    assert.deepEqual(only(hc({}), 'health-check/command'), []);
  });
});

describe('health-check/exec-form-string', () => {
  it('fires on CMD followed by one string with spaces, and the fix switches to CMD-SHELL', () => {
    const text = hc({}, ['CMD', 'curl -f http://localhost:8080/']);
    const [f] = only(text, 'health-check/exec-form-string');
    assert.equal(f?.severity, 'error');
    assert.equal(under(text, f!), '"curl -f http://localhost:8080/"');
    assert.deepEqual(parsed(applyFix(text, f!)).containerDefinitions[0].healthCheck.command, ['CMD-SHELL', 'curl -f http://localhost:8080/']);
  });
  it('the split it suggests is the command\'s own words; a string with shell syntax is not split for the user', () => {
    const [f] = only(hc({}, ['CMD', 'curl -f http://localhost:8080/health']), 'health-check/exec-form-string');
    assert.ok(f!.message.includes('["CMD", "curl", "-f", "http://localhost:8080/health"]'), f!.message);
    const [g] = only(hc({}, ['CMD', 'curl -f http://localhost:8080/ || exit 1']), 'health-check/exec-form-string');
    assert.match(g!.message, /split it into one element per argument/);
  });
  it('stays quiet on a proper exec form and on CMD-SHELL', () => {
    assert.deepEqual(only(hc({}, ['CMD', '/bin/sh', '-c', 'curl -f http://localhost:8080/ || exit 1']), 'health-check/exec-form-string'), []);
    assert.deepEqual(only(hc({}, ['CMD-SHELL', 'curl -f http://localhost:8080/']), 'health-check/exec-form-string'), []);
  });
});

describe('health-check/range', () => {
  it('fires on values out of range, fractions and strings, and clamps', () => {
    for (const [key, value, fixed] of [
      ['interval', 3, 5],
      ['interval', 301, 300],
      ['timeout', 1, 2],
      ['timeout', 61, 60],
      ['retries', 0, 1],
      ['retries', 11, 10],
      ['startPeriod', -1, 0],
      ['startPeriod', 400, 300],
      ['interval', 7.5, 8],
      ['retries', '3', 3],
    ] as const) {
      const text = hc({ [key]: value });
      const fs = only(text, 'health-check/range');
      assert.equal(fs.length, 1, `${key}=${value}`);
      assert.equal(under(text, fs[0]!), JSON.stringify(value));
      assert.equal(parsed(applyFix(text, fs[0]!)).containerDefinitions[0].healthCheck[key], fixed);
    }
  });
  it('stays quiet at the bounds', () => {
    for (const over of [{ interval: 5, timeout: 2, retries: 1, startPeriod: 0 }, { interval: 300, timeout: 60, retries: 10, startPeriod: 300 }]) {
      assert.deepEqual(only(hc(over), 'health-check/range'), []);
    }
  });
});

describe('health-check/timeout-exceeds-interval', () => {
  it('fires when timeout >= interval, counting defaults', () => {
    const text = hc({ interval: 10, timeout: 10 });
    const [f] = only(text, 'health-check/timeout-exceeds-interval');
    assert.equal(f?.severity, 'warning');
    assert.equal(under(text, f!), '10');
    // interval 5 with the default timeout 5
    const t2 = withContainer({ healthCheck: { command: ['CMD-SHELL', 'true'], interval: 5, startPeriod: 10 } });
    assert.equal(only(t2, 'health-check/timeout-exceeds-interval').length, 1);
    // timeout 40 with the default interval 30
    const t3 = withContainer({ healthCheck: { command: ['CMD-SHELL', 'true'], timeout: 40, startPeriod: 10 } });
    assert.equal(under(t3, only(t3, 'health-check/timeout-exceeds-interval')[0]!), '40');
  });
  it('stays quiet when timeout < interval or both are defaults', () => {
    assert.deepEqual(only(hc({ interval: 10, timeout: 9 }), 'health-check/timeout-exceeds-interval'), []);
    assert.deepEqual(only(withContainer({ healthCheck: { command: ['CMD-SHELL', 'true'], startPeriod: 10 } }), 'health-check/timeout-exceeds-interval'), []);
  });
});

describe('health-check/no-start-period', () => {
  it('fires when startPeriod is missing and the fix adds it inside healthCheck', () => {
    const text = withContainer({ healthCheck: { command: ['CMD-SHELL', 'true'], interval: 30 } });
    const [f] = only(text, 'health-check/no-start-period');
    assert.equal(f?.severity, 'warning');
    assert.equal(under(text, f!), '"healthCheck"');
    const fixed = applyFix(text, f!);
    assert.equal(parsed(fixed).containerDefinitions[0].healthCheck.startPeriod, 60);
    assert.deepEqual(only(fixed, 'health-check/no-start-period'), []);
    assert.match(fixed, /"interval": 30,\n {8}"startPeriod": 60\n/);
  });
  it('fires on 0 and replaces it; works on one-line and empty-line layouts with comments', () => {
    const text = hc({ startPeriod: 0 });
    const [f] = only(text, 'health-check/no-start-period');
    assert.equal(under(text, f!), '0');
    assert.equal(parsed(applyFix(text, f!)).containerDefinitions[0].healthCheck.startPeriod, 60);
    const oneLine = '{"family":"x","containerDefinitions":[{"name":"a","image":"n:1","healthCheck":{"command":["CMD-SHELL","true"], /* c */ "retries": 2,}}]}';
    const f2 = only(oneLine, 'health-check/no-start-period')[0]!;
    const out = applyFix(oneLine, f2);
    assert.match(out, /"retries": 2, "startPeriod": 60,}/);
  });
  it('stays quiet with a startPeriod', () => {
    assert.deepEqual(only(hc({ startPeriod: 1 }), 'health-check/no-start-period'), []);
  });
});

describe('health-check/curl-without-fail', () => {
  it('fires on a shell curl without -f, on the curl word, and the fix adds -f', () => {
    const text = hc({}, ['CMD-SHELL', 'curl -s http://localhost:8080/health || exit 1']);
    const [f] = only(text, 'health-check/curl-without-fail');
    assert.equal(f?.severity, 'warning');
    assert.equal(under(text, f!), 'curl');
    const fixed = applyFix(text, f!);
    assert.deepEqual(parsed(fixed).containerDefinitions[0].healthCheck.command, ['CMD-SHELL', 'curl -f -s http://localhost:8080/health || exit 1']);
    assert.deepEqual(only(fixed, 'health-check/curl-without-fail'), []);
  });
  it('fires on exec-form curl and the fix inserts "-f"', () => {
    const text = hc({}, ['CMD', 'curl', 'http://localhost:8080/']);
    const [f] = only(text, 'health-check/curl-without-fail');
    assert.deepEqual(parsed(applyFix(text, f!)).containerDefinitions[0].healthCheck.command, ['CMD', 'curl', '-f', 'http://localhost:8080/']);
  });
  it('finds curl after env, in sh -c, and after && ', () => {
    assert.equal(only(hc({}, ['CMD-SHELL', 'test -f /ready && /usr/bin/curl http://localhost:8080/']), 'health-check/curl-without-fail').length, 1);
    assert.equal(only(hc({}, ['CMD', 'sh', '-c', 'curl http://localhost:8080/ || exit 1']), 'health-check/curl-without-fail').length, 1);
  });
  it('stays quiet with -f, --fail, --fail-with-body, -sf clusters, -w status checks and pipes', () => {
    for (const s of [
      'curl -f http://localhost:8080/',
      'curl --fail http://localhost:8080/',
      'curl --fail-with-body http://localhost:8080/',
      'curl -sSf http://localhost:8080/ || exit 1',
      'curl -fsS http://localhost:8080/',
      'curl -s -o /dev/null -w "%{http_code}" http://localhost:8080/ | grep 200',
      '[ "$(curl -s http://localhost:8080/status)" = "ok" ]',
      'wget -q -O- http://localhost:8080/ || exit 1',
    ]) {
      assert.deepEqual(only(hc({}, ['CMD-SHELL', s]), 'health-check/curl-without-fail'), [], s);
    }
    assert.deepEqual(only(hc({}, ['CMD-SHELL', 'curl -H "X-f: 1" -f http://localhost:8080/']), 'health-check/curl-without-fail'), []);
    assert.equal(only(hc({}, ['CMD-SHELL', 'curl -o -f http://localhost:8080/']), 'health-check/curl-without-fail').length, 1, '-f is the argument of -o');
  });
});

describe('health-check/port-mismatch', () => {
  it('fires on a localhost URL whose port is not a containerPort, and fixes the port', () => {
    const text = hc({}, ['CMD-SHELL', 'curl -f http://localhost:3000/health || exit 1']);
    const [f] = only(text, 'health-check/port-mismatch');
    assert.equal(f?.severity, 'warning');
    assert.equal(under(text, f!), '3000');
    assert.deepEqual(parsed(applyFix(text, f!)).containerDefinitions[0].healthCheck.command[1], 'curl -f http://localhost:8080/health || exit 1');
  });
  it('counts the scheme default port and inserts the right one', () => {
    const text = hc({}, ['CMD-SHELL', 'curl -f http://127.0.0.1/health || exit 1']);
    const [f] = only(text, 'health-check/port-mismatch');
    assert.equal(under(text, f!), 'http://127.0.0.1');
    assert.equal(parsed(applyFix(text, f!)).containerDefinitions[0].healthCheck.command[1], 'curl -f http://127.0.0.1:8080/health || exit 1');
  });
  it('offers one fix per port when there are several, none preferred', () => {
    const text = withContainer({
      portMappings: [{ containerPort: 8080 }, { containerPort: 9090 }],
      healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:3000/ || exit 1'], startPeriod: 10 },
    });
    const [f] = only(text, 'health-check/port-mismatch');
    assert.deepEqual(f!.fixes.map((x) => x.isPreferred), [false, false]);
  });
  it('stays quiet on a matching port, a port range, other hosts and containers without ports', () => {
    assert.deepEqual(only(hc({}), 'health-check/port-mismatch'), []);
    assert.deepEqual(only(withContainer({ portMappings: [{ containerPortRange: '3000-3010' }], healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:3005/'], startPeriod: 5 } }), 'health-check/port-mismatch'), []);
    assert.deepEqual(only(hc({}, ['CMD-SHELL', 'curl -f http://example.com:3000/']), 'health-check/port-mismatch'), []);
    assert.deepEqual(only(withContainer({ portMappings: undefined, healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:3000/'], startPeriod: 5 } }), 'health-check/port-mismatch'), []);
  });
});

describe('health-check/depends-on-healthy', () => {
  const task = (targetHc: boolean, condition = 'HEALTHY') =>
    JSON.stringify({
      ...goodTask(),
      containerDefinitions: [
        goodContainer(),
        { ...goodContainer({ name: 'db', portMappings: [], essential: false }), healthCheck: targetHc ? goodContainer().healthCheck : undefined },
        goodContainer({ name: 'worker', portMappings: [], dependsOn: [{ containerName: 'db', condition }] }),
      ],
    }, null, 2);
  it('fires on HEALTHY towards a container without a health check', () => {
    const text = task(false);
    const [f] = only(text, 'health-check/depends-on-healthy');
    assert.equal(f?.severity, 'error');
    assert.equal(under(text, f!), '"HEALTHY"');
    assert.equal(parsed(applyFix(text, f!, /START/)).containerDefinitions[2].dependsOn[0].condition, 'START');
  });
  it('stays quiet when the target has a health check or the condition is START', () => {
    assert.deepEqual(only(task(true), 'health-check/depends-on-healthy'), []);
    assert.deepEqual(only(task(false, 'START'), 'health-check/depends-on-healthy'), []);
  });
});

describe('health-check/missing', () => {
  it('fires (info) on an essential container with ports and no health check, on its name', () => {
    const text = withContainer({ healthCheck: undefined });
    const [f] = only(text, 'health-check/missing');
    assert.equal(f?.severity, 'info');
    assert.equal(under(text, f!), '"app"');
  });
  it('stays quiet for non-essential containers, containers without ports, and with a health check', () => {
    assert.deepEqual(only(withContainer({ healthCheck: undefined, essential: false }), 'health-check/missing'), []);
    assert.deepEqual(only(withContainer({ healthCheck: undefined, portMappings: [] }), 'health-check/missing'), []);
    assert.deepEqual(ids(withContainer({})), []);
  });
});

describe('health-check values out of range', () => {
  it('the timeout rule quotes the file\'s interval (3), never the default 30', () => {
    const text = hc({ interval: 3, timeout: 30 });
    const [f] = only(text, 'health-check/timeout-exceeds-interval');
    assert.ok(f, 'timeout 30 is not shorter than interval 3');
    assert.match(f.message, /timeout \(30 s\) is not shorter than interval \(3 s\)/);
    assert.doesNotMatch(f.message, /interval \(30 s/);
    assert.equal(only(text, 'health-check/range').length, 1, 'interval 3 is out of range');
  });
  it('a value that is not a number leaves the dependent rules quiet', () => {
    assert.deepEqual(only(hc({ interval: 'often', timeout: 30 }), 'health-check/timeout-exceeds-interval'), []);
  });
});
