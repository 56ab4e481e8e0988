/**
 * Web users: GET and POST `/users` and DELETE `/users/{name}` for admins,
 * and POST `/users/{name}/password`, where an admin sets anyone's password
 * and any user changes their own with the old one. Relative to where they
 * are mounted (`/api/v1`).
 *
 * @module
 */
import { type Context, Hono } from "hono";
import type { WebEnv } from "../web_env.ts";
import { readBody, type RouteDeps } from "./_routes_shared.ts";
import { newUserBody, passwordBody } from "./auth_schemas.ts";
import { jsonError } from "./json_error.ts";
import { requireRole, requireUser } from "./require_role.ts";
import { UserStoreError } from "./user_store.ts";

const STATUS = { "exists": 409, "not-found": 404, "last-admin": 409 } as const;

/**
 * The user routes. Expects `authenticate` and `csrfProtection` to run
 * before them; see `authRoutes`.
 *
 * @example
 * ```ts ignore
 * app.route("/api/v1", userRoutes(deps));
 * ```
 */
export function userRoutes(deps: RouteDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.get("/users", requireRole("admin"), async (c) => c.json({ users: await deps.users.list() }));

  app.post("/users", requireRole("admin"), async (c) => {
    const body = await readBody(c, newUserBody);
    if (!body.ok) return body.response;
    const { name, role, password } = body.data;
    try {
      return c.json({ user: await deps.users.create(name, role, password, deps.now()) }, 201);
    } catch (err) {
      return storeError(c, err);
    }
  });

  app.delete("/users/:name", requireRole("admin"), async (c) => {
    const name = c.req.param("name");
    if (!(await deps.users.get(name))) return jsonError(c, 404, "no such user");
    try {
      await deps.users.delete(name);
    } catch (err) {
      return storeError(c, err);
    }
    // Their sessions and tokens would otherwise outlive them.
    await deps.sessions.revokeAll(name);
    await deps.tokens.revokeAll(name);
    return c.body(null, 204);
  });

  app.post("/users/:name/password", requireUser(), async (c) => {
    const user = c.get("user")!;
    const name = c.req.param("name");
    const self = user.name === name;
    if (!self && user.role !== "admin") {
      return jsonError(c, 403, "only an admin sets another user's password");
    }
    const body = await readBody(c, passwordBody);
    if (!body.ok) return body.response;
    const { password, oldPassword } = body.data;
    if (self) {
      if (oldPassword === undefined) {
        return jsonError(c, 400, "invalid request: oldPassword is required", {
          oldPassword: "is required to change your own password",
        });
      }
      // The old password is a password guess like a login's: same limits.
      const address = deps.clientAddress(c);
      const verdict = deps.limiter.begin(address, name, deps.now());
      if (!verdict.allowed) {
        c.header("Retry-After", String(verdict.retryAfter));
        return jsonError(c, 429, `too many wrong passwords: try again in ${verdict.retryAfter} s`);
      }
      if (!(await deps.users.verify(name, oldPassword))) {
        deps.limiter.fail(address, name, deps.now());
        return jsonError(c, 400, "invalid request: oldPassword is wrong", {
          oldPassword: "is wrong",
        });
      }
      deps.limiter.succeed(address, name, deps.now());
    } else if (!(await deps.users.get(name))) {
      return jsonError(c, 404, "no such user");
    }
    try {
      await deps.users.setPassword(name, password);
    } catch (err) {
      return storeError(c, err);
    }
    // A new password logs the user out everywhere else.
    await deps.sessions.revokeAll(name, self && user.via === "session" ? user.id : undefined);
    return c.body(null, 204);
  });

  return app;
}

/** A UserStoreError as its response (exists or last admin 409, unknown 404); rethrows others. */
function storeError(c: Context, err: unknown): Response {
  if (err instanceof UserStoreError) return jsonError(c, STATUS[err.code], err.message);
  throw err;
}
