/**
 * Route guards: {@linkcode requireUser} refuses anonymous requests (401),
 * {@linkcode requireRole} also callers below a role (403). Both answer in
 * the API's JSON error shape.
 *
 * @module
 */
import { createMiddleware } from "hono/factory";
import type { MiddlewareHandler } from "hono";
import type { Role, WebEnv } from "../web_env.ts";
import { jsonError } from "./json_error.ts";

const RANK: Record<Role, number> = { viewer: 1, admin: 2 };

/**
 * Lets only authenticated callers through: 401 otherwise. Needs
 * `authenticate` before it (without it every caller is anonymous).
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { assertEquals } from "@std/assert";
 * import type { WebEnv } from "../web_env.ts";
 * const app = new Hono<WebEnv>().get("/x", requireUser(), (c) => c.text("ok"));
 * assertEquals((await app.request("/x")).status, 401);
 * ```
 */
export function requireUser(): MiddlewareHandler<WebEnv> {
  return requireRole("viewer");
}

/**
 * Lets through callers with `role` or above (admin > viewer): 401 for
 * anonymous callers, 403 for lesser roles.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { assertEquals } from "@std/assert";
 * import type { WebEnv } from "../web_env.ts";
 * const app = new Hono<WebEnv>()
 *   .use((c, next) => (c.set("user", { name: "v", role: "viewer", via: "token", id: "t" }), next()))
 *   .post("/x", requireRole("admin"), (c) => c.text("ok"));
 * assertEquals((await app.request("/x", { method: "POST" })).status, 403);
 * ```
 */
export function requireRole(role: Role): MiddlewareHandler<WebEnv> {
  if (!(role in RANK)) throw new RangeError(`role must be "admin" or "viewer", got "${role}"`);
  return createMiddleware<WebEnv>(async (c, next) => {
    const user = c.get("user");
    if (!user) {
      c.header("WWW-Authenticate", 'Bearer realm="sluice"');
      return jsonError(c, 401, "log in or send an API token");
    }
    if (RANK[user.role] < RANK[role]) {
      return jsonError(c, 403, `this needs the ${role} role; ${user.name} is a ${user.role}`);
    }
    await next();
  });
}
