import { Hono } from "hono";
import { assertEquals, assertThrows } from "@std/assert";
import type { AuthUser, Role, WebEnv } from "../../../web/web_env.ts";
import { requireRole, requireUser } from "../../../web/auth/require_role.ts";

function appAs(user: AuthUser | null): Hono<WebEnv> {
  return new Hono<WebEnv>()
    .use((c, next) => {
      c.set("user", user);
      return next();
    })
    .get("/read", requireUser(), (c) => c.text("read"))
    .post("/act", requireRole("admin"), (c) => c.text("acted"));
}

const as = (role: Role): AuthUser => ({
  name: role === "admin" ? "ann" : "vic",
  role,
  via: "session",
  id: "s",
});

Deno.test("requireUser() refuses an anonymous request with 401 in the JSON error shape", async () => {
  const res = await appAs(null).request("/read");
  assertEquals(res.status, 401);
  assertEquals(res.headers.get("WWW-Authenticate"), 'Bearer realm="sluice"');
  assertEquals(res.headers.get("Content-Type"), "application/json");
  assertEquals(await res.json(), {
    error: { status: 401, message: "log in or send an API token" },
  });
});

Deno.test("requireUser() lets viewers and admins through", async () => {
  assertEquals(await (await appAs(as("viewer")).request("/read")).text(), "read");
  assertEquals(await (await appAs(as("admin")).request("/read")).text(), "read");
});

Deno.test("requireRole() refuses a viewer with 403 and lets an admin act", async () => {
  const denied = await appAs(as("viewer")).request("/act", { method: "POST" });
  assertEquals(denied.status, 403);
  assertEquals(await denied.json(), {
    error: { status: 403, message: "this needs the admin role; vic is a viewer" },
  });
  assertEquals((await appAs(null).request("/act", { method: "POST" })).status, 401);
  assertEquals(
    await (await appAs(as("admin")).request("/act", { method: "POST" })).text(),
    "acted",
  );
});

Deno.test("requireRole() refuses an unknown role when the route is built", () => {
  assertThrows(() => requireRole("root" as Role), RangeError, "role");
});
