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
  const add = (event) => {
    rows.insertBefore(eventRow(event), rows.firstChild);
    while (rows.childElementCount > MAX_ROWS) rows.lastElementChild.remove();
  };

  api.get('/api/events').then((recent) => {
    for (const event of recent.events ?? []) add(event);
  }, (error) => replace(body, error.missing ? unavailable('The repository event feed is', 'events-unavailable') : errorNote(error)));
  return registryEvents.on(['push', 'delete', 'gc'], (_, event) => add(event));
}

function eventRow(event) {
  return el('tr', { testid: 'event-row', dataset: { type: event.type } },
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
