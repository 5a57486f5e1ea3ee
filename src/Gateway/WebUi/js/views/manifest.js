// A manifest's details (GET /api/repositories/<name>/manifests/<ref>): tags, platforms, config, layers, annotations,
// referrers. Annotations are whatever the pusher wrote: text only.
import { bytes, el, shortDigest, time } from '../dom.js';

export function renderManifest(m) {
  const annotations = m.manifest?.annotations ?? {};
  return el('article', { class: 'card detail', testid: 'manifest-card', dataset: { digest: m.digest } },
    el('h2', {}, 'Manifest ', el('span', { class: 'mono' }, shortDigest(m.digest))),
    el('dl', { class: 'facts' },
      fact('Digest', el('span', { class: 'mono' }, m.digest)),
      fact('Media type', m.mediaType),
      m.artifactType ? fact('Artifact type', m.artifactType) : null,
      fact('Size', `${bytes(m.sizeBytes)} (manifest ${bytes(m.manifestSize)})`),
      fact('Pushed', time(m.pushedAt)),
      fact('Tags', m.tags?.length ? m.tags.join(', ') : 'untagged'),
      m.subject ? fact('Subject', el('span', { class: 'mono' }, m.subject)) : null),
    m.platforms?.length ? section('Platforms', descriptorTable(m.platforms, (p) => [p.os, p.architecture, p.variant].filter(Boolean).join('/'))) : null,
    m.config ? section('Config', descriptorTable([m.config])) : null,
    m.layers?.length ? section('Layers', descriptorTable(m.layers)) : null,
    Object.keys(annotations).length ? section('Annotations', el('dl', { class: 'facts', testid: 'annotations' },
      ...Object.entries(annotations).map(([k, v]) => fact(k, String(v))))) : null,
    section('Referrers', m.referrers?.length
      ? descriptorTable(m.referrers, (r) => r.artifactType ?? '')
      : el('p', { class: 'muted' }, 'No referrers.')));
}

function fact(name, value) {
  return [el('dt', {}, name), el('dd', {}, value)];
}

function section(title, content) {
  return el('section', {}, el('h3', {}, title), content);
}

function descriptorTable(descriptors, extra) {
  return el('table', { class: 'table compact' },
    el('tbody', {}, ...descriptors.map((d) => el('tr', {},
      el('td', { class: 'mono', title: d.digest }, shortDigest(d.digest)),
      el('td', {}, d.mediaType ?? ''),
      extra ? el('td', {}, extra(d)) : null,
      el('td', { class: 'num' }, bytes(d.sizeBytes ?? d.size))))));
}
