// The page parts both reports share (src/editor/report/shell.ts): one Copy-button markup, one
// evidence table, one page script; the service report gets the status line the script writes to.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { commandBlock, evidenceTable, renderPage, reportHeader } from '../../../../src/editor/report/shell';

describe('report shell', () => {
  it('a command block is escaped, and names its command for the Copy button when given an id', () => {
    assert.equal(commandBlock(undefined), '');
    const plain = commandBlock('echo "<x>"');
    assert.match(plain, /<pre class="cmd"><code>echo &quot;&lt;x&gt;&quot;<\/code><\/pre><button type="button" class="secondary copy-cmd" title/);
    const named = commandBlock('ls', 'cmd7');
    assert.match(named, /<pre class="cmd" id="cmd7">/);
    assert.match(named, /class="secondary copy-cmd" data-copy="cmd7"/);
  });

  it('the evidence table: an accessible icon, the title given, escaped detail, lines and the command', () => {
    const html = evidenceTable(
      [{ status: 'skipped', detail: 'denied <b>', missingPermission: 'logs:GetLogEvents', lines: ['a'], command: 'aws logs x', check: 'logs' }],
      (e) => `T:${e.check}`,
      (c) => commandBlock(c, 'cmd1'),
    );
    assert.match(html, /<tr class="skipped"><td class="status"><span class="icon skipped" role="img" aria-label="not checked"/);
    assert.match(html, /<td class="check">T:logs<\/td>/);
    assert.match(html, /denied &lt;b&gt;/);
    assert.match(html, /Needs <code>logs:GetLogEvents<\/code>/);
    assert.match(html, /<summary>1 line<\/summary>/);
    assert.match(html, /data-copy="cmd1"/);
  });

  it('the header has the status line; the page has one nonce script that handles every button', () => {
    const page = renderPage({ cspSource: 'vscode-resource:', styleUris: ['a.css', 'b.css'], nonce: 'n0nce', title: 'T <1>', body: reportHeader('Service web', 'sub'), bodyClass: 'service-report' });
    assert.match(page, /<span id="status" class="status-text" role="status"/);
    assert.match(page, /<body class="service-report">/);
    assert.match(page, /<title>T &lt;1&gt;<\/title>/);
    assert.equal((page.match(/<link rel="stylesheet"/g) ?? []).length, 2);
    assert.equal((page.match(/<script/g) ?? []).length, 1);
    assert.match(page, /script-src 'nonce-n0nce'/);
    for (const type of ['copyMarkdown', 'rerun', 'showLogs', 'copyText']) assert.ok(page.includes(`'${type}'`), type);
  });
});
