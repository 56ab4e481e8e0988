// Login, logout and sessions through the API: cookie attributes, validation,
// the generic 401, rate limiting with Retry-After, expiry on the injected
// clock, CSRF on logout, and who may list and end which sessions.
import { assert, assertEquals, assertMatch } from "@std/assert";
import {
  ADMIN,
  apiToken,
  type As,
  errorOf,
  login,
  send,
  sessionCookie,
  T0,
  type TestApp,
  VIEWER,
  withApp,
} from "./_app.ts";

const HOUR = 3_600_000;

Deno.test("POST /session logs in: a strict HttpOnly cookie, the user, the CSRF token and the expiry", async () => {
  await withApp(async (t) => {
    const res = await send(t, "POST", "/api/v1/session", null, ADMIN, {
      "User-Agent": "Firefox/140",
    });
    assertEquals(res.status, 200);
    const body = await res.json();
    assertEquals(body.user, { name: "admin", role: "admin" });
    assertMatch(body.csrf, /^[A-Za-z0-9_-]{43}$/);
    assertEquals(body.expires, T0 + 12 * HOUR);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("sluice_session="))!;
    assertMatch(
      cookie,
      /^sluice_session=[A-Za-z0-9_-]{43}; Max-Age=604800; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    const [session] = await t.auth.sessions.list(T0);
    assertEquals([session.user, session.userAgent, session.address], [
      "admin",
      "Firefox/140",
      "192.0.2.1",
    ]);
  });
});

Deno.test("POST /session sets a Secure cookie when served over TLS", async () => {
  await withApp(async (t) => {
    const res = await send(t, "POST", "/api/v1/session", null, VIEWER);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("sluice_session="))!;
    assertMatch(cookie, /; Secure/);
    assertMatch(cookie, /; HttpOnly; Secure; SameSite=Strict/);
  }, { tls: true });
});

Deno.test("POST /session answers 400 with field errors for a malformed body", async () => {
  await withApp(async (t) => {
    let res = await send(t, "POST", "/api/v1/session", null, { name: "", password: 7, extra: 1 });
    assertEquals(res.status, 400);
    const error = await errorOf(res);
    assertEquals(error.fields, {
      name: "is required",
      password: "must be a string",
      extra: "is not a known field",
    });
    assertEquals(error.message, "invalid request: name is required");
    res = await send(t, "POST", "/api/v1/session", null, "{not json");
    assertEquals([res.status, (await errorOf(res)).message], [
      400,
      "the request body must be JSON",
    ]);
    res = await send(t, "POST", "/api/v1/session", null, []);
    assertEquals(res.status, 400);
    await res.body?.cancel();
  });
});

Deno.test("POST /session answers one 401 for an unknown name and a wrong password", async () => {
  await withApp(async (t) => {
    const unknown = await send(t, "POST", "/api/v1/session", null, {
      name: "nobody",
      password: "x",
    });
    const wrong = await send(t, "POST", "/api/v1/session", null, { ...ADMIN, password: "wrong" });
    assertEquals([unknown.status, wrong.status], [401, 401]);
    assertEquals(await unknown.json(), await wrong.json());
    assertEquals(unknown.headers.getSetCookie(), []);
  });
});

Deno.test("POST /session refuses with 429 and Retry-After after 5 failures in 15 minutes", async () => {
  await withApp(async (t) => {
    for (let i = 0; i < 5; i++) {
      t.clock.now = T0 + i * 60_000;
      const res = await send(t, "POST", "/api/v1/session", null, {
        ...ADMIN,
        password: `guess-${i}`,
      });
      assertEquals(res.status, 401);
      await res.body?.cancel();
    }
    // Even the right password is refused now, from anywhere, for this name.
    const res = await send(t, "POST", "/api/v1/session", null, ADMIN, {
      "X-Test-Address": "192.0.2.50",
    });
    assertEquals(res.status, 429);
    assertEquals(res.headers.get("Retry-After"), "660");
    assertEquals(await errorOf(res), {
      status: 429,
      message: "too many failed logins: try again in 660 s",
    });
    // Another name from another address is not affected.
    assertEquals(
      (await send(t, "POST", "/api/v1/session", null, VIEWER, { "X-Test-Address": "192.0.2.50" }))
        .status,
      200,
    );
    t.clock.now = T0 + 15 * 60_000;
    assertEquals(
      (await send(t, "POST", "/api/v1/session", null, ADMIN, { "X-Test-Address": "192.0.2.50" }))
        .status,
      200,
    );
  });
});

Deno.test("POST /session: a success clears the name's failures", async () => {
  await withApp(async (t) => {
    for (let i = 0; i < 4; i++) {
      await (await send(t, "POST", "/api/v1/session", null, { ...VIEWER, password: "wrong" })).body
        ?.cancel();
    }
    await login(t, VIEWER);
    for (let i = 0; i < 4; i++) {
      const address = { "X-Test-Address": `198.51.100.${i}` };
      await (await send(
        t,
        "POST",
        "/api/v1/session",
        null,
        { ...VIEWER, password: "wrong" },
        address,
      )).body?.cancel();
    }
    assertEquals(
      (await send(t, "POST", "/api/v1/session", null, VIEWER, { "X-Test-Address": "198.51.100.9" }))
        .status,
      200,
    );
  });
});

