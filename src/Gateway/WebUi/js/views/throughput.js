// Throughput: the live charts (one point a second: bytes in/out and requests by kind) and the persisted history by
// minute, hour or day (GET /api/throughput), which survives restarts.
import { api, url } from '../api.js';
import { bytes, el, errorNote, replace, unavailable } from '../dom.js';
import { lineChart } from '../chart.js';
import { KIND_LABELS, KINDS, liveThroughput, WINDOW_SECONDS } from './live-throughput.js';

const HISTORY_SPAN = { minute: 2 * 3600, hour: 7 * 86400, day: 365 * 86400 };
const requestCount = (v) => (Number.isInteger(v) ? Number(v).toLocaleString('en') : Number(v).toFixed(1));

export function renderThroughput(container) {
  const liveState = el('span', { class: 'muted', testid: 'throughput-state' });
  const liveBody = el('div', {});
  const resolution = el('select', { testid: 'history-resolution', 'aria-label': 'History resolution' },
    ...Object.keys(HISTORY_SPAN).map((r) => el('option', { value: r }, `by ${r}`)));
  const historyChart = el('div', { class: 'chart', testid: 'throughput-history' });
  const requestsChart = el('div', { class: 'chart', testid: 'throughput-history-requests' });
  const historyBody = el('div', {}, historyChart, requestsChart);
  replace(container,
    el('div', { class: 'title-row' }, el('h1', {}, 'Throughput'), liveState),
    el('h2', {}, `Live (last ${WINDOW_SECONDS / 60} minutes)`), liveBody,
    el('div', { class: 'title-row' }, el('h2', {}, 'History'), resolution), historyBody);

  let historyPlot = null;
  let requestsPlot = null;
  const destroyHistory = () => {
    historyPlot?.destroy();
    requestsPlot?.destroy();
    historyPlot = null;
    requestsPlot = null;
  };
  const disposeLive = liveThroughput(liveBody, {
    onState: (s) => {
      liveState.textContent = s === 'live' ? '● live' : s;
      liveState.dataset.state = s;
    },
  });

  const loadHistory = async () => {
    const chosen = resolution.value;
    try {
      const from = Math.floor(Date.now() / 1000) - HISTORY_SPAN[chosen];
      const answer = await api.get(url('/api/throughput', { resolution: chosen, from }));
      const [times, buckets] = fillGaps(answer, from);
      destroyHistory();
      replace(historyChart);
      replace(requestsChart);
      historyPlot = lineChart(historyChart, { title: `Bytes per ${chosen}`, series: ['in', 'out'], format: bytes, bars: true });
      historyPlot.update([times, buckets.map((b) => b?.bytesIn ?? 0), buckets.map((b) => b?.bytesOut ?? 0)]);
      requestsPlot = lineChart(requestsChart, { title: `Requests per ${chosen} by kind`, series: KIND_LABELS, format: requestCount });
      requestsPlot.update([times, ...KINDS.map((k) => buckets.map((b) => b?.kinds?.[k]?.requests ?? 0))]);
      // For the browser tests: what the charts hold, readable without parsing the canvas.
      const total = (pick) => (answer.buckets ?? []).reduce((sum, b) => sum + (pick(b) ?? 0), 0);
      historyChart.dataset.resolution = chosen;
      historyChart.dataset.buckets = String(answer.buckets?.length ?? 0);
      historyChart.dataset.bytesIn = String(total((b) => b.bytesIn));
      requestsChart.dataset.resolution = chosen;
      for (const kind of KINDS) requestsChart.dataset[kind] = String(total((b) => b.kinds?.[kind]?.requests));
    } catch (error) {
      destroyHistory();
      replace(historyBody, error.missing ? unavailable('Throughput history is', 'history-unavailable') : errorNote(error));
    }
  };
  resolution.addEventListener('change', loadHistory);

  loadHistory();
  const historyTimer = setInterval(loadHistory, 60000);
  return () => {
    disposeLive();
    clearInterval(historyTimer);
    destroyHistory();
  };
}

/** History omits empty buckets: the charts show the whole span asked for, zeros where nothing happened. */
function fillGaps(answer, from) {
  const step = answer.bucketSeconds ?? 60;
  const byTime = new Map((answer.buckets ?? []).map((b) => [b.t, b]));
  const now = answer.now ?? Math.floor(Date.now() / 1000);
  const times = [];
  for (let t = Math.floor(from / step) * step; t <= now && times.length < 5000; t += step) times.push(t);
  return [times, times.map((t) => byTime.get(t))];
}
