// The x axis of every chart: one-line time labels sized to what they show, spaced so that they never overlap
// (uPlot's default spaces time ticks 50 px apart, narrower than "10:05am" plus a date).

export const AXIS_FONT = '12px system-ui, sans-serif';

const DAY = 86400;
const pad = (n) => String(n).padStart(2, '0');

/** The widest label of a span needs this many px between ticks, gap included. */
function spaceFor(span) {
  if (span <= 600) return 75; // 12:34:56
  if (span <= DAY) return 65; // 12:34
  return 100; // 11-27 12:00, 2026-11-27
}

/** A tick's text: the shortest form that still tells ticks of this increment and span apart. */
export function timeLabel(seconds, increment, span) {
  const d = new Date(seconds * 1000);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (increment < 60) return `${hm}:${pad(d.getSeconds())}`;
  if (increment < DAY) return span > DAY ? `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}` : hm;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * uPlot axis options for the time axis of a chart drawn into `target`. The labels drawn last, their positions and
 * font go into target.dataset.xTicks (JSON {font, ticks: [{x, text}]}) for the browser tests: a canvas holds no text.
 */
export function timeAxis(target, base) {
  let drawn = [];
  return {
    axis: {
      ...base,
      font: AXIS_FONT,
      space: (u, _axis, min, max) => spaceFor((max ?? 0) - (min ?? 0)),
      values: (u, splits, _axis, _space, increment) => {
        const span = (u.scales.x.max ?? 0) - (u.scales.x.min ?? 0);
        const labels = splits.map((s) => (s === null || s === undefined ? '' : timeLabel(s, increment, span)));
        drawn = splits.map((s, i) => ({ value: s, text: labels[i] }));
        return labels;
      },
    },
    hook: (u) => {
      const ticks = drawn.map((t) => ({ x: Math.round(u.valToPos(t.value, 'x')), text: t.text }));
      target.dataset.xTicks = JSON.stringify({ font: AXIS_FONT, ticks });
    },
  };
}
