// Argument checks for the alert tracker: a TypeError for the wrong type, a
// RangeError for a number out of range, each naming the argument. They
// build their message only when they throw, so samples stay allocation-free.
import type { AlertConfig } from "./policy_types.ts";
import type { AlertTrackerOptions } from "./alert_tracker.ts";

/** Throws unless `t` is a finite number (epoch ms). */
export function checkTime(t: number, what = "timeMs"): void {
  if (typeof t !== "number" || !Number.isFinite(t)) {
    throw new TypeError(`${what} must be a finite number of epoch ms, got ${t}`);
  }
}

/** Throws unless `x` is a finite number at least 0 (above 0 if `positive`). */
export function checkFigure(x: number, what: string, positive = false): void {
  if (typeof x !== "number" || Number.isNaN(x)) {
    throw new TypeError(`${what} must be a number, got ${x}`);
  }
  if (!Number.isFinite(x) || x < 0 || (positive && x === 0)) {
    throw new RangeError(
      `${what} must be finite and ${positive ? "above" : "at least"} 0, got ${x}`,
    );
  }
}

/** Throws unless `device` is a non-empty string. */
export function checkDevice(device: string): void {
  if (typeof device !== "string" || device === "") {
    throw new TypeError(`device must be a non-empty string, got ${JSON.stringify(device)}`);
  }
}

/** Throws unless `name` is a string ("" stands for the device id). */
export function checkName(name: string): void {
  if (typeof name !== "string") throw new TypeError(`name must be a string, got ${typeof name}`);
}

function seconds(x: unknown, what: string, min: number, minIncluded: boolean): void {
  checkFigure(x as number, what);
  if ((x as number) < min || (!minIncluded && x === min)) {
    throw new RangeError(`${what} must be ${minIncluded ? "at least" : "above"} ${min}, got ${x}`);
  }
}

/** Checks the tracker's configuration and options; returns the configuration. */
export function checkConfig(config: AlertConfig, options: AlertTrackerOptions): AlertConfig {
  if (typeof config !== "object" || config === null) {
    throw new TypeError(`the alert config must be an object, got ${config}`);
  }
  const { sustained, spike } = config;
  if (sustained !== null) {
    if (typeof sustained !== "object") {
      throw new TypeError(`alerts.sustained must be an object or null, got ${sustained}`);
    }
    seconds(sustained.rate, "alerts.sustained.rate", 0, false);
    seconds(sustained.seconds, "alerts.sustained.seconds", 1, true);
  }
  if (spike !== null) {
    if (typeof spike !== "object") {
      throw new TypeError(`alerts.spike must be an object or null, got ${spike}`);
    }
    seconds(spike.minRate, "alerts.spike.minRate", 0, true);
  }
  seconds(config.quotaWarnAt, "alerts.quotaWarnAt", 0, false);
  if (config.quotaWarnAt > 1) {
    throw new RangeError(`alerts.quotaWarnAt must be at most 1, got ${config.quotaWarnAt}`);
  }
  seconds(config.offlineAfter, "alerts.offlineAfter", 0, false);
  seconds(config.cooldown, "alerts.cooldown", 0, true);
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`options must be an object, got ${options}`);
  }
  const { clearSeconds = 10, shaperClearSeconds = 300, updateSeconds = 60 } = options;
  seconds(clearSeconds, "clearSeconds", 0, false);
  seconds(shaperClearSeconds, "shaperClearSeconds", 0, false);
  seconds(updateSeconds, "updateSeconds", 0, true);
  return config;
}
