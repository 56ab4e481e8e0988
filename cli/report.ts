import {
  calendarRange,
  type CsvTable,
  DeviceStore,
  MINUTE_MS,
  rankUsage,
  reportCsv,
  reportJson,
  type TimeRange,
  UsageHistory,
  type UsageReport,
} from "../engine/history/mod.ts";
import { parseArgs } from "./args.ts";
import { openStore } from "./data_store.ts";
import { formatBytes } from "./flow_text.ts";
import { choice, timeOption, utcOffsetOption } from "./options.ts";
import { UsageError } from "./usage_error.ts";

/** Where history lives when no --data is given. */
export const DEFAULT_DATA = "sluice-data";

export const REPORT_HELP = `sluice report [options]

Ranks every device and app by the bytes it moved over a period, from the
history that "sluice run" and "sluice replay --data" keep.

Options:
  --data DIR          the data directory (default ${DEFAULT_DATA}) or a KV URL
  --period P          day, week or month: the calendar period holding --at
                      (default: day)
  --at TIME           a time in that period (default: now)
  --from TIME         the start of an explicit range (needs --to)
  --to TIME           its end (exclusive)
  --format F          table (default), csv or json
  --table T           for csv: devices (default), apps or device-apps
  --utc-offset MIN    minutes east of UTC that days, weeks and months follow
                      (default 0: UTC)
  -h, --help          this help

TIME is an ISO 8601 date or date and time (2024-02-14, 2024-02-14T18:30,
2024-02-14T18:30+01:00); without an offset it is UTC. Ranges are rounded out
to whole minutes.

Exit status: 0 on success, 2 for a wrong option or a store that cannot be opened.`;

/** `sluice report`: returns the exit code. */
export async function reportCommand(argv: string[]): Promise<number> {
  const command = "sluice report";
  const args = parseArgs(argv, {
    command,
    options: ["data", "period", "at", "from", "to", "format", "table", "utc-offset"],
  });
  const offset = utcOffsetOption(args, command);
  const range = reportRange(args.options, offset, command);
  const format = choice(
    args.options.get("format") ?? "table",
    ["table", "csv", "json"],
    "--format",
    command,
  );
  const table = choice(
    args.options.get("table") ?? "devices",
    ["devices", "apps", "device-apps"],
    "--table",
    command,
  ) as CsvTable;
  const kv = await openStore(args.options.get("data") ?? DEFAULT_DATA, command);
  let report: UsageReport;
  try {
    // Read-only, it rolls up at the store's own offset; the range is --utc-offset's.
    const history = new UsageHistory(kv);
    // Read-only: a report must not close the running monitor's hour or day early.
    await history.open(range.toMs, { readOnly: true });
    const labels = await new DeviceStore(kv).labels();
    report = rankUsage(await history.usage(range.fromMs, range.toMs), labels);
  } finally {
    kv.close();
  }
  if (format === "json") console.log(reportJson(report));
  else if (format === "csv") {
    await Deno.stdout.write(new TextEncoder().encode(reportCsv(report, table)));
  } else console.log(reportText(report));
  return 0;
}

/** The range the options ask for, in whole minutes. */
export function reportRange(
  options: Map<string, string>,
  utcOffsetMinutes: number,
  command: string,
): TimeRange {
  const from = options.get("from"), to = options.get("to");
  if (from !== undefined || to !== undefined) {
    if (from === undefined || to === undefined) {
      throw new UsageError(`${command}: --from and --to go together`);
    }
    if (options.has("period") || options.has("at")) {
      throw new UsageError(`${command}: --from/--to and --period/--at exclude each other`);
    }
    const fromMs = Math.floor(timeOption(from, "--from", command) / MINUTE_MS) * MINUTE_MS;
    const toMs = Math.ceil(timeOption(to, "--to", command) / MINUTE_MS) * MINUTE_MS;
    if (toMs <= fromMs) throw new UsageError(`${command}: --to must be after --from`);
    return { fromMs, toMs };
  }
  const period = choice(
    options.get("period") ?? "day",
    ["day", "week", "month"],
    "--period",
    command,
  );
  const at = options.has("at") ? timeOption(options.get("at")!, "--at", command) : Date.now();
  return calendarRange(period as "day" | "week" | "month", at, utcOffsetMinutes);
}

function reportText(report: UsageReport): string {
  const lines = [
    `usage from ${iso(report.fromMs)} to ${iso(report.toMs)}: ` +
    `${formatBytes(report.total.down)} down, ${formatBytes(report.total.up)} up, ` +
    `${formatBytes(report.total.local)} on the LAN`,
    "",
    "DEVICE                      LABEL                 DOWN        UP     TOTAL",
  ];
  for (const d of report.devices.slice(0, 20)) {
    lines.push(
      `${d.deviceId.padEnd(27)} ${(d.label ?? "").slice(0, 20).padEnd(20)} ${
        formatBytes(d.down).padStart(9)
      } ${formatBytes(d.up).padStart(9)} ${formatBytes(d.bytes).padStart(9)}`,
    );
  }
  lines.push("", "APP                         DEVICES      DOWN        UP     TOTAL");
  for (const a of report.apps.slice(0, 20)) {
    lines.push(
      `${a.app.padEnd(27)} ${String(a.devices).padStart(7)} ${formatBytes(a.down).padStart(9)} ${
        formatBytes(a.up).padStart(9)
      } ${formatBytes(a.bytes).padStart(9)}`,
    );
  }
  if (report.gaps.length > 0) {
    lines.push("", `no history kept for ${report.gaps.length} part(s) of the range`);
  }
  return lines.join("\n");
}

const iso = (ms: number) => new Date(ms).toISOString().replace(":00.000Z", "Z");
