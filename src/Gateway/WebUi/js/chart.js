// uPlot (loaded by index.html as the global `uPlot`) with the page's colours, sized to its container.

const SERIES_COLOURS = ['#2f6fde', '#e0702b', '#2a9d5c', '#b03a9c', '#7a7f87', '#c9a227'];

function themeColour(name, fallback) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/**
 * lineChart(target, {title, series: ['bytes in', ...], format: v => text}) → {update(data), destroy()}
 * data is uPlot's columnar form: [times (unix s), series1, series2, ...].
 */
export function lineChart(target, { title, series, format, height = 220 }) {
  if (typeof window.uPlot !== 'function') throw new Error('the chart library did not load');
  const axisColour = themeColour('--muted', '#666');
  const gridColour = themeColour('--line', '#ddd');
  const axis = { stroke: axisColour, grid: { stroke: gridColour, width: 1 }, ticks: { stroke: gridColour, width: 1 } };
  const options = {
    title,
    width: Math.max(300, target.clientWidth),
    height,
    cursor: { drag: { x: false, y: false } },
    legend: { live: true },
    scales: { x: { time: true } },
    axes: [axis, { ...axis, size: 70, values: (_, ticks) => ticks.map(format) }],
    series: [{}, ...series.map((label, i) => ({
      label,
      stroke: SERIES_COLOURS[i % SERIES_COLOURS.length],
      width: 1.5,
      points: { show: false },
      value: (_, v) => (v === null || v === undefined ? '—' : format(v)),
    }))],
  };
  const empty = [[], ...series.map(() => [])];
  const plot = new window.uPlot(options, empty, target);
  const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(300, target.clientWidth), height }));
  resize.observe(target);
  return {
    update: (data) => plot.setData(data),
    destroy: () => {
      resize.disconnect();
      plot.destroy();
    },
  };
}
