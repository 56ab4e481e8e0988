/**
 * Cross-site request forgery protection for state-changing requests
 * (POST, PUT, PATCH, DELETE): a browser-session request must echo its
 * session's CSRF token in `X-CSRF-Token`, and any request a browser marks
 * as cross-site (`Sec-Fetch-Site`) or from another origin (`Origin`) is
 * refused, logins included. Bearer-token requests are exempt: a browser
 * never adds the token on its own.
 *
 * @module
 */
import { createMiddleware } from "hono/factory";
import type { MiddlewareHandler } from "hono";
import type { WebEnv } from "../web_env.ts";
import { timingSafeEqualText } from "./_bytes.ts";
import { jsonError } from "./json_error.ts";

/** The header a browser session echoes its CSRF token in. */
export const CSRF_HEADER = "X-CSRF-Token";

/** Options of {@linkcode csrfProtection}. */
export interface CsrfOptions {
  /**
   * Other origins allowed to send state-changing requests
   * ("https://sluice.example.net" behind a reverse proxy that rewrites Host).
   */
  allowedOrigins?: readonly string[];
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses forged state-changing requests with 403. Goes after `authenticate`.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { assertEquals } from "@std/assert";
 * import type { WebEnv } from "../web_env.ts";
 * const app = new Hono<WebEnv>()
 *   .use((c, next) => (c.set("user", { name: "a", role: "admin", via: "session", csrf: "s3cret", id: "x" }), next()))
 *   .use(csrfProtection())
 *   .post("/x", (c) => c.text("ok"));
 * assertEquals((await app.request("/x", { method: "POST" })).status, 403);
 * assertEquals((await app.request("/x", { method: "POST", headers: { "X-CSRF-Token": "s3cret" } })).status, 200);
 * ```
 */
export function csrfProtection(options: CsrfOptions = {}): MiddlewareHandler<WebEnv> {
  const allowed = new Set((options.allowedOrigins ?? []).map((o) => new URL(o).origin));
  return createMiddleware<WebEnv>(async (c, next) => {
    if (SAFE.has(c.req.method)) return await next();
    const user = c.get("user");
    if (user?.via === "token") return await next();
    const site = c.req.header("Sec-Fetch-Site");
    if (site !== undefined && site !== "same-origin" && site !== "none") {
      return jsonError(c, 403, `cross-site request refused (Sec-Fetch-Site: ${site})`);
    }
    const origin = c.req.header("Origin");
    if (origin !== undefined && !sameOrigin(origin, c.req.url) && !allowed.has(origin)) {
      return jsonError(c, 403, "cross-origin request refused (Origin does not match)");
    }
    if (user?.via === "session") {
      const sent = c.req.header(CSRF_HEADER);
      if (sent === undefined) return jsonError(c, 403, `missing ${CSRF_HEADER} header`);
      if (!user.csrf || !timingSafeEqualText(sent, user.csrf)) {
        return jsonError(c, 403, `wrong ${CSRF_HEADER} header`);
      }
    }
    await next();
  });
}

function sameOrigin(origin: string, url: string): boolean {
  try {
    return new URL(origin).origin === new URL(url).origin;
  } catch {
    return false; // "null" (a sandboxed or privacy-sensitive context) or garbage
  }
}
