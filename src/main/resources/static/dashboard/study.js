// A study's page: header, history, parallel coordinates (brushing filters the table), importance, slices,
// learning curves, Pareto front and the trials table. Every series arrives downsampled from the server; the page
// polls while the study runs. window.tellus exposes what was drawn, for the browser tests and the benchmark.
import { api, apiKey, request, ApiError, count, el, num, stateBadge, tickTimes, time, topBar, copyable } from './api.js';

const NAME = decodeURIComponent(location.pathname.replace(/\/+$/, '').split('/').pop());
const PARAMS = new URLSearchParams(location.search);
const POLL_MS = Number(PARAMS.get('poll') || 3000);
const PAGE = 50;
const BLUE = '#4c6ef5', RED = '#e03131', ORANGE = '#e8590c', DARK_RED = '#c92a2a', GREY = '#adb5bd';

// ECharts (1 MB) is imported dynamically, so the summaries below are requested while it still downloads.
let echarts = null;
const echartsReady = import('/webjars/echarts/dist/echarts.esm.min.js').then((m) => { echarts = m; });

const charts = {};
const drawn = new Set();
const tellus = window.tellus = {
  page: 'study', name: NAME, charts, drawn: [], timings: { sections: {} }, tableRows: 0, tableTotal: null, filter: null,
  axisIds: {}, polls: 0,
  series: (id) => (charts[id] ? charts[id].getOption().series.length : 0),
  points: (id, i = 0) => (charts[id] ? charts[id].getOption().series[i].data.length : 0),
};
document.title = `${NAME} · Tellus`;

let study = null;            // GET /studies/{name}

// The first read of every summary starts with the page, in parallel with the study itself; later reads go out
// when polling sees a change.
const prefetched = {};
function prefetch(key, path) {
  const promise = api(path);
  promise.catch(() => {});
  prefetched[key] = { path, promise };
}
async function read(key, path, { charts: needsCharts = true } = {}) {
  const p = prefetched[key];
  delete prefetched[key];
  const [value] = await Promise.all([p && p.path === path ? p.promise : api(path), needsCharts ? echartsReady : null]);
  return value;
}
// The first plot (the history) and the header come in two answers asked for at once: the history needs only the
// finished trials' values, the header also the best trial, and the first plot does not wait for it.
prefetch('history', `/studies/${NAME}/summary/history`);
prefetch('overview', `/studies/${NAME}/summary/overview?history=false`);
prefetch('points', `/studies/${NAME}/summary/points`);
// Learning curves and importance (the costliest summary to compute after a change) are asked for once the
// first plot is drawn, so they do not compete with the overview for the server's CPU.
prefetch('table', `/studies/${NAME}/summary/trials?offset=0&limit=${PAGE}&sort=number&order=desc`);
let pending = 0;             // initial sections not yet drawn
let started = false;

function section(id, title, { span = 12, tools = null } = {}) {
  const note = el('span', { class: 'note', id: `${id}-note` });
  const body = el('div', { id: `${id}-body` });
  const card = el('section', { class: `card span-${span}`, id }, el('div', { class: 'card-head' }, el('h2', {}, title), tools, note), body);
  return { card, body, note };
}

function chartIn(id, host, cls = 'chart') {
  let node = host.querySelector(`.chart[data-chart="${id}"]`);
  if (!node) {
    node = el('div', { class: cls, 'data-chart': id });
    host.replaceChildren(node);
  }
  return node;
}

/** Draws (or redraws) a chart; the first draw of each counts towards "first plot" and "fully drawn". */
function draw(id, node, option, merge = false) {
  let c = charts[id];
  const t = performance.now();
  if (!c) {
    c = charts[id] = echarts.init(node, null, { renderer: 'canvas' });
    c.on('finished', () => done(id));
  }
  c.setOption({ animation: false, ...option }, !merge);
  if (!tellus.timings.sections[id]) tellus.timings.sections[id] = [Math.round(t), Math.round(performance.now())];
  return c;
}

/** A section is drawn (or has nothing to draw); records the timings. */
function done(id) {
  if (drawn.has(id)) return;
  drawn.add(id);
  if (tellus.timings.sections[id]) tellus.timings.sections[id].push(Math.round(performance.now()));
  tellus.drawn = [...drawn];
  if (id !== 'table' && id !== 'header' && tellus.timings.firstPlot === undefined) {
    tellus.timings.firstPlot = performance.now();
  }
  // Before the study is read only the history can be drawn; the count of sections to draw subtracts it then.
  if (!started) return;
  pending--;
  if (pending === 0 && tellus.timings.fullyDrawn === undefined) {
    tellus.timings.fullyDrawn = performance.now();
  }
}

const downsampledNote = (shown, total, what = 'trials') => (shown < total
  ? `downsampled: ${count(shown)} of ${count(total)} ${what} shown` : `${count(total)} ${what}`);

// ---- layout -----------------------------------------------------------------------------------------------

