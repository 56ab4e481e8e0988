// Users through the API: admins manage them (validation with fields, 409 for
// a taken name or the last admin), deleting one ends their sessions and
// tokens, and anyone changes their own password with the old one.
import { assertEquals } from "@std/assert";
import { ADMIN, apiToken, errorOf, login, send, T0, VIEWER, withApp } from "./_app.ts";

Deno.test("GET /users lists users without hashes for admins", async () => {
  await withApp(async (t) => {
    const admin = await login(t, ADMIN);
    assertEquals(await (await send(t, "GET", "/api/v1/users", admin)).json(), {
      users: [
        { name: "admin", role: "admin", created: T0 },
        { name: "viv", role: "viewer", created: T0 },
      ],
    });
  });
});

Deno.test("POST /users creates a user who can then log in", async () => {
  await withApp(async (t) => {
    const admin = await login(t, ADMIN);
    t.clock.now = T0 + 5;
    const res = await send(t, "POST", "/api/v1/users", admin, {
      name: "kid",
      role: "viewer",
      password: "kid-password",
    });
    assertEquals([res.status, await res.json()], [201, {
      user: { name: "kid", role: "viewer", created: T0 + 5 },
    }]);
    await login(t, { name: "kid", password: "kid-password" });
    const taken = await send(t, "POST", "/api/v1/users", admin, {
      name: "kid",
      role: "admin",
      password: "other-password",
    });
    assertEquals(await errorOf(taken), { status: 409, message: `user "kid" already exists` });
  });
});

Deno.test("POST /users answers 400 with a message per field", async () => {
  await withApp(async (t) => {
    const admin = await login(t, ADMIN);
    const res = await send(t, "POST", "/api/v1/users", admin, {
      name: "Kid!",
      role: "owner",
      password: "short",
      age: 9,
    });
    const error = await errorOf(res);
    assertEquals([res.status, error.fields], [400, {
      name: `must be 1 to 32 characters of a-z, 0-9, ".", "_" or "-"`,
      role: `must be "admin" or "viewer"`,
      password: "must be 10 to 1024 characters",
      age: "is not a known field",
    }]);
    const missing = await errorOf(await send(t, "POST", "/api/v1/users", admin, {}));
    assertEquals(Object.keys(missing.fields!), ["name", "role", "password"]);
  });
});

Deno.test("DELETE /users/:name removes a user with their sessions and tokens", async () => {
  await withApp(async (t) => {
    const admin = await login(t, ADMIN);
    const viewer = await login(t, VIEWER);
    const token = await apiToken(t, "viv", "viewer");
    assertEquals((await send(t, "DELETE", "/api/v1/users/viv", admin)).status, 204);
    assertEquals((await send(t, "GET", "/api/v1/things", viewer)).status, 401);
    assertEquals((await send(t, "GET", "/api/v1/things", token)).status, 401);
    assertEquals((await send(t, "POST", "/api/v1/session", null, VIEWER)).status, 401);
    assertEquals(await errorOf(await send(t, "DELETE", "/api/v1/users/viv", admin)), {
      status: 404,
      message: "no such user",
    });
    assertEquals((await send(t, "DELETE", "/api/v1/users/Not%20A%20Name", admin)).status, 404);
  });
});

Deno.test("DELETE /users/:name refuses the last admin with 409", async () => {
  await withApp(async (t) => {
    const admin = await login(t, ADMIN);
    assertEquals(await errorOf(await send(t, "DELETE", "/api/v1/users/admin", admin)), {
      status: 409,
      message: `user "admin" is the last admin`,
    });
    assertEquals((await send(t, "GET", "/api/v1/session", admin)).status, 200);
  });
});

Deno.test("POST /users/:name/password lets an admin set another's password and logs them out", async () => {
  await withApp(async (t) => {
    const admin = await login(t, ADMIN);
    const viewer = await login(t, VIEWER);
    const res = await send(t, "POST", "/api/v1/users/viv/password", admin, {
      password: "brand-new-password",
    });
    assertEquals(res.status, 204);
    assertEquals((await send(t, "GET", "/api/v1/things", viewer)).status, 401);
    await login(t, { name: "viv", password: "brand-new-password" });
    assertEquals(
      (await send(t, "POST", "/api/v1/users/nobody/password", admin, {
        password: "brand-new-password",
      })).status,
      404,
    );
  });
});

Deno.test("POST /users/:name/password lets a user change their own with the old one", async () => {
  await withApp(async (t) => {
    const viewer = await login(t, VIEWER);
    const other = await login(t, VIEWER);
    const path = "/api/v1/users/viv/password";
    const missing = await send(t, "POST", path, viewer, { password: "brand-new-password" });
    assertEquals([missing.status, (await errorOf(missing)).fields], [400, {
      oldPassword: "is required to change your own password",
    }]);
    const wrong = await send(t, "POST", path, viewer, {
      password: "brand-new-password",
      oldPassword: "nope",
    });
    assertEquals([wrong.status, (await errorOf(wrong)).fields], [400, { oldPassword: "is wrong" }]);
    const short = await send(t, "POST", path, viewer, {
      password: "short",
      oldPassword: VIEWER.password,
    });
    assertEquals([short.status, (await errorOf(short)).fields], [400, {
      password: "must be 10 to 1024 characters",
    }]);
    const ok = await send(t, "POST", path, viewer, {
      password: "brand-new-password",
      oldPassword: VIEWER.password,
    });
    assertEquals(ok.status, 204);
    // The session that changed it stays; the user's other sessions end.
    assertEquals((await send(t, "GET", "/api/v1/things", viewer)).status, 200);
    assertEquals((await send(t, "GET", "/api/v1/things", other)).status, 401);
    assertEquals((await send(t, "POST", "/api/v1/session", null, VIEWER)).status, 401);
  });
});

Deno.test("POST /users/:name/password limits guesses of the old password like logins", async () => {
  await withApp(async (t) => {
    const viewer = await login(t, VIEWER);
    for (let i = 0; i < 5; i++) {
      const res = await send(t, "POST", "/api/v1/users/viv/password", viewer, {
        password: "brand-new-password",
        oldPassword: `guess-${i}`,
      });
      assertEquals(res.status, 400);
      await res.body?.cancel();
    }
    const res = await send(t, "POST", "/api/v1/users/viv/password", viewer, {
      password: "brand-new-password",
      oldPassword: VIEWER.password,
    });
    assertEquals([res.status, res.headers.get("Retry-After")], [429, "900"]);
    await res.body?.cancel();
  });
});

Deno.test("The user routes refuse anonymous callers (401), viewers acting on others (403) and forged requests", async () => {
  await withApp(async (t) => {
    const viewer = await login(t, VIEWER);
    const admin = await login(t, ADMIN);
    const body = { name: "kid", role: "viewer", password: "kid-password" };
    const routes: [string, string][] = [
      ["GET", "/api/v1/users"],
      ["POST", "/api/v1/users"],
      ["DELETE", "/api/v1/users/viv"],
      ["POST", "/api/v1/users/admin/password"],
    ];
    for (const [method, path] of routes) {
      assertEquals((await send(t, method, path, null, body)).status, 401, `${method} ${path}`);
      assertEquals((await send(t, method, path, viewer, body)).status, 403, `${method} ${path}`);
    }
    assertEquals(
      (await send(t, "POST", "/api/v1/users", { cookie: admin.cookie }, body)).status,
      403,
    );
    assertEquals(
      (await send(t, "POST", "/api/v1/users", admin, body, { Origin: "http://evil.example" }))
        .status,
      403,
    );
    assertEquals((await t.auth.users.list()).length, 2);
  });
});
