// Overview: storage, counts, uploads, uptime and version (GET /api/status), live throughput, the last GC cycles and
// the next one.
import { api, url } from '../api.js';
import { ago, bytes, count, counted, debounce, duration, el, errorNote, replace, time } from '../dom.js';
import { registryEvents } from '../live.js';
import { liveThroughput, WINDOW_SECONDS } from './live-throughput.js';

const REFRESH_MS = 15000;

export function renderOverview(container) {
  const body = el('div', { class: 'grid', testid: 'overview' });
  const history = el('div', { testid: 'gc-history' });
  const throughput = el('div', { testid: 'overview-throughput' });
  replace(container, el('h1', {}, 'Overview'), body,
    el('h2', {}, `Throughput (last ${WINDOW_SECONDS / 60} minutes)`), throughput,
    el('h2', {}, 'Garbage collection'), history);
  const disposeThroughput = liveThroughput(throughput, { requests: false, height: 160 });
  let startedAt = null;
  let uptimeNode = null;

  const load = async () => {
    try {
      const status = await api.get('/api/status');
      startedAt = Date.now() - (status.uptimeSeconds ?? 0) * 1000;
      uptimeNode = el('span', { testid: 'uptime' }, duration(status.uptimeSeconds));
      replace(body, ...cards(status, uptimeNode));
      replace(history, await gcHistory(status));
    } catch (error) {
      replace(body, errorNote(error));
    }
  };

  const refreshSoon = debounce(load, 400);
  const unsubscribe = registryEvents.on(['push', 'delete', 'gc'], refreshSoon);
  const timer = setInterval(load, REFRESH_MS);
  const ticker = setInterval(() => {
    if (uptimeNode && startedAt) uptimeNode.textContent = duration((Date.now() - startedAt) / 1000);
  }, 1000);
  load();
  return () => {
    disposeThroughput();
    unsubscribe();
    clearInterval(timer);
    clearInterval(ticker);
  };
}

function card(title, testid, value, ...details) {
  return el('article', { class: 'card stat', testid },
    el('h3', {}, title),
    el('p', { class: 'value', testid: `${testid}-value` }, value),
    ...details.filter(Boolean).map((d) => el('p', { class: 'detail' }, d)));
}

function cards(status, uptime) {
  const storage = status.storage ?? {};
  const counts = status.counts ?? {};
  const uploads = status.uploads;
  const split = storage.blobBytes !== undefined
    ? `blobs ${bytes(storage.blobBytes)} · manifests ${bytes(storage.manifestBytes)}`
    : counted(storage.blobs, 'blob');
  const total = (storage.bytes ?? 0) + (storage.databaseBytes ?? 0);
  return [
    card('Storage used', 'storage', bytes(total), split,
      storage.databaseBytes !== null && storage.databaseBytes !== undefined ? `database ${bytes(storage.databaseBytes)}` : null),
    card('Unreferenced', 'unreferenced',
      storage.unreferencedBytes !== undefined ? bytes(storage.unreferencedBytes) : '—',
      storage.unreferencedBlobs !== undefined ? `${counted(storage.unreferencedBlobs, 'blob')} a GC would reclaim` : 'not reported by this server'),
    card('Repositories', 'repositories', count(counts.repositories ?? status.repositories),
      counts.tags !== undefined ? `${counted(counts.tags, 'tag')} · ${counted(counts.manifests, 'manifest')} · ${counted(counts.blobs, 'blob')}` : null),
    card('Uploads in flight', 'uploads', uploads ? count(uploads.inFlight) : '—',
      uploads ? `${bytes(uploads.stagedBytes)} staged` : 'not reported by this server'),
    card('Uptime', 'uptime-card', uptime, `since ${time(status.startedAt)}`),
    card('Version', 'version', status.version ?? '—', `${status.mode ?? ''} mode`),
  ];
}

async function gcHistory(status) {
  const gc = status.gc ?? {};
  let reports = gc.history;
  if (!reports) {
    try {
      reports = (await api.get(url('/api/gc'))).history ?? [];
    } catch {
      reports = gc.last ? [gc.last] : [];
    }
  }
  const next = gc.nextCycleAt
    ? el('p', { testid: 'gc-next' }, 'Next scheduled cycle ', ago(gc.nextCycleAt), ` (every ${duration(gc.intervalSeconds)}).`)
    : el('p', { testid: 'gc-next', class: 'muted' }, 'No scheduled cycle.');
  const running = gc.running ? el('p', { class: 'note', testid: 'gc-running' }, `Cycle ${gc.running.id} is running.`) : null;
  if (reports.length === 0) return el('div', {}, running, next, el('p', { class: 'muted' }, 'No cycle has run yet.'));
  return el('div', {}, running, next, gcTable(reports.slice(0, 10)));
}

export function gcTable(reports) {
  return el('table', { class: 'table', testid: 'gc-table' },
    el('thead', {}, el('tr', {}, ...['Cycle', 'Started', 'Trigger', 'Kind', 'State', 'Reclaimed', 'Blobs', 'Manifests', 'Tags', 'Duration'].map((h) => el('th', {}, h)))),
    el('tbody', {}, ...reports.map((r) => el('tr', { testid: 'gc-row', dataset: { id: r.id } },
      el('td', {}, `#${r.id}`),
      el('td', {}, ago(r.startedAt)),
      el('td', {}, r.trigger ?? ''),
      el('td', {}, r.dryRun ? 'dry run' : 'collect'),
      el('td', {}, el('span', { class: `badge ${r.state}` }, r.state ?? '')),
      el('td', { class: 'num' }, bytes(r.bytesReclaimed)),
      el('td', { class: 'num' }, count(r.deletedBlobs)),
      el('td', { class: 'num' }, count(r.deletedManifests)),
      el('td', { class: 'num' }, count(r.deletedTags)),
      el('td', { class: 'num' }, `${((r.durationMs ?? 0) / 1000).toFixed(1)} s`)))));
}
