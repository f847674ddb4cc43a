/**
 * What the two report pages share (the stopped-task diagnosis in html.ts, the service doctor in
 * serviceHtml.ts): escaping, sections, the header with its buttons, commands with a Copy button,
 * the evidence table, and the page around them with its locked-down CSP and its one script. Pure
 * (no `vscode` import), so the pages are unit-tested in node. Every text goes through h() (redact,
 * then escape) or wrapText().
 */
import { redact } from '../../core/redact';
import { plural } from '../../core/plural';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Redact, then escape: the only way text enters the page. */
export function h(text: unknown): string {
  return redact(String(text ?? '')).replace(/[&<>"']/g, (c) => ESC[c]!);
}

/** Escaped text that may break after "/" and ":" (ARNs, image URIs, long reasons), as text, not code. */
export function wrapText(text: unknown): string {
  // Only long unbroken runs (ARNs, URIs) get break points; prose wraps at its spaces.
  const parts = redact(String(text ?? '')).split(/(\S{30,})/);
  return `<span class="wrap">${parts.map((p, i) => (i % 2 ? p.split(/(?<=[/:])/).map(h).join('<wbr>') : h(p))).join('')}</span>`;
}

export function section(id: string, title: string, body: string): string {
  return body ? `<section id="${id}"><h2>${h(title)}</h2>${body}</section>` : '';
}

/** A secondary button in the header's actions (the page script posts its message, see renderPage). */
export function actionButton(id: 'rerun' | 'logs', label: string): string {
  return `<button id="${id}" type="button" class="secondary">${h(label)}</button>`;
}

/** The page header: title, subtitle, "Copy as Markdown", the page's other buttons, and the status line the page script writes to. */
export function reportHeader(title: string, subtitle: string, buttons = ''): string {
  return (
    `<header><h1>${h(title)}</h1><p class="subtitle">${h(subtitle)}</p>` +
    `<div class="actions"><button id="copy" type="button">Copy as Markdown</button>${buttons}<span id="status" class="status-text" role="status" aria-live="polite"></span></div></header>`
  );
}

/**
 * An AWS CLI command with its Copy button (the page script sends its text to the extension, which
 * copies it). With `id`, the command's <pre> carries it and the button names it in data-copy.
 */
export function commandBlock(cmd: string | undefined, id?: string): string {
  if (!cmd) return '';
  const pre = id ? `<pre class="cmd" id="${id}">` : '<pre class="cmd">';
  const data = id ? ` data-copy="${id}"` : '';
  return `<div class="cmd-block">${pre}<code>${h(cmd)}</code></pre><button type="button" class="secondary copy-cmd"${data} title="Copy this command">Copy</button></div>`;
}

/** One row of evidence as both diagnoses give it. */
export interface EvidenceRow {
  status: 'pass' | 'fail' | 'skipped';
  detail: string;
  missingPermission?: string;
  command?: string;
  lines?: string[];
}

const STATUS_ICON: Record<EvidenceRow['status'], { glyph: string; label: string }> = {
  pass: { glyph: '✓', label: 'passed' },
  fail: { glyph: '✗', label: 'failed' },
  skipped: { glyph: '–', label: 'not checked' },
};

/** The evidence table: an accessible status icon, the check, the result with the missing permission, supporting lines and the AWS CLI command. */
export function evidenceTable<E extends EvidenceRow>(evidence: readonly E[], title: (e: E) => string, command: (cmd: string) => string): string {
  const rows = evidence
    .map((e) => {
      const icon = STATUS_ICON[e.status];
      const perm = e.missingPermission ? `<div class="perm">Needs <code>${h(e.missingPermission)}</code></div>` : '';
      const lines = e.lines?.length ? `<details><summary>${plural(e.lines.length, 'line')}</summary><pre class="lines">${e.lines.map((l) => h(l)).join('\n')}</pre></details>` : '';
      const cmd = e.command ? `<details class="cmd"><summary>AWS CLI</summary>${command(e.command)}</details>` : '';
      return `<tr class="${e.status}"><td class="status"><span class="icon ${e.status}" role="img" aria-label="${icon.label}" title="${icon.label}">${icon.glyph}</span></td><td class="check">${h(title(e))}</td><td>${wrapText(e.detail)}${perm}${lines}${cmd}</td></tr>`;
    })
    .join('');
  return `<table class="evidence"><thead><tr><th><span class="sr">Status</span></th><th>Check</th><th>Result</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export interface PageOptions {
  /** Content-Security-Policy source for the stylesheets (webview.cspSource). */
  cspSource: string;
  /** The stylesheets (media/*.css) as the webview sees them. */
  styleUris: readonly string[];
  /** Per-render nonce for the one inline script. */
  nonce: string;
}

/**
 * The whole page around a report's body, with a locked-down CSP: no remote content, the
 * stylesheets and one nonce'd script. The script posts the header buttons' messages (copyMarkdown,
 * rerun, showLogs) and each Copy button's command (copyText); the extension answers 'copied',
 * which the page says in its status line.
 */
export function renderPage(opts: PageOptions & { title: string; body: string; bodyClass?: string }): string {
  const csp = [`default-src 'none'`, `style-src ${opts.cspSource}`, `img-src ${opts.cspSource}`, `script-src 'nonce-${opts.nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${opts.styleUris.map((u) => `<link rel="stylesheet" href="${h(u)}">`).join('\n')}
<title>${h(opts.title)}</title>
</head>
<body${opts.bodyClass ? ` class="${opts.bodyClass}"` : ''}>
${opts.body}
<script nonce="${opts.nonce}">
(function () {
  const vscode = acquireVsCodeApi();
  const status = document.getElementById('status');
  for (const [id, type] of [['copy', 'copyMarkdown'], ['rerun', 'rerun'], ['logs', 'showLogs']]) {
    const b = document.getElementById(id);
    if (b) b.addEventListener('click', () => vscode.postMessage({ type }));
  }
  // Copy buttons beside each command: the extension writes the clipboard and answers 'copied'.
  let last = null;
  document.addEventListener('click', (e) => {
    const b = e.target && e.target.closest ? e.target.closest('button.copy-cmd') : null;
    if (!b) return;
    const id = b.getAttribute('data-copy');
    const pre = id ? document.getElementById(id) : b.parentElement && b.parentElement.querySelector('pre');
    if (!pre) return;
    last = b;
    vscode.postMessage({ type: 'copyText', text: pre.textContent || '' });
  });
  window.addEventListener('message', (e) => {
    const m = e.data || {};
    if (m.type !== 'copied') return;
    const what = m.what === 'markdown' ? 'The report was copied as Markdown.' : 'Command copied.';
    if (status) status.textContent = what;
    if (m.what !== 'markdown' && last) {
      const b = last;
      b.textContent = 'Copied';
      setTimeout(() => { b.textContent = 'Copy'; }, 2000);
    }
  });
})();
</script>
</body>
</html>`;
}
