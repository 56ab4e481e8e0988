/**
 * The monitor's open flows: all of them (GET /flows, optionally one
 * device's) and one device's (GET /devices/:id/flows), busiest first.
 *
 * @module
 */
import { z } from "zod/v4";
import type { WebContext } from "../web_context.ts";
import type { ApiRegistry } from "./api_registry.ts";
import { HttpError } from "./http_error.ts";
import { deviceIdOf, deviceSummary } from "./_device_summary.ts";
import { openFlows } from "./_flow_view.ts";
import { deviceIdParams, queryInt } from "./_schemas.ts";

/** Most flows one answer holds. */
export const MAX_FLOWS = 1000;

const flowsSchema = z.object({
  flows: z.array(z.object({
    device: z.string().nullable(),
    protocol: z.string(),
    local: z.string(),
    localPort: z.number().nullable(),
    remote: z.string(),
    remotePort: z.number().nullable(),
    name: z.string().nullable(),
    app: z.string().nullable(),
    appName: z.string().nullable(),
    category: z.string().nullable(),
    up: z.number(),
    down: z.number(),
    packets: z.number(),
    firstSeen: z.number(),
    lastSeen: z.number(),
  })),
});

const limit = queryInt("limit", 1, MAX_FLOWS, 100);

/**
 * Declares GET /flows and GET /devices/:id/flows (viewers and up).
 *
 * @example
 * ```ts ignore
 * createApp({ ctx, auth, registrars: [flowRoutes] });
 * ```
 */
export function flowRoutes(api: ApiRegistry, ctx: WebContext): void {
  api.add({
    method: "get",
    path: "/flows",
    summary: "The open flows, most bytes first (optionally one device's)",
    tag: "flows",
    access: "viewer",
    query: z.object({
      device: z.string().max(200).optional().refine(
        (d) => d === undefined || deviceIdOf(d) !== null,
        { error: 'device must be "mac:aa:bb:cc:dd:ee:ff" or "ip:ADDRESS"' },
      ).transform((d) => d === undefined ? undefined : deviceIdOf(d)!),
      limit,
    }),
    response: flowsSchema,
    handle: (c, { query }) => {
      const monitor = ctx.monitor();
      const flows = monitor ? openFlows(monitor, { limit: query.limit, device: query.device }) : [];
      return c.json({ flows });
    },
  });

  api.add({
    method: "get",
    path: "/devices/:id/flows",
    summary: "A device's open flows, most bytes first, seen from its side",
    tag: "devices",
    access: "viewer",
    params: deviceIdParams,
    query: z.object({ limit }),
    response: flowsSchema,
    handle: async (c, { params, query }) => {
      if (await deviceSummary(ctx, params.id) === null) {
        throw new HttpError(404, `no device ${params.id}`);
      }
      const monitor = ctx.monitor();
      const flows = monitor ? openFlows(monitor, { limit: query.limit, device: params.id }) : [];
      return c.json({ flows });
    },
  });
}
