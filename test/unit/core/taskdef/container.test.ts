import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { applyFix, goodContainer, goodTask, only, parsed, under, withContainer } from './helpers';

const task = (containers: unknown[]) => JSON.stringify({ ...goodTask(), containerDefinitions: containers }, null, 2);

describe('container/no-essential', () => {
  it('fires on the containerDefinitions key when every container is non-essential', () => {
    const text = task([goodContainer({ essential: false }), goodContainer({ name: 'b', essential: false })]);
    const [f] = only(text, 'container/no-essential');
    assert.equal(f?.severity, 'error');
    assert.equal(under(text, f!), '"containerDefinitions"');
  });
  it('fires on the bare array too', () => {
    const text = JSON.stringify([goodContainer({ essential: false })]);
    assert.equal(only(text, 'container/no-essential')[0]?.offset, 0);
  });
  it('stays quiet when one is essential, explicitly or by default', () => {
    assert.deepEqual(only(task([goodContainer({ essential: false }), goodContainer({ name: 'b' })]), 'container/no-essential'), []);
    const { essential: _drop, ...noField } = goodContainer();
    assert.deepEqual(only(task([noField]), 'container/no-essential'), []);
  });
});

describe('container/depends-on-unknown', () => {
  it('fires on the unknown name, and fixes a case mistake', () => {
    const text = task([goodContainer(), goodContainer({ name: 'Worker', essential: false, portMappings: [], dependsOn: [{ containerName: 'APP', condition: 'START' }] })]);
    const [f] = only(text, 'container/depends-on-unknown');
    assert.equal(f?.severity, 'error');
    assert.equal(under(text, f!), '"APP"');
    assert.equal(parsed(applyFix(text, f!)).containerDefinitions[1].dependsOn[0].containerName, 'app');
  });
  it('stays quiet on known names', () => {
    assert.deepEqual(only(task([goodContainer(), goodContainer({ name: 'w', dependsOn: [{ containerName: 'app', condition: 'START' }] })]), 'container/depends-on-unknown'), []);
  });
});

describe('container/depends-on-essential-exit', () => {
  it('fires on COMPLETE/SUCCESS towards an essential container', () => {
    for (const condition of ['COMPLETE', 'SUCCESS']) {
      const text = task([goodContainer(), goodContainer({ name: 'migrate' }), goodContainer({ name: 'w', dependsOn: [{ containerName: 'migrate', condition }] })]);
      const [f] = only(text, 'container/depends-on-essential-exit');
      assert.equal(f?.severity, 'error');
      assert.equal(under(text, f!), JSON.stringify(condition));
    }
  });
  it('stays quiet towards a non-essential init container', () => {
    const text = task([goodContainer(), goodContainer({ name: 'migrate', essential: false }), goodContainer({ name: 'w', dependsOn: [{ containerName: 'migrate', condition: 'SUCCESS' }] })]);
    assert.deepEqual(only(text, 'container/depends-on-essential-exit'), []);
  });
});

describe('container/duplicate-name and container/missing-name-or-image', () => {
  it('fire on the second name and on a container without image', () => {
    const text = task([goodContainer(), goodContainer(), { name: 'x', essential: false }]);
    const dup = only(text, 'container/duplicate-name');
    assert.equal(dup.length, 1);
    assert.ok(dup[0]!.offset > text.indexOf('"app"'));
    const [m] = only(text, 'container/missing-name-or-image');
    assert.equal(under(text, m!), '"x"');
  });
  it('an empty image is no image: "image": "" fires too', () => {
    for (const image of ['', '   ']) {
      const text = withContainer({ image });
      const [m] = only(text, 'container/missing-name-or-image');
      assert.ok(m, JSON.stringify(image));
      assert.match(m.message, /empty image/);
    }
  });
  it('stay quiet on a normal task', () => {
    assert.deepEqual(only(withContainer({}), 'container/duplicate-name'), []);
    assert.deepEqual(only(withContainer({}), 'container/missing-name-or-image'), []);
  });
});

describe('container/image-latest', () => {
  it('fires (info) without a tag or with :latest', () => {
    for (const image of ['nginx', 'nginx:latest', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web', 'localhost:5000/web']) {
      const text = withContainer({ image });
      const [f] = only(text, 'container/image-latest');
      assert.equal(f?.severity, 'info', image);
      assert.equal(under(text, f!), JSON.stringify(image));
    }
  });
  it('stays quiet with a tag, a digest or a template', () => {
    for (const image of ['nginx:1.27', 'localhost:5000/web:2', 'nginx@sha256:abcdef', '${image}']) {
      assert.deepEqual(only(withContainer({ image }), 'container/image-latest'), [], image);
    }
  });
});
