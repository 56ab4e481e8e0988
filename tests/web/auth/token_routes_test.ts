// API tokens through the API: admins only, the token shown once, validation,
// bearer authentication that skips CSRF, and revocation.
import { assert, assertEquals, assertMatch } from "@std/assert";
import { ADMIN, apiToken, errorOf, login, send, T0, VIEWER, withApp } from "./_app.ts";

Deno.test("POST /tokens creates a viewer token by default and shows it once", async () => {
  await withApp(async (t) => {
    const admin = await login(t, ADMIN);
    const res = await send(t, "POST", "/api/v1/tokens", admin, { name: "prometheus" });
    assertEquals(res.status, 201);
    const created = await res.json();
    assertMatch(created.token, /^sluice_[A-Za-z0-9_-]{43}$/);
    assertEquals({ ...created, id: "", token: "" }, {
      id: "",
      token: "",
      name: "prometheus",
      user: "admin",
      role: "viewer",
      created: T0,
      lastUsed: null,
    });
    const listed = await (await send(t, "GET", "/api/v1/tokens", admin)).json();
    assertEquals(listed.tokens.map((x: { id: string }) => x.id), [created.id]);
    assert(!JSON.stringify(listed).includes(created.token.slice(7)), "never listed again");
    const adminToken =
      await (await send(t, "POST", "/api/v1/tokens", admin, { name: "ci", role: "admin" })).json();
    assertEquals(adminToken.role, "admin");
  });
});

Deno.test("POST /tokens answers 400 with field errors", async () => {
  await withApp(async (t) => {
    const admin = await login(t, ADMIN);
    const res = await send(t, "POST", "/api/v1/tokens", admin, { name: "", role: "root" });
    assertEquals(res.status, 400);
    assertEquals((await errorOf(res)).fields, {
      name: `must be 1 to 64 letters, digits, spaces or "._:@/-"`,
      role: `must be "admin" or "viewer"`,
    });
  });
});

Deno.test("A bearer token authenticates and its requests need no CSRF token", async () => {
  await withApp(async (t) => {
    const admin = await login(t, ADMIN);
    const { token } =
      await (await send(t, "POST", "/api/v1/tokens", admin, { name: "script", role: "admin" }))
        .json();
    const bearer = { bearer: token };
    assertEquals((await (await send(t, "GET", "/api/v1/things", bearer)).json()).user.via, "token");
    assertEquals((await send(t, "POST", "/api/v1/things", bearer, {})).status, 200);
    assertEquals(
      (await send(t, "POST", "/api/v1/tokens", bearer, { name: "another" })).status,
      201,
    );
  });
});

Deno.test("A viewer token reads but may not act", async () => {
  await withApp(async (t) => {
    const token = await apiToken(t, "admin", "viewer");
    assertEquals((await send(t, "GET", "/api/v1/things", token)).status, 200);
    assertEquals((await send(t, "POST", "/api/v1/things", token, {})).status, 403);
    assertEquals((await send(t, "GET", "/api/v1/tokens", token)).status, 403);
  });
});

Deno.test("DELETE /tokens/:id revokes a token at once", async () => {
  await withApp(async (t) => {
    const admin = await login(t, ADMIN);
    const token = await apiToken(t, "admin", "viewer");
    assertEquals((await send(t, "GET", "/api/v1/things", token)).status, 200);
    assertEquals((await send(t, "DELETE", `/api/v1/tokens/${token.id}`, admin)).status, 204);
    assertEquals((await send(t, "GET", "/api/v1/things", token)).status, 401);
    const again = await send(t, "DELETE", `/api/v1/tokens/${token.id}`, admin);
    assertEquals([again.status, (await errorOf(again)).message], [404, "no such token"]);
  });
});

Deno.test("The token routes refuse anonymous callers (401), viewers (403) and forged requests (403)", async () => {
  await withApp(async (t) => {
    const viewer = await login(t, VIEWER);
    const admin = await login(t, ADMIN);
    const token = await apiToken(t, "admin", "viewer");
    for (
      const [method, path] of [["GET", "/api/v1/tokens"], ["POST", "/api/v1/tokens"], [
        "DELETE",
        `/api/v1/tokens/${token.id}`,
      ]]
    ) {
      assertEquals(
        (await send(t, method, path, null, { name: "x" })).status,
        401,
        `${method} ${path}`,
      );
      assertEquals(
        (await send(t, method, path, viewer, { name: "x" })).status,
        403,
        `${method} ${path}`,
      );
    }
    assertEquals(
      (await send(t, "POST", "/api/v1/tokens", { cookie: admin.cookie }, { name: "x" })).status,
      403,
    );
    assertEquals(
      (await send(t, "DELETE", `/api/v1/tokens/${token.id}`, { ...admin, csrf: "wrong" })).status,
      403,
    );
    assertEquals((await t.auth.tokens.list()).length, 1);
  });
});
