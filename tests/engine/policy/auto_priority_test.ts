// AutoPriority: classes from a sliding window, spikes and hysteresis.
import { assertEquals, assertGreaterOrEqual, assertLessOrEqual, assertThrows } from "@std/assert";
import { AutoPriority } from "../../../engine/policy/auto_priority.ts";
import type { AutoConfig, Priority } from "../../../engine/policy/policy_types.ts";

const MBIT = 125_000; // bytes/s in 1 Mbit/s

function config(changes: Partial<AutoConfig> = {}): AutoConfig {
  return {
    enabled: true,
    window: 10,
    lowAbove: 25 * MBIT,
    highBelow: 5 * MBIT,
    confirm: 3,
    band: 0,
    spikeSigma: 2,
    latencySensitive: [],
    ...changes,
  };
}

/** A seeded PRNG (mulberry32): floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Feeds `series` (download, one a second from 0 s) to device 0: the changes, by index. */
function run(auto: AutoPriority, series: number[]): [number, Priority][] {
  const changes: [number, Priority][] = [];
  series.forEach((rate, i) => {
    const to = auto.sample(0, rate, 0, i * 1000);
    if (to !== null) changes.push([i, to]);
  });
  return changes;
}

/** The first index whose window average (the last `window` samples held) is above `limit`. */
function firstAverageAbove(series: number[], window: number, limit: number): number {
  return series.findIndex((_, i) => {
    const held = series.slice(Math.max(0, i - window + 1), i + 1);
    return held.reduce((a, b) => a + b) / held.length > limit;
  });
}

const noSpikes = { spikeSigma: 1e6 }; // isolates the thresholds from the spike test

Deno.test("sample() makes a heavy device Low on the confirm-th sample past the average's crossing", () => {
  const series = [...Array(15).fill(10 * MBIT), ...Array(30).fill(38.2 * MBIT)];
  const crossing = firstAverageAbove(series, 10, 25 * MBIT);
  assertEquals(crossing, 20); // the sixth heavy sample
  for (const confirm of [1, 3, 5]) {
    const auto = new AutoPriority(config({ ...noSpikes, confirm }));
    assertEquals(run(auto, series), [[crossing + confirm - 1, "low"]], `confirm ${confirm}`);
    assertEquals(auto.since(0), (crossing + confirm - 1) * 1000);
  }
});

Deno.test("sample() makes a light device High and keeps a middling one Normal", () => {
  const light = new AutoPriority(config());
  assertEquals(run(light, Array(50).fill(0.1 * MBIT)), [[2, "high"]]);
  const middling = new AutoPriority(config());
  assertEquals(run(middling, Array(50).fill(12 * MBIT)), []);
  assertEquals(middling.priority(0), "normal");
});

Deno.test("sample() does not flap on samples that swing across a threshold", () => {
  const random = mulberry32(42);
  const auto = new AutoPriority(config());
  let crossings = 0, changes = 0, above = false;
  for (let i = 0; i < 10_000; i++) {
    const rate = 0.75 * 25 * MBIT * (1 + 0.6 * (random() * 2 - 1)); // ±60% around 18.75 Mbit/s
    if (i > 0 && rate > 25 * MBIT !== above) crossings++;
    above = rate > 25 * MBIT;
    if (auto.sample(0, rate, 0, i * 1000) !== null) changes++;
  }
  assertGreaterOrEqual(crossings, 3000); // the samples cross 25 Mbit/s all the time
  assertLessOrEqual(changes, 10); // 6 with this seed
});

Deno.test("sample() with a band does not flap on noise centred on a threshold", () => {
  const count = (band: number) => {
    const random = mulberry32(42);
    const auto = new AutoPriority(config({ window: 10 }), { band });
    let changes = 0;
    for (let i = 0; i < 10_000; i++) {
      const rate = 25 * MBIT * (1 + 0.2 * (random() * 2 - 1));
      if (auto.sample(0, rate, 0, i * 1000) !== null) changes++;
    }
    return changes;
  };
  // Confirmation alone cannot hold an average that sits on the threshold...
  assertGreaterOrEqual(count(0), 100); // 636 with this seed: a change every 16 s
  // ... a band of 20% can.
  assertLessOrEqual(count(0.2), 2);
});

Deno.test("sample() never changes class on alternating targets with confirm 3", () => {
  const patterns = [
    [30 * MBIT, 20 * MBIT], // Low, Normal, Low, ...
    [30 * MBIT, 1 * MBIT], // Low, High, ...
    [30 * MBIT, 30 * MBIT, 20 * MBIT], // two Low, one Normal
  ];
  for (const pattern of patterns) {
    const auto = new AutoPriority(config({ window: 1 }));
    const series = Array.from({ length: 3000 }, (_, i) => pattern[i % pattern.length]);
    assertEquals(run(auto, series), [], `${pattern}`);
  }
});

