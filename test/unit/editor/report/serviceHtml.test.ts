// The service report's HTML (no VS Code needed): verdict first, commands with copy buttons, the
// timeline as inline SVG, and every AWS text escaped.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { diagnoseService } from '../../../../src/core/diagnose/service';
import { renderServiceBody, renderServiceHtml } from '../../../../src/editor/report/serviceHtml';
import { packRows } from '../../../../src/editor/report/serviceChart';
import { ago, gathered, service, stoppedTask } from '../../core/diagnose/service/helpers';

const loop = () =>
  diagnoseService(
    gathered({
      service: service({ events: [{ createdAt: ago(60), message: '(service web) <script>alert(1)</script> & "quoted" has reached a steady state.' }] }),
      stopped: { ok: true, value: Array.from({ length: 6 }, (_, i) => stoppedTask({ stoppedAgo: 100 + i * 500, stoppedReason: 'Essential container in task exited <img src=x>', stopCode: 'EssentialContainerExited', exitCode: 1 })) },
    }),
  );

describe('service report HTML', () => {
  it('leads with the verdict, then causes and fix, then evidence, stopped groups and the timeline', () => {
    const body = renderServiceBody(loop());
    const at = (id: string) => body.indexOf(`<section id="${id}"`);
    const order = ['verdict-section', 'causes', 'fix', 'evidence', 'stopped', 'timeline'].map(at);
    assert.ok(order.every((i) => i > 0), JSON.stringify(order));
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
    assert.match(body, /class="svc-verdict restart-loop"/);
  });

  it('gives each command a copy button', () => {
    const body = renderServiceBody(loop());
    const cmds = body.match(/<pre class="cmd" id="(cmd\d+)">/g) ?? [];
    assert.ok(cmds.length >= 1);
    for (const m of cmds) {
      const id = /id="(cmd\d+)"/.exec(m)![1]!;
      assert.ok(body.includes(`data-copy="${id}"`), id);
    }
  });

  it('draws the timeline as inline SVG, with one bar per task', () => {
    const body = renderServiceBody(loop());
    assert.match(body, /<svg class="timeline"/);
    assert.equal((body.match(/<rect class="task failed"/g) ?? []).length, 6);
  });

  it('escapes every AWS text', () => {
    const html = renderServiceHtml(loop(), { cspSource: 'vscode-resource:', styleUris: ['a.css'], nonce: 'n0nce' });
    assert.doesNotMatch(html, /<script>alert|<img src=x>/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;quoted&quot;/);
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'only the one nonce script');
    assert.match(html, /script-src 'nonce-n0nce'/);
  });

  it('packs task bars into rows: a loop of one slot stays on one row', () => {
    assert.deepEqual(packRows([{ start: 0, end: 10 }, { start: 11, end: 20 }, { start: 5, end: 30 }, { start: 21, end: 40 }]), [0, 0, 1, 0]);
  });
});
