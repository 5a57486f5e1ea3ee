// One repository: its tags (digest, sizes, platforms, push/pull times, referrers, pull command), its manifests
// (tagged or not, when the server lists them), a manifest's details, and the delete actions with confirmation.
import { api, repositoryPath, url } from '../api.js';
import { ago, bytes, debounce, el, errorNote, replace, shortDigest, unavailable } from '../dom.js';
import { confirmAction } from '../dialog.js';
import { registryEvents } from '../live.js';
import { renderManifest } from './manifest.js';

const PAGE_SIZE = 100;

export function renderRepository(container, name) {
  const base = `/api/repositories/${repositoryPath(name)}`;
  const status = el('p', { class: 'note', testid: 'repo-status', role: 'status', hidden: true });
  const tags = el('div', { testid: 'tag-list' });
  const manifests = el('div', { testid: 'manifest-list' });
  const detail = el('div', { testid: 'manifest-detail' });
  const deleteRepository = el('button', { type: 'button', class: 'danger', testid: 'delete-repository' }, 'Delete repository');
  replace(container,
    el('p', { class: 'crumbs' }, el('a', { href: '#/repositories' }, 'Repositories'), ' / '),
    el('div', { class: 'title-row' }, el('h1', { testid: 'repo-name' }, name), deleteRepository),
    status,
    el('h2', {}, 'Tags'), tags,
    el('h2', {}, 'Manifests'), manifests,
    detail);

  const say = (text, isError = false) => {
    status.hidden = !text;
    status.textContent = text ?? '';
    status.classList.toggle('error', isError);
  };

  const inspect = async (reference) => {
    replace(detail, el('p', { class: 'muted' }, 'Loading…'));
    try {
      const manifest = await api.get(`${base}/manifests/${encodeURIComponent(reference)}`);
      replace(detail, renderManifest(manifest));
      detail.scrollIntoView({ block: 'nearest' });
    } catch (error) {
      replace(detail, errorNote(error));
    }
  };

  const deleteTag = async (tag) => {
    if (!await confirmAction('Delete tag', `Delete tag ${name}:${tag}? The manifest stays until nothing else uses it and a GC runs.`)) return;
    try {
      await api.delete(`${base}/tags/${encodeURIComponent(tag)}`);
      say(`Tag ${tag} deleted.`);
      load();
    } catch (error) {
      say(error.message, true);
    }
  };

  const deleteManifest = async (digest, tagNames) => {
    const also = tagNames?.length ? ` Its tags go with it: ${tagNames.join(', ')}.` : '';
    if (!await confirmAction('Delete manifest', `Delete manifest ${digest} from ${name}?${also}`)) return;
    try {
      await api.delete(`${base}/manifests/${encodeURIComponent(digest)}`);
      say(`Manifest ${shortDigest(digest)} deleted.`);
      replace(detail);
      load();
    } catch (error) {
      say(error.message, true);
    }
  };

  deleteRepository.addEventListener('click', async () => {
    if (!await confirmAction('Delete repository', `Delete repository ${name} with every tag and manifest? Blobs nothing else uses go at the next GC.`)) return;
    try {
      await api.delete(base);
      location.hash = '#/repositories';
    } catch (error) {
      say(error.message, true);
    }
  });

  const load = async () => {
    try {
      const page = await api.get(url(`${base}/tags`, { n: PAGE_SIZE }));
      replace(tags, (page.tags ?? []).length === 0
        ? el('p', { class: 'muted', testid: 'tag-empty' }, 'No tags.')
        : tagTable(name, page.tags, { inspect, deleteTag, deleteManifest }));
    } catch (error) {
      if (error.code === 'NAME_UNKNOWN') {
        replace(tags, el('p', { class: 'muted', testid: 'tag-empty' }, 'This repository no longer exists.'));
        replace(manifests);
        return;
      }
      replace(tags, errorNote(error));
    }
    try {
      const list = await api.get(`${base}/manifests`);
      replace(manifests, manifestTable(list.manifests ?? [], { inspect, deleteManifest }));
    } catch (error) {
      replace(manifests, error.missing ? unavailable('The list of every manifest (untagged ones too) is', 'manifests-unavailable') : errorNote(error));
    }
  };

  const refreshSoon = debounce(load, 300);
  const unsubscribe = registryEvents.on(['push', 'delete', 'gc'], (type, event) => {
    if (type === 'gc' || event.repository === name) refreshSoon();
  });
  load();
  return unsubscribe;
}

function platformText(platforms) {
  if (!platforms?.length) return '—';
  return platforms.map((p) => [p.os, p.architecture, p.variant].filter(Boolean).join('/')).join(', ');
}

/** A copy button whose outcome is also said in a polite live region (its accessible name stays the aria-label). */
function copyButton(text, testid, label) {
  const button = el('button', { type: 'button', class: 'secondary small', testid, title: 'Copy to the clipboard', 'aria-label': label }, 'Copy');
  const status = el('span', { class: 'visually-hidden', role: 'status', testid: `${testid}-status` });
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
      status.textContent = 'Copied to the clipboard';
    } catch {
      button.textContent = 'Select and copy';
      status.textContent = 'Could not copy: select the command and copy it';
    }
    setTimeout(() => {
      button.textContent = 'Copy';
      status.textContent = '';
    }, 1500);
  });
  return el('span', {}, button, status);
}

