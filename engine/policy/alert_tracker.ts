/**
 * Alerts from what the engine measures: sustained rates, spikes, quotas,
 * time budgets, devices joining, going offline and coming back, and shaper
 * failures. Pure: every input carries its time (epoch ms).
 *
 * @module
 */
import { ALERT_KINDS, type AlertConfig, type AlertKind } from "./policy_types.ts";
import {
  type Alert,
  type AlertEvent,
  newRuleState,
  type RuleState,
  snapshot,
} from "./_alert_state.ts";
import { AlertBook } from "./_alert_book.ts";
import { KINDS } from "./_alert_slots.ts";
import { budgetProgress, quotaProgress } from "./_alert_rules.ts";
import { spikeSample, sustainedSample } from "./_alert_rates.ts";
import { checkConfig, checkDevice, checkFigure, checkName, checkTime } from "./_alert_checks.ts";

export { type Alert, ALERT_SEVERITY, type AlertEvent } from "./_alert_state.ts";

/** Timings of {@linkcode AlertTracker} beyond {@linkcode AlertConfig}, in seconds. */
export interface AlertTrackerOptions {
  /** Below the sustained rate, or without spikes, this long ends the alert (default 10). */
  clearSeconds?: number;
  /** Without a shaper failure this long ends shaper_failed (default 300). */
  shaperClearSeconds?: number;
  /** Least time between two "updated" events of one alert (default 60). */
  updateSeconds?: number;
}

/** Samples further apart than this are not consecutive: a run or a burst starts over. */
const GAP_MS = 2000;

const kind = (k: AlertKind): number => ALERT_KINDS.indexOf(k);
const SUSTAINED = kind("sustained_rate"), SPIKE = kind("spike");
const NEW_DEVICE = kind("new_device"), OFFLINE = kind("device_offline");
const BACK = kind("device_back"), SHAPER = kind("shaper_failed");

/**
 * Turns per-second samples and engine signals into alert events. Every input
 * method returns the events it causes: a shared empty array when none, and
 * the common path (a sample or tick that changes no alert) allocates nothing.
 *
 * Lifecycles, with the figures each kind carries:
 * - sustained_rate `{ rate (peak), threshold, since, seconds }`: starts on the
 *   sample that completes `sustained.seconds` consecutive samples above
 *   `sustained.rate` (a sample at time t is the rate over the second before
 *   t; samples more than 2 s apart are not consecutive); ends once no sample
 *   has been above for `clearSeconds`. A new full run while active is a repeat.
 * - spike `{ rate (peak) }`: starts on a sample the caller marks as a spike
 *   and above `spike.minRate`; each later burst of spike samples is a repeat;
 *   ends once no spike for `clearSeconds`.
 * - quota_warning, quota_reached `{ used, quota, fraction }`, time_budget_used
 *   `{ used, budget }` (seconds): once per period per device and rule, when
 *   the fraction reaches `quotaWarnAt`, or 1 (reaching 1 in one step raises
 *   only quota_reached); end when a report names a new period or the
 *   fraction falls back below. No cooldown: the period is their limit.
 * - new_device `{}`, device_back `{ seconds }` (offline for): instant, one
 *   "started" event whose alert has `end` already set.
 * - device_offline `{ lastSeen, seconds }`: starts on the tick at least
 *   `offlineAfter` after the device's last traffic; ends when it is seen
 *   again, which raises device_back (not if the cooldown held it back).
 * - shaper_failed `{ error }`: each failure is a repeat; ends after
 *   `shaperClearSeconds` without one.
 *
 * A repeat while active is merged: count and figures change at once, but an
 * "updated" event is emitted at most once per `updateSeconds` (figures that
 * merely move, such as a quota's use, emit none; "ended" always carries the
 * final figures). After an alert ends, the same kind and device does not
 * start again for `cooldown` seconds; repeats meanwhile are held back and
 * counted in the next alert's `suppressed`. Severities per kind are in
 * {@linkcode ALERT_SEVERITY}.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const alerts = new AlertTracker({
 *   sustained: { rate: 6_250_000, seconds: 3 }, spike: null,
 *   quotaWarnAt: 0.8, offlineAfter: 300, cooldown: 600,
 * });
 * const laptop = "mac:02:00:00:00:00:01";
 * assertEquals(alerts.rate(laptop, "Lucas's laptop", 9_050_000, false, 1000), []);
 * alerts.rate(laptop, "Lucas's laptop", 8_000_000, false, 2000);
 * const [event] = alerts.rate(laptop, "Lucas's laptop", 8_000_000, false, 3000);
 * assertEquals(event.type, "started");
 * assertEquals(event.alert.message, "Lucas's laptop above 50 Mbit/s for 3s (peak 72.4 Mbit/s)");
 * assertEquals(event.alert.id, "sustained_rate/mac:02:00:00:00:00:01/3000");
 * ```
 */
