/**
 * The browsable view's one script and one stylesheet, served as files (the pages' CSP allows no
 * inline code). The script builds every node with textContent: a value never becomes markup.
 */

export const VIEW_JS = `'use strict';
(() => {
  const json = document.getElementById('json');
  const shown = document.getElementById('shown-type');
  const headers = document.getElementById('headers');
  // The same rule as the server's (src/http/answer/html/markup.ts): http(s) URLs and this origin's paths.
  const linkable = (s) => (s.startsWith('/') ? !s.startsWith('//') && !s.startsWith('/\\\\') : /^https?:\\/\\//i.test(s) && URL.canParse(s));
  const INDENT = '  ';
  const render = (value, depth, out) => {
    if (value === null || typeof value !== 'object') {
      const text = JSON.stringify(value);
      if (typeof value === 'string' && linkable(value)) {
        const a = document.createElement('a');
        a.href = value;
        a.rel = 'noopener noreferrer nofollow';
        a.textContent = text;
        out.append(a);
      } else {
        out.append(text);
      }
      return;
    }
    const entries = Array.isArray(value) ? value.map((v) => [null, v]) : Object.entries(value);
    const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) {
      out.append(open + close);
      return;
    }
    out.append(open + '\\n');
    entries.forEach(([key, v], i) => {
      out.append(INDENT.repeat(depth + 1) + (key === null ? '' : JSON.stringify(key) + ': '));
      render(v, depth + 1, out);
      out.append(i < entries.length - 1 ? ',\\n' : '\\n');
    });
    out.append(INDENT.repeat(depth) + close);
  };
  const show = async (button) => {
    const type = button.dataset.type;
    const res = await fetch(location.pathname + location.search, { headers: { Accept: type }, credentials: 'same-origin' });
    const code = document.createElement('code');
    const text = await res.text();
    try {
      render(JSON.parse(text), 0, code);
    } catch {
      code.textContent = text;
    }
    json.replaceChildren(code);
    shown.textContent = res.headers.get('content-type') || type;
    for (const dd of headers.querySelectorAll('dd[data-header]')) dd.textContent = res.headers.get(dd.dataset.header) || '';
    for (const other of document.querySelectorAll('#switcher button')) other.setAttribute('aria-pressed', String(other === button));
    document.body.dataset.shown = type;
  };
  for (const button of document.querySelectorAll('#switcher button')) {
    button.addEventListener('click', () => { show(button).catch((err) => { json.textContent = String(err); }); });
  }
  for (const button of document.querySelectorAll('button.copy')) {
    button.addEventListener('click', () => {
      const line = button.parentElement.querySelector('pre').textContent;
      navigator.clipboard.writeText(line).then(() => { button.textContent = 'Copied'; }, () => { button.textContent = 'Select and copy'; });
    });
  }
})();
`;

export const VIEW_CSS = `:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem 3rem; line-height: 1.45; }
h1 { font-size: 1.35rem; word-break: break-all; }
h2 { font-size: 1.05rem; margin-top: 1.75rem; }
h3 { font-size: 0.95rem; margin: 0.75rem 0 0.25rem; }
pre { background: rgba(127, 127, 127, 0.12); padding: 0.75rem 1rem; overflow-x: auto; border-radius: 6px; }
#switcher, #curls { list-style: none; padding: 0; }
#switcher { display: flex; gap: 0.5rem; flex-wrap: wrap; }
#switcher button { font: inherit; padding: 0.3rem 0.8rem; border-radius: 999px; border: 1px solid currentColor; background: none; color: inherit; cursor: pointer; }
#switcher button[aria-pressed="true"] { background: #2457c5; border-color: #2457c5; color: #fff; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; font-family: ui-monospace, monospace; word-break: break-all; }
a { color: #2457c5; }
`;
