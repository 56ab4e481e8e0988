// What the web benchmark runs in every page before the page's own scripts:
// it wraps performance.mark so that each "sluice:snapshot" → "sluice:rendered"
// pair (marked by the UI's lib/live.js, and by the peer alike) becomes one
// update, timed to the rendered mark (script) and to a forced synchronous
// style + layout just after it (script + layout). The first update of a page
// load is also timed to the paint after it (the next frame), from navigation
// start. The figures collect in `globalThis.__bench`.

/** One update as the probe records it, ms from the snapshot's arrival. */
export interface UpdateTiming {
  script: number;
  layout: number;
}

/** A page load's first data, ms from navigation start. */
export interface FirstData {
  rendered: number;
  laid: number;
  /** 0 until the frame after it has painted. */
  painted: number;
  /** Chromium's first-contentful-paint (the shell, before any data), or null. */
  fcp: number | null;
}

/** The probe, as a script for `BrowserContext.addInitScript({ content })`. */
export const PROBE = `(() => {
  const bench = globalThis.__bench = { updates: [], first: null };
  let t0 = 0;
  const mark = performance.mark.bind(performance);
  // After the next paint: a task queued from the next animation frame runs once it is painted.
  const afterPaint = (fn) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => fn(performance.now());
    channel.port2.postMessage(0);
  });
  performance.mark = (name, options) => {
    const entry = mark(name, options);
    if (name === "sluice:snapshot") t0 = entry.startTime;
    else if (name === "sluice:rendered" && t0 > 0) {
      const script = entry.startTime - t0;
      document.body.offsetHeight; // style + layout, synchronously
      const laid = performance.now();
      bench.updates.push({ script, layout: laid - t0 });
      if (!bench.first) {
        const first = bench.first = { rendered: entry.startTime, laid, painted: 0, fcp: null };
        afterPaint((t) => {
          first.painted = t;
          first.fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null;
        });
      }
      t0 = 0;
    }
    return entry;
  };
})();`;

/** Median, p95 (nearest rank) and max of `values`. */
export interface Summary {
  n: number;
  median: number;
  p95: number;
  max: number;
}

/**
 * Summarises timings.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(summarise([3, 1, 2]), { n: 3, median: 2, p95: 3, max: 3 });
 * ```
 */
export function summarise(values: number[]): Summary {
  if (values.length === 0) return { n: 0, median: NaN, p95: NaN, max: NaN };
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return {
    n: s.length,
    median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2,
    p95: s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)],
    max: s[s.length - 1],
  };
}
