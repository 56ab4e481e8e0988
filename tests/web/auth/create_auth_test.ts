import { Hono } from "hono";
import { assertEquals, assertMatch } from "@std/assert";
import type { WebEnv } from "../../../web/web_env.ts";
import { createAuth } from "../../../web/auth/create_auth.ts";
import * as mod from "../../../web/auth/mod.ts";

const T0 = 1_700_000_000_000;

Deno.test("createAuth() wires stores, middleware and routes that share one clock and session settings", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const clock = { now: T0 };
    const auth = createAuth({
      kv,
      now: () => clock.now,
      tls: true,
      clientAddress: () => "192.0.2.1",
      iterations: 1000,
      session: { idleMs: 60_000, touchEveryMs: 1000 },
      allowedOrigins: ["https://sluice.example.net"],
    });
    const password = await auth.users.ensureAdmin(T0);
    const app = new Hono<WebEnv>()
      .use("*", auth.securityHeaders)
      .use("/api/*", auth.authenticate, auth.csrf)
      .route("/api/v1", auth.routes);
    const res = await app.request("https://sluice.lan/api/v1/session", {
      method: "POST",
      headers: { Origin: "https://sluice.example.net" },
      body: JSON.stringify({ name: "admin", password }),
    });
    assertEquals(res.status, 200);
    assertEquals((await res.json()).expires, T0 + 60_000);
    assertEquals(res.headers.get("Strict-Transport-Security"), "max-age=63072000");
    const cookie = res.headers.getSetCookie()[0];
    assertMatch(cookie, /; Secure;/);
    const headers = { Cookie: cookie.split(";")[0] };
    clock.now = T0 + 59_000;
    assertEquals((await app.request("https://sluice.lan/api/v1/session", { headers })).status, 200);
    clock.now = T0 + 59_000 + 60_000;
    assertEquals((await app.request("https://sluice.lan/api/v1/session", { headers })).status, 401);
    assertEquals(auth.sessions.idleMs, 60_000);
  } finally {
    kv.close();
  }
});

Deno.test("web/auth/mod.ts exports the public surface", () => {
  for (
    const name of [
      "createAuth",
      "authRoutes",
      "authenticate",
      "requireUser",
      "requireRole",
      "csrfProtection",
      "securityHeaders",
      "jsonError",
      "errorBody",
      "UserStore",
      "SessionStore",
      "TokenStore",
      "LoginLimiter",
      "hashPassword",
      "verifyPassword",
      "generatePassword",
      "loginBody",
      "SESSION_COOKIE",
      "CSRF_HEADER",
    ]
  ) {
    assertEquals(name in mod, true, name);
  }
});
