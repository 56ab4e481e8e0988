// Reasons for automatic priorities, in words and figures: rates in bits, times of day in UTC.

import { formatRate } from "./units.ts";

/** Epoch ms as a UTC time of day, "HH:MM:SS". */
export function utcClock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const day = ((s % 86400) + 86400) % 86400;
  return `${two(Math.floor(day / 3600))}:${two(Math.floor(day / 60) % 60)}:${two(day % 60)}`;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** What reason() knows of a device's class, rates in bytes/s. */
export interface ReasonFigures {
  priority: "high" | "normal" | "low";
  /** When the class started, epoch ms. */
  since: number;
  /** Never sampled, new device, by window average, by a spike. */
  kind: "none" | "start" | "average" | "spike";
  /** The window's averages (or the spike sample's rates). */
  down: number;
  up: number;
  /** Samples in the window then. */
  seconds: number;
  /** The baseline then (spikes), the deviation floored as judged. */
  mean: number;
  deviation: number;
  sigma: number;
  lowAbove: number;
  highBelow: number;
  confirm: number;
}

const NAMES = { high: "High", normal: "Normal", low: "Low" };

/**
 * The reason text: "Low since 14:02:11: download 38.2 Mbit/s over 10 s >
 * 25 Mbit/s threshold, confirmed 3 samples".
 */
export function describe(f: ReasonFigures, clock: (ms: number) => string): string {
  const name = NAMES[f.priority];
  if (f.kind === "none") return `${name}: no samples yet`;
  const head = `${name} since ${clock(f.since)}: `;
  if (f.kind === "start") {
    return `${head}new device, ${name} until ${samples(f.confirm)} agree on another class`;
  }
  const confirmed = `, confirmed ${samples(f.confirm)}`;
  const rates = directions(f.down, f.up);
  if (f.kind === "spike") {
    return `${head}${rates} spike > ${f.sigma}σ above usual ${formatRate(f.mean)} ` +
      `(σ ${formatRate(f.deviation)})${confirmed}`;
  }
  const over = `${rates} over ${f.seconds} s`;
  if (f.priority === "low") {
    return `${head}${over} > ${formatRate(f.lowAbove)} threshold${confirmed}`;
  }
  if (f.priority === "high") {
    return `${head}${over} < ${formatRate(f.highBelow)} threshold${confirmed}`;
  }
  return `${head}${over}, between ${formatRate(f.highBelow)} and ${formatRate(f.lowAbove)} ` +
    `thresholds${confirmed}`;
}

// The larger direction first; the other only when it carried anything.
function directions(down: number, up: number): string {
  const d = `download ${formatRate(down)}`, u = `upload ${formatRate(up)}`;
  if (down >= up) return up > 0 ? `${d} + ${u}` : d;
  return down > 0 ? `${u} + ${d}` : u;
}

function samples(n: number): string {
  return n === 1 ? "1 sample" : `${n} samples`;
}