Deno.test("tick() promotes a device confirm samples after its average falls", () => {
  const auto = new AutoPriority(config());
  for (let s = 0; s < 20; s++) auto.sample(3, 38.2 * MBIT, 0, s * 1000);
  assertEquals(auto.priority(3), "low");
  // Silence from 20 s: after j zero samples the average is (10 - j) × 3.82 Mbit/s,
  // 25 or less from j = 4 (Normal at the 3rd: j = 6), under 5 from j = 9 (High at j = 11).
  const seen: [number, Priority][] = [];
  for (let j = 1; j <= 20; j++) {
    const n = auto.tick((19 + j) * 1000);
    for (let i = 0; i < n; i++) seen.push([j, auto.priority(auto.changed(i))]);
  }
  assertEquals(seen, [[6, "normal"], [11, "high"]]);
  assertEquals(auto.since(3), 30_000);
  assertEquals(auto.settling, 0); // idle and High: no tick visits it any more
  assertEquals(auto.tick(40_000), 0);
});

Deno.test("missed seconds are zero samples: ticks, zeros and gaps agree", () => {
  const heavy = 38.2 * MBIT;
  const seconds = (s: number) => s < 20 || (s >= 50 && s < 55); // traffic, else silence
  const zeros = new AutoPriority(config()), ticked = new AutoPriority(config());
  const gaps = new AutoPriority(config());
  const summary = (auto: AutoPriority) => [auto.priority(0), auto.since(0), auto.reason(0)];
  for (let s = 0; s < 80; s++) {
    zeros.sample(0, seconds(s) ? heavy : 0, 0, s * 1000);
    if (seconds(s)) ticked.sample(0, heavy, 0, s * 1000);
    ticked.tick(s * 1000);
    assertEquals(summary(ticked), summary(zeros), `at ${s} s`);
    if (seconds(s)) gaps.sample(0, heavy, 0, s * 1000);
    if (s === 50) assertEquals(summary(gaps), summary(zeros));
  }
  gaps.sample(0, 0, 0, 79_000);
  assertEquals(summary(gaps), summary(zeros));
  assertEquals(summary(zeros)[0], "high");
});

Deno.test("sample() flags a spike on a noisy baseline at exactly its index", () => {
  const random = mulberry32(7);
  const auto = new AutoPriority(config({ confirm: 1 }));
  const series = Array.from({ length: 200 }, () => 2 * MBIT * (1 + 0.1 * (random() * 2 - 1)));
  series[77] = 20 * MBIT; // a one-second burst, far below the 25 Mbit/s average threshold
  assertEquals(run(auto, series), [[0, "high"], [77, "low"], [78, "high"]]);
});

Deno.test("sample() makes a sustained new level Low until the baseline adopts it", () => {
  const auto = new AutoPriority(config()); // baseline adoptAfter 30
  const series = [...Array(20).fill(2 * MBIT), ...Array(60).fill(20 * MBIT)];
  const changes = run(auto, series);
  // Spikes from 20 s: Low at the third; the 30th spike (49 s) is adopted, so from
  // 50 s the average (20 Mbit/s) decides: Normal at the third, 52 s.
  assertEquals(changes, [[2, "high"], [22, "low"], [52, "normal"]]);
  assertEquals(
    auto.reason(0),
    "Normal since 00:00:52: download 20 Mbit/s over 10 s, between 5 Mbit/s and 25 Mbit/s " +
      "thresholds, confirmed 3 samples",
  );
  const spiky = new AutoPriority(config());
  run(spiky, series.slice(0, 23));
  assertEquals(
    spiky.reason(0),
    "Low since 00:00:22: download 20 Mbit/s spike > 2σ above usual 2 Mbit/s (σ 8 kbit/s), " +
      "confirmed 3 samples",
  );
});

Deno.test("reason() explains a class in figures", () => {
  const auto = new AutoPriority(config());
  // Idle, then 34 Mbit/s for 7 s and 48 Mbit/s for 3: the average passes 25 Mbit/s
  // at 11 s and is 38.2 Mbit/s over the last 10 s at 13 s.
  const series = [0, 0, 0, 0, ...Array(7).fill(34 * MBIT), ...Array(3).fill(48 * MBIT)];
  const reasons = new Map<number, string>();
  series.forEach((rate, s) => {
    if (auto.sample(0, rate, 0, s * 1000) !== null) reasons.set(s, auto.reason(0));
  });
  assertEquals([...reasons], [
    [2, "High since 00:00:02: download 0 bit/s over 3 s < 5 Mbit/s threshold, confirmed 3 samples"],
    [
      6,
      "Normal since 00:00:06: download 14.6 Mbit/s over 7 s, between 5 Mbit/s and 25 Mbit/s " +
      "thresholds, confirmed 3 samples",
    ],
    [
      13,
      "Low since 00:00:13: download 38.2 Mbit/s over 10 s > 25 Mbit/s threshold, " +
      "confirmed 3 samples",
    ],
  ]);
  assertEquals(auto.reason(0, (ms) => `${ms} ms`).slice(0, 22), "Low since 13000 ms: do");
});

