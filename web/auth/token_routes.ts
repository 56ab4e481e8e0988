/**
 * API tokens, for admins: GET and POST `/tokens`, DELETE `/tokens/{id}`,
 * relative to where they are mounted (`/api/v1`). POST answers with the
 * token itself, the only time it is shown.
 *
 * @module
 */
import { Hono } from "hono";
import type { WebEnv } from "../web_env.ts";
import { readBody, type RouteDeps } from "./_routes_shared.ts";
import { newTokenBody } from "./auth_schemas.ts";
import { jsonError } from "./json_error.ts";
import { requireRole } from "./require_role.ts";

/**
 * The token routes (admin only). Expects `authenticate` and
 * `csrfProtection` to run before them; see `authRoutes`.
 *
 * @example
 * ```ts ignore
 * app.route("/api/v1", tokenRoutes(deps));
 * ```
 */
export function tokenRoutes(deps: RouteDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use("/tokens", requireRole("admin"));
  app.use("/tokens/*", requireRole("admin"));

  app.get("/tokens", async (c) => c.json({ tokens: await deps.tokens.list() }));

  app.post("/tokens", async (c) => {
    const body = await readBody(c, newTokenBody);
    if (!body.ok) return body.response;
    const user = c.get("user")!;
    try {
      const { token, info } = await deps.tokens.create(
        { name: body.data.name, role: body.data.role, user: user.name },
        deps.now(),
      );
      return c.json({ ...info, token }, 201);
    } catch (err) {
      if (err instanceof RangeError) return jsonError(c, 409, err.message);
      throw err;
    }
  });

  app.delete("/tokens/:id", async (c) => {
    if (!(await deps.tokens.revoke(c.req.param("id")))) return jsonError(c, 404, "no such token");
    return c.body(null, 204);
  });

  return app;
}
