/**
 * The simulator's random numbers: a seeded generator that gives the same
 * sequence for the same seed on every platform, so a scenario replays
 * exactly. It is SFC32 (Chris Doty-Humphrey's Small Fast Chaotic generator,
 * from PractRand: 128 bits of state, passes PractRand and BigCrush), seeded
 * through SplitMix32 so that neighbouring seeds give unrelated streams. Only
 * 32-bit integer arithmetic (`Math.imul`, `>>>`) is used, which is exact on
 * every engine, and no call allocates.
 *
 * @module
 */

const TWO_32 = 4_294_967_296;

/** SplitMix32's finaliser (Lemire's variant of MurmurHash3's fmix32): a uint32 bijection. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

/** FNV-1a over the label's UTF-16 code units: the same number for the same text everywhere. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * A deterministic pseudo-random number generator. Not for secrets.
 *
 * @example
 * ```ts
 * import { assert, assertEquals } from "@std/assert";
 * const a = new Random(1), b = new Random(1);
 * assertEquals([a.next(), a.next()], [b.next(), b.next()]);
 * const x = a.float();
 * assert(x >= 0 && x < 1);
 * // A fork depends on the seed and the label only, not on what was drawn.
 * assertEquals(new Random(1).fork("tv").next(), a.fork("tv").next());
 * ```
 */
export class Random {
  /** The seed this stream started from (a uint32), for forks and logs. */
  readonly seed: number;
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** `seed` is a uint32 (RangeError otherwise). */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed >= TWO_32) {
      throw new RangeError(`seed must be an integer from 0 to 2^32 - 1, got ${seed}`);
    }
    this.seed = seed;
    // SplitMix32: a Weyl sequence through the finaliser fills the state.
    const golden = 0x9e3779b9;
    let s = seed;
    s = (s + golden) | 0;
    this.#a = mix32(s);
    s = (s + golden) | 0;
    this.#b = mix32(s);
    s = (s + golden) | 0;
    this.#c = mix32(s);
    this.#d = 1; // SFC32's counter: guarantees a period of at least 2^32
    for (let i = 0; i < 12; i++) this.next(); // as PractRand does, to mix the seed in
  }

  /** The next uint32. */
  next(): number {
    const a = this.#a, b = this.#b, c = this.#c, d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    this.#c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** A number in [0, 1), in steps of 2^-32. */
  float(): number {
    return this.next() / TWO_32;
  }

  /** An integer in [0, n); `n` is a whole number from 1 to 2^32 (RangeError otherwise). */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_32) {
      throw new RangeError(`int(n) needs a whole n from 1 to 2^32, got ${n}`);
    }
    // Multiply-shift (Lemire): the product is exact below 2^53 and rounds by
    // far less than 2^32 above it, so the result is always below n.
    return Math.floor((this.next() * n) / TWO_32);
  }

  /** An exponentially distributed number with this mean (> 0): waits between random events. */
  exponential(mean: number): number {
    if (!(mean > 0) || !Number.isFinite(mean)) {
      throw new RangeError(`exponential(mean) needs a positive finite mean, got ${mean}`);
    }
    // 1 - float() is in (0, 1], so the log is finite.
    return -mean * Math.log(1 - this.float());
  }

  /** One of `items`, each as likely; RangeError for an empty list. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick() needs at least one item");
    return items[this.int(items.length)];
  }

  /**
   * An independent stream for `label` (a device, a flow, a timeline entry),
   * derived from this stream's seed and the label only: the same whatever
   * was drawn before, so adding a draw in one place does not change another.
   */
  fork(label: string): Random {
    return new Random(mix32(mix32(this.seed ^ 0x5bd1e995) ^ hashLabel(label)));
  }

  /** Fills `bytes` with random bytes. */
  fill(bytes: Uint8Array): void {
    const n = bytes.length, whole = n & ~3;
    let i = 0;
    while (i < whole) {
      const x = this.next();
      bytes[i++] = x;
      bytes[i++] = x >>> 8;
      bytes[i++] = x >>> 16;
      bytes[i++] = x >>> 24;
    }
    if (i < n) {
      let x = this.next();
      while (i < n) {
        bytes[i++] = x;
        x >>>= 8;
      }
    }
  }
}
