// Alerts from per-second rate samples: sustained_rate (a run of samples
// above the threshold) and spike (samples the caller's baseline calls
// spikes). Numbers in the slot tables only: nothing allocated per sample.
import { ALERT_KINDS } from "./policy_types.ts";
import type { AlertBook } from "./_alert_book.ts";
import { KINDS } from "./_alert_slots.ts";

const SUSTAINED = ALERT_KINDS.indexOf("sustained_rate"), SPIKE = ALERT_KINDS.indexOf("spike");

/** A sample of slot `i` against the sustained-rate threshold (`runMs` 0: off). */
export function sustainedSample(
  book: AlertBook,
  i: number,
  rate: number,
  threshold: number,
  runMs: number,
  gap: boolean,
  timeMs: number,
): void {
  const s = book.slots;
  if (!(rate > threshold) || runMs === 0) {
    s.runStart[i] = NaN;
    s.runCounted[i] = 0;
    return;
  }
  if (gap || Number.isNaN(s.runStart[i])) {
    s.runStart[i] = timeMs;
    s.runPeak[i] = rate;
    s.runCounted[i] = 0;
  } else if (rate > s.runPeak[i]) s.runPeak[i] = rate;
  s.lastAbove[i] = timeMs;
  const alert = s.active[i * KINDS + SUSTAINED];
  // A sample covers the second before its time: n samples a second apart cover n seconds.
  const long = timeMs - s.runStart[i] + 1000 >= runMs;
  if (alert !== null) {
    const f = alert.figures as Record<string, number>;
    if (rate > f.rate) f.rate = rate;
    f.seconds = (timeMs - f.since) / 1000;
    if (!long || s.runCounted[i] === 1) return;
    s.runCounted[i] = 1;
    book.merge(alert, timeMs);
  } else if (long && (s.runCounted[i] === 0 || !book.cooling(i, SUSTAINED, timeMs))) {
    // A run held back by the cooldown is counted once, and starts the alert once it is over.
    s.runCounted[i] = 1;
    const since = s.runStart[i] - 1000;
    const figures = { rate: s.runPeak[i], threshold, since, seconds: (timeMs - since) / 1000 };
    book.start(i, SUSTAINED, figures, timeMs);
  }
}

/** A spike sample of slot `i` (already checked against the minimum rate). */
export function spikeSample(
  book: AlertBook,
  i: number,
  rate: number,
  gap: boolean,
  timeMs: number,
): void {
  const s = book.slots;
  const burst = gap || s.prevSpike[i] === 0;
  s.prevSpike[i] = 1;
  s.lastSpike[i] = timeMs;
  const alert = s.active[i * KINDS + SPIKE];
  if (alert !== null) {
    if (rate > (alert.figures.rate as number)) alert.figures.rate = rate;
    if (burst) book.merge(alert, timeMs);
  } else if (burst || !book.cooling(i, SPIKE, timeMs)) {
    book.start(i, SPIKE, { rate }, timeMs); // held back and counted per burst while cooling
  }
}