const header = el('div', { class: 'header-grid', id: 'header' });
const live = el('span', { class: 'live', id: 'live' }, 'live');
const logToggle = el('button', { id: 'log-toggle', title: 'Logarithmic objective axis' }, 'log scale');
const history = section('history', 'Optimisation history', { tools: el('span', { class: 'tools' }, logToggle) });
const parallel = section('parallel', 'Parallel coordinates', { span: 8 });
const importance = section('importance', 'Parameter importance', { span: 4 });
const pareto = section('pareto', 'Pareto front');
const slices = section('slices', 'Slices: objective against each parameter');
const curves = section('intermediate', 'Intermediate values');
const stateFilter = el('select', { id: 'state-filter', 'aria-label': 'Filter trials by state' },
  el('option', { value: '' }, 'All states'),
  ...['COMPLETED', 'RUNNING', 'WAITING', 'PRUNED', 'FAILED'].map((s) => el('option', { value: s }, s.toLowerCase())));
const csvButton = el('button', { id: 'csv', title: 'Every trial the table shows (state filter and brushed ranges), as CSV' }, 'Download CSV');
const brushNote = el('span', { class: 'filters-note', id: 'brush-note' });
const trials = section('trials', 'Trials', { tools: el('span', { class: 'tools' }, stateFilter, csvButton, brushNote) });
const empty = el('section', { class: 'card span-12', id: 'empty', hidden: true });
const layout = el('div', { class: 'layout' }, empty, history.card, parallel.card, importance.card, pareto.card,
  slices.card, curves.card, trials.card);
const title = el('div', { class: 'page-head' }, el('h1', {}, NAME), el('span', { id: 'study-state' }), live);
document.getElementById('app').replaceChildren(topBar(), el('main', { class: 'page' }, title, header, layout));

// ---- header -----------------------------------------------------------------------------------------------

function renderHeader() {
  const s = study;
  const c = s.counts;
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  document.getElementById('study-state').replaceChildren(stateBadge(s.state));
  const space = Object.entries(s.space);
  const describe = (p) => (p.type === 'categorical' ? `{${p.choices.map(String).join(', ')}}`
    : `[${num(p.low)}, ${num(p.high)}]${p.log ? ' log' : ''}${p.step && p.type === 'float' ? ` step ${num(p.step)}` : ''}`);
  const definition = el('div', { class: 'card' }, el('h2', {}, 'Definition'),
    el('dl', { class: 'facts' },
      el('dt', {}, 'Objectives'), el('dd', {}, s.objectives.map((o) => `${o.name} (${o.direction})`).join(', ')),
      el('dt', {}, 'Strategy'), el('dd', {}, s.strategy.name, s.strategy.seed !== null ? el('span', { class: 'muted' }, ` · seed ${s.strategy.seed}`) : null),
      el('dt', {}, 'Pruner'), el('dd', {}, s.pruner.name),
      el('dt', {}, 'Budget'), el('dd', {}, s.maxTrials ? `${count(s.maxTrials)} trials` : 'none'),
      el('dt', {}, 'Created'), el('dd', {}, time(s.createdAt))),
    el('details', {}, el('summary', {}, `Search space: ${space.length} parameter${space.length === 1 ? '' : 's'}`),
      el('table', { class: 'space-table' }, el('tbody', {}, ...space.map(([n, p]) => el('tr', {},
        el('td', {}, el('b', {}, n)), el('td', { class: 'muted' }, p.type), el('td', {}, describe(p)),
        el('td', { class: 'muted' }, p.when ? `when ${Object.entries(p.when).map(([k, v]) => `${k} ∈ {${v.join(', ')}}`).join(', ')}` : '')))))));
  const chips = el('div', { class: 'counts' });
  for (const k of ['COMPLETED', 'RUNNING', 'WAITING', 'PRUNED', 'FAILED']) {
    chips.append(el('span', { class: `chip state-${k.toLowerCase()}` }, count(c[k]), ' ', k.toLowerCase()));
  }
  const progress = s.maxTrials ? el('div', { class: 'muted', style: 'margin-top:8px' },
    `${Math.min(100, Math.round(100 * (c.COMPLETED + c.PRUNED + c.RUNNING) / s.maxTrials))}% of the budget used`) : null;
  const counts = el('div', { class: 'card' }, el('h2', {}, 'Trials'), el('div', { class: 'big', id: 'trial-count' }, count(total)), chips, progress);
  let best;
  if (s.best) {
    best = el('div', { class: 'card', id: 'best' }, el('h2', {}, 'Best trial'),
      el('div', { class: 'big' }, num(s.best.values[0], 6), el('span', { class: 'muted', style: 'font-size:14px' }, `  ${s.objectives[0].name} · trial #${s.best.number}`)),
      el('div', { class: 'params-list' }, ...Object.entries(s.best.params).map(([k, v]) => el('span', { class: 'param' }, el('b', {}, k), ' = ', num(v)))),
      el('div', { class: 'muted', style: 'margin-top:6px' }, 'finished ', time(s.best.finishedAt)));
  } else if (s.objectives.length > 1) {
    best = el('div', { class: 'card', id: 'best' }, el('h2', {}, 'Best trials'),
      el('p', {}, 'Several objectives: the best trials are the Pareto front, drawn below.'),
      el('a', { href: '#pareto' }, 'Go to the Pareto front ↓'));
  } else {
    best = el('div', { class: 'card', id: 'best' }, el('h2', {}, 'Best trial'), el('p', { class: 'muted' }, 'No completed trial yet.'));
  }
  header.replaceChildren(definition, counts, best);
}

