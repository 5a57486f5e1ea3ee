// Throughput: a live chart of the last five minutes, one point a second (/api/throughput/stream: bytes in/out and
// requests by kind), and the persisted history by minute, hour or day (GET /api/throughput).
import { api, url } from '../api.js';
import { bytes, el, errorNote, replace, unavailable } from '../dom.js';
import { openStream } from '../live.js';
import { lineChart } from '../chart.js';

const WINDOW_SECONDS = 300;
const KINDS = ['blobPush', 'blobPull', 'manifestPush', 'manifestPull', 'other'];
const KIND_LABELS = ['blob push', 'blob pull', 'manifest push', 'manifest pull', 'other'];
const HISTORY_SPAN = { minute: 2 * 3600, hour: 7 * 86400, day: 365 * 86400 };

const rate = (v) => `${bytes(v)}/s`;
const perSecond = (v) => `${Number(v).toFixed(v < 10 ? 1 : 0)}/s`;

export function renderThroughput(container) {
  const liveState = el('span', { class: 'muted', testid: 'throughput-state' });
  const summary = el('p', { class: 'muted', testid: 'throughput-summary' });
  const liveBytes = el('div', { class: 'chart', testid: 'throughput-live' });
  const liveRequests = el('div', { class: 'chart', testid: 'throughput-requests' });
  const liveBody = el('div', {}, summary, liveBytes, liveRequests);
  const resolution = el('select', { testid: 'history-resolution', 'aria-label': 'History resolution' },
    ...Object.keys(HISTORY_SPAN).map((r) => el('option', { value: r }, `by ${r}`)));
  const historyChart = el('div', { class: 'chart', testid: 'throughput-history' });
  const historyBody = el('div', {}, historyChart);
  replace(container,
    el('div', { class: 'title-row' }, el('h1', {}, 'Throughput'), liveState),
    el('h2', {}, 'Live (last 5 minutes)'), liveBody,
    el('div', { class: 'title-row' }, el('h2', {}, 'History'), resolution), historyBody);

  const live = new Map();
  let bytesChart = null;
  let requestsChart = null;
  let stream = null;
  let historyPlot = null;

  const draw = () => {
    const now = Math.max(Math.floor(Date.now() / 1000) - 1, ...live.keys());
    for (const t of [...live.keys()]) if (t <= now - WINDOW_SECONDS) live.delete(t);
    const times = [];
    for (let t = now - WINDOW_SECONDS + 1; t <= now; t++) times.push(t);
    const at = (t) => live.get(t);
    bytesChart.update([times, times.map((t) => at(t)?.bytesIn ?? 0), times.map((t) => at(t)?.bytesOut ?? 0)]);
    requestsChart.update([times, ...KINDS.map((k) => times.map((t) => at(t)?.kinds?.[k]?.requests ?? 0))]);
    let totalIn = 0;
    let totalOut = 0;
    let requests = 0;
    for (const bucket of live.values()) {
      totalIn += bucket.bytesIn ?? 0;
      totalOut += bucket.bytesOut ?? 0;
      requests += bucket.requests ?? 0;
    }
    // For the browser tests: what the chart holds, readable without parsing the canvas.
    Object.assign(liveBytes.dataset, { points: String(live.size), bytesIn: String(totalIn), bytesOut: String(totalOut), lastT: String(now) });
    summary.textContent = `Last 5 minutes: ${bytes(totalIn)} in, ${bytes(totalOut)} out, ${requests.toLocaleString('en')} requests.`;
  };

  const addBucket = (bucket) => {
    if (typeof bucket?.t === 'number') live.set(bucket.t, bucket);
  };

  const startLive = async () => {
    try {
      const recent = await api.get(url('/api/throughput', { resolution: 'second', from: Math.floor(Date.now() / 1000) - WINDOW_SECONDS }));
      bytesChart = lineChart(liveBytes, { title: 'Bytes per second', series: ['in', 'out'], format: rate });
      requestsChart = lineChart(liveRequests, { title: 'Requests per second by kind', series: KIND_LABELS, format: perSecond });
      for (const bucket of recent.buckets ?? []) addBucket(bucket);
      draw();
    } catch (error) {
      replace(liveBody, error.missing ? unavailable('Throughput recording is', 'throughput-unavailable') : errorNote(error));
      return;
    }
    stream = openStream('/api/throughput/stream', {
      throughput: (bucket) => {
        addBucket(bucket);
        draw();
      },
    }, {
      onState: (s) => {
        liveState.textContent = s === 'live' ? '● live' : s;
        liveState.dataset.state = s;
      },
    });
  };

  const loadHistory = async () => {
    const chosen = resolution.value;
    try {
      const answer = await api.get(url('/api/throughput', { resolution: chosen, from: Math.floor(Date.now() / 1000) - HISTORY_SPAN[chosen] }));
      const data = fillGaps(answer);
      historyPlot?.destroy();
      replace(historyChart);
      historyPlot = lineChart(historyChart, { title: `Bytes per ${chosen}`, series: ['in', 'out'], format: bytes, bars: true });
      historyPlot.update(data);
      historyChart.dataset.buckets = String(answer.buckets?.length ?? 0);
      historyChart.dataset.bytesIn = String((answer.buckets ?? []).reduce((sum, b) => sum + (b.bytesIn ?? 0), 0));
    } catch (error) {
      historyPlot?.destroy();
      historyPlot = null;
      replace(historyBody, error.missing ? unavailable('Throughput history is', 'history-unavailable') : errorNote(error));
    }
  };
  resolution.addEventListener('change', loadHistory);

  startLive();
  loadHistory();
  const historyTimer = setInterval(loadHistory, 60000);
  return () => {
    stream?.close();
    clearInterval(historyTimer);
    bytesChart?.destroy();
    requestsChart?.destroy();
    historyPlot?.destroy();
  };
}

/** History omits empty buckets: put zeros back from the first bucket to now so the line does not bridge idle time. */
function fillGaps(answer) {
  const step = answer.bucketSeconds ?? 60;
  const byTime = new Map((answer.buckets ?? []).map((b) => [b.t, b]));
  const times = [];
  if (byTime.size > 0) {
    const first = Math.min(...byTime.keys());
    const last = Math.max(Math.floor((answer.now ?? 0) / step) * step, ...byTime.keys());
    for (let t = first; t <= last && times.length < 5000; t += step) times.push(t);
  }
  return [times, times.map((t) => byTime.get(t)?.bytesIn ?? 0), times.map((t) => byTime.get(t)?.bytesOut ?? 0)];
}
