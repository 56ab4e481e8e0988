/**
 * Usage as plain data, and pure helpers to check and add it up. What one
 * device moved in one period (a minute, an hour, a day, or any range).
 *
 * @module
 */

/** Bytes sent and received by one app: `[up, down]`. */
export type AppUsage = [up: number, down: number];

/**
 * What a device moved in one period, in bytes (wire lengths).
 *
 * - `up`: sent by the device to the internet; `down`: received from it.
 * - `local`: exchanged with other devices on the LAN, both directions.
 * - `apps`: `up` and `down` split by app id (catalogue ids such as
 *   "youtube"); the apps normally add up to `up` and `down`. Traffic no app
 *   was found for is under {@linkcode UNKNOWN_APP_ID}; a sample may also
 *   give it as "", which is stored as "unknown".
 */
export interface UsageRecord {
  up: number;
  down: number;
  local: number;
  apps: Record<string, AppUsage>;
}

/** One device's usage in one minute, as {@linkcode UsageHistory.writeMinute} takes it. */
export interface UsageSample extends UsageRecord {
  deviceId: string;
}

/** One period of a device's series: the period's start (epoch ms) and its usage. */
export interface UsagePoint extends UsageRecord {
  start: number;
}

/** The app id of traffic no app was found for. */
export const UNKNOWN_APP_ID = "unknown";

/** A record with nothing in it. */
export function emptyUsage(): UsageRecord {
  return { up: 0, down: 0, local: 0, apps: {} };
}

/**
 * Adds `source` into `target` (which is changed) and returns `target`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const a: UsageRecord = { up: 1, down: 2, local: 0, apps: { dns: [1, 2] } };
 * addUsage(a, { up: 10, down: 20, local: 5, apps: { dns: [1, 1], web: [9, 19] } });
 * assertEquals(a, { up: 11, down: 22, local: 5, apps: { dns: [2, 3], web: [9, 19] } });
 * ```
 */
export function addUsage(target: UsageRecord, source: UsageRecord): UsageRecord {
  target.up += source.up;
  target.down += source.down;
  target.local += source.local;
  for (const app in source.apps) {
    const [up, down] = source.apps[app];
    // hasOwn: an app id such as "constructor" must not find Object.prototype's.
    const have = Object.hasOwn(target.apps, app) ? target.apps[app] : undefined;
    if (have) {
      have[0] += up;
      have[1] += down;
    } else target.apps[app] = [up, down];
  }
  return target;
}

/** A new record holding the sum of `records`. */
export function sumUsage(records: Iterable<UsageRecord>): UsageRecord {
  const total = emptyUsage();
  for (const r of records) addUsage(total, r);
  return total;
}

/** A deep copy of a record (its `apps` pairs are not shared). */
export function copyUsage(record: UsageRecord): UsageRecord {
  return addUsage(emptyUsage(), record);
}

/** Internet bytes both ways (`up + down`): what quotas and rankings count. */
export function usageBytes(record: UsageRecord): number {
  return record.up + record.down;
}

/**
 * Adds each device's usage into `into` (created per device as needed), so a
 * device listed twice in one batch counts once with both amounts.
 */
export function addByDevice(
  into: Map<string, UsageRecord>,
  deviceId: string,
  record: UsageRecord,
): void {
  const have = into.get(deviceId);
  if (have) addUsage(have, record);
  else into.set(deviceId, copyUsage(record));
}

/**
 * Checks one sample and returns it as stored: apps given as "" are moved to
 * {@linkcode UNKNOWN_APP_ID}. Throws a TypeError or RangeError naming the field.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * const s = checkSample({ deviceId: "mac:02:00:00:00:00:01", up: 3, down: 4, local: 0,
 *   apps: { "": [3, 4] } });
 * assertEquals(s.apps, { unknown: [3, 4] });
 * assertThrows(() => checkSample({ ...s, up: -1 }), RangeError, "up");
 * ```
 */