Deno.test("GET /session tells the caller who they are, with the CSRF token for a session", async () => {
  await withApp(async (t) => {
    assertEquals((await send(t, "GET", "/api/v1/session")).status, 401);
    const me = await login(t, VIEWER);
    const res = await send(t, "GET", "/api/v1/session", { cookie: me.cookie });
    assertEquals(await res.json(), {
      user: { name: "viv", role: "viewer" },
      via: "session",
      csrf: me.csrf,
      expires: T0 + 12 * HOUR,
    });
    const token = await apiToken(t, "admin", "viewer");
    const byToken = await send(t, "GET", "/api/v1/session", token);
    assertEquals(await byToken.json(), { user: { name: "admin", role: "viewer" }, via: "token" });
  });
});

Deno.test("A session ends after 12 idle hours and at most 7 days after login, on the injected clock", async () => {
  await withApp(async (t) => {
    const me = await login(t, VIEWER);
    t.clock.now = T0 + 12 * HOUR - 1;
    assertEquals((await send(t, "GET", "/api/v1/session", me)).status, 200);
    t.clock.now = T0 + 24 * HOUR;
    assertEquals((await send(t, "GET", "/api/v1/session", me)).status, 401);
    const again = await login(t, VIEWER);
    for (let h = 10; h < 7 * 24; h += 10) {
      t.clock.now = T0 + 24 * HOUR + h * HOUR;
      assertEquals((await send(t, "GET", "/api/v1/session", again)).status, 200, `after ${h} h`);
    }
    t.clock.now = T0 + 24 * HOUR + 7 * 24 * HOUR;
    assertEquals((await send(t, "GET", "/api/v1/session", again)).status, 401);
  });
});

Deno.test("DELETE /session logs out: the cookie is cleared and the session no longer works", async () => {
  await withApp(async (t) => {
    const me = await login(t, ADMIN);
    assertEquals((await send(t, "DELETE", "/api/v1/session", { cookie: me.cookie })).status, 403);
    const res = await send(t, "DELETE", "/api/v1/session", me);
    assertEquals(res.status, 204);
    assertEquals(sessionCookie(res), "");
    assertMatch(res.headers.getSetCookie()[0], /Max-Age=0/);
    assertEquals((await send(t, "GET", "/api/v1/session", me)).status, 401);
    assertEquals((await send(t, "DELETE", "/api/v1/session")).status, 401);
    const token = await apiToken(t, "admin", "admin");
    assertEquals((await send(t, "DELETE", "/api/v1/session", token)).status, 400);
  });
});

Deno.test("GET /sessions lists everyone's for an admin and a viewer's own, without CSRF tokens", async () => {
  await withApp(async (t) => {
    const admin = await login(t, ADMIN);
    t.clock.now += 1000;
    const viewer = await login(t, VIEWER);
    const all = (await (await send(t, "GET", "/api/v1/sessions", admin)).json()).sessions;
    assertEquals(all.map((s: { user: string; current: boolean }) => [s.user, s.current]), [
      ["viv", false],
      ["admin", true],
    ]);
    assert(!JSON.stringify(all).includes(admin.csrf) && !JSON.stringify(all).includes("csrf"));
    const own = (await (await send(t, "GET", "/api/v1/sessions", viewer)).json()).sessions;
    assertEquals(own.map((s: { user: string }) => s.user), ["viv"]);
    assertEquals((await send(t, "GET", "/api/v1/sessions")).status, 401);
  });
});

Deno.test("DELETE /sessions/:id ends a viewer's own session, any for an admin, and hides others'", async () => {
  await withApp(async (t) => {
    const admin = await login(t, ADMIN);
    const phone = await login(t, VIEWER);
    const laptop = await login(t, VIEWER);
    const adminId = await currentId(t, admin);
    const [phoneId, laptopId] = [await currentId(t, phone), await currentId(t, laptop)];
    assertEquals((await send(t, "DELETE", `/api/v1/sessions/${adminId}`, phone)).status, 404);
    assertEquals(
      (await send(t, "DELETE", `/api/v1/sessions/${laptopId}`, { cookie: phone.cookie })).status,
      403,
    );
    assertEquals((await send(t, "DELETE", `/api/v1/sessions/${laptopId}`)).status, 401);
    // Ending one's own current session also clears its cookie.
    const own = await send(t, "DELETE", `/api/v1/sessions/${phoneId}`, phone);
    assertEquals([own.status, sessionCookie(own)], [204, ""]);
    assertEquals((await send(t, "GET", "/api/v1/session", phone)).status, 401);
    const byAdmin = await send(t, "DELETE", `/api/v1/sessions/${laptopId}`, admin);
    assertEquals([byAdmin.status, sessionCookie(byAdmin)], [204, undefined]);
    assertEquals((await send(t, "GET", "/api/v1/session", laptop)).status, 401);
    assertEquals((await send(t, "DELETE", `/api/v1/sessions/${laptopId}`, admin)).status, 404);
  });
});

/** The id of the session a login opened, from GET /sessions. */
async function currentId(t: TestApp, as: As): Promise<string> {
  const { sessions } = await (await send(t, "GET", "/api/v1/sessions", as)).json();
  return sessions.find((s: { current: boolean }) => s.current).id;
}
