/**
 * Usage reports: every device and app over a calendar period or a range,
 * ranked largest first (GET /reports), and their CSV export
 * (GET /reports.csv).
 *
 * @module
 */
import { z } from "zod/v4";
import { DeviceStore, rankUsage, reportCsv, type UsageReport } from "../../engine/history/mod.ts";
import { appNamer } from "../live/app_names.ts";
import type { WebContext } from "../web_context.ts";
import type { ApiRegistry } from "./api_registry.ts";
import { deviceSummaries } from "./_device_summary.ts";
import { dayText, reportRange, reportRangeQuery } from "./_report_range.ts";
import { queryInt } from "./_schemas.ts";

/** Most device and app rows a JSON report lists (the totals count them all). */
export const MAX_REPORT_ROWS = 10_000;

const appRow = z.object({
  app: z.string(),
  up: z.number(),
  down: z.number(),
  bytes: z.number(),
  devices: z.number(),
});

const range = z.object({ fromMs: z.number(), toMs: z.number() });

const reportSchema = range.extend({
  total: z.object({ up: z.number(), down: z.number(), bytes: z.number(), local: z.number() }),
  devices: z.array(z.object({
    deviceId: z.string(),
    label: z.string().nullable(),
    up: z.number(),
    down: z.number(),
    bytes: z.number(),
    local: z.number(),
    apps: z.array(appRow),
  })),
  apps: z.array(appRow),
  gaps: z.array(range),
  names: z.record(z.string(), z.string()),
  appNames: z.record(z.string(), z.string()),
});

let names: ((app: string) => string) | undefined;

/**
 * Declares GET /reports and GET /reports.csv (viewers and up).
 *
 * @example
 * ```ts ignore
 * createApp({ ctx, auth, registrars: [reportRoutes] });
 * ```
 */
export function reportRoutes(api: ApiRegistry, ctx: WebContext): void {
  /** The ranked report of a query's range. */
  const report = async (query: Parameters<typeof reportRange>[0]): Promise<UsageReport> => {
    const history = ctx.history;
    const { fromMs, toMs } = reportRange(query, ctx.now(), history.utcOffsetMinutes);
    const labels = await new DeviceStore(ctx.kv).labels();
    return rankUsage(await history.usage(fromMs, toMs), labels);
  };

  api.add({
    method: "get",
    path: "/reports",
    summary: "Devices and apps over a day, week, month or range, largest first",
    tag: "reports",
    access: "viewer",
    query: z.object({ ...reportRangeQuery, limit: queryInt("limit", 1, MAX_REPORT_ROWS, 1000) }),
    response: reportSchema,
    handle: async (c, { query }) => {
      const full = await report(query);
      const devices = full.devices.slice(0, query.limit);
      const apps = full.apps.slice(0, query.limit);
      const known = new Map((await deviceSummaries(ctx)).map((d) => [d.id, d.name]));
      const deviceNames: Record<string, string> = {};
      for (const d of devices) {
        deviceNames[d.deviceId] = d.label ?? known.get(d.deviceId) ?? d.deviceId;
      }
      const name = names ??= appNamer();
      const appNames: Record<string, string> = {};
      for (const a of apps) appNames[a.app] = name(a.app);
      for (const d of devices) for (const a of d.apps) appNames[a.app] ??= name(a.app);
      return c.json({ ...full, devices, apps, names: deviceNames, appNames });
    },
  });

  api.add({
    method: "get",
    path: "/reports.csv",
    summary: "One table of a report as CSV: devices, apps, or each device's apps",
    tag: "reports",
    access: "viewer",
    query: z.object({
      table: z.enum(["devices", "apps", "device-apps"], {
        error: 'table must be "devices", "apps" or "device-apps"',
      }).default("devices"),
      ...reportRangeQuery,
    }),
    produces: "text/csv",
    handle: async (c, { query }) => {
      const full = await report(query);
      const day = dayText(full.fromMs, ctx.history.utcOffsetMinutes);
      return c.body(reportCsv(full, query.table), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="sluice-${query.table}-${day}.csv"`,
      });
    },
  });
}