function tagTable(name, tags, actions) {
  const hasUnique = tags.some((t) => t.uniqueBytes !== undefined);
  const hasPulled = tags.some((t) => t.lastPulledAt !== undefined);
  const hasReferrers = tags.some((t) => t.referrers !== undefined);
  return el('div', { class: 'table-wrap' }, el('table', { class: 'table', testid: 'tag-table' },
    el('thead', {}, el('tr', {},
      el('th', {}, 'Tag'), el('th', {}, 'Digest'), el('th', { class: 'num' }, hasUnique ? 'Size (unique / shared)' : 'Size'),
      el('th', {}, 'Platforms'), el('th', {}, hasPulled ? 'Pushed / pulled' : 'Pushed'),
      hasReferrers ? el('th', {}, 'Referrers') : null, el('th', {}, 'Pull'), el('th', {}, ''))),
    el('tbody', {}, ...tags.map((t) => {
      const pull = `docker pull ${location.host}/${name}:${t.tag}`;
      const inspect = el('button', { type: 'button', class: 'link', testid: 'tag-inspect', 'aria-label': `Inspect ${shortDigest(t.digest)}, the manifest of ${t.tag}` }, shortDigest(t.digest));
      inspect.title = t.digest;
      inspect.addEventListener('click', () => actions.inspect(t.digest));
      const remove = el('button', { type: 'button', class: 'danger small', testid: 'delete-tag', 'aria-label': `Delete tag ${t.tag}` }, 'Delete tag');
      remove.addEventListener('click', () => actions.deleteTag(t.tag));
      return el('tr', { testid: 'tag-row', dataset: { tag: t.tag, digest: t.digest } },
        el('td', { class: 'strong', testid: 'tag-name' }, t.tag),
        el('td', { class: 'mono' }, inspect),
        el('td', { class: 'num' }, bytes(t.sizeBytes),
          hasUnique ? el('div', { class: 'muted small', testid: 'tag-unique-shared' }, `${bytes(t.uniqueBytes)} / ${bytes(t.sharedBytes)}`) : null),
        el('td', {}, platformText(t.platforms)),
        el('td', { class: 'nowrap' }, ago(t.pushedAt),
          hasPulled ? el('div', { class: 'muted small' }, 'pulled ', ago(t.lastPulledAt)) : null),
        hasReferrers ? el('td', { testid: 'tag-referrers' }, referrerList(t.referrers)) : null,
        el('td', { class: 'pull' }, el('code', { testid: 'pull-command' }, pull), ' ', copyButton(pull, 'copy-pull', `Copy the pull command of ${t.tag}`)),
        el('td', { class: 'actions' }, remove));
    }))));
}

function referrerList(referrers) {
  if (!referrers?.length) return el('span', { class: 'muted' }, 'none');
  return el('ul', { class: 'plain' }, ...referrers.map((r) => el('li', { title: r.digest },
    r.artifactType ?? r.mediaType ?? 'artifact', ' ', el('span', { class: 'muted' }, `(${bytes(r.sizeBytes)})`))));
}

function manifestTable(manifests, actions) {
  if (manifests.length === 0) return el('p', { class: 'muted' }, 'No manifests.');
  return el('div', { class: 'table-wrap' }, el('table', { class: 'table', testid: 'manifest-table' },
    el('thead', {}, el('tr', {}, ...['Digest', 'Tags', 'Type', 'Size', 'Pushed', 'Last pulled', ''].map((h) => el('th', {}, h)))),
    el('tbody', {}, ...manifests.map((m) => {
      const inspect = el('button', { type: 'button', class: 'link', testid: 'manifest-inspect', 'aria-label': `Inspect manifest ${shortDigest(m.digest)}` }, shortDigest(m.digest));
      inspect.title = m.digest;
      inspect.addEventListener('click', () => actions.inspect(m.digest));
      // A manifest that an index lists goes with its index: the registry refuses to delete it alone.
      const partOf = m.indexes ?? [];
      const remove = partOf.length
        ? null
        : el('button', { type: 'button', class: 'danger small', testid: 'delete-manifest', 'aria-label': `Delete manifest ${shortDigest(m.digest)}` }, 'Delete');
      remove?.addEventListener('click', () => actions.deleteManifest(m.digest, m.tags));
      const tags = m.tags?.length
        ? m.tags.join(', ')
        : partOf.length
          ? el('span', { class: 'muted', testid: 'manifest-in-index' }, `in index ${partOf.map(shortDigest).join(', ')}`)
          : el('span', { class: 'muted' }, 'untagged');
      return el('tr', { testid: 'manifest-row', dataset: { digest: m.digest } },
        el('td', { class: 'mono' }, inspect),
        el('td', {}, tags),
        el('td', {}, artifactOrKind(m)),
        el('td', { class: 'num' }, bytes(m.sizeBytes)),
        el('td', {}, ago(m.pushedAt)),
        el('td', {}, ago(m.lastPulledAt)),
        el('td', { class: 'actions' }, remove));
    }))));
}

/** An image's artifact type is its config's media type: say "image" then, and name real artifacts (SBOMs, signatures). */
function artifactOrKind(m) {
  const artifact = m.artifactType;
  return artifact && !artifact.startsWith('application/vnd.oci.image.config') && !artifact.startsWith('application/vnd.docker.container.image')
    ? artifact
    : shortType(m.mediaType);
}

export function shortType(mediaType) {
  if (!mediaType) return '—';
  if (mediaType.includes('index') || mediaType.includes('manifest.list')) return 'index';
  if (mediaType.includes('manifest')) return 'image';
  return mediaType;
}
