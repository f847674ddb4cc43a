// memory/* and fargate/*
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { applyFix, goodContainer, goodTask, only, parsed, under, withContainer } from './helpers';

describe('memory/reservation-exceeds-limit', () => {
  it('fires on memoryReservation >= memory', () => {
    for (const [memory, memoryReservation] of [[256, 512], [256, 256]]) {
      const text = withContainer({ memory, memoryReservation });
      const [f] = only(text, 'memory/reservation-exceeds-limit');
      assert.equal(f?.severity, 'error');
      assert.equal(under(text, f!), String(memoryReservation));
    }
  });
  it('stays quiet when lower, or when only one is set', () => {
    assert.deepEqual(only(withContainer({ memory: 512, memoryReservation: 256 }), 'memory/reservation-exceeds-limit'), []);
    assert.deepEqual(only(withContainer({ memoryReservation: 256 }), 'memory/reservation-exceeds-limit'), []);
  });
});

describe('memory/container-memory-required', () => {
  const ec2 = { requiresCompatibilities: ['EC2'], networkMode: 'bridge', cpu: undefined, memory: undefined };
  it('fires on EC2 without task memory and container memory', () => {
    const text = withContainer({}, ec2);
    assert.equal(under(text, only(text, 'memory/container-memory-required')[0]!), '"app"');
  });
  it('stays quiet with container memory, task memory, on Fargate and for bare arrays', () => {
    assert.deepEqual(only(withContainer({ memoryReservation: 128 }, ec2), 'memory/container-memory-required'), []);
    assert.deepEqual(only(withContainer({}, { ...ec2, memory: '512' }), 'memory/container-memory-required'), []);
    assert.deepEqual(only(withContainer({}), 'memory/container-memory-required'), []);
    assert.deepEqual(only(JSON.stringify([goodContainer()]), 'memory/container-memory-required'), []);
  });
});

describe('fargate/cpu-memory', () => {
  it('accepts every documented combination, in units and strings', () => {
    for (const [cpu, memory] of [['256', '512'], ['256', '2048'], ['512', '4096'], ['1024', '8192'], ['2048', '16384'], ['4096', '30720'], ['8192', '61440'], ['16384', '122880'], ['1 vCPU', '2 GB'], ['.25 vCPU', '0.5GB'], [1024, 3072]] as const) {
      assert.deepEqual(only(withContainer({}, { cpu, memory }), 'fargate/cpu-memory'), [], `${cpu}/${memory}`);
    }
  });
  it('fires on memory that does not go with the cpu, with fixes for either side', () => {
    const text = withContainer({}, { cpu: '256', memory: '4096' });
    const [f] = only(text, 'fargate/cpu-memory');
    assert.equal(f?.severity, 'error');
    assert.equal(under(text, f!), '"4096"');
    assert.equal(parsed(applyFix(text, f!)).memory, '2048');
    assert.equal(parsed(applyFix(text, f!, 'Set cpu to 512')).cpu, '512');
    for (const memory of ['3000', '17408']) assert.equal(only(withContainer({}, { cpu: '8192', memory }), 'fargate/cpu-memory').length, 1, memory);
  });
  it('fires on an unknown cpu and on missing cpu or memory', () => {
    const bad = withContainer({}, { cpu: '300', memory: '1024' });
    const [f] = only(bad, 'fargate/cpu-memory');
    assert.equal(under(bad, f!), '"300"');
    assert.equal(parsed(applyFix(bad, f!)).cpu, '256');
    const missing = withContainer({}, { cpu: '512', memory: undefined });
    const [m] = only(missing, 'fargate/cpu-memory');
    assert.equal(under(missing, m!), '"requiresCompatibilities"');
    assert.equal(parsed(applyFix(missing, m!)).memory, '1024');
  });
  it('stays quiet off Fargate', () => {
    assert.deepEqual(only(withContainer({ memory: 128 }, { requiresCompatibilities: ['EC2'], cpu: '300', memory: '999' }), 'fargate/cpu-memory'), []);
  });
});

describe('fargate/container-memory-sum and fargate/container-cpu-sum', () => {
  it('fire when the containers ask for more than the task', () => {
    const text = JSON.stringify({ ...goodTask(), containerDefinitions: [goodContainer({ memory: 768, cpu: 256 }), goodContainer({ name: 'b', memoryReservation: 512, cpu: 512 })] }, null, 2);
    assert.equal(under(text, only(text, 'fargate/container-memory-sum')[0]!), '"1024"');
    assert.equal(under(text, only(text, 'fargate/container-cpu-sum')[0]!), '"512"');
  });
  it('stay quiet when they fit', () => {
    const text = JSON.stringify({ ...goodTask(), containerDefinitions: [goodContainer({ memory: 512, cpu: 256 }), goodContainer({ name: 'b', memoryReservation: 512, cpu: 256 })] });
    assert.deepEqual(only(text, 'fargate/container-memory-sum'), []);
    assert.deepEqual(only(text, 'fargate/container-cpu-sum'), []);
  });
});

describe('fargate/network-mode', () => {
  it('fires on bridge and on a missing networkMode, with fixes', () => {
    const text = withContainer({}, { networkMode: 'bridge' });
    const [f] = only(text, 'fargate/network-mode');
    assert.equal(under(text, f!), '"bridge"');
    assert.equal(parsed(applyFix(text, f!)).networkMode, 'awsvpc');
    const missing = withContainer({}, { networkMode: undefined });
    const [m] = only(missing, 'fargate/network-mode');
    assert.equal(parsed(applyFix(missing, m!)).networkMode, 'awsvpc');
  });
  it('stays quiet on awsvpc and off Fargate', () => {
    assert.deepEqual(only(withContainer({}), 'fargate/network-mode'), []);
    assert.deepEqual(only(withContainer({}, { requiresCompatibilities: ['EC2'], networkMode: 'bridge' }), 'fargate/network-mode'), []);
  });
});

describe('fargate/stop-timeout', () => {
  it('fires over 120 and clamps', () => {
    const text = withContainer({ stopTimeout: 300 });
    const [f] = only(text, 'fargate/stop-timeout');
    assert.equal(under(text, f!), '300');
    assert.equal(parsed(applyFix(text, f!)).containerDefinitions[0].stopTimeout, 120);
  });
  it('stays quiet at 120 and on EC2', () => {
    assert.deepEqual(only(withContainer({ stopTimeout: 120 }), 'fargate/stop-timeout'), []);
    assert.deepEqual(only(withContainer({ stopTimeout: 300, memory: 256 }, { requiresCompatibilities: ['EC2'] }), 'fargate/stop-timeout'), []);
  });
});
