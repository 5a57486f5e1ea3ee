// Management: run a GC cycle now or as a dry run and see its report; view and edit retention rules (dry run first).
// Deleting tags, manifests and repositories is on each repository's page.
import { api, url } from '../api.js';
import { bytes, count, el, errorNote, replace, unavailable } from '../dom.js';
import { confirmAction } from '../dialog.js';
import { registryEvents } from '../live.js';
import { gcTable } from './overview.js';

const POLL_MS = 500;

export function renderManagement(container) {
  const gcSection = el('section', { testid: 'gc-section' });
  const retentionSection = el('section', { testid: 'retention-section' });
  replace(container, el('h1', {}, 'Management'), gcSection, retentionSection);
  const disposeGc = renderGc(gcSection);
  renderRetention(retentionSection);
  return disposeGc;
}

function renderGc(section) {
  const run = el('button', { type: 'button', class: 'danger', testid: 'gc-run' }, 'Run GC now');
  const dry = el('button', { type: 'button', class: 'secondary', testid: 'gc-dry-run' }, 'Dry run');
  const report = el('div', { testid: 'gc-report' });
  const history = el('div', { testid: 'gc-history' });
  replace(section,
    el('h2', {}, 'Garbage collection'),
    el('p', { class: 'muted' }, 'Deletes what retention rules drop, untagged manifests past the grace period, and blobs nothing references.'),
    el('div', { class: 'toolbar' }, run, dry),
    report,
    el('h3', {}, 'Recent cycles'),
    history);
  let disposed = false;

  const loadHistory = async () => {
    try {
      const overview = await api.get('/api/gc');
      replace(history, overview.history?.length ? gcTable(overview.history) : el('p', { class: 'muted' }, 'No cycle has run yet.'));
    } catch (error) {
      replace(history, errorNote(error));
    }
  };

  const start = async (dryRun) => {
    if (!dryRun && !await confirmAction('Run garbage collection', 'Delete every unreferenced blob and what the retention rules drop, now?', 'Run GC')) return;
    run.disabled = dry.disabled = true;
    replace(report, el('p', { class: 'note', testid: 'gc-progress' }, dryRun ? 'Dry run in progress…' : 'Collecting…'));
    try {
      let cycle = await api.post(url('/api/gc', { dryRun: dryRun ? 'true' : undefined }));
      while (cycle.state === 'running' && !disposed) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        cycle = await api.get(`/api/gc/${encodeURIComponent(cycle.id)}`);
      }
      replace(report, gcReport(cycle));
      loadHistory();
    } catch (error) {
      replace(report, errorNote(error));
    } finally {
      run.disabled = dry.disabled = false;
    }
  };
  run.addEventListener('click', () => start(false));
  dry.addEventListener('click', () => start(true));
  const unsubscribe = registryEvents.on(['gc'], loadHistory);
  loadHistory();
  return () => {
    disposed = true;
    unsubscribe();
  };
}

export function gcReport(cycle) {
  const items = cycle.items ?? {};
  const lists = ['tags', 'manifests', 'blobs', 'uploads', 'orphanFiles']
    .filter((k) => items[k]?.length)
    .map((k) => el('details', {}, el('summary', {}, `${k} (${items[k].length})`),
      el('ul', { class: 'plain mono' }, ...items[k].slice(0, 500).map((v) => el('li', {}, v)))));
  return el('article', { class: `card report ${cycle.state}`, testid: 'gc-result', dataset: { state: cycle.state, dryRun: String(cycle.dryRun) } },
    el('h3', {}, `Cycle #${cycle.id}: ${cycle.dryRun ? 'dry run' : 'collection'} ${cycle.state}`),
    el('dl', { class: 'facts' },
      el('dt', {}, cycle.dryRun ? 'Would reclaim' : 'Reclaimed'), el('dd', { testid: 'gc-reclaimed', dataset: { bytes: cycle.bytesReclaimed } }, bytes(cycle.bytesReclaimed)),
      el('dt', {}, 'Blobs'), el('dd', { testid: 'gc-blobs' }, count(cycle.deletedBlobs)),
      el('dt', {}, 'Manifests'), el('dd', {}, count(cycle.deletedManifests)),
      el('dt', {}, 'Tags'), el('dd', {}, count(cycle.deletedTags)),
      el('dt', {}, 'Duration'), el('dd', {}, `${((cycle.durationMs ?? 0) / 1000).toFixed(2)} s`)),
    cycle.errors?.length ? el('ul', { class: 'plain error' }, ...cycle.errors.map((e) => el('li', {}, e))) : null,
    ...lists);
}

