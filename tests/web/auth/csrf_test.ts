import { Hono } from "hono";
import { assertEquals } from "@std/assert";
import type { AuthUser, WebEnv } from "../../../web/web_env.ts";
import { csrfProtection } from "../../../web/auth/csrf.ts";

const SESSION: AuthUser = {
  name: "ann",
  role: "admin",
  via: "session",
  csrf: "the-token",
  id: "s1",
};
const TOKEN: AuthUser = { name: "ann", role: "admin", via: "token", id: "t1" };

function appAs(user: AuthUser | null, allowedOrigins?: string[]): Hono<WebEnv> {
  const app = new Hono<WebEnv>()
    .use((c, next) => {
      c.set("user", user);
      return next();
    })
    .use(csrfProtection({ allowedOrigins }));
  for (const method of ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]) {
    app.on(method, "/x", (c) => c.json({ ok: true }));
  }
  return app;
}

async function status(
  app: Hono<WebEnv>,
  method: string,
  headers: Record<string, string> = {},
): Promise<number> {
  return (await app.request("http://sluice.lan:8080/x", { method, headers })).status;
}

Deno.test("csrfProtection() lets safe methods through without a token", async () => {
  for (const method of ["GET", "HEAD", "OPTIONS"]) {
    assertEquals(await status(appAs(SESSION), method, { "Sec-Fetch-Site": "cross-site" }), 200);
  }
});

Deno.test("csrfProtection() refuses a session's state change without the right X-CSRF-Token", async () => {
  const app = appAs(SESSION);
  for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
    const res = await app.request("/x", { method });
    assertEquals(res.status, 403);
    assertEquals(await res.json(), {
      error: { status: 403, message: "missing X-CSRF-Token header" },
    });
    assertEquals(await status(app, method, { "X-CSRF-Token": "the-tokeN" }), 403);
    assertEquals(await status(app, method, { "X-CSRF-Token": "" }), 403);
    assertEquals(await status(app, method, { "X-CSRF-Token": "the-token" }), 200);
  }
});

Deno.test("csrfProtection() refuses requests a browser marks cross-site or same-site", async () => {
  for (const user of [SESSION, null]) {
    const app = appAs(user);
    const headers = { "X-CSRF-Token": "the-token" };
    assertEquals(await status(app, "POST", { ...headers, "Sec-Fetch-Site": "cross-site" }), 403);
    assertEquals(await status(app, "POST", { ...headers, "Sec-Fetch-Site": "same-site" }), 403);
    assertEquals(await status(app, "POST", { ...headers, "Sec-Fetch-Site": "same-origin" }), 200);
    assertEquals(await status(app, "POST", { ...headers, "Sec-Fetch-Site": "none" }), 200);
  }
});

Deno.test("csrfProtection() refuses another Origin unless allowed", async () => {
  const headers = { "X-CSRF-Token": "the-token" };
  const app = appAs(SESSION);
  assertEquals(await status(app, "POST", { ...headers, Origin: "http://sluice.lan:8080" }), 200);
  assertEquals(await status(app, "POST", { ...headers, Origin: "http://evil.example" }), 403);
  assertEquals(await status(app, "POST", { ...headers, Origin: "https://sluice.lan:8080" }), 403);
  assertEquals(await status(app, "POST", { ...headers, Origin: "null" }), 403);
  assertEquals(await status(appAs(null), "POST", { Origin: "http://evil.example" }), 403);
  const proxied = appAs(SESSION, ["https://sluice.example.net"]);
  assertEquals(
    await status(proxied, "POST", { ...headers, Origin: "https://sluice.example.net" }),
    200,
  );
});

Deno.test("csrfProtection() exempts bearer-token requests", async () => {
  const app = appAs(TOKEN);
  assertEquals(await status(app, "POST"), 200);
  assertEquals(
    await status(app, "DELETE", { Origin: "http://elsewhere", "Sec-Fetch-Site": "cross-site" }),
    200,
  );
});

Deno.test("csrfProtection() lets an anonymous same-origin state change through to its route", async () => {
  assertEquals(await status(appAs(null), "POST"), 200);
});
