// A window's average bytes/s from an entry's or row's window figures.
import { BUCKET, W_10S, W_BUCKET, W_OLD_1M, W_OLD_5M, W_SUM_1M, W_SUM_5M } from "./_usage_state.ts";

/**
 * The average bytes/s in direction `direction` over the last `window`
 * (10, 60 or 300) seconds, with `open` the open second and `closed` the
 * seconds closed since the first tick, from the figures at `at`. The 10 s
 * window is exact. The others are summed from 10-second buckets: the closed
 * seconds of the current bucket, the whole buckets before it, and of the
 * oldest bucket the share of it still in the window (as if its bytes were
 * spread evenly): exact for steady traffic, and when the meter is younger
 * than the window (all its bytes, over the seconds since the first tick).
 */
export function windowAverage(
  a: Float64Array,
  at: number,
  direction: number,
  window: number,
  open: number,
  closed: number,
): number {
  if (!(closed > 0)) return 0;
  if (window === 10) return a[at + W_10S + direction] / Math.min(10, closed);
  const sum = window === 60 ? W_SUM_1M : W_SUM_5M, old = window === 60 ? W_OLD_1M : W_OLD_5M;
  const recent = a[at + sum + direction] + a[at + W_BUCKET + direction];
  const oldest = a[at + old + direction];
  if (closed <= window) return (recent + oldest) / closed;
  const inBucket = open - Math.floor(open / BUCKET) * BUCKET;
  return (recent + oldest * (BUCKET - inBucket) / BUCKET) / window;
}