function renderRetention(section) {
  replace(section, el('h2', {}, 'Retention'), el('p', { class: 'muted' }, 'Loading…'));
  api.get('/api/retention').then((current) => retentionEditor(section, current), (error) => {
    replace(section, el('h2', {}, 'Retention'), error.missing ? unavailable('Editing retention rules is', 'retention-unavailable') : errorNote(error));
  });
}

const EXAMPLE = [{ repository: 'ci/**', keepTags: ['latest', 'v*'], keepNewest: 5, deleteOlderThan: '7.00:00:00', deleteUntagged: true }];

function retentionEditor(section, current) {
  const source = el('p', { class: 'muted', testid: 'retention-source' });
  const editor = el('textarea', { rows: 12, spellcheck: 'false', class: 'mono', testid: 'retention-editor', 'aria-label': 'Retention rules (JSON)' });
  const dryRun = el('button', { type: 'button', class: 'secondary', testid: 'retention-dry-run' }, 'Dry run');
  const save = el('button', { type: 'button', class: 'primary', testid: 'retention-save', disabled: true }, 'Save');
  const reset = el('button', { type: 'button', class: 'secondary', testid: 'retention-reset' }, 'Back to configuration');
  const result = el('div', { testid: 'retention-result' });
  let checked = null;

  const show = (state) => {
    source.textContent = state.source === 'api'
      ? `Rules set through the API${state.updatedAt ? ` (${new Date(state.updatedAt).toLocaleString('sv')})` : ''}.`
      : 'Rules from the configuration (Nscr:Retention).';
    editor.value = JSON.stringify(state.rules?.length ? state.rules : [], null, 2);
    reset.disabled = state.source !== 'api';
    save.disabled = true;
    checked = null;
  };
  const parse = () => {
    const rules = JSON.parse(editor.value);
    if (!Array.isArray(rules)) throw new Error('The rules are a JSON array of objects.');
    return rules;
  };

  editor.addEventListener('input', () => {
    save.disabled = editor.value !== checked;
  });
  dryRun.addEventListener('click', async () => {
    dryRun.disabled = true;
    replace(result, el('p', { class: 'note' }, 'Dry run in progress…'));
    try {
      const answer = await api.put(url('/api/retention', { dryRun: 'true' }), { rules: parse() });
      replace(result, el('p', {}, 'With these rules, a cycle would delete:'), gcReport(answer.report));
      checked = editor.value;
      save.disabled = false;
    } catch (error) {
      replace(result, errorNote(error));
    } finally {
      dryRun.disabled = false;
    }
  });
  save.addEventListener('click', async () => {
    if (!await confirmAction('Save retention rules', 'Replace the retention rules for every later GC cycle, cluster-wide?', 'Save')) return;
    try {
      show(await api.put('/api/retention', { rules: parse() }));
      replace(result, el('p', { class: 'note', testid: 'retention-saved' }, 'Saved.'));
    } catch (error) {
      replace(result, errorNote(error));
    }
  });
  reset.addEventListener('click', async () => {
    if (!await confirmAction('Reset retention rules', 'Go back to the rules of the configuration?', 'Reset')) return;
    try {
      const answer = await api.delete('/api/retention');
      show(answer ?? await api.get('/api/retention'));
      replace(result, el('p', { class: 'note' }, 'Back to the configuration.'));
    } catch (error) {
      replace(result, errorNote(error));
    }
  });

  replace(section,
    el('h2', {}, 'Retention'),
    source,
    el('p', { class: 'muted' }, 'A JSON array of rules, for example: ', el('code', {}, JSON.stringify(EXAMPLE))),
    editor,
    el('div', { class: 'toolbar' }, dryRun, save, reset),
    result);
  show(current);
}
