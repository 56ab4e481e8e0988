/**
 * The devices, read: the list (live and stored), one device with its
 * policy state, rules, overrides and alerts, its history and apps over a
 * range, and the decisions made about it.
 *
 * @module
 */
import { z } from "zod/v4";
import type { WebContext } from "../web_context.ts";
import type { ApiRegistry } from "./api_registry.ts";
import { HttpError } from "./http_error.ts";
import { deviceApps, deviceRules, historyPoints, usageWindow } from "./_device_detail.ts";
import { deviceSummaries, type DeviceSummary, deviceSummary } from "./_device_summary.ts";
import { eventPage } from "./_event_page.ts";
import {
  alertSchema,
  cursorQuery,
  deviceIdParams,
  deviceSchema,
  eventPageSchema,
  historySchema,
  queryInt,
  rangeQuery,
  ruleSchema,
  stateSchema,
} from "./_schemas.ts";

/** Most devices one list answers with. */
export const MAX_DEVICES = 10_000;

/** The kinds of event that are about one device's treatment. */
const DECISION_KINDS = ["policy", "alert", "admin"] as const;

const listQuery = z.object({
  q: z.string().trim().max(200).optional(),
  online: z.enum(["true", "false"], { error: 'online must be "true" or "false"' }).optional(),
  limit: queryInt("limit", 1, MAX_DEVICES, 2000),
});

/**
 * Declares the device read routes (viewers and up).
 *
 * @example
 * ```ts ignore
 * createApp({ ctx, auth, registrars: [deviceRoutes] });
 * ```
 */
export function deviceRoutes(api: ApiRegistry, ctx: WebContext): void {
  api.add({
    method: "get",
    path: "/devices",
    summary: "Every device known, live ones busiest first, then offline ones last seen first",
    tag: "devices",
    access: "viewer",
    query: listQuery,
    response: z.object({ devices: z.array(deviceSchema), total: z.number() }),
    handle: async (c, { query }) => {
      let devices = await deviceSummaries(ctx);
      if (query.online !== undefined) {
        const online = query.online === "true";
        devices = devices.filter((d) => d.online === online);
      }
      if (query.q) devices = devices.filter(matcher(query.q));
      return c.json({ devices: devices.slice(0, query.limit), total: devices.length });
    },
  });

  api.add({
    method: "get",
    path: "/devices/:id",
    summary: "One device: live view, policy state, the rules selecting it, overrides, alerts",
    tag: "devices",
    access: "viewer",
    params: deviceIdParams,
    response: z.object({
      device: deviceSchema,
      state: stateSchema.nullable(),
      rules: z.array(ruleSchema.extend({
        via: z.enum(["device", "group", "all", "unknown"]),
        inForce: z.boolean(),
        deciding: z.boolean(),
      })),
      overrides: z.array(ruleSchema),
      alerts: z.array(alertSchema),
    }),
    handle: async (c, { params }) => {
      const device = await known(ctx, params.id);
      const { rules, overrides } = await deviceRules(ctx, device.id, device.label !== null);
      return c.json({
        device,
        state: ctx.policy()?.state(device.id) ?? null,
        rules,
        overrides,
        alerts: (ctx.hub.latest?.alerts ?? []).filter((a) => a.deviceId === device.id),
      });
    },
  });

  api.add({
    method: "get",
    path: "/devices/:id/history",
    summary: "A device's usage per hour (24h, 7d) or day (30d), oldest first",
    tag: "devices",
    access: "viewer",
    params: deviceIdParams,
    query: z.object({ range: rangeQuery }),
    response: historySchema,
    handle: async (c, { params, query }) => {
      const device = await known(ctx, params.id);
      const window = usageWindow(query.range, ctx.now(), ctx.history.utcOffsetMinutes);
      const points = await historyPoints(ctx, device.id, window);
      return c.json({ ...window, points });
    },
  });

  api.add({
    method: "get",
    path: "/devices/:id/apps",
    summary: "A device's apps over a range, largest first",
    tag: "devices",
    access: "viewer",
    params: deviceIdParams,
    query: z.object({ range: rangeQuery }),
    response: z.object({
      from: z.number(),
      to: z.number(),
      apps: z.array(z.object({
        id: z.string(),
        name: z.string(),
        category: z.string().nullable(),
        up: z.number(),
        down: z.number(),
      })),
    }),
    handle: async (c, { params, query }) => {
      const device = await known(ctx, params.id);
      const window = usageWindow(query.range, ctx.now(), ctx.history.utcOffsetMinutes);
      const apps = await deviceApps(ctx, device.id, window);
      return c.json({ from: window.from, to: window.to, apps });
    },
  });

  api.add({
    method: "get",
    path: "/devices/:id/decisions",
    summary: "The policy decisions, alerts and admin actions about a device, newest first",
    tag: "devices",
    access: "viewer",
    params: deviceIdParams,
    query: z.object({
      kind: z.enum(DECISION_KINDS, { error: 'kind must be "policy", "alert" or "admin"' })
        .optional(),
      limit: queryInt("limit", 1, 1000, 50),
      cursor: cursorQuery,
    }),
    response: eventPageSchema,
    handle: async (c, { params, query }) => {
      const device = await known(ctx, params.id);
      const page = await eventPage(
        ctx,
        { device: device.id, kind: query.kind, limit: query.limit, cursor: query.cursor },
        DECISION_KINDS,
      );
      return c.json(page);
    },
  });
}

/** The device, or a 404. */
async function known(ctx: WebContext, id: string): Promise<DeviceSummary> {
  const device = await deviceSummary(ctx, id);
  if (device === null) throw new HttpError(404, `no device ${id}`);
  return device;
}

/** Case-insensitive search over names, ids, vendors and addresses. */
function matcher(q: string): (d: DeviceSummary) => boolean {
  const needle = q.toLowerCase();
  return (d) =>
    [d.name, d.label, d.id, d.mac, d.vendor, ...d.addresses, ...d.groups]
      .some((s) => s !== null && s.toLowerCase().includes(needle));
}