export function checkSample(sample: UsageSample, where = "sample"): UsageSample {
  if (typeof sample !== "object" || sample === null) {
    throw new TypeError(`${where} must be an object`);
  }
  checkId(sample.deviceId, `${where}.deviceId`);
  const { up, down, local, apps } = sample;
  if (!isBytes(up)) throw bytesError(`${where}.up`, up);
  if (!isBytes(down)) throw bytesError(`${where}.down`, down);
  if (!isBytes(local)) throw bytesError(`${where}.local`, local);
  if (typeof apps !== "object" || apps === null || Array.isArray(apps)) {
    throw new TypeError(`${where}.apps must be an object of [up, down] pairs`);
  }
  // Called for every device every minute: messages are only built on failure.
  const checked: Record<string, AppUsage> = {};
  for (const app in apps) {
    if (!Object.hasOwn(apps, app)) continue;
    const pair = apps[app];
    const what = () => `${where}.apps[${JSON.stringify(app)}]`;
    const id = app === "" ? UNKNOWN_APP_ID : app;
    if (id === "__proto__") throw new TypeError(`${what()}: "__proto__" is not an app id`);
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new TypeError(`${what()} must be [up, down]`);
    }
    if (!isBytes(pair[0])) throw bytesError(`${what()}[0]`, pair[0]);
    if (!isBytes(pair[1])) throw bytesError(`${what()}[1]`, pair[1]);
    const have = Object.hasOwn(checked, id) ? checked[id] : undefined;
    checked[id] = have ? [have[0] + pair[0], have[1] + pair[1]] : [pair[0], pair[1]];
  }
  return { deviceId: sample.deviceId, up, down, local, apps: checked };
}

/**
 * Checks a device id: a non-empty string of at most 256 characters (it is
 * part of KV keys, limited to 2 KiB) that is not "__proto__" (ids become
 * object keys).
 */
export function checkId(id: unknown, what: string): asserts id is string {
  if (typeof id !== "string" || id === "" || id === "__proto__" || id.length > 256) {
    throw new TypeError(`${what} must be a string of 1 to 256 characters other than "__proto__"`);
  }
}

function isBytes(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function bytesError(what: string, value: unknown): RangeError {
  return new RangeError(`${what} must be a non-negative integer of bytes, got ${value}`);
}

/**
 * Folds all but the `maxApps` largest apps of a record into
 * {@linkcode UNKNOWN_APP_ID}. Returns the record, changed.
 */
export function capApps(record: UsageRecord, maxApps: number): UsageRecord {
  const ids = Object.keys(record.apps);
  if (ids.length <= maxApps) return record;
  const bytes = (id: string) => record.apps[id][0] + record.apps[id][1];
  const named = ids.filter((id) => id !== UNKNOWN_APP_ID)
    .sort((a, b) => bytes(b) - bytes(a) || (a < b ? -1 : 1));
  const kept: Record<string, AppUsage> = {};
  const folded: AppUsage = [0, 0];
  named.forEach((id, rank) => {
    // maxApps - 1 named apps keep their place; "unknown" takes the last one.
    if (rank < maxApps - 1) kept[id] = record.apps[id];
    else {
      folded[0] += record.apps[id][0];
      folded[1] += record.apps[id][1];
    }
  });
  const unknown = Object.hasOwn(record.apps, UNKNOWN_APP_ID) ? record.apps[UNKNOWN_APP_ID] : [0, 0];
  kept[UNKNOWN_APP_ID] = [unknown[0] + folded[0], unknown[1] + folded[1]];
  record.apps = kept;
  return record;
}

/**
 * An upper bound on the bytes a record takes once serialized by Deno KV (V8
 * serialization), for keeping values and commits under KV's limits without
 * serializing twice.
 */
export function usageSize(record: UsageRecord): number {
  let size = 96; // object headers, the three totals and the writer's generation
  for (const app in record.apps) size += app.length * 3 + 32;
  return size;
}

/** The most a record may take by {@linkcode usageSize}: well under Deno KV's 64 KiB per value. */
export const MAX_RECORD_SIZE = 50_000;

/**
 * Caps a record's apps at `maxApps` and, if it is still over
 * {@linkcode MAX_RECORD_SIZE} (very long app ids), at fewer, so that it can
 * always be stored. Returns the record, changed.
 */
export function fitRecord(record: UsageRecord, maxApps: number): UsageRecord {
  capApps(record, maxApps);
  for (let max = maxApps; usageSize(record) > MAX_RECORD_SIZE && max > 1;) {
    capApps(record, max = Math.max(1, Math.floor(max / 2)));
  }
  return record;
}
