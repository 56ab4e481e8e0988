/**
 * Automatic priorities: each device is High, Normal or Low from its recent
 * usage, the average of down + up over a sliding window of one-second
 * samples, with a spike test against the device's own
 * {@linkcode Baseline}, and hysteresis so that a device does not flap.
 *
 * A sample's target class is Low when the window average is above
 * `lowAbove`, or when the sample (down + up) is a spike against the baseline
 * and also above `highBelow` (so that idle noise is no spike); otherwise High
 * when the average is below `highBelow`, else Normal. The class changes once
 * `confirm` samples in a row share a target other than the current class;
 * a sample whose target is anything else starts the count again. A new
 * device starts Normal.
 *
 * The confirmation alone does not stop a device whose average sits right on
 * a threshold from changing class every few seconds: the optional `band`
 * makes leaving Low or High need the average a fraction clear of the
 * threshold too (a Schmitt trigger), off by default.
 *
 * Feeding: each second, call {@linkcode AutoPriority.sample} for the devices
 * that had traffic, then {@linkcode AutoPriority.tick} once with the same
 * time. The tick feeds a zero sample to the devices that are still settling
 * (traffic in their window, or a class other than the idle one, or a change
 * under way); a device that was idle and stays idle is in no list and costs
 * nothing. Seconds a device missed (no sample and no tick) count as zero
 * samples, applied when it is next fed (up to 240 of them: enough to
 * settle the class, and for the baseline to forget the old level). Feeding
 * every device every second, zeros included, works as well and gives the
 * same classes.
 *
 * @module
 */

import { PRIORITIES } from "./policy_types.ts";
import type { AutoConfig, Priority } from "./policy_types.ts";
import { Baseline } from "./baseline.ts";
import type { BaselineOptions } from "./baseline.ts";
import { describe, type ReasonFigures, utcClock } from "./_auto_reason.ts";
import { grown, RateWindows } from "./_rate_window.ts";
import { IndexSet } from "./_index_set.ts";
import { checkAutoConfig } from "./_auto_config.ts";

const HIGH = 0, NORMAL = 1, LOW = 2; // indexes into PRIORITIES
/** Why a device has its class: never sampled, new, window average, spike. */
const NONE = 0, START = 1, AVERAGE = 2, SPIKE = 3;

/** Tuning beyond {@linkcode AutoConfig}. */
export interface AutoPriorityOptions {
  /**
   * How far past its threshold the average must go to leave Low or High, as
   * a fraction of the threshold (default 0: the thresholds alone): with 0.2,
   * Low holds while the average is above 0.8 × lowAbove, High while it is
   * below 1.2 × highBelow. Entering Low or High is unchanged.
   */
  band?: number;
  /** The spike baseline's tuning; its sigma is `spikeSigma`. */
  baseline?: Omit<BaselineOptions, "sigma">;
}

/**
 * Per-device automatic priority classes, by numeric device index. Rates are
 * bytes/s, times epoch ms; nothing is allocated per sample.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { AutoPriority } from "./auto_priority.ts";
 *
 * const auto = new AutoPriority({
 *   enabled: true, window: 10, lowAbove: 3_125_000, highBelow: 625_000, // 25 and 5 Mbit/s
 *   confirm: 3, band: 0, spikeSigma: 2, latencySensitive: [],
 * });
 * for (let s = 0; s < 14; s++) auto.sample(7, 4_775_000, 0, s * 1000); // 38.2 Mbit/s down
 * auto.tick(13_000);
 * assertEquals(auto.priority(7), "low");
 * assertEquals(
 *   auto.reason(7),
 *   "Low since 00:00:02: download 38.2 Mbit/s over 3 s > 25 Mbit/s threshold, confirmed 3 samples",
 * );
 * ```
 */
export class AutoPriority {
  readonly window: number;
  readonly confirm: number;
  readonly lowAbove: number;
  readonly highBelow: number;
  readonly spikeSigma: number;
  readonly band: number;
  readonly #baseline: Baseline;
  readonly #windows: RateWindows;
  /** The thresholds for leaving Low and High (band applied). */
  readonly #lowHolds: number;
  readonly #highHolds: number;
  /** The class of a device with an empty window: High unless highBelow is 0. */
  readonly #idle: number;
  #capacity = 0;
  /** The last second fed (NaN: never). */
  #lastSecond = new Float64Array(0);
  // The class, the change under way (target and samples so far), since when.
  #class = new Uint8Array(0);
  #pending = new Uint8Array(0);
  #streak = new Int32Array(0);
  #since = new Float64Array(0);
  // Figures from the sample that made the class, for reason().
  #why = new Uint8Array(0);
  #whyDown = new Float64Array(0);
  #whyUp = new Float64Array(0);
  #whyHeld = new Int32Array(0);
  #whyMean = new Float64Array(0);
  #whyDeviation = new Float64Array(0);
  /** Devices still settling, for tick(). */
  readonly #live = new IndexSet();
  #changed = new Int32Array(0);

