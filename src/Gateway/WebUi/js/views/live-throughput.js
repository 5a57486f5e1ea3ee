// The live throughput charts (Throughput view, and the overview's small one): the recent seconds from
// GET /api/throughput?resolution=second, then one bucket a second from /api/throughput/stream.
import { api, url } from '../api.js';
import { bytes, el, errorNote, replace, unavailable } from '../dom.js';
import { openStream } from '../live.js';
import { lineChart } from '../chart.js';

export const WINDOW_SECONDS = 120;
export const KINDS = ['blobPush', 'blobPull', 'manifestPush', 'manifestPull', 'other'];
export const KIND_LABELS = ['blob push', 'blob pull', 'manifest push', 'manifest pull', 'other'];

const rate = (v) => `${bytes(v)}/s`;
const perSecond = (v) => `${Number(v).toFixed(v < 10 ? 1 : 0)}/s`;

/** Fills `body`; returns the clean-up. `requests` adds the requests-by-kind chart; onState follows the stream. */
export function liveThroughput(body, { requests = true, height = 220, onState = () => {} } = {}) {
  const summary = el('p', { class: 'muted', testid: 'throughput-summary' });
  const bytesTarget = el('div', { class: 'chart', testid: 'throughput-live' });
  const requestsTarget = requests ? el('div', { class: 'chart', testid: 'throughput-requests' }) : null;
  replace(body, summary, bytesTarget, requestsTarget);

  const live = new Map();
  let bytesChart = null;
  let requestsChart = null;
  let stream = null;
  let disposed = false;

  const draw = () => {
    const now = Math.max(Math.floor(Date.now() / 1000) - 1, ...live.keys());
    for (const t of [...live.keys()]) if (t <= now - WINDOW_SECONDS) live.delete(t);
    const times = [];
    for (let t = now - WINDOW_SECONDS + 1; t <= now; t++) times.push(t);
    const at = (t) => live.get(t);
    bytesChart.update([times, times.map((t) => at(t)?.bytesIn ?? 0), times.map((t) => at(t)?.bytesOut ?? 0)]);
    requestsChart?.update([times, ...KINDS.map((k) => times.map((t) => at(t)?.kinds?.[k]?.requests ?? 0))]);
    let totalIn = 0;
    let totalOut = 0;
    let count = 0;
    for (const bucket of live.values()) {
      totalIn += bucket.bytesIn ?? 0;
      totalOut += bucket.bytesOut ?? 0;
      count += bucket.requests ?? 0;
    }
    // For the browser tests: what the chart holds, readable without parsing the canvas.
    Object.assign(bytesTarget.dataset, { points: String(live.size), bytesIn: String(totalIn), bytesOut: String(totalOut), lastT: String(now) });
    summary.textContent = `Last ${WINDOW_SECONDS / 60} minutes: ${bytes(totalIn)} in, ${bytes(totalOut)} out, ${count.toLocaleString('en')} requests.`;
  };

  const addBucket = (bucket) => {
    if (typeof bucket?.t === 'number') live.set(bucket.t, bucket);
  };

  const start = async () => {
    try {
      const recent = await api.get(url('/api/throughput', { resolution: 'second', from: Math.floor(Date.now() / 1000) - WINDOW_SECONDS }));
      if (disposed) return;
      bytesChart = lineChart(bytesTarget, { title: 'Bytes per second', series: ['in', 'out'], format: rate, height });
      if (requestsTarget) {
        requestsChart = lineChart(requestsTarget, { title: 'Requests per second by kind', series: KIND_LABELS, format: perSecond, height });
      }
      for (const bucket of recent.buckets ?? []) addBucket(bucket);
      draw();
    } catch (error) {
      replace(body, error.missing ? unavailable('Throughput recording is', 'throughput-unavailable') : errorNote(error));
      return;
    }
    stream = openStream('/api/throughput/stream', {
      throughput: (bucket) => {
        addBucket(bucket);
        draw();
      },
    }, { onState });
  };

  start();
  return () => {
    disposed = true;
    stream?.close();
    bytesChart?.destroy();
    requestsChart?.destroy();
  };
}
