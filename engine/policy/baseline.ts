/**
 * Each device's baseline rate, to tell a spike from its usual traffic.
 *
 * The baseline is the mean and standard deviation of the device's recent
 * normal samples, weighted exponentially with a time constant of `window`
 * samples: the first `window` samples weigh the same (an exact running mean
 * and variance), later ones weigh `1 / window` each. One number pair per
 * device, no ring of samples.
 *
 * Spikes are not folded in, so a burst does not raise the bar for the next
 * one. They are instead gathered, exactly, into a separate run; when
 * `adoptAfter` spikes come in a row, the run becomes the baseline: a device
 * that starts streaming is a spike for `adoptAfter` samples, then the stream
 * is its usual traffic. A sample that is not a spike ends the run (and is
 * folded in as usual, so a new level that straddles the bar is learnt the
 * ordinary way).
 *
 * @module
 */

/** How a {@linkcode Baseline} learns and judges. */
export interface BaselineOptions {
  /** Samples in the baseline's time constant (default 60: a minute at one sample a second). */
  window?: number;
  /** Samples a device needs before anything is a spike (default 10). */
  minSamples?: number;
  /**
   * The least standard deviation a spike is measured in (default 1000 bytes/s):
   * a device idle at exactly 0 has a deviation of 0, where any byte would be
   * a spike.
   */
  minDeviation?: number;
  /** A spike is above mean + `sigma` deviations (default 2). */
  sigma?: number;
  /** Spikes in a row after which they are the new baseline (default 30). */
  adoptAfter?: number;
}

/**
 * Per-device baselines of rate samples (bytes per second), by numeric device
 * index; the arrays grow as indexes appear and nothing is allocated per sample.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { Baseline } from "./baseline.ts";
 *
 * const baseline = new Baseline({ minSamples: 10 });
 * for (let i = 0; i < 20; i++) baseline.add(0, i % 2 === 0 ? 90_000 : 110_000);
 * assertEquals(baseline.mean(0), 100_000);
 * assertEquals(Math.round(baseline.deviation(0)), 10_000);
 * assertEquals(baseline.isSpike(0, 115_000), false);
 * assertEquals(baseline.add(0, 500_000), true); // not folded in
 * assertEquals(baseline.mean(0), 100_000);
 * ```
 */
export class Baseline {
  readonly window: number;
  readonly minSamples: number;
  readonly minDeviation: number;
  readonly sigma: number;
  readonly adoptAfter: number;
  // Per device: the baseline's samples, mean and variance, and the current
  // run of spikes' count, mean and variance.
  #count = new Float64Array(0);
  #mean = new Float64Array(0);
  #var = new Float64Array(0);
  #runCount = new Float64Array(0);
  #runMean = new Float64Array(0);
  #runVar = new Float64Array(0);

  constructor(options: BaselineOptions = {}) {
    this.window = whole("window", options.window ?? 60);
    this.minSamples = whole("minSamples", options.minSamples ?? 10);
    this.minDeviation = atLeastZero("minDeviation", options.minDeviation ?? 1000);
    this.sigma = positive("sigma", options.sigma ?? 2);
    this.adoptAfter = whole("adoptAfter", options.adoptAfter ?? 30);
  }

  /**
   * Learns `rate` as `device`'s latest sample; returns whether it was a spike
   * (by `sigma`) against the baseline before it.
   */
  add(device: number, rate: number): boolean {
    this.#ensure(device);
    checkRate(rate);
    const spike = this.isSpike(device, rate);
    if (!spike) {
      this.#runCount[device] = 0;
      this.#count[device] = fold(this.#count, this.#mean, this.#var, device, rate, this.window);
      return false;
    }
    const run = fold(this.#runCount, this.#runMean, this.#runVar, device, rate, Infinity);
    this.#runCount[device] = run;
    if (run >= this.adoptAfter) {
      this.#count[device] = run;
      this.#mean[device] = this.#runMean[device];
      this.#var[device] = this.#runVar[device];
      this.#runCount[device] = 0;
    }
    return true;
  }

  /**
   * Whether `rate` is above `device`'s mean by more than `sigma` deviations
   * (the deviation floored at `minDeviation`); never before `minSamples`.
   */
  isSpike(device: number, rate: number, sigma: number = this.sigma): boolean {
    if (!((this.#count[device] ?? 0) >= this.minSamples)) return false;
    const deviation = Math.max(Math.sqrt(this.#var[device]), this.minDeviation);
    return rate > this.#mean[device] + sigma * deviation;
  }

  /** The baseline's mean, bytes/s; 0 for a device with no sample. */
  mean(device: number): number {
    return this.#mean[device] ?? 0;
  }

  /** The baseline's standard deviation, bytes/s, not floored; 0 with no sample. */
  deviation(device: number): number {
    return Math.sqrt(this.#var[device] ?? 0);
  }

  /** Samples behind the baseline (a device's count restarts at a run's length when adopted). */
  samples(device: number): number {
    return this.#count[device] ?? 0;
  }

  /** Forgets `device`'s baseline: it learns again from nothing. */
  reset(device: number): void {
    if (!(device >= 0 && device < this.#count.length)) return;
    this.#count[device] = this.#mean[device] = this.#var[device] = 0;
    this.#runCount[device] = this.#runMean[device] = this.#runVar[device] = 0;
  }

  #ensure(device: number): void {
    if (device < this.#count.length && device >= 0 && device === Math.floor(device)) return;
    if (!Number.isInteger(device) || device < 0) {
      throw new RangeError(`device index must be a whole number >= 0, got ${device}`);
    }
    let n = Math.max(this.#count.length, 64);
    while (n <= device) n *= 2;
    this.#count = grown(this.#count, n);
    this.#mean = grown(this.#mean, n);
    this.#var = grown(this.#var, n);
    this.#runCount = grown(this.#runCount, n);
    this.#runMean = grown(this.#runMean, n);
    this.#runVar = grown(this.#runVar, n);
  }
}

// One step of an exponentially weighted mean and (population) variance, the
// sample weighing 1/n up to n = window: exact while n <= window (West 1979).
function fold(
  count: Float64Array,
  mean: Float64Array,
  variance: Float64Array,
  i: number,
  x: number,
  window: number,
): number {
  const n = count[i] + 1;
  const w = 1 / Math.min(n, window);
  const diff = x - mean[i];
  const step = w * diff;
  mean[i] += step;
  variance[i] = (1 - w) * (variance[i] + diff * step);
  return n;
}

function grown(a: Float64Array, n: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

function checkRate(rate: number): void {
  if (!(rate >= 0 && rate < Infinity)) {
    throw new RangeError(`rate must be a finite number >= 0 bytes/s, got ${rate}`);
  }
}

function whole(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`baseline ${name} must be a whole number >= 1, got ${value}`);
  }
  return value;
}

function positive(name: string, value: number): number {
  if (!(value > 0 && value < Infinity)) {
    throw new RangeError(`baseline ${name} must be a finite number > 0, got ${value}`);
  }
  return value;
}

function atLeastZero(name: string, value: number): number {
  if (!(value >= 0 && value < Infinity)) {
    throw new RangeError(`baseline ${name} must be a finite number >= 0, got ${value}`);
  }
  return value;
}
