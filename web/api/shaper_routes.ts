/**
 * The shaper: its mode, the plan last applied, the objects applied (in
 * dry-run: recorded) and the policy's desired states (GET /shaper), and its
 * log of operations with their command lines (GET /shaper/log).
 *
 * @module
 */
import { z } from "zod/v4";
import type { WebContext } from "../web_context.ts";
import type { ApiRegistry } from "./api_registry.ts";
import { eventPage } from "./_event_page.ts";
import { cursorQuery, eventPageSchema, queryInt, stateSchema } from "./_schemas.ts";

/** Most applied objects and desired states one answer lists. */
export const MAX_SHAPER_ITEMS = 20_000;

const shapeDevice = z.object({
  id: z.string(),
  mac: z.string().nullable(),
  addresses: z.array(z.string()),
  blocked: z.boolean(),
  down: z.number().nullable(),
  up: z.number().nullable(),
  priority: z.enum(["high", "normal", "low"]),
});

const shaperSchema = z.object({
  mode: z.enum(["linux", "windows", "dry-run", "off"]),
  failures: z.number(),
  plan: z.object({
    link: z.object({ down: z.number(), up: z.number() }),
    shares: z.record(z.string(), z.number()),
    devices: z.array(shapeDevice),
  }).nullable(),
  applied: z.array(z.object({
    key: z.string(),
    identity: z.string(),
    spec: z.string(),
    needs: z.array(z.string()),
    remove: z.array(z.looseObject({ argv: z.array(z.string()) })),
    summary: z.string(),
  })),
  desired: z.array(stateSchema),
});

/**
 * Declares GET /shaper and GET /shaper/log (viewers and up).
 *
 * @example
 * ```ts ignore
 * createApp({ ctx, auth, registrars: [shaperRoutes] });
 * ```
 */
export function shaperRoutes(api: ApiRegistry, ctx: WebContext): void {
  api.add({
    method: "get",
    path: "/shaper",
    summary: "The shaper's mode, plan, applied objects and the policy's desired states",
    tag: "shaper",
    access: "viewer",
    query: z.object({ limit: queryInt("limit", 1, MAX_SHAPER_ITEMS, 5000) }),
    response: shaperSchema,
    handle: (c, { query }) => {
      const shaper = ctx.shaper();
      const desired = (ctx.policy()?.states() ?? [])
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return c.json({
        mode: shaper?.mode ?? "off",
        failures: shaper?.failures() ?? 0,
        plan: shaper?.plan() ?? null,
        applied: (shaper?.applied() ?? []).slice(0, query.limit),
        desired: desired.slice(0, query.limit),
      });
    },
  });

  api.add({
    method: "get",
    path: "/shaper/log",
    summary: "The shaper's operations with their command lines, newest first",
    tag: "shaper",
    access: "viewer",
    query: z.object({ limit: queryInt("limit", 1, 1000, 50), cursor: cursorQuery }),
    response: eventPageSchema,
    handle: async (c, { query }) => {
      const page = await eventPage(ctx, {
        kind: "shaper",
        limit: query.limit,
        cursor: query.cursor,
      });
      return c.json(page);
    },
  });
}
