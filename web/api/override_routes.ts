/**
 * The manual overrides set from the web or `sluice override`: listed, and
 * cleared one by one (the running policy lifts what they did within a second).
 *
 * @module
 */
import { z } from "zod/v4";
import { OverrideStore } from "../../engine/history/mod.ts";
import type { WebContext } from "../web_context.ts";
import type { ApiRegistry } from "./api_registry.ts";
import { HttpError } from "./http_error.ts";
import { logAdmin } from "./_policy_edit.ts";
import { ruleSchema } from "./_schemas.ts";

const listQuery = z.object({
  all: z.enum(["true", "false"], { error: 'all must be "true" or "false"' }).optional(),
});

/**
 * Declares GET /overrides and DELETE /overrides/:id.
 *
 * @example
 * ```ts ignore
 * createApp({ ctx, auth, registrars: [overrideRoutes] });
 * ```
 */
export function overrideRoutes(api: ApiRegistry, ctx: WebContext): void {
  api.add({
    method: "get",
    path: "/overrides",
    summary: "The manual overrides in force or waiting, in the order set (?all=true: ended too)",
    tag: "overrides",
    access: "viewer",
    query: listQuery,
    response: z.object({ overrides: z.array(ruleSchema) }),
    handle: async (c, { query }) => {
      const now = ctx.now();
      const all = await new OverrideStore(ctx.kv).list();
      const overrides = query.all === "true"
        ? all
        : all.filter((r) => (r.manual?.until ?? Infinity) > now);
      return c.json({ overrides });
    },
  });

  api.add({
    method: "delete",
    path: "/overrides/:id",
    summary: "Clears a manual override",
    tag: "overrides",
    access: "admin",
    params: z.object({ id: z.string().min(1).max(64) }),
    status: 204,
    handle: async (c, { params }) => {
      const store = new OverrideStore(ctx.kv);
      const rule = (await store.list()).find((r) => r.id === params.id);
      if (!rule || (await store.remove([params.id])).length === 0) {
        throw new HttpError(404, `no override "${params.id}"`);
      }
      const device = "device" in rule.devices ? rule.devices.device : undefined;
      await logAdmin(ctx, c, `override ${params.id} cleared`, { override: params.id }, device);
      return c.body(null, 204);
    },
  });
}
