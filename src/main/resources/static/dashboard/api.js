// Talking to the Tellus JSON API from the dashboard: the key (kept for this browser session only), fetch with
// the Authorization header, and the form that asks for a key when the server answers 401.

const KEY = 'tellus.apiKey';

export function apiKey() {
  return sessionStorage.getItem(KEY);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY);
}

let keyPrompt = null;

/** Shows the key form and resolves once the user has entered a key. */
function askForKey(message) {
  if (keyPrompt) {
    return keyPrompt;
  }
  keyPrompt = new Promise((resolve) => {
    const overlay = document.createElement('div');
    overlay.className = 'overlay';
    overlay.id = 'key-form';
    overlay.innerHTML = `
      <form class="card key-card">
        <h2>API key needed</h2>
        <p class="muted"></p>
        <label>Key <input name="key" type="password" autocomplete="off" placeholder="tls_…" required></label>
        <p class="hint">Kept in this browser tab's session only; sent as <code>Authorization: Bearer …</code>.</p>
        <button type="submit">Use key</button>
      </form>`;
    overlay.querySelector('p.muted').textContent = message;
    overlay.querySelector('form').addEventListener('submit', (e) => {
      e.preventDefault();
      sessionStorage.setItem(KEY, overlay.querySelector('input').value.trim());
      overlay.remove();
      keyPrompt = null;
      resolve();
    });
    document.body.appendChild(overlay);
    overlay.querySelector('input').focus();
  });
  return keyPrompt;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem && (problem.detail || problem.title) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** GET (or another method) against the API; on 401 asks for a key and tries again. */
export async function request(path, { accept = 'application/json', method = 'GET', raw = false } = {}) {
  for (;;) {
    const headers = { Accept: accept };
    const key = apiKey();
    if (key) {
      headers.Authorization = `Bearer ${key}`;
    }
    const response = await fetch(path, { method, headers });
    if (response.status === 401) {
      await askForKey(key ? 'That key was refused (unknown, revoked or expired). Enter another.'
        : 'This Tellus asks for an API key. Enter a key of the project whose studies you want to see.');
      continue;
    }
    if (!response.ok) {
      let problem = null;
      try { problem = await response.json(); } catch (e) { /* not JSON */ }
      throw new ApiError(response.status, problem);
    }
    return raw ? response : response.json();
  }
}

export const api = (path) => request(`/api/v1${path}`);

// ---- formatting -------------------------------------------------------------------------------------------

/** A number to 4 significant digits, exponent form only when very large or small. */
export function num(v, digits = 4) {
  if (v === null || v === undefined || v === '') {
    return '';
  }
  if (typeof v !== 'number') {
    return String(v);
  }
  if (!Number.isFinite(v)) {
    return String(v);
  }
  if (Number.isInteger(v) && Math.abs(v) < 1e7) {
    return v.toLocaleString('en-US');
  }
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) {
    return v.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  }
  return String(Number(v.toPrecision(digits)));
}

export function count(n) {
  return (n ?? 0).toLocaleString('en-US');
}

/** "3 min ago"; the exact time goes in the title attribute. */
export function ago(iso, now = Date.now()) {
  if (!iso) {
    return '';
  }
  const s = Math.round((now - Date.parse(iso)) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function time(iso) {
  const el = document.createElement('time');
  if (iso) {
    el.dateTime = iso;
    el.title = new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
    el.textContent = ago(iso);
  }
  return el;
}

/** Refreshes every relative timestamp on the page. */
export function tickTimes() {
  document.querySelectorAll('time[datetime]').forEach((t) => { t.textContent = ago(t.dateTime); });
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

export function stateBadge(state) {
  return el('span', { class: `badge state-${state.toLowerCase()}` }, state.toLowerCase());
}

/** The top bar shared by both pages. */
export function topBar() {
  const keyInfo = apiKey()
    ? el('span', { class: 'key-info' }, 'key set · ',
      el('a', { href: '#', onclick: (e) => { e.preventDefault(); forgetKey(); location.reload(); } }, 'forget'))
    : null;
  return el('header', { class: 'topbar' },
    el('a', { class: 'brand', href: '/' }, el('span', { class: 'logo' }, '◐'), 'Tellus'),
    el('nav', {}, el('a', { href: '/' }, 'Studies'), el('a', { href: '/swagger-ui.html' }, 'API')),
    keyInfo);
}

export function copyable(text) {
  return el('pre', { class: 'snippet' }, text);
}
