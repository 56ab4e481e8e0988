/**
 * The live up/down chart: one uPlot instance per mount, fed with setData()
 * each second instead of being rebuilt, resized with its container, and
 * rebuilt only when the theme changes (uPlot bakes colours in).
 *
 * @module
 */
import uPlot from "../vendor/uplot.mjs";
import { html, useEffect, useRef } from "../lib/html.js";
import { linkHistory, subscribe, WINDOW_SECONDS } from "../lib/live.js";
import { rate } from "../lib/format.js";

const HEIGHT = 220;

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function shortRate(v) {
  return rate(v).replace("bit/s", "b").replace(" ", "");
}

function options(width) {
  const axis = {
    stroke: cssVar("--muted"),
    grid: { stroke: cssVar("--grid"), width: 1 },
    ticks: { stroke: cssVar("--grid"), width: 1 },
  };
  return {
    width,
    height: HEIGHT,
    series: [
      {},
      {
        label: "Down",
        stroke: cssVar("--down"),
        fill: cssVar("--down-fill"),
        width: 2,
        value: (_u, v) => rate(v),
      },
      {
        label: "Up",
        stroke: cssVar("--up"),
        fill: cssVar("--up-fill"),
        width: 2,
        value: (_u, v) => rate(v),
      },
    ],
    scales: {
      x: { time: true, range: (_u, _min, max) => [max - WINDOW_SECONDS, max] },
      y: { range: (_u, _min, max) => [0, Math.max(max * 1.1, 1000)] },
    },
    axes: [axis, { ...axis, size: 64, values: (_u, ticks) => ticks.map(shortRate) }],
    cursor: { drag: { x: false, y: false } },
    legend: { live: true },
  };
}

function data() {
  const h = linkHistory();
  return [h.t.slice(), h.down.slice(), h.up.slice()];
}

/** The chart; `theme` is only a dependency, so a theme switch redraws it. */
export function LiveChart({ theme }) {
  const box = useRef(null);
  useEffect(() => {
    const el = box.current;
    const plot = new uPlot(options(el.clientWidth || 300), data(), el);
    const unsubscribe = subscribe(() => plot.setData(data()));
    const resize = new ResizeObserver(() => {
      const width = el.clientWidth;
      if (width > 0 && width !== plot.width) plot.setSize({ width, height: HEIGHT });
    });
    resize.observe(el);
    return () => {
      unsubscribe();
      resize.disconnect();
      plot.destroy();
    };
  }, [theme]);
  return html`<div class="chart" ref=${box} role="img" aria-label="Link rates, last five minutes"></div>`;
}
