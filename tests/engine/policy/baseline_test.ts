// Baseline: per-device mean and deviation of normal samples, for spike tests.
import { assertEquals, assertLessOrEqual, assertThrows } from "@std/assert";
import { Baseline } from "../../../engine/policy/baseline.ts";

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

/** `level` with uniform noise of ±`spread` (a fraction of it). */
function noisy(random: () => number, level: number, spread: number): number {
  return level * (1 + spread * (random() * 2 - 1));
}

function close(actual: number, expected: number, what: string): void {
  assertLessOrEqual(Math.abs(actual - expected), Math.abs(expected) * 1e-9 + 1e-9, what);
}

Deno.test("Baseline.add() gives the exact mean and deviation of its first `window` samples", () => {
  const random = mulberry32(1);
  const baseline = new Baseline({ window: 60, minDeviation: 0 });
  const seen: number[] = [];
  for (let i = 0; i < 60; i++) {
    const rate = noisy(random, 100_000, 0.5);
    seen.push(rate);
    baseline.add(4, rate);
  }
  const mean = seen.reduce((a, b) => a + b) / seen.length;
  const variance = seen.reduce((a, b) => a + (b - mean) ** 2, 0) / seen.length;
  close(baseline.mean(4), mean, "mean");
  close(baseline.deviation(4), Math.sqrt(variance), "deviation");
  assertEquals(baseline.samples(4), 60);
  assertEquals([baseline.mean(3), baseline.deviation(3), baseline.samples(3)], [0, 0, 0]);
  assertEquals([baseline.mean(1000), baseline.samples(1000)], [0, 0]);
});

Deno.test("Baseline.add() past the window weighs each new sample 1/window", () => {
  const baseline = new Baseline({ window: 60 });
  for (let i = 0; i < 60; i++) baseline.add(0, 1000);
  // 2000 is within mean + 2 × the 1000 bytes/s floor: learnt, not a spike.
  for (let i = 0; i < 60; i++) assertEquals(baseline.add(0, 2000), false);
  close(baseline.mean(0), 2000 - 1000 * (59 / 60) ** 60, "mean");
});

Deno.test("Baseline.isSpike() is false until minSamples samples are in", () => {
  const baseline = new Baseline({ minSamples: 10 });
  for (let i = 0; i < 9; i++) baseline.add(0, 0);
  assertEquals(baseline.isSpike(0, 1e9), false);
  assertEquals(baseline.add(0, 0), false);
  assertEquals(baseline.isSpike(0, 1e9), true);
  assertEquals(baseline.isSpike(99, 1e9), false); // never seen
});

Deno.test("Baseline.isSpike() floors the deviation at minDeviation", () => {
  const floored = new Baseline(); // 1000 bytes/s, sigma 2
  const bare = new Baseline({ minDeviation: 0 });
  for (let i = 0; i < 20; i++) floored.add(0, 0), bare.add(0, 0);
  assertEquals(floored.deviation(0), 0);
  assertEquals([floored.isSpike(0, 2000), floored.isSpike(0, 2001)], [false, true]);
  assertEquals(floored.isSpike(0, 2001, 3), false); // a sigma for this question
  assertEquals(bare.isSpike(0, 1), true);
});

Deno.test("Baseline.add() flags a burst on a noisy series at exactly its index, unlearnt", () => {
  const random = mulberry32(42);
  const baseline = new Baseline();
  const spikes: number[] = [];
  let meanBefore = 0;
  for (let i = 0; i < 300; i++) {
    if (i === 137) meanBefore = baseline.mean(0);
    const rate = i === 137 ? 3_000_000 : noisy(random, 1_000_000, 0.1);
    if (baseline.add(0, rate)) spikes.push(i);
    if (i === 137) assertEquals(baseline.mean(0), meanBefore);
  }
  assertEquals(spikes, [137]);
});

Deno.test("Baseline.add() takes a sustained new level as the baseline after adoptAfter spikes", () => {
  const random = mulberry32(42);
  const baseline = new Baseline({ adoptAfter: 30 });
  const spikes: number[] = [];
  for (let i = 0; i < 400; i++) {
    const rate = noisy(random, i < 100 ? 1_000_000 : 5_000_000, 0.1);
    if (baseline.add(0, rate)) spikes.push(i);
  }
  // Samples 100 to 129 (30) are spikes; from 130 the new level is the baseline.
  assertEquals(spikes, Array.from({ length: 30 }, (_, k) => 100 + k));
  assertLessOrEqual(Math.abs(baseline.mean(0) - 5_000_000), 100_000);
});

Deno.test("Baseline.add() starts the run of spikes again after a normal sample", () => {
  const baseline = new Baseline({ adoptAfter: 30 });
  for (let i = 0; i < 20; i++) baseline.add(0, 1000);
  for (let i = 0; i < 29; i++) assertEquals(baseline.add(0, 50_000), true);
  assertEquals(baseline.add(0, 1000), false);
  for (let i = 0; i < 30; i++) assertEquals(baseline.add(0, 50_000), true, `spike ${i}`);
  assertEquals(baseline.mean(0), 50_000);
  assertEquals(baseline.samples(0), 30);
  assertEquals(baseline.add(0, 50_000), false);
});

Deno.test("Baseline.reset() forgets a device", () => {
  const baseline = new Baseline();
  for (let i = 0; i < 20; i++) baseline.add(2, 5000);
  for (let i = 0; i < 5; i++) baseline.add(2, 90_000); // a run under way
  baseline.reset(2);
  assertEquals([baseline.mean(2), baseline.deviation(2), baseline.samples(2)], [0, 0, 0]);
  assertEquals(baseline.isSpike(2, 1e9), false);
  baseline.reset(5000); // never seen: nothing to do
});

Deno.test("Baseline rejects bad options and samples with a RangeError naming them", () => {
  assertThrows(() => new Baseline({ window: 0 }), RangeError, "window");
  assertThrows(() => new Baseline({ minSamples: 1.5 }), RangeError, "minSamples");
  assertThrows(() => new Baseline({ minDeviation: -1 }), RangeError, "minDeviation");
  assertThrows(() => new Baseline({ sigma: 0 }), RangeError, "sigma");
  assertThrows(() => new Baseline({ sigma: NaN }), RangeError, "sigma");
  assertThrows(() => new Baseline({ adoptAfter: 0 }), RangeError, "adoptAfter");
  const baseline = new Baseline();
  assertThrows(() => baseline.add(-1, 5), RangeError, "device index");
  assertThrows(() => baseline.add(1.5, 5), RangeError, "device index");
  assertThrows(() => baseline.add(0, NaN), RangeError, "rate");
  assertThrows(() => baseline.add(0, -1), RangeError, "rate");
  assertThrows(() => baseline.add(0, Infinity), RangeError, "rate");
});
