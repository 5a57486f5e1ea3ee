// Live logs: the recent entries (GET /api/logs), then the stream (/api/logs/stream) from where they end; a level
// minimum and a search that the server applies, pause (new entries wait, counted) and clear.
import { api, url } from '../api.js';
import { debounce, el, errorNote, replace, unavailable } from '../dom.js';
import { openStream } from '../live.js';

const MAX_ROWS = 1000;
const LEVELS = ['Trace', 'Debug', 'Information', 'Warning', 'Error', 'Critical'];

export function renderLogs(container) {
  const level = el('select', { testid: 'log-level', 'aria-label': 'Minimum level' }, ...LEVELS.map((l) => el('option', { value: l }, l)));
  level.value = 'Information';
  const search = el('input', { type: 'search', placeholder: 'Search message or category', testid: 'log-search', 'aria-label': 'Search logs' });
  const pause = el('button', { type: 'button', class: 'secondary', testid: 'log-pause' }, 'Pause');
  const clearButton = el('button', { type: 'button', class: 'secondary', testid: 'log-clear' }, 'Clear');
  const state = el('span', { class: 'muted', testid: 'log-state' });
  const rows = el('tbody', { testid: 'log-rows' });
  const body = el('div', { class: 'scroll logs' }, el('table', { class: 'table compact', testid: 'log-table' },
    el('thead', {}, el('tr', {}, ...['Time', 'Level', 'Category', 'Message'].map((h) => el('th', {}, h)))), rows));
  replace(container, el('h1', {}, 'Logs'), el('div', { class: 'toolbar' }, level, search, pause, clearButton, state), body);

  let stream = null;
  let paused = false;
  let held = [];

  const add = (entries) => {
    if (paused) {
      held.push(...entries);
      pause.textContent = `Resume (${held.length} new)`;
      return;
    }
    const stick = body.scrollTop + body.clientHeight >= body.scrollHeight - 20;
    for (const entry of entries) rows.appendChild(logRow(entry));
    while (rows.childElementCount > MAX_ROWS) rows.firstElementChild.remove();
    if (stick) body.scrollTop = body.scrollHeight;
  };

  const connect = async () => {
    stream?.close();
    replace(rows);
    held = [];
    const filter = { level: level.value, q: search.value.trim() };
    let lastId = 0;
    try {
      const recent = await api.get(url('/api/logs', { ...filter, limit: 200 }));
      add(recent.entries ?? []);
      lastId = recent.lastId ?? 0;
    } catch (error) {
      replace(body, error.missing ? unavailable('The log feed is', 'logs-unavailable') : errorNote(error));
      return;
    }
    stream = openStream(url('/api/logs/stream', { ...filter, lastEventId: lastId }), { log: (entry) => add([entry]) }, {
      onState: (s) => { state.textContent = s === 'live' ? 'live' : s; state.dataset.state = s; },
    });
  };

  pause.addEventListener('click', () => {
    paused = !paused;
    pause.textContent = paused ? 'Resume' : 'Pause';
    if (!paused) {
      const waiting = held;
      held = [];
      add(waiting);
    }
  });
  clearButton.addEventListener('click', () => replace(rows));
  level.addEventListener('change', connect);
  search.addEventListener('input', debounce(connect, 300));
  connect();
  return () => stream?.close();
}

function logRow(entry) {
  const message = el('td', { class: 'message', testid: 'log-message' }, entry.message ?? '');
  if (entry.exception) message.appendChild(el('pre', { class: 'exception' }, entry.exception));
  return el('tr', { class: `level-${String(entry.level).toLowerCase()}`, testid: 'log-row', dataset: { id: entry.id } },
    el('td', { class: 'mono nowrap' }, new Date(entry.time).toLocaleTimeString('sv')),
    el('td', {}, el('span', { class: `badge ${String(entry.level).toLowerCase()}` }, entry.level)),
    el('td', { class: 'category', title: entry.category }, shortCategory(entry.category)),
    message);
}

function shortCategory(category) {
  const parts = String(category ?? '').split('.');
  return parts.length > 2 ? parts.slice(-2).join('.') : String(category ?? '');
}
