/**
 * Logging in and out, and the sessions list: POST, GET and DELETE
 * `/session`, GET `/sessions` and DELETE `/sessions/{id}`, relative to
 * where they are mounted (`/api/v1`).
 *
 * @module
 */
import { Hono } from "hono";
import type { WebEnv } from "../web_env.ts";
import {
  clearSessionCookie,
  readBody,
  type RouteDeps,
  setSessionCookie,
} from "./_routes_shared.ts";
import { loginBody } from "./auth_schemas.ts";
import { jsonError } from "./json_error.ts";
import { requireUser } from "./require_role.ts";
import type { Session } from "./session_store.ts";

/** A session as GET /sessions lists it: no CSRF token; `current` marks the caller's. */
export type ListedSession = Omit<Session, "csrf"> & { current: boolean };

/**
 * The session routes. Expects `authenticate` and `csrfProtection` to run
 * before them; see `authRoutes`.
 *
 * @example
 * ```ts ignore
 * app.route("/api/v1", sessionRoutes(deps));
 * ```
 */
export function sessionRoutes(deps: RouteDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.post("/session", async (c) => {
    const body = await readBody(c, loginBody);
    if (!body.ok) return body.response;
    const { name, password } = body.data;
    const address = deps.clientAddress(c);
    const verdict = deps.limiter.begin(address, name, deps.now());
    if (!verdict.allowed) {
      c.header("Retry-After", String(verdict.retryAfter));
      return jsonError(c, 429, `too many failed logins: try again in ${verdict.retryAfter} s`);
    }
    let user;
    try {
      user = await deps.users.verify(name, password);
    } catch (err) {
      deps.limiter.fail(address, name, deps.now());
      throw err;
    }
    const now = deps.now();
    if (!user) {
      deps.limiter.fail(address, name, now);
      // One message for an unknown name and a wrong password: names stay private.
      return jsonError(c, 401, "wrong user name or password");
    }
    deps.limiter.succeed(address, name, now);
    const { token, session } = await deps.sessions.create(user, now, {
      userAgent: c.req.header("User-Agent"),
      address,
    });
    setSessionCookie(c, deps, token);
    return c.json({
      user: { name: user.name, role: user.role },
      csrf: session.csrf,
      expires: session.expires,
    });
  });

  app.get("/session", requireUser(), async (c) => {
    const user = c.get("user")!;
    const who = { user: { name: user.name, role: user.role }, via: user.via };
    if (user.via === "token") return c.json(who);
    const session = await deps.sessions.getById(user.id, deps.now());
    if (!session) return jsonError(c, 401, "the session has ended: log in again");
    return c.json({ ...who, csrf: session.csrf, expires: session.expires });
  });

  app.delete("/session", requireUser(), async (c) => {
    const user = c.get("user")!;
    if (user.via !== "session") {
      return jsonError(c, 400, "an API token is not a session: revoke it with DELETE /tokens/{id}");
    }
    await deps.sessions.revoke(user.id);
    clearSessionCookie(c, deps);
    return c.body(null, 204);
  });

  app.get("/sessions", requireUser(), async (c) => {
    const user = c.get("user")!;
    const now = deps.now();
    const sessions = await deps.sessions.list(now, user.role === "admin" ? undefined : user.name);
    const listed: ListedSession[] = sessions.map(({ csrf: _, ...s }) => ({
      ...s,
      current: user.via === "session" && s.id === user.id,
    }));
    return c.json({ sessions: listed });
  });

  app.delete("/sessions/:id", requireUser(), async (c) => {
    const user = c.get("user")!;
    const session = await deps.sessions.getById(c.req.param("id"), deps.now());
    // A viewer may end their own sessions; another's is "not found", not "forbidden".
    if (!session || (user.role !== "admin" && session.user !== user.name)) {
      return jsonError(c, 404, "no such session");
    }
    await deps.sessions.revoke(session.id);
    if (user.via === "session" && session.id === user.id) clearSessionCookie(c, deps);
    return c.body(null, 204);
  });

  return app;
}
