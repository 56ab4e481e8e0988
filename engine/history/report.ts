/**
 * Usage reports: every device and app over a range, ranked largest first,
 * and their CSV (RFC 4180) and JSON exports. Pure functions over the
 * {@linkcode UsageTotals} that `UsageHistory.usage()` returns.
 *
 * @module
 */
import type { TimeRange } from "./periods.ts";
import type { UsageTotals } from "./usage_history.ts";
import { usageBytes, type UsageRecord } from "./usage_record.ts";

/** One app's usage, in a report or within one device. */
export interface AppRow {
  app: string;
  up: number;
  down: number;
  /** `up + down`: what rows are ranked by. */
  bytes: number;
  /** How many devices used it (in a device's own list, 1). */
  devices: number;
}

/** One device's usage in a report. */
export interface DeviceRow {
  deviceId: string;
  /** The user's label for the device, when one was given. */
  label: string | null;
  up: number;
  down: number;
  /** `up + down`: what rows are ranked by (LAN traffic is not counted). */
  bytes: number;
  local: number;
  /** Its apps, largest first. */
  apps: AppRow[];
}

/** Devices and apps over a range, each ranked largest first. */
export interface UsageReport extends TimeRange {
  total: { up: number; down: number; bytes: number; local: number };
  devices: DeviceRow[];
  apps: AppRow[];
  /** Parts of the range no level of history kept (see `UsageTotals`). */
  gaps: TimeRange[];
}

/**
 * Ranks a range's usage: devices by internet bytes (`up + down`), then LAN
 * bytes, then id; apps by bytes, then id.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const rec = (up: number, down: number) => ({ up, down, local: 0, apps: { web: [up, down] as [number, number] } });
 * const report = rankUsage({
 *   fromMs: 0, toMs: 60_000, gaps: [], total: rec(11, 22),
 *   devices: { "mac:a": rec(1, 2), "mac:b": rec(10, 20) },
 * }, { "mac:b": "Lucas's iMac" });
 * assertEquals(report.devices.map((d) => [d.deviceId, d.label, d.bytes]), [
 *   ["mac:b", "Lucas's iMac", 30], ["mac:a", null, 3],
 * ]);
 * assertEquals(report.apps, [{ app: "web", up: 11, down: 22, bytes: 33, devices: 2 }]);
 * ```
 */
export function rankUsage(
  totals: UsageTotals,
  labels: Readonly<Record<string, string>> = {},
): UsageReport {
  const apps = new Map<string, AppRow>();
  const devices: DeviceRow[] = [];
  const total = { up: 0, down: 0, bytes: 0, local: 0 };
  for (const [deviceId, record] of Object.entries(totals.devices)) {
    const own = appRows(record);
    for (const row of own) {
      const app = apps.get(row.app);
      if (app) {
        app.up += row.up;
        app.down += row.down;
        app.bytes += row.bytes;
        app.devices++;
      } else apps.set(row.app, { ...row });
    }
    const label = Object.hasOwn(labels, deviceId) ? labels[deviceId] : null;
    const bytes = usageBytes(record);
    devices.push({
      deviceId,
      label,
      up: record.up,
      down: record.down,
      bytes,
      local: record.local,
      apps: own,
    });
    total.up += record.up;
    total.down += record.down;
    total.bytes += bytes;
    total.local += record.local;
  }
  devices.sort((a, b) => b.bytes - a.bytes || b.local - a.local || byText(a.deviceId, b.deviceId));
  return {
    fromMs: totals.fromMs,
    toMs: totals.toMs,
    total,
    devices,
    apps: [...apps.values()].sort(byBytes),
    gaps: totals.gaps.map((g) => ({ ...g })),
  };
}

function appRows(record: UsageRecord): AppRow[] {
  return Object.entries(record.apps)
    .map(([app, [up, down]]) => ({ app, up, down, bytes: up + down, devices: 1 }))
    .sort(byBytes);
}

/** The tables a report exports to CSV. */
export type CsvTable = "devices" | "apps" | "device-apps";

/**
 * One table of a report as CSV: a header row, then one row per device, app,
 * or device and app ("device-apps"), largest first. Byte counts are plain
 * integers.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const report = {
 *   fromMs: 0, toMs: 1, gaps: [], total: { up: 1, down: 2, bytes: 3, local: 0 }, apps: [],
 *   devices: [{ deviceId: "mac:a", label: "Den, \"big\" TV", up: 1, down: 2, bytes: 3, local: 0,
 *     apps: [] }],
 * };
 * assertEquals(
 *   reportCsv(report, "devices"),
 *   'device,label,up_bytes,down_bytes,total_bytes,local_bytes\r\nmac:a,"Den, ""big"" TV",1,2,3,0\r\n',
 * );
 * ```
 */
export function reportCsv(report: UsageReport, table: CsvTable): string {
  if (table === "devices") {
    return toCsv([
      ["device", "label", "up_bytes", "down_bytes", "total_bytes", "local_bytes"],
      ...report.devices.map((d) => [d.deviceId, d.label, d.up, d.down, d.bytes, d.local]),
    ]);
  }
  if (table === "apps") {
    return toCsv([
      ["app", "up_bytes", "down_bytes", "total_bytes", "devices"],
      ...report.apps.map((a) => [a.app, a.up, a.down, a.bytes, a.devices]),
    ]);
  }
  if (table === "device-apps") {
    return toCsv([
      ["device", "label", "app", "up_bytes", "down_bytes", "total_bytes"],
      ...report.devices.flatMap((d) =>
        d.apps.map((a) => [d.deviceId, d.label, a.app, a.up, a.down, a.bytes])
      ),
    ]);
  }
  throw new TypeError(`table must be "devices", "apps" or "device-apps", got ${String(table)}`);
}

/**
 * Rows as RFC 4180 CSV: CRLF after every row; a field with a comma, a double
 * quote, CR or LF is quoted, its quotes doubled; null is an empty field. A
 * text field starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`
 * so spreadsheets show it rather than run it as a formula (device labels are
 * typed by users).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(toCsv([["a", "b,c"], ["x\ny", 1], ["=1+1", null]]),
 *   'a,"b,c"\r\n"x\ny",1\r\n\'=1+1,\r\n');
 * ```
 */
export function toCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  let out = "";
  for (const row of rows) out += row.map(csvField).join(",") + "\r\n";
  return out;
}

function csvField(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  let text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  if (/[",\r\n]/.test(text)) text = `"${text.replaceAll('"', '""')}"`;
  return text;
}

/**
 * A report as a JSON document (two-space indent), with the range also as
 * ISO 8601 times for people reading it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const report = { fromMs: 0, toMs: 60_000, gaps: [], devices: [], apps: [],
 *   total: { up: 0, down: 0, bytes: 0, local: 0 } };
 * assertEquals(JSON.parse(reportJson(report)).to, "1970-01-01T00:01:00.000Z");
 * ```
 */
export function reportJson(report: UsageReport): string {
  const { fromMs, toMs, ...rest } = report;
  return JSON.stringify(
    {
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      fromMs,
      toMs,
      ...rest,
    },
    null,
    2,
  );
}

function byBytes(a: AppRow, b: AppRow): number {
  return b.bytes - a.bytes || byText(a.app, b.app);
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
