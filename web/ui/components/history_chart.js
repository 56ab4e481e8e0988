/**
 * A device's usage over time: bytes down and up per bucket (an hour or a
 * day) as stepped areas, one uPlot per mount, resized with its container
 * and rebuilt when the data or the theme changes (uPlot bakes colours in;
 * the device page gets no theme prop, so the chart watches for itself).
 *
 * @module
 */
import uPlot from "../vendor/uplot.mjs";
import { html, useEffect, useRef, useState } from "../lib/html.js";
import { bytes } from "../lib/format.js";

const HEIGHT = 220;
const SPAN_TEXT = { minute: "per minute", hour: "per hour", day: "per day" };

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function shortBytes(v) {
  return bytes(v).replace(" ", "");
}

function options(width, from, to, level) {
  const axis = {
    stroke: cssVar("--muted"),
    grid: { stroke: cssVar("--grid"), width: 1 },
    ticks: { stroke: cssVar("--grid"), width: 1 },
  };
  const stepped = uPlot.paths.stepped({ align: 1 });
  const series = (label, colour, fill) => ({
    label,
    stroke: cssVar(colour),
    fill: cssVar(fill),
    width: 2,
    paths: stepped,
    points: { show: false },
    value: (_u, v) => (v == null ? "–" : bytes(v)),
  });
  return {
    width,
    height: HEIGHT,
    series: [
      { value: (_u, v) => (v == null ? "–" : new Date(v * 1000).toLocaleString()) },
      series(`Down ${SPAN_TEXT[level] ?? ""}`.trim(), "--down", "--down-fill"),
      series(`Up ${SPAN_TEXT[level] ?? ""}`.trim(), "--up", "--up-fill"),
    ],
    scales: {
      x: { time: true, range: () => [from / 1000, to / 1000] },
      y: { range: (_u, _min, max) => [0, Math.max((max ?? 0) * 1.1, 1000)] },
    },
    axes: [axis, { ...axis, size: 60, values: (_u, ticks) => ticks.map(shortBytes) }],
    cursor: { drag: { x: false, y: false } },
    legend: { live: true },
  };
}

/** Re-renders when the theme changes: the toggle (data-theme) or the system's. */
function useThemeVersion() {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    const observer = new MutationObserver(bump);
    observer.observe(document.documentElement, { attributeFilter: ["data-theme"] });
    const media = matchMedia("(prefers-color-scheme: dark)");
    media.addEventListener("change", bump);
    return () => {
      observer.disconnect();
      media.removeEventListener("change", bump);
    };
  }, []);
  return version;
}

/**
 * The chart of `history` ({ level, from, to, points: [{ time, up, down }] },
 * GET /devices/:id/history); `label` names it for screen readers.
 *
 * @example
 * ```js
 * html`<${HistoryChart} history=${h} label="Usage over 24 h" />`
 * ```
 */
export function HistoryChart({ history, label }) {
  const box = useRef(null);
  const theme = useThemeVersion();
  useEffect(() => {
    const el = box.current;
    if (!el || !history) return;
    const points = history.points ?? [];
    const data = [
      points.map((p) => p.time / 1000),
      points.map((p) => p.down),
      points.map((p) => p.up),
    ];
    const plot = new uPlot(
      options(el.clientWidth || 300, history.from, history.to, history.level),
      data,
      el,
    );
    const resize = new ResizeObserver(() => {
      const width = el.clientWidth;
      if (width > 0 && width !== plot.width) plot.setSize({ width, height: HEIGHT });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [history, theme]);
  return html`<div class="chart history-chart" ref=${box} role="img" aria-label=${label}></div>`;
}
