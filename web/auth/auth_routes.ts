/**
 * Every auth route in one Hono sub-app, to mount at `/api/v1`: login and
 * logout (`/session`), sessions, API tokens and users. The app that mounts
 * it runs `authenticate` and `csrfProtection` first (see `createAuth`).
 *
 * @module
 */
import { type Context, Hono } from "hono";
import type { WebEnv } from "../web_env.ts";
import type { RouteDeps } from "./_routes_shared.ts";
import { LoginLimiter } from "./login_limiter.ts";
import { SessionStore } from "./session_store.ts";
import { sessionRoutes } from "./session_routes.ts";
import { TokenStore } from "./token_store.ts";
import { tokenRoutes } from "./token_routes.ts";
import { UserStore } from "./user_store.ts";
import { userRoutes } from "./user_routes.ts";

/** Options of {@linkcode authRoutes}: the store, clock and transport, and optionally the stores. */
export interface AuthRoutesOptions {
  kv: Deno.Kv;
  /** The clock (epoch ms). */
  now: () => number;
  /** Served over TLS: the session cookie is Secure. */
  tls: boolean;
  /** The client's address, for login rate limiting and the sessions list. */
  clientAddress: (c: Context<WebEnv>) => string;
  /** Share these with `authenticate` (the session options must match); made from `kv` when absent. */
  users?: UserStore;
  sessions?: SessionStore;
  tokens?: TokenStore;
  limiter?: LoginLimiter;
}

/**
 * The auth routes: POST/GET/DELETE `/session`, GET `/sessions`, DELETE
 * `/sessions/{id}`, GET/POST `/tokens`, DELETE `/tokens/{id}`, GET/POST
 * `/users`, DELETE `/users/{name}`, POST `/users/{name}/password`.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { assertEquals } from "@std/assert";
 * import type { WebEnv } from "../web_env.ts";
 * const kv = await Deno.openKv(":memory:");
 * const app = new Hono<WebEnv>()
 *   .use((c, next) => (c.set("user", null), next()))
 *   .route("/api/v1", authRoutes({ kv, now: Date.now, tls: false, clientAddress: () => "test" }));
 * assertEquals((await app.request("/api/v1/users")).status, 401);
 * kv.close();
 * ```
 */
export function authRoutes(options: AuthRoutesOptions): Hono<WebEnv> {
  const deps: RouteDeps = {
    users: options.users ?? new UserStore(options.kv),
    sessions: options.sessions ?? new SessionStore(options.kv),
    tokens: options.tokens ?? new TokenStore(options.kv),
    limiter: options.limiter ?? new LoginLimiter(),
    now: options.now,
    tls: options.tls,
    clientAddress: options.clientAddress,
  };
  return new Hono<WebEnv>()
    .route("/", sessionRoutes(deps))
    .route("/", tokenRoutes(deps))
    .route("/", userRoutes(deps));
}
