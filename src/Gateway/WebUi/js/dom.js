// DOM helpers. Every value reaches the page as text (textContent / text nodes), never as markup.

/**
 * el('tr', {class: 'x', testid: 'row', dataset: {name}, onclick: fn}, 'text', otherNode, [more, children])
 * Strings and numbers become text nodes; null/undefined/false children are skipped.
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'testid') node.dataset.testid = value;
    else if (name === 'text') node.textContent = String(value);
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (name === 'href') node.setAttribute('href', safeHref(value));
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
}

/** Only in-page routes and same-origin paths: a value from the server can never become a javascript: link. */
function safeHref(value) {
  const text = String(value);
  return text.startsWith('#') || (text.startsWith('/') && !text.startsWith('//')) ? text : '#';
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function replace(node, ...children) {
  // A live refresh must not take the keyboard focus away: the control that had it gets it back in the new content.
  const focused = node.contains(document.activeElement) ? document.activeElement : null;
  clear(node);
  append(node, children);
  if (focused) counterpart(focused, node)?.focus();
  return node;
}

/**
 * The element that took <element>'s place after a re-render (the same test id and accessible name), or the element
 * itself while it is still in the page; null when there is none.
 */
export function counterpart(element, within = document) {
  if (element.isConnected) return element;
  const testid = element.dataset?.testid;
  if (!testid) return null;
  const label = element.getAttribute('aria-label');
  return [...within.querySelectorAll(`[data-testid="${CSS.escape(testid)}"]`)]
    .find((candidate) => candidate.getAttribute('aria-label') === label) ?? null;
}

const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

export function bytes(value) {
  if (value === undefined || value === null || Number.isNaN(value)) return '—';
  let n = Number(value);
  let unit = 0;
  while (Math.abs(n) >= 1000 && unit < units.length - 1) {
    n /= 1000;
    unit++;
  }
  return `${unit === 0 ? n : n.toFixed(n >= 100 ? 0 : 1)} ${units[unit]}`;
}

export function count(value) {
  return value === undefined || value === null ? '—' : Number(value).toLocaleString('en');
}

/** "1 tag", "3 tags": a count with its noun in the right number. */
export function counted(value, singular, plural = `${singular}s`) {
  return `${count(value)} ${Number(value) === 1 ? singular : plural}`;
}

export function time(value) {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString('sv').replace('T', ' ');
}

/** "3 min ago" style, with the exact time as a tooltip: el('time', ...) */
export function ago(value) {
  if (!value) return el('span', { class: 'muted' }, 'never');
  const date = new Date(value);
  return el('time', { datetime: date.toISOString(), title: time(value) }, relative(date));
}

export function relative(date, now = Date.now()) {
  const seconds = Math.round((now - date.getTime()) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  const text = s < 45 ? `${s} s` : s < 5400 ? `${Math.round(s / 60)} min` : s < 129600 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86400)} d`;
  return future ? `in ${text}` : `${text} ago`;
}

export function duration(seconds) {
  if (seconds === undefined || seconds === null) return '—';
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s % 60} s`;
  return `${s} s`;
}

export function shortDigest(digest) {
  if (!digest) return '—';
  const [algorithm, hex] = String(digest).split(':');
  return hex ? `${algorithm}:${hex.slice(0, 12)}` : String(digest);
}

/** A small "not available" note for a part whose endpoint this server does not have (yet). */
export function unavailable(what, testid) {
  return el('p', { class: 'note', testid: testid ?? 'unavailable' }, `${what} not available on this server.`);
}

export function errorNote(error, testid = 'error') {
  return el('p', { class: 'note error', testid, role: 'alert' }, error?.message ?? String(error));
}

/** Calls fn at most once per `wait` ms, trailing. */
export function debounce(fn, wait) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), wait);
  };
}
