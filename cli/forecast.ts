import type { Device } from "../engine/devices/mod.ts";
import {
  calendarRange,
  DAY_MS,
  DeviceStore,
  HOUR_MS,
  hourlyProfile,
  periodStart,
  type Quota,
  quotaForecast,
  usageBytes,
  UsageHistory,
} from "../engine/history/mod.ts";
import { intOption, parseArgs } from "./args.ts";
import { parseSize } from "../engine/policy/units.ts";
import { openStore } from "./data_store.ts";
import { deviceIdArgument, timeOption, utcOffsetOption } from "./options.ts";
import { formatBytes } from "./flow_text.ts";
import { DEFAULT_DATA } from "./report.ts";
import { UsageError } from "./usage_error.ts";

// Hours are kept 90 days: twelve weeks is the most history can answer.
const MAX_WEEKS = 12;

/** What `sluice forecast --help` prints. */
export const FORECAST_HELP = `sluice forecast [options]

For each device that used the internet in the last weeks: how many bytes
(up + down) it is expected to use today and in which hour of the day it
peaks, from its hourly history (each hour of the day averaged over the days,
recent days counting more). With --quota, also what it used so far in the
quota's calendar period, what it will have used by the period's end at its
usual pace, and when it reaches the quota.

Options:
  --data DIR            the data directory (default ${DEFAULT_DATA}) or a KV URL
  --device ID           only this device: "mac:...", "ip:...", a MAC or an IP
  --quota SIZE/PERIOD   a cap per calendar day, week or month: 50GB/month,
                        2GiB/day, 500MB/week (B, KB, MB, GB, TB count in
                        1000s; KiB, MiB, GiB, TiB in 1024s)
  --at TIME             the time to forecast from (default: now)
  --weeks N             weeks of history looked at, 1 to ${MAX_WEEKS} (default 4)
  --utc-offset MIN      minutes east of UTC that days and hours of the day
                        follow, whole hours (default 0: UTC)
  --format F            table (default) or json
  -h, --help            this help

TIME is an ISO 8601 date or date and time, UTC unless it has an offset.

Exit status: 0 on success, 2 for a wrong option, an unknown --device, or a
store that cannot be opened.`;

/** One device's forecast, as `--format json` prints it. */
export interface ForecastRow {
  deviceId: string;
  /** Its label, else the name its record holds; null when neither. */
  name: string | null;
  /** Whole days of history the profile used. */
  days: number;
  /** The profile's sum: expected bytes over a whole day. */
  expectedTodayBytes: number;
  /** Local hour of the day (0-23) with the most expected bytes; null when none. */
  peakHour: number | null;
  peakBytes: number;
  /** Expected bytes per local hour of the day, hour 0 first (rounded). */
  profile: number[];
  quota: {
    usedBytes: number;
    projectedBytes: number;
    /** When the quota is (or was) reached at this pace; null if not in the period. */
    eta: string | null;
    etaMs: number | null;
    reached: boolean;
  } | null;
}

