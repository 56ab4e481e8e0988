/**
 * Sluice's history, kept in Deno KV: per-device usage by minute, hour and
 * day ({@linkcode UsageHistory}), reports and their CSV/JSON export, forecasts,
 * and the stores beside it: devices and labels, the config document, the
 * audit log of events, and monitoring sessions. Each lives in its own key
 * space of one KV store.
 *
 * The caller opens the store, `Deno.openKv(path)` for the local file (the
 * embedded default, under the data directory) or `Deno.openKv(url)` for a
 * remote one, passes the handle in, and closes it. Nothing here opens a
 * store, reads the wall clock or touches files: times are epoch
 * milliseconds passed in.
 *
 * Key spaces: `usage`, `usage-by-time`, `usage-minutes`, `usage-done`,
 * `usage-state` (usage history, laid out in `_usage_store.ts`); `devices`,
 * `device-labels`; `config`; `events`; `sessions`, `session-state`; `policy-states`,
 * `policy-counters` (the policy engine's desired states and quota counters).
 *
 * Usage values are plain data, bytes: `{ up, down, local, apps }` where
 * `apps` maps an app id to `[up, down]`, unclassified traffic under
 * "unknown" (a sample may say ""); see {@linkcode UsageRecord}.
 *
 * @example
 * ```ts ignore
 * const kv = await Deno.openKv(".sluice/history.kv");
 * const history = new UsageHistory(kv, { utcOffsetMinutes: 60 });
 * await history.open(Date.now());
 * // every minute: await history.writeMinute(minuteStart, samples);
 * const month = calendarRange("month", Date.now(), 60);
 * const report = rankUsage(await history.usage(month.fromMs, month.toMs),
 *   await new DeviceStore(kv).labels());
 * console.log(reportCsv(report, "devices"));
 * ```
 *
 * @module
 */
export {
  type CalendarPeriod,
  calendarRange,
  checkRange,
  checkTime,
  DAY_MS,
  HOUR_MS,
  hourOfDay,
  type Level,
  levelMs,
  MINUTE_MS,
  periodCeil,
  periodStart,
  type TimeRange,
} from "./periods.ts";
export {
  addUsage,
  type AppUsage,
  checkSample,
  copyUsage,
  emptyUsage,
  sumUsage,
  UNKNOWN_APP_ID,
  usageBytes,
  type UsagePoint,
  type UsageRecord,
  type UsageSample,
} from "./usage_record.ts";
export {
  DEFAULT_RETENTION,
  type Retention,
  UsageHistory,
  type UsageHistoryOptions,
  type UsageTotals,
} from "./usage_history.ts";
export {
  type AppRow,
  type CsvTable,
  type DeviceRow,
  rankUsage,
  reportCsv,
  reportJson,
  toCsv,
  type UsageReport,
} from "./report.ts";
export {
  type DeviceForecast,
  forecastDevices,
  type HourlyProfile,
  hourlyProfile,
  type ProfileOptions,
  type Quota,
  type QuotaForecast,
  quotaForecast,
} from "./forecast.ts";
export {
  EventLog,
  type EventLogOptions,
  type EventPage,
  type EventQuery,
  type HistoryEvent,
  type LoggedEvent,
} from "./event_log.ts";
export { type MonitoringSession, SessionLog, type SessionTotals } from "./session_log.ts";
export { type DeviceEntry, type DeviceRecord, DeviceStore } from "./device_store.ts";
export { type ConfigRevision, ConfigStore, type ConfigStoreOptions } from "./config_store.ts";
export { PolicyStateStore, type StoredCounters, type StoredState } from "./policy_state_store.ts";
export { MAX_OVERRIDES, type NewOverride, OverrideStore } from "./override_store.ts";
export {
  type Adopted,
  type PolicyDocument,
  PolicyDocumentStore,
  type PolicyRevision,
} from "./policy_document.ts";
