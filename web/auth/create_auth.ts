/**
 * Sluice's authentication assembled: the stores over one KV, the
 * middleware, and the routes, sharing one clock and one set of session
 * settings.
 *
 * @module
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { WebEnv } from "../web_env.ts";
import { authenticate } from "./authenticate.ts";
import { authRoutes } from "./auth_routes.ts";
import { remoteAddress } from "./client_address.ts";
import { csrfProtection } from "./csrf.ts";
import { LoginLimiter, type LoginLimiterOptions } from "./login_limiter.ts";
import { securityHeaders } from "./security_headers.ts";
import { SessionStore, type SessionStoreOptions } from "./session_store.ts";
import { TokenStore } from "./token_store.ts";
import { UserStore } from "./user_store.ts";

/** Options of {@linkcode createAuth}. */
export interface AuthOptions {
  kv: Deno.Kv;
  /** The clock (epoch ms). */
  now: () => number;
  /** Served over TLS: Secure cookie and HSTS. */
  tls: boolean;
  /** The client's address (default {@linkcode remoteAddress}: the connection's). */
  clientAddress?: (c: Context<WebEnv>) => string;
  /** PBKDF2 iterations for new password hashes (default 600,000; tests pass fewer). */
  iterations?: number;
  session?: SessionStoreOptions;
  limiter?: LoginLimiterOptions;
  /** Origins besides the server's own allowed to send state-changing requests. */
  allowedOrigins?: readonly string[];
}

/** The parts to wire into the app. */
export interface Auth {
  users: UserStore;
  sessions: SessionStore;
  tokens: TokenStore;
  limiter: LoginLimiter;
  /** Sets `c.get("user")`: use on `/api/*` before the routes. */
  authenticate: MiddlewareHandler<WebEnv>;
  /** Refuses forged state-changing requests: use on `/api/*` after `authenticate`. */
  csrf: MiddlewareHandler<WebEnv>;
  /** Strict headers (CSP and friends): use on `*`, first. */
  securityHeaders: MiddlewareHandler;
  /** The auth routes: mount at `/api/v1`. */
  routes: Hono<WebEnv>;
}

/**
 * Builds the auth parts over one KV store.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { assertEquals } from "@std/assert";
 * import type { WebEnv } from "../web_env.ts";
 * const kv = await Deno.openKv(":memory:");
 * const auth = createAuth({ kv, now: Date.now, tls: false });
 * const app = new Hono<WebEnv>()
 *   .use("*", auth.securityHeaders)
 *   .use("/api/*", auth.authenticate, auth.csrf)
 *   .route("/api/v1", auth.routes);
 * assertEquals((await app.request("/api/v1/session")).status, 401);
 * kv.close();
 * ```
 */
export function createAuth(options: AuthOptions): Auth {
  const { kv, now, tls, clientAddress = remoteAddress } = options;
  const users = new UserStore(kv, { iterations: options.iterations });
  const sessions = new SessionStore(kv, options.session);
  const tokens = new TokenStore(kv);
  const limiter = new LoginLimiter(options.limiter);
  return {
    users,
    sessions,
    tokens,
    limiter,
    authenticate: authenticate({ sessions, tokens, now }),
    csrf: csrfProtection({ allowedOrigins: options.allowedOrigins }),
    securityHeaders: securityHeaders({ tls }),
    routes: authRoutes({ kv, now, tls, clientAddress, users, sessions, tokens, limiter }),
  };
}
