/**
 * Feeds a {@linkcode Monitor}'s closed seconds to a {@linkcode PolicyEngine}:
 * each device's internet bytes in the second (and by app, when a quota of
 * some apps needs them), then the engine's decisions and alerts to a
 * listener. Idle seconds the capture skipped are fed as empty seconds, so
 * schedules, expiries and period ends are decided at their own times.
 *
 * @module
 */
import type { Monitor } from "../monitor.ts";
import type { DeviceSecond, PolicyEngine, PolicyStep } from "./policy_engine.ts";

/** Options for {@linkcode PolicyFeed}. */
export interface PolicyFeedOptions {
  /** Each second's decisions and alerts, when it has any; `timeMs` is the second's end. */
  onStep?: (timeMs: number, step: PolicyStep) => void;
  /** A device's display name for alerts (default: its label, else its id). */
  nameOf?: (index: number) => string;
  /**
   * Idle seconds fed one by one after a silence (default 86,400); a longer
   * silence is fed as that many seconds and then one step to its end, so
   * something due inside the rest of it is decided at the silence's end.
   */
  maxGap?: number;
}

/**
 * The glue between the meter and the policy: call {@linkcode second} from
 * the monitor's `onSecond`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { LanSubnets } from "../devices/mod.ts";
 * import { Monitor } from "../monitor.ts";
 * import { parsePolicy } from "./policy_config.ts";
 * import { PolicyEngine } from "./policy_engine.ts";
 * const engine = new PolicyEngine(parsePolicy({ link: { down: "100Mbit", up: "20Mbit" } }));
 * const decided: number[] = [];
 * const feed: PolicyFeed = new PolicyFeed(engine, {
 *   onStep: (timeMs, step) => decided.push(timeMs, step.decisions.length),
 * });
 * const monitor: Monitor = new Monitor({
 *   linkType: 1,
 *   lan: LanSubnets.privateRanges(),
 *   onSecond: (second) => feed.second(monitor, second),
 * });
 * monitor.advance(1000);
 * monitor.advance(1001); // an empty second: nothing decided, nothing told
 * assertEquals(decided, []);
 * ```
 */
export class PolicyFeed {
  readonly engine: PolicyEngine;
  readonly #onStep: PolicyFeedOptions["onStep"];
  readonly #nameOf: PolicyFeedOptions["nameOf"];
  readonly #maxGap: number;
  #last = NaN;

  constructor(engine: PolicyEngine, options: PolicyFeedOptions = {}) {
    this.engine = engine;
    this.#onStep = options.onStep;
    this.#nameOf = options.nameOf;
    this.#maxGap = options.maxGap ?? 86_400;
    if (!Number.isInteger(this.#maxGap) || this.#maxGap < 0) {
      throw new RangeError(`maxGap must be an integer >= 0, got ${this.#maxGap}`);
    }
  }

  /** The last second fed (epoch seconds; NaN before the first). */
  get lastSecond(): number {
    return this.#last;
  }

  /**
   * Second `second` (epoch seconds) closed in `monitor`: feeds the idle
   * seconds before it, then it, read from `monitor.meter.closed`.
   */
  second(monitor: Monitor, second: number): void {
    if (!Number.isInteger(second)) throw new RangeError(`second must be an integer, got ${second}`);
    if (second <= this.#last) return; // fed already
    const last = this.#last;
    if (last === last) {
      const gapEnd = Math.min(second - 1, last + this.#maxGap);
      for (let s = last + 1; s <= gapEnd; s++) this.#step((s + 1) * 1000, []);
      if (gapEnd < second - 1) this.#step(second * 1000, []);
    }
    this.#last = second;
    this.#step((second + 1) * 1000, this.#devices(monitor));
  }

  #devices(monitor: Monitor): DeviceSecond[] {
    const closed = monitor.meter.closed, devices = monitor.devices;
    const out: DeviceSecond[] = [];
    for (let i = 0; i < closed.devices; i++) {
      const index = closed.device(i);
      const down = closed.bytes(index, 1), up = closed.bytes(index, 0);
      if (down + up === 0) continue; // LAN traffic alone: not the internet's
      const label = devices.label(index), id = devices.id(index);
      const d: DeviceSecond = {
        index,
        id,
        name: this.#nameOf?.(index) ?? label ?? id,
        labelled: label !== null,
        down,
        up,
      };
      if (this.engine.needsApps) d.apps = closed.apps(index);
      out.push(d);
    }
    return out;
  }

  #step(timeMs: number, devices: DeviceSecond[]): void {
    const step = this.engine.second(timeMs, devices);
    if (step.decisions.length + step.alerts.length > 0) this.#onStep?.(timeMs, step);
  }
}