function renderEmpty() {
  const finished = study.counts.COMPLETED + study.counts.PRUNED + study.counts.FAILED;
  empty.hidden = finished > 0;
  for (const s of [history, parallel, importance, slices, curves]) s.card.hidden = finished === 0 || s.card.dataset.none === 'true';
  pareto.card.hidden = finished === 0 || study.objectives.length < 2;
  if (finished > 0) return;
  const base = `${location.origin}/api/v1/studies/${NAME}`;
  const value = study.objectives.length > 1 ? `{"values": [${study.objectives.map(() => '0.1').join(', ')}]}` : '{"value": 0.1}';
  // With keys required the snippets carry one (from $TELLUS_KEY, never the key this tab holds).
  const auth = apiKey() ? ` -H "Authorization: Bearer $TELLUS_KEY"` : '';
  const pyHeaders = apiKey() ? ', headers=headers' : '';
  empty.replaceChildren(el('h2', {}, 'No finished trials yet'),
    el('p', {}, 'Workers ask for parameters and tell the result; the plots appear here as soon as the first result arrives.'),
    el('div', { class: 'layout' },
      el('div', { class: 'span-6' }, el('h3', {}, 'curl'), copyable(`curl -s -X POST ${base}/trials/ask${auth}
# → {"trials": [{"number": 0, "params": {...}}], "done": false}
curl -s -X POST ${base}/trials/0/tell${auth} \\
  -H 'Content-Type: application/json' -d '${value}'`)),
      el('div', { class: 'span-6' }, el('h3', {}, 'Python'), copyable(`import requests${apiKey() ? ', os' : ''}

base = "${base}"${apiKey() ? '\nheaders = {"Authorization": f"Bearer {os.environ[\'TELLUS_KEY\']}"}' : ''}
while True:
    asked = requests.post(f"{base}/trials/ask"${pyHeaders}).json()
    if asked["done"]:
        break
    for trial in asked["trials"]:
        loss = train(**trial["params"])   # your training run
        requests.post(f"{base}/trials/{trial['number']}/tell", json={"value": loss}${pyHeaders})`))));
}

// ---- optimisation history ---------------------------------------------------------------------------------

let historyData = null;
let logScale = false;
logToggle.addEventListener('click', () => { logScale = !logScale; logToggle.classList.toggle('active', logScale); drawHistory(); });

async function loadHistory() {
  if (historyData === null) historyData = await read('history', `/studies/${NAME}/summary/history`);
  else await echartsReady;
  drawHistory();
}

function drawHistory() {
  const h = historyData;
  const minimize = h.direction === 'minimize';
  const positive = h.values.every((v) => v > 0);
  logToggle.disabled = !positive;
  logToggle.title = positive ? 'Logarithmic objective axis' : 'Log scale needs every value > 0';
  const useLog = logScale && positive;
  const best = [];
  let b = null;
  const last = Math.max(h.numbers.at(-1) ?? 0, h.pruned.at(-1) ?? 0, h.failed.at(-1) ?? 0);
  h.numbers.forEach((n, i) => {
    const v = h.values[i];
    if (b === null || (minimize ? v < b : v > b)) { b = v; best.push([n, v]); }
  });
  if (b !== null) best.push([last, b]);
  history.note.textContent = `${downsampledNote(h.shown, h.total, 'completed trials')}${h.downsampled ? ' (every improvement kept)' : ''}`
    + (h.prunedTotal ? ` · ${count(h.prunedTotal)} pruned` : '') + (h.failedTotal ? ` · ${count(h.failedTotal)} failed` : '');
  // Pruned and failed trials have no value: they are ticks in a strip under the plot, on the same trial axis.
  const marks = h.pruned.length + h.failed.length > 0;
  draw('history', chartIn('history', history.body), {
    grid: [{ left: 64, right: 24, top: 36, bottom: marks ? 84 : 44 }, { left: 64, right: 24, height: 26, bottom: 44, show: false }],
    legend: { top: 0, right: 0, data: ['trial', 'best so far', 'pruned', 'failed'] },
    tooltip: { trigger: 'item', formatter: (p) => (p.seriesIndex >= 2 ? `trial #${p.value[0]} ${p.seriesName}` : `trial #${p.value[0]}<br>${h.objective} = ${num(p.value[1], 6)}`) },
    xAxis: [
      { type: 'value', min: 0, max: last || null, axisLabel: { show: !marks }, name: marks ? '' : 'trial number', nameLocation: 'middle', nameGap: 28 },
      { type: 'value', gridIndex: 1, min: 0, max: last || null, name: 'trial number', nameLocation: 'middle', nameGap: 28, show: marks, splitLine: { show: false } },
    ],
    yAxis: [
      { type: useLog ? 'log' : 'value', name: `${h.objective} (${h.direction})`, scale: true, axisLabel: { formatter: (v) => num(v, 3) } },
      { type: 'category', gridIndex: 1, data: ['failed', 'pruned'], show: marks, axisTick: { show: false }, axisLine: { show: false }, axisLabel: { fontSize: 10, color: '#6b7280' } },
    ],
    dataZoom: [{ type: 'inside', xAxisIndex: [0, 1] }],
    series: [
      { name: 'trial', type: 'scatter', symbolSize: 4, large: true, largeThreshold: 300, itemStyle: { color: BLUE, opacity: 0.55 }, data: h.numbers.map((n, i) => [n, h.values[i]]) },
      { name: 'best so far', type: 'line', step: 'end', showSymbol: false, lineStyle: { color: RED, width: 2 }, itemStyle: { color: RED }, data: best, z: 4 },
      { name: 'pruned', type: 'scatter', xAxisIndex: 1, yAxisIndex: 1, symbol: 'rect', symbolSize: [2, 9], itemStyle: { color: ORANGE, opacity: 0.8 }, data: h.pruned.map((n) => [n, 'pruned']) },
      { name: 'failed', type: 'scatter', xAxisIndex: 1, yAxisIndex: 1, symbol: 'rect', symbolSize: [2, 9], itemStyle: { color: DARK_RED, opacity: 0.8 }, data: h.failed.map((n) => [n, 'failed']) },
    ],
  });
}