/** `sluice forecast`: returns the exit code. */
export async function forecastCommand(argv: string[]): Promise<number> {
  const command = "sluice forecast";
  const args = parseArgs(argv, {
    command,
    options: ["data", "device", "quota", "at", "weeks", "utc-offset", "format"],
  });
  const format = args.options.get("format") ?? "table";
  if (format !== "table" && format !== "json") {
    throw new UsageError(`${command}: --format must be one of table, json, got "${format}"`);
  }
  const offset = utcOffsetOption(args, command);
  const weeks = intOption(args, "weeks", 4, 1, MAX_WEEKS, command);
  const quotaText = args.options.get("quota");
  const quota = quotaText === undefined ? null : quotaOption(quotaText, command);
  const nowMs = args.options.has("at")
    ? timeOption(args.options.get("at")!, "--at", command)
    : Date.now();
  const only = args.options.has("device")
    ? deviceIdArgument(args.options.get("device")!, "--device", command)
    : null;
  // The profile's weeks, and all of the quota's period so far (a month may start before them).
  const quotaRange = quota ? calendarRange(quota.period, nowMs, offset) : null;
  const fromMs = Math.min(
    periodStart("day", nowMs, offset) - weeks * 7 * DAY_MS,
    quotaRange?.fromMs ?? Infinity,
  );
  const toMs = periodStart("hour", nowMs) + HOUR_MS;

  const kv = await openStore(args.options.get("data") ?? DEFAULT_DATA, command);
  const rows: ForecastRow[] = [];
  try {
    const entries = await new DeviceStore<Device>(kv).list();
    // At the writer's UTC days (sluice run and replay keep no other): --utc-offset
    // only moves hours of the day and quota periods, which hours serve exactly,
    // while usage() over ranges at another offset than the writer's loses hours.
    // Read-only, as in report: a forecast must not close the running monitor's hour.
    const history = new UsageHistory(kv);
    await history.open(nowMs, { readOnly: true });
    const ids = only ? [only] : Object.entries((await history.usage(fromMs, toMs)).devices)
      .filter(([, record]) => usageBytes(record) > 0).map(([id]) => id);
    for (const id of ids) {
      const points = await history.series(id, "hour", fromMs, toMs);
      const entry = entries.get(id);
      if (only && points.length === 0 && !entry) {
        throw new UsageError(`${command}: no device ${id} is known`);
      }
      // Days since the device was first seen, even idle ones, count; the
      // first point stands in when the record's first sighting is later.
      const firstSeen = entry?.device?.firstSeen;
      const sinceMs = Math.min(
        typeof firstSeen === "number" ? Math.floor(firstSeen * 1000) : Infinity,
        points[0]?.start ?? Infinity,
      );
      const profile = hourlyProfile(points, {
        nowMs,
        weeks,
        utcOffsetMinutes: offset,
        ...(Number.isFinite(sinceMs) ? { sinceMs } : {}),
      });
      const peak = profile.bytes.reduce((best, b, h) => b > profile.bytes[best] ? h : best, 0);
      const q = quota
        ? quotaForecast(points, profile, quota, { nowMs, utcOffsetMinutes: offset })
        : null;
      rows.push({
        deviceId: id,
        name: entry?.label ?? entry?.device?.name ?? null,
        days: profile.days,
        expectedTodayBytes: Math.round(profile.bytes.reduce((sum, b) => sum + b, 0)),
        peakHour: profile.bytes[peak] > 0 ? peak : null,
        peakBytes: Math.round(profile.bytes[peak]),
        profile: profile.bytes.map(Math.round),
        quota: q && {
          usedBytes: q.usedBytes,
          projectedBytes: q.projectedBytes,
          eta: q.etaMs === null ? null : new Date(q.etaMs).toISOString(),
          etaMs: q.etaMs,
          reached: q.usedBytes >= quota!.bytes,
        },
      });
    }
  } finally {
    kv.close();
  }
  rows.sort((a, b) =>
    b.expectedTodayBytes - a.expectedTodayBytes || (a.deviceId < b.deviceId ? -1 : 1)
  );
  if (format === "json") {
    console.log(JSON.stringify(
      {
        at: new Date(nowMs).toISOString(),
        atMs: nowMs,
        weeks,
        utcOffsetMinutes: offset,
        quota: quota && quotaRange && {
          bytes: quota.bytes,
          period: quota.period,
          from: new Date(quotaRange.fromMs).toISOString(),
          to: new Date(quotaRange.toMs).toISOString(),
        },
        devices: rows,
      },
      null,
      2,
    ));
  } else console.log(forecastText(rows, { nowMs, weeks, offset, quota }));
  return 0;
}

/** `SIZE/PERIOD`, as --quota takes it. */
function quotaOption(text: string, command: string): Quota {
  const slash = text.lastIndexOf("/");
  const period = text.slice(slash + 1).trim();
  if (slash < 0 || (period !== "day" && period !== "week" && period !== "month")) {
    throw new UsageError(
      `${command}: --quota must be SIZE/PERIOD, PERIOD day, week or month (50GB/month), got "${text}"`,
    );
  }
  let bytes: number;
  try {
    bytes = parseSize(text.slice(0, slash));
  } catch (err) {
    throw new UsageError(`${command}: --quota: ${(err as Error).message}`);
  }
  if (bytes <= 0) throw new UsageError(`${command}: --quota must be more than 0 bytes`);
  return { bytes, period };
}

function forecastText(
  rows: ForecastRow[],
  o: { nowMs: number; weeks: number; offset: number; quota: Quota | null },
): string {
  const zone = o.offset === 0 ? "UTC" : `UTC${o.offset > 0 ? "+" : "-"}${Math.abs(o.offset / 60)}`;
  const lines = [
    `forecast at ${iso(o.nowMs)} from up to ${o.weeks} weeks of history, hours in ${zone}` +
    (o.quota ? `; quota ${formatBytes(o.quota.bytes)} a ${o.quota.period}` : ""),
    "",
  ];
  if (rows.length === 0) {
    lines.push(`no device used the internet in the last ${o.weeks} weeks`);
    return lines.join("\n");
  }
  const header = ["DEVICE", "NAME", "DAYS", "EXPECTED TODAY", "PEAK HOUR", "AT PEAK"];
  if (o.quota) header.push("USED", "BY PERIOD END", "ETA");
  const cells = rows.map((r) => {
    const row = [
      r.deviceId,
      r.name ?? "-",
      String(r.days),
      formatBytes(r.expectedTodayBytes),
      r.peakHour === null ? "-" : `${String(r.peakHour).padStart(2, "0")}:00`,
      formatBytes(r.peakBytes),
    ];
    if (r.quota) {
      const eta = r.quota.etaMs === null ? "not at this pace" : iso(r.quota.etaMs);
      row.push(
        formatBytes(r.quota.usedBytes),
        formatBytes(r.quota.projectedBytes),
        r.quota.reached ? `reached ${eta}` : eta,
      );
    }
    return row;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const text = new Set([0, 1, 4, 8]); // left-aligned; numbers go right
  const line = (row: string[]) =>
    row.map((c, i) => text.has(i) ? c.padEnd(widths[i]) : c.padStart(widths[i])).join("  ")
      .trimEnd();
  lines.push(line(header), ...cells.map(line));
  return lines.join("\n");
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
