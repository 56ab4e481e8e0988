import { Hono } from "hono";
import { assertEquals } from "@std/assert";
import type { WebEnv } from "../../../web/web_env.ts";
import { authenticate, SESSION_COOKIE } from "../../../web/auth/authenticate.ts";
import { SessionStore } from "../../../web/auth/session_store.ts";
import { TokenStore } from "../../../web/auth/token_store.ts";

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;

async function withAuth(
  fn: (ctx: {
    who: (headers?: Record<string, string>) => Promise<unknown>;
    sessions: SessionStore;
    tokens: TokenStore;
    clock: { now: number };
  }) => Promise<void>,
): Promise<void> {
  const kv = await Deno.openKv(":memory:");
  try {
    const clock = { now: T0 };
    const sessions = new SessionStore(kv);
    const tokens = new TokenStore(kv);
    const app = new Hono<WebEnv>()
      .use(authenticate({ sessions, tokens, now: () => clock.now }))
      .get("/", (c) => c.json({ user: c.get("user") }));
    const who = async (headers: Record<string, string> = {}) =>
      (await (await app.request("/", { headers })).json()).user;
    await fn({ who, sessions, tokens, clock });
  } finally {
    kv.close();
  }
}

Deno.test("authenticate() leaves a request without credentials anonymous", async () => {
  await withAuth(async ({ who }) => {
    assertEquals(await who(), null);
    assertEquals(await who({ Cookie: "other=1" }), null);
  });
});

Deno.test("authenticate() knows a browser session by its cookie, with its CSRF token", async () => {
  await withAuth(async ({ who, sessions }) => {
    const { token, session } = await sessions.create({ name: "alice", role: "viewer" }, T0);
    assertEquals(await who({ Cookie: `theme=dark; ${SESSION_COOKIE}=${token}` }), {
      name: "alice",
      role: "viewer",
      via: "session",
      csrf: session.csrf,
      id: session.id,
    });
    assertEquals(await who({ Cookie: `${SESSION_COOKIE}=nonsense` }), null);
  });
});

Deno.test("authenticate() keeps a used session alive and drops an idle one", async () => {
  await withAuth(async ({ who, sessions, clock }) => {
    const { token } = await sessions.create({ name: "alice", role: "viewer" }, T0);
    const cookie = { Cookie: `${SESSION_COOKIE}=${token}` };
    clock.now = T0 + 11 * HOUR;
    assertEquals((await who(cookie) as { name: string }).name, "alice");
    clock.now = T0 + 22 * HOUR;
    assertEquals((await who(cookie) as { name: string }).name, "alice");
    clock.now = T0 + 34 * HOUR;
    assertEquals(await who(cookie), null);
  });
});

Deno.test("authenticate() knows an API token from Authorization: Bearer", async () => {
  await withAuth(async ({ who, tokens }) => {
    const { token, info } = await tokens.create({ name: "ci", user: "admin", role: "viewer" }, T0);
    const user = { name: "admin", role: "viewer", via: "token", id: info.id };
    assertEquals(await who({ Authorization: `Bearer ${token}` }), user);
    assertEquals(await who({ Authorization: `bearer  ${token}` }), user);
    assertEquals(await who({ Authorization: `Basic ${btoa("admin:x")}` }), null);
    assertEquals(await who({ Authorization: "Bearer sluice_wrong" }), null);
  });
});

Deno.test("authenticate() judges a request with Authorization by it alone, ignoring the cookie", async () => {
  await withAuth(async ({ who, sessions }) => {
    const { token } = await sessions.create({ name: "alice", role: "admin" }, T0);
    assertEquals(
      await who({ Authorization: "Bearer sluice_wrong", Cookie: `${SESSION_COOKIE}=${token}` }),
      null,
    );
  });
});