// ---- points: parallel coordinates, slices, Pareto front --------------------------------------------------

let points = null;
const axisIntervals = {};

// Lets the browser paint what is drawn before the next chart is laid out (once, after the first plot).
const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
// Lets other work (input, arriving data) in between charts, without waiting for a frame.
const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

async function loadPoints() {
  points = await read('points', `/studies/${NAME}/summary/points`);
  if (points.objectives.length > 1) {
    await frame();
    drawPareto();
  }
  await frame();
  drawParallel();
  await drawSlices();
}

const label = (v) => (v === null || v === undefined ? null : String(v));

function drawParallel() {
  const p = points;
  const objective = p.objectives[0];
  const axes = p.parameters.map((q, i) => {
    const id = `ax-${i}`;
    tellus.axisIds[q.name] = id;
    if (q.type === 'categorical') {
      return { dim: i, id, name: q.name, type: 'category', data: q.choices.map(String) };
    }
    return { dim: i, id, name: q.name, type: q.log ? 'log' : 'value', min: q.low, max: q.high, axisLabel: { formatter: (v) => num(v, 3) } };
  });
  p.objectives.forEach((o, j) => {
    const id = `ax-v${j}`;
    tellus.axisIds[o.name] = id;
    axes.push({ dim: p.parameters.length + j, id, name: o.name, type: 'value', scale: true, nameTextStyle: { fontWeight: 'bold' }, axisLabel: { formatter: (v) => num(v, 3) } });
  });
  const rows = p.numbers.map((n, r) => [
    ...p.parameters.map((q) => (q.type === 'categorical' ? label(p.params[q.name][r]) : p.params[q.name][r])),
    ...p.values.map((col) => col[r]), n]);
  const v0 = p.values[0] || [];
  parallel.note.textContent = p.downsampled
    ? `downsampled: best ${count(p.best)} + an even sample, ${count(p.shown)} of ${count(p.total)} trials · drag along an axis to filter the table`
    : `${count(p.total)} trials · drag along an axis to filter the table`;
  if (!rows.length) {
    parallel.body.replaceChildren(el('p', { class: 'muted' }, 'No completed trials yet.'));
    done('parallel');
    return;
  }
  const c = draw('parallel', chartIn('parallel', parallel.body), {
    parallel: { left: 40, right: 90, top: 40, bottom: 28, parallelAxisDefault: { nameGap: 12, nameTextStyle: { color: '#1d2330' }, realtime: false,
      axisLabel: { color: '#1d2330', textBorderColor: '#fff', textBorderWidth: 3 } } },
    parallelAxis: axes,
    visualMap: v0.length ? {
      type: 'continuous', dimension: p.parameters.length, min: Math.min(...v0), max: Math.max(...v0), right: 0, top: 'middle',
      itemHeight: 120, calculable: false, text: [objective.direction === 'minimize' ? 'worse' : 'better', objective.direction === 'minimize' ? 'better' : 'worse'],
      inRange: { color: objective.direction === 'minimize' ? ['#1c3faa', '#74c0fc', '#ffe066', '#ffa8a8'] : ['#ffa8a8', '#ffe066', '#74c0fc', '#1c3faa'] },
    } : undefined,
    series: [{ type: 'parallel', lineStyle: { width: 1, opacity: 0.45 }, inactiveOpacity: 0.04, activeOpacity: 0.9, progressive: 0, data: rows }],
  });
  if (!c.__brushing) {
    c.__brushing = true;
    c.on('axisareaselected', (e) => {
      axisIntervals[e.parallelAxisId] = e.intervals || [];
      applyBrush();
    });
  }
}

