/**
 * Strict response headers for every response: a Content-Security-Policy
 * that allows only Sluice's own scripts, styles and connections (no inline
 * scripts, no framing), no MIME sniffing, no referrer, isolation from other
 * origins' windows and resources, HSTS when served over TLS, and no caching
 * of API responses.
 *
 * @module
 */
import { createMiddleware } from "hono/factory";
import type { MiddlewareHandler } from "hono";

/** The Content-Security-Policy every response gets. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Powerful browser features the dashboard never uses, turned off. */
export const PERMISSIONS_POLICY = [
  "accelerometer=()",
  "camera=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "payment=()",
  "usb=()",
].join(", ");

/** Options of {@linkcode securityHeaders}. */
export interface SecurityHeadersOptions {
  /** Served over TLS: adds Strict-Transport-Security. */
  tls: boolean;
}

/**
 * Sets the security headers on every response (after the handler ran, so
 * error responses get them too); `Cache-Control: no-store` on `/api/`.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { assertEquals } from "@std/assert";
 * const app = new Hono().use(securityHeaders({ tls: false })).get("/", (c) => c.text("hi"));
 * const res = await app.request("/");
 * assertEquals(res.headers.get("X-Frame-Options"), "DENY");
 * assertEquals(res.headers.get("Strict-Transport-Security"), null);
 * ```
 */
export function securityHeaders(options: SecurityHeadersOptions): MiddlewareHandler {
  const headers: [string, string][] = [
    ["Content-Security-Policy", CONTENT_SECURITY_POLICY],
    ["X-Content-Type-Options", "nosniff"],
    ["Referrer-Policy", "no-referrer"],
    ["X-Frame-Options", "DENY"],
    ["Cross-Origin-Opener-Policy", "same-origin"],
    ["Cross-Origin-Resource-Policy", "same-origin"],
    ["Permissions-Policy", PERMISSIONS_POLICY],
  ];
  // Two years: the browser then refuses plain HTTP to this host for that long.
  if (options.tls) headers.push(["Strict-Transport-Security", "max-age=63072000"]);
  return createMiddleware(async (c, next) => {
    await next();
    for (const [name, value] of headers) c.res.headers.set(name, value);
    if (c.req.path.startsWith("/api/")) c.res.headers.set("Cache-Control", "no-store");
  });
}
