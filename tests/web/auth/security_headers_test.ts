import { Hono } from "hono";
import { assertEquals } from "@std/assert";
import { CONTENT_SECURITY_POLICY, securityHeaders } from "../../../web/auth/security_headers.ts";

function app(tls: boolean): Hono {
  return new Hono()
    .use(securityHeaders({ tls }))
    .get("/", (c) => c.html("<p>hi</p>"))
    .get("/api/v1/x", (c) => c.json({ x: 1 }))
    .get("/api/v1/boom", () => {
      throw new Error("boom");
    })
    .onError((_err, c) => c.json({ error: { status: 500, message: "internal error" } }, 500));
}

Deno.test("securityHeaders() sets a strict CSP without inline scripts and the other headers", async () => {
  const res = await app(false).request("/");
  assertEquals(
    res.headers.get("Content-Security-Policy"),
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
      "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; " +
      "form-action 'self'; frame-ancestors 'none'",
  );
  assertEquals(CONTENT_SECURITY_POLICY.includes("unsafe-inline"), false);
  assertEquals(res.headers.get("X-Content-Type-Options"), "nosniff");
  assertEquals(res.headers.get("Referrer-Policy"), "no-referrer");
  assertEquals(res.headers.get("X-Frame-Options"), "DENY");
  assertEquals(res.headers.get("Cross-Origin-Opener-Policy"), "same-origin");
  assertEquals(res.headers.get("Cross-Origin-Resource-Policy"), "same-origin");
  assertEquals(res.headers.get("Permissions-Policy")?.includes("camera=()"), true);
  assertEquals(res.headers.get("Strict-Transport-Security"), null);
  assertEquals(res.headers.get("Cache-Control"), null);
});

Deno.test("securityHeaders() adds HSTS only under TLS", async () => {
  const res = await app(true).request("/");
  assertEquals(res.headers.get("Strict-Transport-Security"), "max-age=63072000");
});

Deno.test("securityHeaders() forbids caching API responses, errors and 404s included", async () => {
  for (const path of ["/api/v1/x", "/api/v1/boom", "/api/v1/nothing"]) {
    const res = await app(false).request(path);
    assertEquals(res.headers.get("Cache-Control"), "no-store", path);
    assertEquals(res.headers.get("X-Frame-Options"), "DENY", path);
    await res.body?.cancel();
  }
});
