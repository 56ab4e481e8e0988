// UsageMeter against a plain model that keeps every second's bytes: random
// traffic, skipped seconds and long idle gaps, checked after every tick; and
// devices forgotten at random moments, their index given to a new device.
import { assert, assertEquals } from "@std/assert";
import { UsageMeter } from "../../../engine/meter/usage_meter.ts";
import type { Directions, Usage } from "../../../engine/meter/usage_types.ts";

const DEVICES = 20, APPS = 6, CATEGORIES = 3;
const WINDOWS: [keyof Usage["windows"], number][] = [["10s", 10], ["1m", 60], ["5m", 300]];

/** bytes[row][second] = [up, down, local]; row 0 the link, d + 1 device d. */
type Model = Map<number, Map<number, number[]>>;

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function record(model: Model, key: number, second: number, direction: number, bytes: number) {
  let seconds = model.get(key);
  if (!seconds) model.set(key, seconds = new Map());
  let b = seconds.get(second);
  if (!b) seconds.set(second, b = [0, 0, 0]);
  b[direction] += bytes;
}

/** Drops seconds out of every window; totals are kept apart. */
function prune(model: Model, open: number) {
  for (const seconds of model.values()) {
    for (const s of seconds.keys()) if (s < open - 310) seconds.delete(s);
  }
}

/** Bytes each way of the seconds from..to - 1. */
function sum(seconds: Map<number, number[]>, from: number, to: number): number[] {
  const sums = [0, 0, 0];
  for (const [s, b] of seconds) {
    if (s >= from && s < to) { for (let k = 0; k < 3; k++) sums[k] += b[k]; }
  }
  return sums;
}

/**
 * The meter's definition: 10 s exact; 1 min and 5 min from 10-second
 * buckets, the oldest one's share in the window taken as if spread evenly.
 */
function average(seconds: Map<number, number[]>, w: number, open: number, first: number) {
  const closed = open - first;
  if (closed <= 0) return [0, 0, 0];
  if (w === 10) return sum(seconds, open - 10, open).map((b) => b / Math.min(10, closed));
  const bucketStart = Math.floor(open / 10) * 10, inBucket = open - bucketStart;
  const recent = sum(seconds, bucketStart - w + 10, open);
  const oldest = sum(seconds, bucketStart - w, bucketStart - w + 10);
  return recent.map((r, k) =>
    closed <= w ? (r + oldest[k]) / closed : (r + oldest[k] * (10 - inBucket) / 10) / w
  );
}

function expected(model: Model, key: number, open: number, first: number) {
  const seconds = model.get(key) ?? new Map<number, number[]>();
  const last = seconds.get(open - 1) ?? [0, 0, 0];
  const rate: Directions = { up: last[0], down: last[1], local: last[2] };
  const windows = {} as Usage["windows"];
  for (const [name, w] of WINDOWS) {
    const [up, down, local] = average(seconds, w, open, first);
    windows[name] = { up, down, local };
  }
  return { rate, windows };
}

for (const seed of [1, 2, 3]) {
  Deno.test(`UsageMeter matches a per-second model (seed ${seed})`, () => {
    const random = mulberry32(seed);
    const forgetting = mulberry32(seed + 100); // apart, so the traffic is the same as without
    let forgets = 0;
    const meter = new UsageMeter();
    for (let a = 1; a < APPS; a++) meter.apps.id(`app${a}`);
    for (let c = 1; c < CATEGORIES; c++) meter.categories.id(`cat${c}`);
    const devices: Model = new Map(), entries: Model = new Map();
    const totals = new Map<number, number[]>();
    const minute = new Map<number, number[]>();
    let second = 1_700_000_000;
    const first = second;
    meter.tick(second + random());
    for (let step = 0; step < 1200; step++) {
      const busy = step % 400 < 200 ? 60 : 4; // bursts that grow the log, then quiet
      const adds = Math.floor(random() * busy);
      for (let i = 0; i < adds; i++) {
        if (forgetting() < 0.003) {
          // Anywhere in a second: the open second's bytes are the forgotten device's too.
          const gone = Math.floor(forgetting() * DEVICES);
          const pending = meter.forgetDevice(gone);
          const want = minute.get(gone);
          assertEquals(
            pending && [pending.device, pending.up, pending.down, pending.local],
            want ? [gone, ...want] : null,
            `pending bytes of device ${gone} at step ${step}`,
          );
          devices.delete(gone + 1);
          totals.delete(gone + 1);
          minute.delete(gone);
          for (let app = 0; app < APPS; app++) {
            for (let cat = 0; cat < CATEGORIES; cat++) {
              entries.delete(((gone + 1) * APPS + app) * CATEGORIES + cat);
            }
          }
          forgets++;
        }
        // Low device numbers are busier, so others sit idle through whole windows.
        const device = Math.floor(random() ** 2 * DEVICES);
        const app = Math.floor(random() * APPS), cat = Math.floor(random() * CATEGORIES);
        const direction = Math.floor(random() * 3) as 0 | 1 | 2;
        const bytes = 1 + Math.floor(random() * 1500);
        const inLink = direction !== 2 || random() < 0.5;
        meter.add(device, direction, app, cat, bytes, 1, inLink);
        record(devices, device + 1, second, direction, bytes);
        for (const row of inLink ? [0, device + 1] : [device + 1]) {
          let t = totals.get(row);
          if (!t) totals.set(row, t = [0, 0, 0]);
          t[direction] += bytes;
        }
        record(entries, ((device + 1) * APPS + app) * CATEGORIES + cat, second, direction, bytes);
        if (inLink) {
          record(devices, 0, second, direction, bytes);
          record(entries, app * CATEGORIES + cat, second, direction, bytes);
        }
        let m = minute.get(device);
        if (!m) minute.set(device, m = [0, 0, 0]);
        m[direction] += bytes;
      }
      const r = random();
      second += r < 0.9
        ? 1
        : r < 0.99
        ? 2 + Math.floor(random() * 20)
        : 290 + Math.floor(random() * 30);
      meter.tick(second + random());
      prune(devices, second);
      prune(entries, second);
      for (let row = 0; row <= DEVICES; row++) {
        const usage = row === 0 ? meter.link() : meter.device(row - 1);
        const want = expected(devices, row, second, first);
        assertEquals(usage.rate, want.rate, `row ${row} rate at step ${step}`);
        assertEquals(usage.windows, want.windows, `row ${row} windows at step ${step}`);
        const { up, down, local } = usage.totals;
        assertEquals([up, down, local], totals.get(row) ?? [0, 0, 0], `row ${row} totals`);
        if (step % 3 !== 0) continue;
        for (const app of usage.apps) {
          const key = (row * APPS + meter.apps.find(app.app)) * CATEGORIES +
            meter.categories.find(app.category);
          const e = expected(entries, key, second, first);
          assertEquals([app.rate, app.windows], [e.rate, e.windows], `row ${row} ${app.app}`);
        }
      }
      if (step % 97 === 96) {
        const taken = meter.takeMinute().map((m) => [m.device, m.up, m.down, m.local]);
        const want = [...minute].sort((a, b) => a[0] - b[0]).map(([d, b]) => [d, ...b]);
        assertEquals(taken, want, `minute at step ${step}`);
        minute.clear();
      }
    }
    assert(forgets > 20, `only ${forgets} devices forgotten`);
  });
}
