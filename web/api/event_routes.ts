/**
 * The audit log (GET /events: decisions, alerts, shaper operations, admin
 * actions, filtered and paged) and the alerts active now (GET /alerts).
 *
 * @module
 */
import { z } from "zod/v4";
import type { WebContext } from "../web_context.ts";
import type { ApiRegistry } from "./api_registry.ts";
import { deviceIdOf } from "./_device_summary.ts";
import { eventPage } from "./_event_page.ts";
import { alertSchema, cursorQuery, eventPageSchema, queryInt, queryTime } from "./_schemas.ts";

const eventsQuery = z.object({
  from: queryTime("from"),
  to: queryTime("to"),
  kind: z.string().trim().min(1).max(50).regex(/^[a-z_-]+$/, {
    error: 'kind is a word such as "policy", "alert", "shaper" or "admin"',
  }).optional(),
  device: z.string().max(200).optional().refine(
    (d) => d === undefined || deviceIdOf(d) !== null,
    { error: 'device must be "mac:aa:bb:cc:dd:ee:ff" or "ip:ADDRESS"' },
  ).transform((d) => d === undefined ? undefined : deviceIdOf(d)!),
  limit: queryInt("limit", 1, 1000, 50),
  cursor: cursorQuery,
});

/**
 * Declares GET /events and GET /alerts (viewers and up).
 *
 * @example
 * ```ts ignore
 * createApp({ ctx, auth, registrars: [eventRoutes] });
 * ```
 */
export function eventRoutes(api: ApiRegistry, ctx: WebContext): void {
  api.add({
    method: "get",
    path: "/events",
    summary: "Logged events (policy, alert, shaper, admin), newest first, a page at a time",
    tag: "events",
    access: "viewer",
    query: eventsQuery,
    response: eventPageSchema,
    handle: async (c, { query }) => {
      const page = await eventPage(ctx, {
        fromMs: query.from,
        toMs: query.to,
        kind: query.kind,
        device: query.device,
        limit: query.limit,
        cursor: query.cursor,
      });
      return c.json(page);
    },
  });

  api.add({
    method: "get",
    path: "/alerts",
    summary: "The alerts active now (their history: /events?kind=alert)",
    tag: "events",
    access: "viewer",
    response: z.object({ active: z.array(alertSchema) }),
    handle: (c) => c.json({ active: ctx.hub.latest?.alerts ?? [] }),
  });
}
