// Repositories: search, sort, paginate (GET /api/repositories); a push shows up live through the event stream.
import { api, url } from '../api.js';
import { ago, bytes, count, debounce, el, errorNote, replace } from '../dom.js';
import { registryEvents } from '../live.js';

const PAGE_SIZE = 25;

const SORTS = [
  ['name', 'Name'],
  ['size', 'Size'],
  ['tags', 'Tags'],
  ['pushed', 'Last pushed'],
  ['pulled', 'Last pulled'],
];

export function renderRepositories(container) {
  const state = { q: '', sort: 'name', order: 'asc', offset: 0, cursors: [null] };
  const search = el('input', { type: 'search', placeholder: 'Filter by name', testid: 'repo-search', 'aria-label': 'Filter repositories' });
  const sort = el('select', { testid: 'repo-sort', 'aria-label': 'Sort by' }, ...SORTS.map(([value, label]) => el('option', { value }, label)));
  const order = el('button', { type: 'button', class: 'secondary', testid: 'repo-order', title: 'Sort order' });
  // The arrow alone says nothing to a screen reader: the button names the order it shows.
  const showOrder = () => {
    order.textContent = state.order === 'asc' ? '↑' : '↓';
    order.setAttribute('aria-label', state.order === 'asc' ? 'Sort order: ascending' : 'Sort order: descending');
  };
  showOrder();
  const table = el('div', { testid: 'repo-list' });
  const pager = el('div', { class: 'pager', testid: 'repo-pager' });
  replace(container,
    el('h1', {}, 'Repositories'),
    el('div', { class: 'toolbar' }, search, sort, order),
    table,
    pager);

  let highlight = new Set();
  const load = async () => {
    const cursor = state.cursors[state.cursors.length - 1];
    try {
      const page = await api.get(url('/api/repositories', {
        q: state.q, sort: state.sort, order: state.order, n: PAGE_SIZE,
        offset: state.offset || undefined,
        last: state.sort === 'name' && state.order === 'asc' && state.offset === 0 ? cursor : undefined,
      }));
      const rows = sortRows(page.repositories ?? [], state.sort, state.order);
      replace(table, rows.length === 0
        ? el('p', { class: 'muted', testid: 'repo-empty' }, state.q ? 'No repository matches.' : 'No repositories yet: push an image.')
        : repositoryTable(rows, highlight));
      highlight = new Set();
      replace(pager, ...pagerControls(page, rows.length));
    } catch (error) {
      replace(table, errorNote(error));
    }
  };

  /** With `total` (offset paging) the server pages any sort order; without it, the `next` cursor of name order. */
  const pagerControls = (page, shown) => {
    const hasTotal = typeof page.total === 'number';
    const first = hasTotal ? state.offset + 1 : null;
    const label = hasTotal
      ? (page.total === 0 ? '0 repositories' : `${first}–${state.offset + shown} of ${count(page.total)}`)
      : `${shown} shown`;
    const prevEnabled = hasTotal ? state.offset > 0 : state.cursors.length > 1;
    const nextEnabled = hasTotal ? state.offset + shown < page.total : Boolean(page.next);
    const prev = el('button', { type: 'button', class: 'secondary', testid: 'repo-prev', disabled: !prevEnabled }, '← Previous');
    const next = el('button', { type: 'button', class: 'secondary', testid: 'repo-next', disabled: !nextEnabled }, 'Next →');
    prev.addEventListener('click', () => {
      if (hasTotal) state.offset = Math.max(0, state.offset - PAGE_SIZE);
      else state.cursors.pop();
      load();
    });
    next.addEventListener('click', () => {
      if (hasTotal) state.offset += PAGE_SIZE;
      else state.cursors.push(page.next);
      load();
    });
    return [prev, el('span', { class: 'muted', testid: 'repo-range' }, label), next];
  };

  const restart = () => {
    state.offset = 0;
    state.cursors = [null];
    load();
  };
  search.addEventListener('input', debounce(() => {
    state.q = search.value.trim();
    restart();
  }, 250));
  sort.addEventListener('change', () => {
    state.sort = sort.value;
    state.order = state.sort === 'name' ? 'asc' : 'desc';
    showOrder();
    restart();
  });
  order.addEventListener('click', () => {
    state.order = state.order === 'asc' ? 'desc' : 'asc';
    showOrder();
    restart();
  });

  const refreshSoon = debounce(load, 300);
  const unsubscribe = registryEvents.on(['push', 'delete'], (type, event) => {
    if (type === 'push' && event.repository) highlight.add(event.repository);
    refreshSoon();
  });
  load();
  return unsubscribe;
}

/** The server sorts when it can; sorting the page again keeps the order right on a server that only knows names. */
function sortRows(rows, sort, order) {
  const key = {
    name: (r) => r.name,
    size: (r) => r.uniqueBytes ?? r.sizeBytes ?? 0,
    tags: (r) => r.tags ?? 0,
    pushed: (r) => r.lastPushedAt ?? '',
    pulled: (r) => r.lastPulledAt ?? '',
  }[sort] ?? ((r) => r.name);
  const sign = order === 'desc' ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return (x < y ? -1 : x > y ? 1 : 0) * sign || (a.name < b.name ? -1 : 1);
  });
}

function repositoryTable(rows, highlight) {
  const hasUnique = rows.some((r) => r.uniqueBytes !== undefined);
  const hasPulled = rows.some((r) => r.lastPulledAt !== undefined);
  return el('table', { class: 'table', testid: 'repo-table' },
    el('thead', {}, el('tr', {},
      el('th', {}, 'Repository'), el('th', { class: 'num' }, 'Tags'), el('th', { class: 'num' }, 'Manifests'),
      el('th', { class: 'num' }, 'Size'), hasUnique ? el('th', { class: 'num' }, 'Unique / shared') : null,
      el('th', {}, 'Last pushed'), hasPulled ? el('th', {}, 'Last pulled') : null)),
    el('tbody', {}, ...rows.map((r) => el('tr', { testid: 'repo-row', dataset: { name: r.name }, class: highlight.has(r.name) ? 'fresh' : null },
      el('td', {}, el('a', { href: `#/repositories/${r.name.split('/').map(encodeURIComponent).join('/')}`, testid: 'repo-link' }, r.name)),
      el('td', { class: 'num' }, count(r.tags)),
      el('td', { class: 'num' }, count(r.manifests)),
      el('td', { class: 'num' }, bytes(r.sizeBytes)),
      hasUnique ? el('td', { class: 'num' }, `${bytes(r.uniqueBytes)} / ${bytes(r.sharedBytes)}`) : null,
      el('td', {}, ago(r.lastPushedAt)),
      hasPulled ? el('td', {}, ago(r.lastPulledAt)) : null))));
}
