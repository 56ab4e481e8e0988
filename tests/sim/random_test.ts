import { assert, assertEquals, assertNotEquals, assertThrows } from "@std/assert";
import { Random } from "../../sim/random.ts";

function draws(random: Random, n: number): number[] {
  return Array.from({ length: n }, () => random.next());
}

Deno.test("Random.next() gives the same sequence for the same seed (a snapshot)", () => {
  // SFC32 seeded through SplitMix32; checked against an independent Python model.
  assertEquals(draws(new Random(1), 5), [
    2420951833,
    2513034076,
    3847892949,
    4064752930,
    1169703512,
  ]);
  assertEquals(draws(new Random(0), 3), [2899526011, 769844623, 220372281]);
  assertEquals(draws(new Random(1), 1000), draws(new Random(1), 1000));
});

Deno.test("Random.next() returns uint32s that differ between neighbouring seeds", () => {
  const firsts = new Set<number>();
  for (let seed = 0; seed < 1000; seed++) {
    const x = new Random(seed).next();
    assert(Number.isInteger(x) && x >= 0 && x < 2 ** 32, `seed ${seed}: ${x}`);
    firsts.add(x);
  }
  assertEquals(firsts.size, 1000);
  assertNotEquals(draws(new Random(0xffffffff), 4), draws(new Random(0xfffffffe), 4));
});

Deno.test("new Random() refuses a seed that is not a uint32", () => {
  for (const seed of [-1, 2 ** 32, 1.5, NaN, Infinity]) {
    assertThrows(() => new Random(seed), RangeError, "seed must be an integer");
  }
});

Deno.test("Random.float() is in [0, 1) and Random.int(n) in [0, n)", () => {
  const random = new Random(7);
  for (let i = 0; i < 10_000; i++) {
    const x = random.float();
    assert(x >= 0 && x < 1, `${x}`);
    for (const n of [1, 2, 7, 1000, 2 ** 32]) {
      const k = random.int(n);
      assert(Number.isInteger(k) && k >= 0 && k < n, `int(${n}) gave ${k}`);
    }
  }
  for (const n of [0, -1, 1.5, 2 ** 32 + 1, NaN]) {
    assertThrows(() => random.int(n), RangeError, "int(n)");
  }
});

Deno.test("Random.int() is roughly uniform (chi-square) and every bit is set half the time", () => {
  const random = new Random(12345);
  const counts = new Array(10).fill(0);
  const n = 100_000;
  for (let i = 0; i < n; i++) counts[random.int(10)]++;
  const expected = n / 10;
  const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
  assert(chi2 < 30, `chi-square ${chi2} over 9 degrees of freedom, counts ${counts}`);
  const bits = new Array(32).fill(0);
  for (let i = 0; i < 20_000; i++) {
    const x = random.next();
    for (let b = 0; b < 32; b++) bits[b] += (x >>> b) & 1;
  }
  for (const [b, ones] of bits.entries()) assert(Math.abs(ones / 20_000 - 0.5) < 0.02, `bit ${b}`);
});

Deno.test("Random.exponential() has about the mean asked for and refuses a mean not above 0", () => {
  const random = new Random(3);
  let sum = 0;
  for (let i = 0; i < 20_000; i++) {
    const x = random.exponential(30);
    assert(x >= 0 && Number.isFinite(x));
    sum += x;
  }
  const mean = sum / 20_000;
  assert(Math.abs(mean - 30) < 1.5, `mean ${mean}`);
  for (const mean of [0, -1, NaN, Infinity]) {
    assertThrows(() => random.exponential(mean), RangeError, "mean");
  }
});

Deno.test("Random.pick() reaches every item and refuses an empty list", () => {
  const random = new Random(9);
  const items = ["a", "b", "c", "d"] as const;
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) seen.add(random.pick(items));
  assertEquals([...seen].sort(), ["a", "b", "c", "d"]);
  assertThrows(() => random.pick([]), RangeError, "at least one");
});

Deno.test("Random.fork() depends on the seed and label only, not on draws made before", () => {
  const fresh = new Random(1);
  const used = new Random(1);
  draws(used, 57);
  used.float();
  assertEquals(draws(fresh.fork("tv"), 10), draws(used.fork("tv"), 10));
  assertEquals(draws(new Random(1).fork("tv"), 3), [4091683562, 198484858, 1685100383]);
  // Different labels, seeds and depths give different streams.
  const streams = [
    new Random(1).fork("tv"),
    new Random(1).fork("tv2"),
    new Random(1).fork("vt"),
    new Random(2).fork("tv"),
    new Random(1).fork("tv").fork("tv"),
    new Random(1),
  ].map((r) => draws(r, 4).join());
  assertEquals(new Set(streams).size, streams.length);
  // A fork does not move its parent.
  const parent = new Random(5), twin = new Random(5);
  parent.fork("x");
  assertEquals(parent.next(), twin.next());
  assertEquals(new Random(1).fork("").seed, new Random(1).fork("").seed);
});

Deno.test("Random.fill() writes next()'s words little-endian, any length", () => {
  const bytes = new Uint8Array(7);
  new Random(42).fill(bytes);
  const words = draws(new Random(42), 2);
  assertEquals([...bytes], [
    words[0] & 255,
    (words[0] >>> 8) & 255,
    (words[0] >>> 16) & 255,
    words[0] >>> 24,
    words[1] & 255,
    (words[1] >>> 8) & 255,
    (words[1] >>> 16) & 255,
  ]);
  const empty = new Uint8Array(0);
  new Random(1).fill(empty);
  assertEquals(empty.length, 0);
  const a = new Uint8Array(33), b = new Uint8Array(33);
  new Random(8).fill(a);
  new Random(8).fill(b);
  assertEquals(a, b);
});