/** Turns the brushed axis ranges into the table's filter. */
function applyBrush() {
  const filter = { params: {}, values: {} };
  const parts = [];
  points.parameters.forEach((q, i) => {
    const iv = axisIntervals[`ax-${i}`];
    if (!iv || !iv.length) return;
    if (q.type === 'categorical') {
      const chosen = q.choices.filter((_, k) => iv.some(([a, b]) => k >= Math.min(a, b) - 1e-9 && k <= Math.max(a, b) + 1e-9));
      filter.params[q.name] = chosen;
      parts.push(`${q.name} ∈ {${chosen.map(String).join(', ')}}`);
    } else {
      const lo = Math.min(...iv.map(([a, b]) => Math.min(a, b)));
      const hi = Math.max(...iv.map(([a, b]) => Math.max(a, b)));
      filter.params[q.name] = [lo, hi];
      parts.push(`${q.name} ∈ [${num(lo, 3)}, ${num(hi, 3)}]`);
    }
  });
  points.objectives.forEach((o, j) => {
    const iv = axisIntervals[`ax-v${j}`];
    if (!iv || !iv.length) return;
    const lo = Math.min(...iv.map(([a, b]) => Math.min(a, b)));
    const hi = Math.max(...iv.map(([a, b]) => Math.max(a, b)));
    filter.values[o.name] = [lo, hi];
    parts.push(`${o.name} ∈ [${num(lo, 3)}, ${num(hi, 3)}]`);
  });
  tellus.filter = parts.length ? filter : null;
  brushNote.replaceChildren(...(parts.length ? [`Brushed: ${parts.join(' · ')} `, el('a', { href: '#', id: 'clear-brush', onclick: clearBrush }, 'clear')] : []));
  table.offset = 0;
  loadTable();
}

function clearBrush(e) {
  if (e) e.preventDefault();
  for (const id of Object.keys(axisIntervals)) {
    charts.parallel.dispatchAction({ type: 'axisAreaSelect', parallelAxisId: id, intervals: [] });
  }
}

async function drawSlices() {
  const p = points;
  const o = p.objectives[0];
  const v = p.values[0] || [];
  const red = p.objectives.length > 1 ? 'red: on the Pareto front' : 'red: the best trial';
  slices.note.textContent = `${o.name} · ${red} · ` + (p.downsampled ? `downsampled: ${count(p.shown)} of ${count(p.total)} trials (best ${count(p.best)} kept)` : `${count(p.total)} trials`);
  const shown = p.parameters.slice(0, 24);
  let grid = slices.body.querySelector('.slices');
  if (!grid) {
    grid = el('div', { class: 'slices' });
    slices.body.replaceChildren(grid);
  }
  for (const q of shown) {
    await pause();
    const id = `slice-${q.name}`;
    let node = grid.querySelector(`[data-chart="${CSS.escape(id)}"]`);
    if (!node) {
      node = el('div', { class: 'chart small', 'data-chart': id });
      grid.append(node);
    }
    const categorical = q.type === 'categorical';
    const col = p.params[q.name];
    const data = [];
    const bestData = [];
    p.numbers.forEach((n, r) => {
      if (col[r] === null || col[r] === undefined) return;
      const point = [categorical ? label(col[r]) : col[r], v[r], n];
      (p.front[r] ? bestData : data).push(point);
    });
    draw(id, node, {
      title: { text: q.name, left: 'center', top: 0, textStyle: { fontSize: 13, fontWeight: 600 } },
      grid: { left: 56, right: 14, top: 28, bottom: 28 },
      tooltip: { trigger: 'item', formatter: (x) => `trial #${x.value[2]}<br>${q.name} = ${num(x.value[0], 6)}<br>${o.name} = ${num(x.value[1], 6)}` },
      xAxis: categorical ? { type: 'category', data: q.choices.map(String) }
        : { type: q.log ? 'log' : 'value', min: q.low, max: q.high, axisLabel: { formatter: (x) => num(x, 2) } },
      yAxis: { type: 'value', scale: true, axisLabel: { formatter: (x) => num(x, 3) } },
      series: [
        { type: 'scatter', symbolSize: 4, large: true, largeThreshold: 300, itemStyle: { color: BLUE, opacity: 0.4 }, data },
        { type: 'scatter', symbolSize: 9, itemStyle: { color: RED }, data: bestData, z: 3 },
      ],
    });
  }
}

