// Every auth route at once: anonymous callers get 401 (but for logging in),
// viewers get 403 on every admin mutation, and every answer carries the
// security headers and Cache-Control: no-store.
import { Hono } from "hono";
import { assertEquals } from "@std/assert";
import type { WebEnv } from "../../../web/web_env.ts";
import { authRoutes } from "../../../web/auth/auth_routes.ts";
import { ADMIN, errorOf, login, send, VIEWER, withApp } from "./_app.ts";

/** Every auth route, with a body that would pass validation. */
const ROUTES: [method: string, path: string, body?: unknown][] = [
  ["GET", "/api/v1/session"],
  ["DELETE", "/api/v1/session"],
  ["GET", "/api/v1/sessions"],
  ["DELETE", "/api/v1/sessions/abc"],
  ["GET", "/api/v1/tokens"],
  ["POST", "/api/v1/tokens", { name: "x" }],
  ["DELETE", "/api/v1/tokens/abc"],
  ["GET", "/api/v1/users"],
  ["POST", "/api/v1/users", { name: "kid", role: "viewer", password: "kid-password" }],
  ["DELETE", "/api/v1/users/viv"],
  ["POST", "/api/v1/users/viv/password", { password: "brand-new-password" }],
];

Deno.test("Every auth route but login answers an anonymous caller 401 in the JSON error shape", async () => {
  await withApp(async (t) => {
    for (const [method, path, body] of ROUTES) {
      const res = await send(t, method, path, null, body);
      assertEquals(
        await errorOf(res),
        { status: 401, message: "log in or send an API token" },
        `${method} ${path}`,
      );
    }
    const login = await send(t, "POST", "/api/v1/session", null, {});
    assertEquals(login.status, 400);
    await login.body?.cancel();
  });
});

Deno.test("Every admin mutation answers a viewer 403 and changes nothing", async () => {
  await withApp(async (t) => {
    const viewer = await login(t, VIEWER);
    const admin = await login(t, ADMIN);
    const before = await Promise.all([t.auth.users.list(), t.auth.tokens.list()]);
    const mutations: [string, string, unknown][] = [
      ["POST", "/api/v1/tokens", { name: "x" }],
      ["DELETE", "/api/v1/tokens/abc", undefined],
      ["POST", "/api/v1/users", { name: "kid", role: "admin", password: "kid-password" }],
      ["DELETE", "/api/v1/users/admin", undefined],
      ["POST", "/api/v1/users/admin/password", { password: "taken-over-password" }],
    ];
    for (const [method, path, body] of mutations) {
      const res = await send(t, method, path, viewer, body);
      assertEquals(res.status, 403, `${method} ${path}`);
      await res.body?.cancel();
    }
    assertEquals(await Promise.all([t.auth.users.list(), t.auth.tokens.list()]), before);
    assertEquals((await send(t, "GET", "/api/v1/session", admin)).status, 200);
  });
});

Deno.test("Every auth route's answer carries the security headers and no-store", async () => {
  await withApp(async (t) => {
    const admin = await login(t, ADMIN);
    for (const [method, path, body] of [...ROUTES, ["POST", "/api/v1/session", VIEWER] as const]) {
      for (const as of [null, admin]) {
        const res = await send(t, method, path, as, body);
        assertEquals(res.headers.get("Cache-Control"), "no-store", `${method} ${path}`);
        assertEquals(res.headers.get("X-Content-Type-Options"), "nosniff", `${method} ${path}`);
        assertEquals(
          res.headers.get("Content-Security-Policy")?.startsWith("default-src 'self'"),
          true,
        );
        await res.body?.cancel();
      }
    }
  });
});

Deno.test("authRoutes() makes its own stores from kv when none are given", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const app = new Hono<WebEnv>()
      .use((c, next) => {
        c.set("user", { name: "root", role: "admin", via: "token", id: "t" });
        return next();
      })
      .route("/api/v1", authRoutes({ kv, now: () => 5, tls: false, clientAddress: () => "x" }));
    const res = await app.request("/api/v1/tokens", {
      method: "POST",
      body: JSON.stringify({ name: "made" }),
    });
    assertEquals(res.status, 201);
    assertEquals((await res.json()).created, 5);
    const list = await (await app.request("/api/v1/tokens")).json();
    assertEquals(list.tokens.map((x: { name: string }) => x.name), ["made"]);
  } finally {
    kv.close();
  }
});
