// Repository events: recent ones (GET /api/events), then live from the page-wide stream (push, delete, gc).
import { api } from '../api.js';
import { bytes, el, errorNote, replace, shortDigest, time, unavailable } from '../dom.js';
import { registryEvents } from '../live.js';

const MAX_ROWS = 500;

export function renderEvents(container) {
  const rows = el('tbody', { testid: 'event-rows' });
  const table = el('table', { class: 'table', testid: 'event-table' },
    el('thead', {}, el('tr', {}, ...['Time', 'Event', 'Repository', 'Reference', 'Details'].map((h) => el('th', {}, h)))), rows);
  const body = el('div', {}, table);
  replace(container, el('h1', {}, 'Events'), body);
  // An event can reach the page twice: in the list and on the stream, when it happens while the list loads. Live
  // events wait until the list is shown (so rows stay newest first), and each id is shown once.
  const seen = new Set();
  let pending = [];
  const add = (event) => {
    const id = event.id === undefined || event.id === null ? null : String(event.id);
    if (id !== null) {
      if (seen.has(id)) return;
      seen.add(id);
    }
    rows.insertBefore(eventRow(event, id), rows.firstChild);
    while (rows.childElementCount > MAX_ROWS) {
      seen.delete(rows.lastElementChild.dataset.id);
      rows.lastElementChild.remove();
    }
  };
  const flush = () => {
    const held = pending;
    pending = null;
    for (const event of held) add(event);
  };

  api.get('/api/events').then((recent) => {
    for (const event of recent.events ?? []) add(event);
    flush();
  }, (error) => {
    pending = null;
    replace(body, error.missing ? unavailable('The repository event feed is', 'events-unavailable') : errorNote(error));
  });
  return registryEvents.on(['push', 'delete', 'gc'], (_, event) => {
    if (pending) pending.push(event);
    else add(event);
  });
}

function eventRow(event, id) {
  return el('tr', { testid: 'event-row', dataset: { type: event.type, id: id ?? '' } },
    el('td', { class: 'nowrap' }, time(event.time)),
    el('td', {}, el('span', { class: `badge ${event.type}` }, event.type)),
    el('td', {}, event.repository ?? ''),
    el('td', { class: 'mono', title: event.digest ?? '' }, event.reference ?? shortDigest(event.digest) ?? ''),
    el('td', {}, details(event)));
}

function details(event) {
  if (event.type === 'push') return `${event.mediaType ?? ''} ${bytes(event.sizeBytes)}`;
  if (event.type === 'delete') return `${event.target ?? ''} deleted`;
  if (event.type === 'gc') {
    return event.state === 'running'
      ? `cycle #${event.gcId ?? ''} started${event.dryRun ? ' (dry run)' : ''}`
      : `cycle #${event.gcId ?? ''} ${event.outcome ?? 'finished'}: reclaimed ${bytes(event.bytesReclaimed)}, ${event.deletedBlobs ?? 0} blobs, ${event.deletedManifests ?? 0} manifests`;
  }
  return '';
}