function drawPareto() {
  const p = points;
  const pairs = [];
  for (let a = 0; a < p.objectives.length && a < 3; a++) for (let b = a + 1; b < p.objectives.length && b < 3; b++) pairs.push([a, b]);
  const frontSize = p.front.filter(Boolean).length;
  pareto.note.textContent = `${count(frontSize)} trials on the front` + (p.downsampled ? ` · downsampled: whole front + ${count(p.shown - frontSize)} of ${count(p.total - frontSize)} dominated trials` : '');
  let grid = pareto.body.querySelector('.slices');
  if (!grid) {
    grid = el('div', { class: pairs.length > 1 ? 'slices' : '' });
    pareto.body.replaceChildren(grid);
  }
  pairs.forEach(([a, b], k) => {
    const id = `pareto-${k}`;
    let node = grid.querySelector(`[data-chart="${id}"]`);
    if (!node) {
      node = el('div', { class: 'chart', 'data-chart': id });
      grid.append(node);
    }
    const front = [];
    const rest = [];
    p.numbers.forEach((n, r) => (p.front[r] ? front : rest).push([p.values[a][r], p.values[b][r], n]));
    front.sort((x, y) => x[0] - y[0]);
    const oa = p.objectives[a];
    const ob = p.objectives[b];
    draw(id, node, {
      grid: { left: 64, right: 24, top: 36, bottom: 44 },
      legend: { top: 0, right: 0, data: ['Pareto front', 'dominated'] },
      tooltip: { trigger: 'item', formatter: (x) => `trial #${x.value[2]}<br>${oa.name} = ${num(x.value[0], 6)}<br>${ob.name} = ${num(x.value[1], 6)}` },
      xAxis: { type: 'value', scale: true, name: `${oa.name} (${oa.direction})`, nameLocation: 'middle', nameGap: 28, axisLabel: { formatter: (x) => num(x, 3) } },
      yAxis: { type: 'value', scale: true, name: `${ob.name} (${ob.direction})`, axisLabel: { formatter: (x) => num(x, 3) } },
      series: [
        { name: 'dominated', type: 'scatter', symbolSize: 5, large: true, largeThreshold: 300, itemStyle: { color: GREY, opacity: 0.35 }, data: rest },
        { name: 'Pareto front', type: 'scatter', symbolSize: 9, itemStyle: { color: RED }, data: front, z: 3 },
      ],
    });
  });
}

// ---- importance ---------------------------------------------------------------------------------------------

// When trials finished since the server's last estimate, it answers that one at once (current: false) and computes
// the new one in the background; the page shows the earlier bars, says so, and asks again shortly.
let importanceRetry = null;

async function loadImportance(retries = 10) {
  clearTimeout(importanceRetry);
  const r = await read('importance', `/studies/${NAME}/importance?stale=true`);
  const entries = Object.entries(r.importance).sort((x, y) => y[1] - x[1]);
  const completed = r.completed;
  importance.note.textContent = `fANOVA · ${count(r.trials)}${r.trials < completed ? ` of ${count(completed)} trials (sampled)` : ' trials'}`
    + (r.current ? '' : ` · as of ${count(completed)} completed, updating…`);
  tellus.importanceCurrent = r.current;
  if (!r.current && retries > 0) {
    importanceRetry = setTimeout(() => failSoft(importance, loadImportance(retries - 1), 'importance'), 1500);
  }
  if (r.trials < 2) {
    importance.body.replaceChildren(el('p', { class: 'muted' }, 'Needs at least two completed trials.'));
    done('importance');
    return;
  }
  const shown = entries.slice(0, 20).reverse();
  draw('importance', chartIn('importance', importance.body), {
    grid: { left: 10, right: 56, top: 8, bottom: 20, containLabel: true },
    tooltip: { trigger: 'item', formatter: (x) => `${x.name}: ${(100 * x.value).toFixed(1)}% of the variance` },
    xAxis: { type: 'value', max: 1, axisLabel: { formatter: (x) => `${Math.round(x * 100)}%` } },
    yAxis: { type: 'category', data: shown.map((e) => e[0]) },
    series: [{ type: 'bar', data: shown.map((e) => e[1]), itemStyle: { color: BLUE },
      label: { show: true, position: 'right', formatter: (x) => `${(100 * x.value).toFixed(1)}%` } }],
  });
}

// ---- intermediate values --------------------------------------------------------------------------------------

async function loadIntermediate() {
  const r = await read('intermediate', `/studies/${NAME}/summary/intermediate`);
  if (!r.curves.length) {
    curves.card.dataset.none = 'true';
    curves.card.hidden = true;
    done('intermediate');
    return;
  }
  curves.card.dataset.none = 'false';
  curves.card.hidden = false;
  curves.note.textContent = (r.downsampled ? `downsampled: ${count(r.shown)} of ${count(r.total)} trials that reported (best kept), up to ${r.maxSteps} steps each`
    : `${count(r.total)} trials that reported`) + ' · blue completed, orange dashed pruned, red failed';
  const color = (s) => (s === 'PRUNED' ? ORANGE : s === 'COMPLETED' ? BLUE : s === 'FAILED' ? DARK_RED : GREY);
  draw('intermediate', chartIn('intermediate', curves.body), {
    grid: { left: 64, right: 24, top: 20, bottom: 44 },
    tooltip: { trigger: 'item', formatter: (x) => `trial #${x.seriesName} (${r.curves[x.seriesIndex].state.toLowerCase()})<br>step ${x.value[0]}: ${num(x.value[1], 6)}` },
    xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', scale: true, axisLabel: { formatter: (x) => num(x, 3) } },
    series: r.curves.map((c) => ({
      name: String(c.number), type: 'line', showSymbol: false,
      lineStyle: { width: 1.2, color: color(c.state), opacity: c.state === 'PRUNED' ? 0.8 : 0.6, type: c.state === 'PRUNED' ? 'dashed' : 'solid' },
      itemStyle: { color: color(c.state) },
      data: c.steps.map((s, i) => [s, c.values[i]]),
    })),
  });
}

