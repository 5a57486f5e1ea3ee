// Entry point: session, navigation (hash routes), the live-status dot and the page-wide event stream.
import { ApiError, loadSession, logout, session, whenUnauthorized } from './api.js';
import { el, errorNote, replace } from './dom.js';
import { registryEvents } from './live.js';
import { renderLogin } from './views/login.js';
import { renderOverview } from './views/overview.js';
import { renderRepositories } from './views/repositories.js';
import { renderRepository } from './views/repository.js';
import { renderManagement } from './views/management.js';
import { renderLogs } from './views/logs.js';
import { renderEvents } from './views/events.js';
import { renderThroughput } from './views/throughput.js';

const main = document.getElementById('view');
const nav = document.querySelector('[data-testid="nav"]');
const liveDot = document.querySelector('[data-testid="live-status"]');
const userLabel = document.querySelector('[data-testid="session-user"]');
const logoutButton = document.querySelector('[data-testid="logout"]');

const views = {
  overview: renderOverview,
  repositories: renderRepositories,
  repository: renderRepository,
  management: renderManagement,
  logs: renderLogs,
  events: renderEvents,
  throughput: renderThroughput,
};

/** The shown view's clean-up (closes its streams and timers). */
let disposeView = () => {};
let loggedIn = false;

/** "#/repositories/library/alpine" → {view: 'repository', argument: 'library/alpine'} */
function parseRoute(hash) {
  const path = hash.replace(/^#\/?/, '');
  const [first, ...rest] = path.split('/');
  if (first === 'repositories' && rest.length > 0) {
    return { view: 'repository', argument: rest.map(decodeURIComponent).join('/') };
  }
  return { view: views[first] ? first : 'overview', argument: null };
}

function render() {
  disposeView();
  disposeView = () => {};
  if (!loggedIn) return;
  const route = parseRoute(location.hash);
  const active = route.view === 'repository' ? 'repositories' : route.view;
  for (const link of nav.querySelectorAll('a[data-view]')) {
    link.classList.toggle('active', link.dataset.view === active);
    if (link.dataset.view === active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const container = el('section', { class: 'view', testid: `view-${route.view}` });
  replace(main, container);
  try {
    disposeView = views[route.view](container, route.argument) ?? (() => {});
  } catch (error) {
    replace(container, errorNote(error));
  }
}

function showLoggedIn() {
  loggedIn = true;
  nav.hidden = false;
  userLabel.textContent = session.authEnabled ? session.user ?? '' : '';
  logoutButton.hidden = !session.authEnabled;
  registryEvents.start();
  probeDashboard();
  render();
}

function showLogin(message) {
  loggedIn = false;
  disposeView();
  disposeView = () => {};
  registryEvents.stop();
  nav.hidden = true;
  userLabel.textContent = '';
  logoutButton.hidden = true;
  const container = el('section', { class: 'view', testid: 'view-login' });
  replace(main, container);
  renderLogin(container, message, showLoggedIn);
}

registryEvents.addEventListener('state', (event) => {
  liveDot.dataset.state = event.detail;
  // The dot's colour is its message: the same words as its tooltip are its text alternative (role="img").
  liveDot.title = {
    live: 'Live updates on',
    connecting: 'Connecting to live updates…',
    reconnecting: 'Live updates interrupted, reconnecting…',
    unavailable: 'Live updates not available on this server',
    off: 'Live updates off',
  }[event.detail] ?? event.detail;
  liveDot.setAttribute('aria-label', liveDot.title);
});

logoutButton.addEventListener('click', async () => {
  await logout().catch(() => {});
  showLogin('Logged out.');
});

whenUnauthorized(() => {
  if (loggedIn) showLogin('Your session ended: log in again.');
});

window.addEventListener('hashchange', render);

/** The dashboard link shows only when /dashboard answers (it is optional, and admin-only with auth on). */
async function probeDashboard() {
  try {
    // The dashboard redirects /dashboard to /dashboard/: ask for its page directly.
    const response = await fetch('/dashboard/', { method: 'GET', credentials: 'same-origin', cache: 'no-store' });
    document.querySelector('[data-testid="nav-dashboard"]').hidden = !response.ok;
  } catch {
    // No dashboard.
  }
}

async function start() {
  try {
    if (await loadSession()) {
      showLoggedIn();
    } else {
      showLogin();
    }
  } catch (error) {
    replace(main, errorNote(error instanceof ApiError ? error : new Error(`The registry did not answer: ${error.message}`)));
  }
}

start();