export class AlertTracker {
  readonly #book: AlertBook;
  readonly #rate: number;
  readonly #runMs: number;
  readonly #spikeMin: number;
  readonly #warnAt: number;
  readonly #offlineMs: number;
  readonly #clearMs: number;
  readonly #shaperClearMs: number;

  /** Throws a TypeError or RangeError naming the first bad setting. */
  constructor(config: AlertConfig, options: AlertTrackerOptions = {}) {
    const c = checkConfig(config, options);
    this.#rate = c.sustained?.rate ?? Infinity;
    this.#runMs = (c.sustained?.seconds ?? 0) * 1000;
    this.#spikeMin = c.spike?.minRate ?? Infinity;
    this.#warnAt = c.quotaWarnAt;
    this.#offlineMs = c.offlineAfter * 1000;
    this.#clearMs = (options.clearSeconds ?? 10) * 1000;
    this.#shaperClearMs = (options.shaperClearSeconds ?? 300) * 1000;
    this.#book = new AlertBook(c.cooldown * 1000, (options.updateSeconds ?? 60) * 1000);
  }

  /** A device's rate over the second before `timeMs`; a non-zero one also counts as {@linkcode seen}. */
  rate(
    device: string,
    name: string,
    bytesPerSecond: number,
    isSpike: boolean,
    timeMs: number,
  ): readonly AlertEvent[] {
    checkFigure(bytesPerSecond, "bytesPerSecond");
    if (typeof isSpike !== "boolean") throw new TypeError(`isSpike must be a boolean`);
    const i = this.#device(device, name, timeMs);
    const s = this.#book.slots;
    const gap = !(timeMs - s.lastSample[i] <= GAP_MS);
    s.lastSample[i] = timeMs;
    this.#expire(i, timeMs);
    if (bytesPerSecond > 0) this.#seen(i, timeMs);
    sustainedSample(this.#book, i, bytesPerSecond, this.#rate, this.#runMs, gap, timeMs);
    if (isSpike && bytesPerSecond > this.#spikeMin) {
      spikeSample(this.#book, i, bytesPerSecond, gap, timeMs);
    } else s.prevSpike[i] = 0;
    return this.#book.flush();
  }

  /** A quota's use in the period starting at `periodStartMs`; report at least once a period. */
  quota(
    device: string,
    name: string,
    ruleId: string,
    usedBytes: number,
    quotaBytes: number,
    periodStartMs: number,
    timeMs: number,
  ): readonly AlertEvent[] {
    checkFigure(usedBytes, "usedBytes");
    checkFigure(quotaBytes, "quotaBytes", true);
    checkTime(periodStartMs, "periodStartMs");
    const i = this.#device(device, name, timeMs);
    const r = this.#rule(i, ruleId);
    const at = this.#warnAt;
    quotaProgress(this.#book, i, ruleId, r, usedBytes, quotaBytes, at, periodStartMs, timeMs);
    return this.#book.flush();
  }

  /** A time budget's use, in seconds, in the period (local day) starting at `periodStartMs`. */
  timeBudget(
    device: string,
    name: string,
    ruleId: string,
    usedSeconds: number,
    budgetSeconds: number,
    periodStartMs: number,
    timeMs: number,
  ): readonly AlertEvent[] {
    checkFigure(usedSeconds, "usedSeconds");
    checkFigure(budgetSeconds, "budgetSeconds", true);
    checkTime(periodStartMs, "periodStartMs");
    const i = this.#device(device, name, timeMs);
    const r = this.#rule(i, ruleId);
    budgetProgress(this.#book, i, ruleId, r, usedSeconds, budgetSeconds, periodStartMs, timeMs);
    return this.#book.flush();
  }

  /** A device joined the network (it also counts as {@linkcode seen}). */
  newDevice(device: string, name: string, timeMs: number): readonly AlertEvent[] {
    const i = this.#device(device, name, timeMs);
    this.#seen(i, timeMs);
    this.#book.instant(i, NEW_DEVICE, {}, timeMs);
    return this.#book.flush();
  }

  /** Traffic from a device: ends its device_offline alert and raises device_back. */
  seen(device: string, name: string, timeMs: number): readonly AlertEvent[] {
    this.#seen(this.#device(device, name, timeMs), timeMs);
    return this.#book.flush();
  }

  /** The shaper could not apply a device's state (null device: the link's own set-up). */
  shaperFailed(
    device: string | null,
    name: string,
    error: string,
    timeMs: number,
  ): readonly AlertEvent[] {
    if (typeof error !== "string") {
      throw new TypeError(`error must be a string, got ${typeof error}`);
    }
    const i = device === null ? (checkTime(timeMs), 0) : this.#device(device, name, timeMs);
    this.#expire(i, timeMs);
    const s = this.#book.slots;
    s.lastFailure[i] = timeMs;
    const alert = s.active[i * KINDS + SHAPER];
    if (alert === null) this.#book.start(i, SHAPER, { error }, timeMs);
    else {
      alert.figures.error = error;
      this.#book.merge(alert, timeMs);
    }
    return this.#book.flush();
  }

  /** Time passes: call about once a second, for offline devices and alerts that clear with time. */
  tick(timeMs: number): readonly AlertEvent[] {
    checkTime(timeMs);
    const s = this.#book.slots;
    this.#expire(0, timeMs);
    for (let i = 1; i < s.size; i++) {
      if (s.devices[i] === null) continue;
      this.#expire(i, timeMs);
      const lastSeen = s.lastSeen[i];
      if (s.offline[i] === 1 || !(timeMs - lastSeen >= this.#offlineMs)) continue;
      s.offline[i] = 1;
      this.#book.start(i, OFFLINE, { lastSeen, seconds: (timeMs - lastSeen) / 1000 }, timeMs);
    }
    return this.#book.flush();
  }

  /** The active alerts, by start then id. */
  active(): Alert[] {
    const s = this.#book.slots;
    const alerts: Alert[] = [];
    for (const a of s.active) if (a !== null) alerts.push(snapshot(a));
    for (const rules of s.rules) {
      for (const r of rules?.values() ?? []) {
        for (const a of [r.warning, r.reached, r.budget]) if (a !== null) alerts.push(snapshot(a));
      }
    }
    return alerts.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
  }

  /** Drops a device: its active alerts end at `timeMs` (no device_back), its state goes. */
  forget(device: string, timeMs: number): readonly AlertEvent[] {
    checkDevice(device);
    checkTime(timeMs);
    const s = this.#book.slots;
    const i = s.find(device);
    if (i < 0) return this.#book.flush();
    for (let k = i * KINDS; k < (i + 1) * KINDS; k++) this.#book.close(s.active[k], timeMs);
    for (const r of s.rules[i]?.values() ?? []) {
      for (const a of [r.warning, r.reached, r.budget]) this.#book.close(a, timeMs);
    }
    s.release(i);
    return this.#book.flush();
  }

  /** The slot of a checked device, its display name updated. */
  #device(device: string, name: string, timeMs: number): number {
    checkDevice(device);
    checkName(name);
    checkTime(timeMs);
    const s = this.#book.slots;
    const i = s.slot(device);
    s.names[i] = name === "" ? device : name;
    return i;
  }

  #rule(i: number, ruleId: string): RuleState {
    if (typeof ruleId !== "string" || ruleId === "") {
      throw new TypeError(`ruleId must be a non-empty string, got ${JSON.stringify(ruleId)}`);
    }
    const rules = this.#book.slots.rules[i] ??= new Map();
    let r = rules.get(ruleId);
    if (r === undefined) rules.set(ruleId, r = newRuleState());
    return r;
  }

  #seen(i: number, timeMs: number): void {
    const s = this.#book.slots;
    const lastSeen = s.lastSeen[i];
    s.lastSeen[i] = timeMs;
    if (s.offline[i] === 0) return;
    s.offline[i] = 0;
    const k = i * KINDS + OFFLINE;
    const offline = s.active[k];
    if (offline === null) return; // held back by the cooldown: no device_back either
    const seconds = (timeMs - lastSeen) / 1000;
    offline.figures.seconds = seconds;
    s.active[k] = this.#book.close(offline, timeMs);
    this.#book.instant(i, BACK, { seconds }, timeMs);
  }

  /** Ends the alerts of slot `i` that clear with time. */
  #expire(i: number, timeMs: number): void {
    const s = this.#book.slots, k = i * KINDS;
    if (s.active[k + SUSTAINED] !== null && timeMs - s.lastAbove[i] >= this.#clearMs) {
      s.active[k + SUSTAINED] = this.#book.close(s.active[k + SUSTAINED], timeMs);
    }
    if (s.active[k + SPIKE] !== null && timeMs - s.lastSpike[i] >= this.#clearMs) {
      s.active[k + SPIKE] = this.#book.close(s.active[k + SPIKE], timeMs);
    }
    if (s.active[k + SHAPER] !== null && timeMs - s.lastFailure[i] >= this.#shaperClearMs) {
      s.active[k + SHAPER] = this.#book.close(s.active[k + SHAPER], timeMs);
    }
  }
}
