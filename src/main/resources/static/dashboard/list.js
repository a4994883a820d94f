// The study list: filter by name and state, most recently active first, paged on the server.
import { api, count, el, num, stateBadge, tickTimes, time, topBar, copyable } from './api.js';

const PAGE = 25;
const state = { name: '', state: '', offset: 0 };
const app = document.getElementById('app');
window.tellus = { page: 'list', rows: 0, loaded: false };

const filterName = el('input', { type: 'search', id: 'filter-name', placeholder: 'Filter by name', 'aria-label': 'Filter by name' });
const filterState = el('select', { id: 'filter-state', 'aria-label': 'Filter by state' },
  el('option', { value: '' }, 'All states'),
  ...['ACTIVE', 'PAUSED', 'COMPLETED'].map((s) => el('option', { value: s }, s.toLowerCase())));
const body = el('tbody');
const pager = el('div', { class: 'pager' });
const summary = el('span', { class: 'muted' });
const main = el('main', { class: 'page' },
  el('div', { class: 'page-head' }, el('h1', {}, 'Studies'), summary),
  el('div', { class: 'toolbar' }, filterName, filterState),
  el('div', { class: 'card flush' },
    el('table', { class: 'grid', id: 'studies' },
      el('thead', {}, el('tr', {},
        el('th', {}, 'Name'), el('th', {}, 'State'), el('th', {}, 'Strategy'), el('th', {}, 'Objective'),
        el('th', {}, 'Trials'), el('th', { class: 'num' }, 'Best'), el('th', {}, 'Last activity'))),
      body)),
  pager);
app.replaceChildren(topBar(), main);

let timer = null;
filterName.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(() => { state.name = filterName.value.trim(); state.offset = 0; load(); }, 200);
});
filterState.addEventListener('change', () => { state.state = filterState.value; state.offset = 0; load(); });

function countsCell(c) {
  const finished = c.COMPLETED + c.PRUNED + c.FAILED;
  const cell = el('div', { class: 'counts' },
    el('span', { class: 'count-total' }, count(finished + c.RUNNING + c.WAITING)));
  for (const [k, cls] of [['COMPLETED', 'completed'], ['RUNNING', 'running'], ['PRUNED', 'pruned'], ['FAILED', 'failed'], ['WAITING', 'waiting']]) {
    if (c[k] > 0) {
      cell.append(el('span', { class: `chip state-${cls}`, title: `${count(c[k])} ${cls}` }, count(c[k]), ' ', cls));
    }
  }
  return cell;
}

function emptyState() {
  const host = location.origin;
  return el('tr', {}, el('td', { colspan: 7 }, el('div', { class: 'empty' },
    el('h3', {}, state.name || state.state ? 'No study matches this filter.' : 'No studies yet'),
    state.name || state.state ? null : el('div', {},
      el('p', {}, 'Create one with any HTTP client; it shows up here as soon as it exists.'),
      copyable(`curl -X PUT ${host}/api/v1/studies/my-first-study \\
  -H 'Content-Type: application/json' \\
  -d '{"space": {"lr": {"type": "float", "low": 1e-5, "high": 0.1, "log": true},
                 "layers": {"type": "int", "low": 1, "high": 8}},
       "objectives": [{"name": "loss", "direction": "minimize"}]}'`)))));
}

async function load() {
  const q = new URLSearchParams({ offset: state.offset, limit: PAGE });
  if (state.name) q.set('name', state.name);
  if (state.state) q.set('state', state.state);
  let page;
  try {
    page = await api(`/summary/studies?${q}`);
  } catch (e) {
    body.replaceChildren(el('tr', {}, el('td', { colspan: 7, class: 'error' }, `Could not load studies: ${e.message}`)));
    return;
  }
  summary.textContent = `${count(page.total)} ${page.total === 1 ? 'study' : 'studies'}`;
  body.replaceChildren(...(page.studies.length ? page.studies.map((s) => el('tr', {},
    el('td', {}, el('a', { class: 'study-link', href: `/studies/${encodeURIComponent(s.name)}` }, s.name)),
    el('td', {}, stateBadge(s.state)),
    el('td', {}, s.strategy),
    el('td', {}, s.objectives.map((o) => `${o.name} ${o.direction === 'minimize' ? '↓' : '↑'}`).join(', ')),
    el('td', {}, countsCell(s.counts)),
    el('td', { class: 'num' }, s.best === null ? (s.objectives.length > 1 ? el('span', { class: 'muted' }, 'Pareto') : '—') : num(s.best)),
    el('td', {}, time(s.lastActivity || s.createdAt)))) : [emptyState()]));
  const last = Math.min(page.offset + page.studies.length, page.total);
  pager.replaceChildren(
    el('span', { class: 'muted' }, page.total ? `${count(page.offset + 1)}–${count(last)} of ${count(page.total)}` : ''),
    el('button', { disabled: page.offset === 0, onclick: () => { state.offset = Math.max(0, state.offset - PAGE); load(); } }, '‹ Previous'),
    el('button', { disabled: last >= page.total, onclick: () => { state.offset += PAGE; load(); } }, 'Next ›'));
  window.tellus.rows = page.studies.length;
  window.tellus.loaded = true;
}

load();
setInterval(() => { if (!document.hidden) load(); }, 10000);
setInterval(tickTimes, 15000);