// ---- trials table ---------------------------------------------------------------------------------------------

const table = { offset: 0, sort: 'number', order: 'desc' };
stateFilter.addEventListener('change', () => { table.offset = 0; loadTable(); });
csvButton.addEventListener('click', async () => {
  // Every trial the table shows (state filter and brushed ranges, in the table's order), not only this page.
  const q = new URLSearchParams({ sort: table.sort, order: table.order });
  if (stateFilter.value) q.set('state', stateFilter.value);
  if (tellus.filter) q.set('filter', JSON.stringify(tellus.filter));
  const response = await request(`/api/v1/studies/${NAME}/summary/trials?${q}`, { accept: 'text/csv', raw: true });
  const text = await response.text();
  tellus.lastCsv = text;
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const suffix = `${stateFilter.value ? `-${stateFilter.value.toLowerCase()}` : ''}${tellus.filter ? '-brushed' : ''}`;
  const a = el('a', { href: url, download: `${NAME}${suffix}.csv` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
});

async function loadTable() {
  const q = new URLSearchParams({ offset: table.offset, limit: PAGE, sort: table.sort, order: table.order });
  if (stateFilter.value) q.set('state', stateFilter.value);
  if (tellus.filter) q.set('filter', JSON.stringify(tellus.filter));
  const r = await read('table', `/studies/${NAME}/summary/trials?${q}`, { charts: false });
  const params = Object.keys(study.space);
  const shownParams = params.slice(0, 10);
  const head = (key, text, cls = '') => {
    const sorted = table.sort === key;
    return el('th', {
      class: `sortable ${cls} ${sorted ? 'sorted' : ''}`, 'data-sort': key,
      onclick: () => {
        table.order = sorted && table.order === 'asc' ? 'desc' : 'asc';
        if (!sorted && key === 'number') table.order = 'desc';
        table.sort = key;
        table.offset = 0;
        loadTable();
      },
    }, text, sorted ? (table.order === 'asc' ? ' ▲' : ' ▼') : '');
  };
  const thead = el('thead', {}, el('tr', {},
    head('number', '#', 'num'), head('state', 'State'),
    ...study.objectives.map((o) => head(`value:${o.name}`, o.name, 'num')),
    ...shownParams.map((p) => head(`param:${p}`, p, 'num')),
    params.length > shownParams.length ? el('th', {}, `+${params.length - shownParams.length} more`) : null,
    head('finishedAt', 'Finished')));
  const tbody = el('tbody', {}, ...r.trials.map((t) => el('tr', { 'data-number': t.number },
    el('td', { class: 'num' }, t.number), el('td', {}, stateBadge(t.state)),
    ...study.objectives.map((_, i) => el('td', { class: 'num' }, t.values ? num(t.values[i], 5) : '')),
    ...shownParams.map((p) => el('td', { class: 'num' }, t.params[p] === undefined ? el('span', { class: 'muted' }, '—') : num(t.params[p]))),
    params.length > shownParams.length ? el('td', { class: 'muted' }, params.slice(10).filter((p) => t.params[p] !== undefined).map((p) => `${p}=${num(t.params[p])}`).join(', ')) : null,
    el('td', { title: t.reason || '' }, time(t.finishedAt)))));
  const colspan = 4 + study.objectives.length + shownParams.length;
  if (!r.trials.length) {
    tbody.append(el('tr', {}, el('td', { colspan, class: 'muted' }, tellus.filter || stateFilter.value ? 'No trial matches this filter.' : 'No trials yet.')));
  }
  const last = Math.min(r.offset + r.trials.length, r.total);
  const pager = el('div', { class: 'pager', style: 'padding: 10px 12px' },
    el('span', { class: 'muted', id: 'table-range' }, r.total ? `${count(r.offset + 1)}–${count(last)} of ${count(r.total)}${tellus.filter ? ' (brushed)' : ''}` : ''),
    el('button', { id: 'prev-page', disabled: r.offset === 0, onclick: () => { table.offset = Math.max(0, table.offset - PAGE); loadTable(); } }, '‹ Previous'),
    el('button', { id: 'next-page', disabled: last >= r.total, onclick: () => { table.offset += PAGE; loadTable(); } }, 'Next ›'));
  trials.card.classList.add('flush');
  trials.card.firstChild.style.padding = '12px 16px 4px';
  trials.body.replaceChildren(el('div', { class: 'table-wrap' }, el('table', { class: 'grid', id: 'trials-table' }, thead, tbody)), pager);
  tellus.tableRows = r.trials.length;
  tellus.tableTotal = r.total;
  done('table');
}

// ---- loading and live updates ---------------------------------------------------------------------------------

function failSoft(section, promise, id) {
  return promise.catch((e) => {
    section.body.replaceChildren(el('p', { class: 'error' }, `Could not load: ${e.message}`));
    done(id);
  });
}

function loadAll(initial) {
  const finished = study.counts.COMPLETED + study.counts.PRUNED + study.counts.FAILED;
  const jobs = [failSoft(trials, loadTable(), 'table')];
  if (finished > 0) {
    // The first load's history is already asked for (and maybe drawn); later loads read it again.
    const first = failSoft(history, initial ? firstHistory.then(() => { if (!charts.history) drawHistory(); }) : loadHistory(), 'history');
    jobs.push(first, failSoft(parallel, loadPoints(), 'parallel'));
    const later = initial ? first : Promise.resolve();
    jobs.push(later.then(() => failSoft(curves, loadIntermediate(), 'intermediate')));
    if (initial || study.counts.COMPLETED !== lastImportanceCount) {
      lastImportanceCount = study.counts.COMPLETED;
      jobs.push(later.then(() => failSoft(importance, loadImportance(), 'importance')));
    }
  }
  return Promise.all(jobs);
}

let lastImportanceCount = -1;
let signature = '';
let lastImportanceAt = 0;

// The first plot: drawn as soon as the history and ECharts are here, before the study's header is read.
let firstHistory = null;

async function start() {
  const t = performance.now();
  firstHistory = read('history', `/studies/${NAME}/summary/history`).then((h) => {
    if (historyData !== null) return;
    historyData = h;
    if (h.total + h.prunedTotal + h.failedTotal > 0) drawHistory();
  });
  firstHistory.catch(() => {});
  try {
    const overview = await read('overview', `/studies/${NAME}/summary/overview?history=false`, { charts: false });
    study = overview.study;
  } catch (e) {
    const message = e instanceof ApiError && e.status === 404 ? `No study named “${NAME}”.` : `Could not load the study: ${e.message}`;
    document.querySelector('main').replaceChildren(el('div', { class: 'card empty' }, el('h2', {}, message), el('a', { href: '/' }, '← All studies')));
    tellus.timings.fullyDrawn = performance.now();
    return;
  }
  tellus.timings.study = performance.now() - t;
  renderHeader();
  renderEmpty();
  if (study.objectives.length > 1) {
    // With several objectives the front is what people look for first.
    layout.insertBefore(pareto.card, history.card);
    history.card.querySelector('h2').textContent = `Optimisation history: ${study.objectives[0].name}`;
  }
  signature = JSON.stringify(study.counts) + study.state;
  const finished = study.counts.COMPLETED + study.counts.PRUNED + study.counts.FAILED;
  // Sections the first load must draw before the page counts as fully drawn.
  pending = 1 + (finished > 0 ? 3 + Math.min(24, Object.keys(study.space).length) + (study.objectives.length > 1 ? (study.objectives.length === 2 ? 1 : 3) : 0) + 1 : 0)
    - drawn.size;
  started = true;
  lastImportanceAt = Date.now();
  await loadAll(true);
  Object.keys(prefetched).forEach((k) => delete prefetched[k]);
  setTimeout(poll, POLL_MS);
}

/** While the tab is visible, re-reads the counts; anything changed redraws every section in place. */
async function poll() {
  try {
    if (!document.hidden) {
      const fresh = (await api(`/studies/${NAME}/summary/overview?history=false`)).study;
      tellus.polls++;
      const sig = JSON.stringify(fresh.counts) + fresh.state;
      if (sig !== signature) {
        const wasEmpty = study.counts.COMPLETED + study.counts.PRUNED + study.counts.FAILED === 0;
        study = fresh;
        signature = sig;
        historyData = null;
        renderHeader();
        renderEmpty();
        // Importance is the costliest summary: refreshed at most every 30 s while results stream in.
        const importanceDue = wasEmpty || Date.now() - lastImportanceAt > 30000;
        if (!importanceDue) lastImportanceCount = study.counts.COMPLETED;
        else lastImportanceAt = Date.now();
        await loadAll(false);
        if (wasEmpty) Object.values(charts).forEach((c) => c.resize());
      }
      live.classList.toggle('off', study.state !== 'ACTIVE');
      live.textContent = study.state === 'ACTIVE' ? 'live' : study.state.toLowerCase();
    }
  } catch (e) {
    live.classList.add('off');
    live.textContent = 'offline';
  }
  setTimeout(poll, POLL_MS);
}

window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
setInterval(tickTimes, 15000);
start();