  /**
   * `config.enabled` and `config.latencySensitive` are not read here: they
   * are the caller's. Bad numbers: RangeError naming the field.
   */
  constructor(config: AutoConfig, options: AutoPriorityOptions = {}) {
    this.band = options.band ?? config.band ?? 0;
    checkAutoConfig(config, this.band);
    this.window = config.window;
    this.confirm = config.confirm;
    this.highBelow = config.highBelow;
    this.lowAbove = config.lowAbove;
    this.spikeSigma = config.spikeSigma;
    this.#lowHolds = this.lowAbove * (1 - this.band);
    this.#highHolds = this.highBelow * (1 + this.band);
    this.#baseline = new Baseline({ ...options.baseline, sigma: this.spikeSigma });
    this.#windows = new RateWindows(this.window);
    this.#idle = 0 < this.highBelow ? HIGH : NORMAL;
  }

  /**
   * Feeds `device`'s rates for the second of `timeMs`; returns its new class
   * when that differs from its class before the call, else null. Missed
   * seconds before it are fed as zeros first (changes among them collapse
   * into the one answer).
   */
  sample(device: number, down: number, up: number, timeMs: number): Priority | null {
    if (!(device >= 0 && device < this.#capacity && device === (device | 0))) this.#grow(device);
    if (!(down >= 0 && down < Infinity && up >= 0 && up < Infinity)) {
      throw new RangeError(`rates must be finite numbers >= 0 bytes/s, got ${down} and ${up}`);
    }
    if (!Number.isFinite(timeMs)) throw new RangeError(`time must be finite ms, got ${timeMs}`);
    const before = this.#class[device];
    const second = Math.floor(timeMs / 1000);
    if (this.#lastSecond[device] !== this.#lastSecond[device]) { // NaN: a new device
      this.#since[device] = timeMs;
      this.#why[device] = START;
    } else this.#catchUp(device, second);
    this.#step(device, down, up, timeMs);
    this.#lastSecond[device] = second;
    if (!this.#live.has(device) && !this.#settled(device)) this.#live.add(device);
    const after = this.#class[device];
    return after === before ? null : PRIORITIES[after];
  }

  /**
   * Feeds a zero sample for the second of `timeMs` to each settling device
   * not sampled in it; returns how many changed class, read with
   * {@linkcode AutoPriority.changed}. Call once a second, after the samples.
   */
  tick(timeMs: number): number {
    if (!Number.isFinite(timeMs)) throw new RangeError(`time must be finite ms, got ${timeMs}`);
    const second = Math.floor(timeMs / 1000);
    const live = this.#live;
    if (this.#changed.length < live.size) this.#changed = new Int32Array(this.#capacity);
    let changes = 0, i = 0;
    while (i < live.size) {
      const device = live.at(i);
      if (this.#lastSecond[device] < second) {
        const before = this.#class[device];
        this.#catchUp(device, second);
        this.#step(device, 0, 0, timeMs);
        this.#lastSecond[device] = second;
        if (this.#class[device] !== before) this.#changed[changes++] = device;
      }
      if (this.#settled(device)) live.delete(device); // the last one moves to i
      else i++;
    }
    return changes;
  }

  /** Devices still settling: the ones the next tick() visits. */
  get settling(): number {
    return this.#live.size;
  }

  /** The `i`th device that changed class in the last tick(). */
  changed(i: number): number {
    return this.#changed[i];
  }

  /** `device`'s class (Normal for a device never sampled). */
  priority(device: number): Priority {
    return PRIORITIES[this.#class[device] ?? NORMAL];
  }

  /** When `device`'s class started, epoch ms; NaN for a device never sampled. */
  since(device: number): number {
    return this.#since[device] ?? NaN;
  }

  /**
   * Why `device` has its class, in words and figures, built now:
   * "Low since 14:02:11: download 38.2 Mbit/s over 10 s > 25 Mbit/s
   * threshold, confirmed 3 samples". Rates are in bits; `clock` writes the
   * time of day (default: UTC "HH:MM:SS"; pass one for a local time zone).
   */
  reason(device: number, clock: (ms: number) => string = utcClock): string {
    const why = this.#why[device] ?? NONE;
    const figures: ReasonFigures = {
      priority: this.priority(device),
      since: this.since(device),
      kind: why === NONE ? "none" : why === START ? "start" : why === SPIKE ? "spike" : "average",
      down: this.#whyDown[device],
      up: this.#whyUp[device],
      seconds: this.#whyHeld[device],
      mean: this.#whyMean[device],
      deviation: this.#whyDeviation[device],
      sigma: this.spikeSigma,
      lowAbove: this.lowAbove,
      highBelow: this.highBelow,
      confirm: this.confirm,
    };
    return describe(figures, clock);
  }

  /** Forgets `device`: its index may be reused for another device, which starts afresh. */
  forget(device: number): void {
    if (!(device >= 0 && device < this.#capacity && device === (device | 0))) return;
    this.#live.delete(device);
    this.#windows.clear(device);
    this.#lastSecond[device] = this.#since[device] = NaN;
    this.#class[device] = NORMAL;
    this.#pending[device] = this.#streak[device] = this.#why[device] = 0;
    this.#baseline.reset(device);
  }

  // Zero samples for the seconds between the device's last and `second`; at
  // most enough to empty the window and confirm the idle class, or to let
  // the baseline (time constant `window`) forget a level to below 2%.
  #catchUp(device: number, second: number): void {
    const gap = second - this.#lastSecond[device] - 1;
    if (!(gap > 0)) return;
    const n = Math.min(gap, Math.max(this.window + this.confirm, 4 * this.#baseline.window));
    for (let k = n; k > 0; k--) this.#step(device, 0, 0, (second - k) * 1000);
  }

  #step(device: number, down: number, up: number, timeMs: number): void {
    const windows = this.#windows, current = this.#class[device];
    windows.push(device, down, up);
    const averageDown = windows.down(device), averageUp = windows.up(device);
    const average = averageDown + averageUp, rate = down + up;
    let target = NORMAL, why = AVERAGE;
    if (average > (current === LOW ? this.#lowHolds : this.lowAbove)) target = LOW;
    else if (rate > this.highBelow && this.#baseline.isSpike(device, rate)) {
      target = LOW, why = SPIKE;
    } else if (average < (current === HIGH ? this.#highHolds : this.highBelow)) target = HIGH;

    if (target === current) this.#streak[device] = 0;
    else {
      const streak = this.#pending[device] === target ? this.#streak[device] + 1 : 1;
      this.#pending[device] = target;
      if (streak < this.confirm) this.#streak[device] = streak;
      else {
        this.#class[device] = target;
        this.#streak[device] = 0;
        this.#since[device] = timeMs;
        this.#why[device] = why;
        if (why === SPIKE) {
          this.#whyDown[device] = down, this.#whyUp[device] = up, this.#whyHeld[device] = 1;
          this.#whyMean[device] = this.#baseline.mean(device);
          this.#whyDeviation[device] = Math.max(
            this.#baseline.deviation(device),
            this.#baseline.minDeviation,
          );
        } else {
          this.#whyDown[device] = averageDown;
          this.#whyUp[device] = averageUp;
          this.#whyHeld[device] = windows.held(device);
        }
      }
    }
    this.#baseline.add(device, rate);
  }

  #settled(device: number): boolean {
    return this.#windows.idle(device) && this.#streak[device] === 0 &&
      this.#class[device] === this.#idle;
  }

  #grow(device: number): void {
    if (!Number.isInteger(device) || device < 0 || device > 0x7fffffff) {
      throw new RangeError(`device index must be a whole number >= 0, got ${device}`);
    }
    let n = Math.max(this.#capacity, 64);
    while (n <= device) n *= 2;
    this.#windows.grow(n);
    this.#lastSecond = grown(this.#lastSecond, n, NaN);
    this.#since = grown(this.#since, n, NaN);
    this.#whyDown = grown(this.#whyDown, n);
    this.#whyUp = grown(this.#whyUp, n);
    this.#whyMean = grown(this.#whyMean, n);
    this.#whyDeviation = grown(this.#whyDeviation, n);
    this.#streak = grown(this.#streak, n);
    this.#whyHeld = grown(this.#whyHeld, n);
    this.#live.grow(n);
    this.#class = grown(this.#class, n, NORMAL);
    this.#pending = grown(this.#pending, n);
    this.#why = grown(this.#why, n);
    this.#capacity = n;
  }
}
