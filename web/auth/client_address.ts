/**
 * The address of the client that sent a request, for login rate limiting
 * and the sessions list, from the connection Deno.serve reports (passed to
 * Hono as its env: `Deno.serve((req, info) => app.fetch(req, info))`).
 * Forwarded-for headers are ignored: a client can write them.
 *
 * @module
 */
import type { Context } from "hono";

/**
 * The client's IP address, or "unknown" when the app was called without
 * connection info (as `app.request()` in tests is).
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { assertEquals } from "@std/assert";
 * const app = new Hono().get("/", (c) => c.text(remoteAddress(c)));
 * const info = { remoteAddr: { transport: "tcp", hostname: "192.168.1.9", port: 50000 } };
 * assertEquals(await (await app.request("/", {}, info)).text(), "192.168.1.9");
 * assertEquals(await (await app.request("/")).text(), "unknown");
 * ```
 */
export function remoteAddress(c: Context): string {
  const info = c.env as { remoteAddr?: { hostname?: unknown } } | undefined;
  const hostname = info?.remoteAddr?.hostname;
  return typeof hostname === "string" && hostname !== "" ? hostname : "unknown";
}
