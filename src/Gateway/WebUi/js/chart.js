// uPlot (loaded by index.html as the global `uPlot`) with the page's colours, sized to its container.
import { AXIS_FONT, timeAxis } from './time-axis.js';

const SERIES_COLOURS = ['#2f6fde', '#e0702b', '#2a9d5c', '#b03a9c', '#7a7f87', '#c9a227'];

function themeColour(name, fallback) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/**
 * lineChart(target, {title, series: ['bytes in', ...], format: v => text, bars}) → {update(data), destroy()}
 * data is uPlot's columnar form: [times (unix s), series1, series2, ...].
 */
export function lineChart(target, { title, series, format, height = 220, bars = false }) {
  if (typeof window.uPlot !== 'function') throw new Error('the chart library did not load');
  const axisColour = themeColour('--muted', '#666');
  const gridColour = themeColour('--line', '#ddd');
  const axis = { stroke: axisColour, grid: { stroke: gridColour, width: 1 }, ticks: { stroke: gridColour, width: 1 } };
  const x = timeAxis(target, axis);
  const options = {
    title,
    width: plotWidth(target),
    height,
    cursor: { drag: { x: false, y: false } },
    legend: { live: true },
    // Every series is a count or a rate: the y axis starts at zero.
    scales: { x: { time: true }, y: { range: (_, __, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [x.axis, { ...axis, font: AXIS_FONT, size: 70, values: (_, ticks) => ticks.map(format) }],
    hooks: { draw: [x.hook] },
    series: [{}, ...series.map((label, i) => seriesOptions(label, SERIES_COLOURS[i % SERIES_COLOURS.length], format, bars))],
  };
  const empty = [[], ...series.map(() => [])];
  const plot = new window.uPlot(options, empty, target);
  const resize = new ResizeObserver(() => plot.setSize({ width: plotWidth(target), height }));
  resize.observe(target);
  return {
    update: (data) => plot.setData(data),
    destroy: () => {
      resize.disconnect();
      plot.destroy();
    },
  };
}

/** Lines for live data; bars for history buckets (uPlot keeps its defaults for every option left out). */
function seriesOptions(label, colour, format, bars) {
  const options = {
    label,
    stroke: colour,
    width: 1.5,
    points: { show: false },
    value: (_, v) => (v === null || v === undefined ? '—' : format(v)),
  };
  if (bars) {
    options.width = 1;
    options.fill = `${colour}99`;
    options.paths = window.uPlot.paths.bars({ size: [0.8, 40], gap: 1 });
  }
  return options;
}

/** The container's content width (its padding is 0.5rem on each side). */
function plotWidth(target) {
  return Math.max(300, target.clientWidth - 16);
}
