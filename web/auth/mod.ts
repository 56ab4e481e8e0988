/**
 * Sluice's web authentication: users with PBKDF2-SHA256 password hashes,
 * browser sessions and API tokens in Deno KV, login rate limiting, the
 * authentication, role, CSRF and security-header middleware, and the
 * session, token and user routes.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { assertEquals } from "@std/assert";
 * import type { WebEnv } from "../web_env.ts";
 * import { createAuth, requireRole } from "./mod.ts";
 * const kv = await Deno.openKv(":memory:");
 * const auth = createAuth({ kv, now: Date.now, tls: false });
 * const app = new Hono<WebEnv>()
 *   .use("*", auth.securityHeaders)
 *   .use("/api/*", auth.authenticate, auth.csrf)
 *   .route("/api/v1", auth.routes)
 *   .post("/api/v1/things", requireRole("admin"), (c) => c.json({ ok: true }));
 * assertEquals((await app.request("/api/v1/things", { method: "POST" })).status, 401);
 * kv.close();
 * ```
 *
 * @module
 */
export * from "./password.ts";
export * from "./user_store.ts";
export * from "./session_store.ts";
export * from "./token_store.ts";
export * from "./login_limiter.ts";
export * from "./json_error.ts";
export * from "./authenticate.ts";
export * from "./require_role.ts";
export * from "./csrf.ts";
export * from "./security_headers.ts";
export * from "./auth_schemas.ts";
export * from "./auth_routes.ts";
export * from "./client_address.ts";
export * from "./create_auth.ts";