Deno.test("reason() names both directions, the larger first, and new devices", () => {
  const auto = new AutoPriority(config({ confirm: 1 }));
  assertEquals(auto.reason(0), "Normal: no samples yet");
  auto.sample(0, 24 * MBIT, 2 * MBIT, 0);
  assertEquals(
    auto.reason(0),
    "Low since 00:00:00: download 24 Mbit/s + upload 2 Mbit/s over 1 s > 25 Mbit/s threshold, " +
      "confirmed 1 sample",
  );
  auto.sample(1, 0.5 * MBIT, 30 * MBIT, 0);
  assertEquals(
    auto.reason(1),
    "Low since 00:00:00: upload 30 Mbit/s + download 500 kbit/s over 1 s > 25 Mbit/s threshold, " +
      "confirmed 1 sample",
  );
  const three = new AutoPriority(config());
  three.sample(0, 12 * MBIT, 0, 3_723_000);
  assertEquals(
    three.reason(0),
    "Normal since 01:02:03: new device, Normal until 3 samples agree on another class",
  );
});

Deno.test("forget() resets a device, whose index may come back as another", () => {
  const auto = new AutoPriority(config());
  for (let s = 0; s < 20; s++) auto.sample(5, 38.2 * MBIT, 0, s * 1000);
  assertEquals([auto.priority(5), auto.settling], ["low", 1]);
  auto.forget(5);
  assertEquals([auto.priority(5), auto.since(5), auto.settling], ["normal", NaN, 0]);
  assertEquals(auto.reason(5), "Normal: no samples yet");
  // Afresh: an empty window (over 3 s) and no missed seconds since the old device.
  const times = [100_000, 101_000, 102_000];
  for (const t of times) auto.sample(5, 38.2 * MBIT, 0, t);
  assertEquals(
    auto.reason(5),
    "Low since 00:01:42: download 38.2 Mbit/s over 3 s > 25 Mbit/s threshold, confirmed 3 samples",
  );
  auto.forget(9999); // never seen: nothing to do
});

Deno.test("tick() visits settling devices only, and lists those that changed", () => {
  const auto = new AutoPriority(config());
  for (let d = 0; d < 1000; d++) auto.sample(d, d % 2 === 0 ? 0 : 12 * MBIT, 0, 0);
  assertEquals(auto.settling, 1000); // all new and Normal; none idle and High yet
  assertEquals(auto.tick(0), 0); // all sampled this second
  assertEquals(auto.tick(1000), 0);
  assertEquals(auto.tick(2000), 500); // the idle ones' third idle sample: High
  const changed = Array.from({ length: 500 }, (_, i) => auto.changed(i)).sort((a, b) => a - b);
  assertEquals(changed, Array.from({ length: 500 }, (_, i) => 2 * i));
  assertEquals(auto.settling, 500); // the busy ones still have traffic in their window
  assertEquals(auto.tick(3000), 0);
  assertEquals(auto.tick(4000), 500); // their average is under 5 Mbit/s from 2 s: High at 4 s
  assertEquals(auto.priority(1), "high");
  for (let s = 5; s < 10; s++) assertEquals([auto.tick(s * 1000), auto.settling], [0, 500]);
  assertEquals(auto.tick(10_000), 0);
  assertEquals(auto.settling, 0); // the busy second has left their window: idle, High, unvisited
});

Deno.test("AutoPriority rejects a bad configuration with a RangeError naming the field", () => {
  const bad: [Partial<AutoConfig>, string][] = [
    [{ window: 0 }, "auto.window"],
    [{ window: 2.5 }, "auto.window"],
    [{ confirm: 0 }, "auto.confirm"],
    [{ confirm: NaN }, "auto.confirm"],
    [{ highBelow: 30 * MBIT }, "auto.highBelow"],
    [{ highBelow: 25 * MBIT }, "auto.highBelow"],
    [{ highBelow: -1 }, "auto.highBelow"],
    [{ lowAbove: Infinity }, "auto.lowAbove"],
    [{ spikeSigma: 0 }, "auto.spikeSigma"],
    [{ spikeSigma: -2 }, "auto.spikeSigma"],
  ];
  for (const [changes, field] of bad) {
    assertThrows(() => new AutoPriority(config(changes)), RangeError, field);
  }
  assertThrows(() => new AutoPriority(config(), { band: 1 }), RangeError, "band");
  assertThrows(() => new AutoPriority(config(), { baseline: { window: 0 } }), RangeError, "window");
});

Deno.test("sample() and tick() reject bad input with a RangeError", () => {
  const auto = new AutoPriority(config());
  assertThrows(() => auto.sample(-1, 0, 0, 0), RangeError, "device index");
  assertThrows(() => auto.sample(1.5, 0, 0, 0), RangeError, "device index");
  assertThrows(() => auto.sample(0, NaN, 0, 0), RangeError, "rates");
  assertThrows(() => auto.sample(0, 0, -1, 0), RangeError, "rates");
  assertThrows(() => auto.sample(0, 0, 0, NaN), RangeError, "time");
  assertThrows(() => auto.tick(Infinity), RangeError, "time");
  assertEquals(auto.priority(12345), "normal");
});
