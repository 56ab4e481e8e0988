/**
 * The middleware that says who is asking: a browser session (cookie
 * `sluice_session`) or an API token (`Authorization: Bearer sluice_...`).
 * It sets `c.get("user")` to the caller or null and never refuses a request
 * itself: {@linkcode requireUser} and {@linkcode requireRole} do.
 *
 * @module
 */
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { MiddlewareHandler } from "hono";
import type { AuthUser, WebEnv } from "../web_env.ts";
import type { SessionStore } from "./session_store.ts";
import type { TokenStore } from "./token_store.ts";

/** The session cookie's name. */
export const SESSION_COOKIE = "sluice_session";

/** Options of {@linkcode authenticate}. */
export interface AuthenticateOptions {
  sessions: SessionStore;
  tokens: TokenStore;
  /** The clock (epoch ms). */
  now: () => number;
}

/**
 * Sets `c.get("user")`. An Authorization header wins over the cookie: a
 * request that sends a bearer token is judged by it alone (an invalid one
 * makes it anonymous, not a cookie request).
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { assertEquals } from "@std/assert";
 * import type { WebEnv } from "../web_env.ts";
 * import { SessionStore } from "./session_store.ts";
 * import { TokenStore } from "./token_store.ts";
 * const kv = await Deno.openKv(":memory:");
 * const app = new Hono<WebEnv>()
 *   .use(authenticate({ sessions: new SessionStore(kv), tokens: new TokenStore(kv), now: Date.now }))
 *   .get("/", (c) => c.json(c.get("user")));
 * assertEquals(await (await app.request("/")).json(), null);
 * kv.close();
 * ```
 */
export function authenticate(options: AuthenticateOptions): MiddlewareHandler<WebEnv> {
  const { sessions, tokens, now } = options;
  return createMiddleware<WebEnv>(async (c, next) => {
    c.set("user", await caller());
    await next();

    async function caller(): Promise<AuthUser | null> {
      const authorization = c.req.header("Authorization");
      if (authorization !== undefined) {
        const match = /^Bearer +(\S+) *$/i.exec(authorization);
        const token = match ? await tokens.verify(match[1], now()) : null;
        return token && { name: token.user, role: token.role, via: "token", id: token.id };
      }
      const cookie = getCookie(c, SESSION_COOKIE);
      if (cookie === undefined) return null;
      const session = await sessions.touch(cookie, now());
      return session && {
        name: session.user,
        role: session.role,
        via: "session",
        csrf: session.csrf,
        id: session.id,
      };
    }
  });
}
