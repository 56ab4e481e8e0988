import { assert, assertEquals, assertMatch, assertNotEquals, assertThrows } from "@std/assert";
import { SessionStore } from "../../../web/auth/session_store.ts";

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ALICE = { name: "alice", role: "viewer" } as const;

async function withSessions(
  fn: (sessions: SessionStore, kv: Deno.Kv) => Promise<void>,
  options = {},
): Promise<void> {
  const kv = await Deno.openKv(":memory:");
  try {
    await fn(new SessionStore(kv, options), kv);
  } finally {
    kv.close();
  }
}

async function everything(kv: Deno.Kv): Promise<string> {
  return JSON.stringify(await Array.fromAsync(kv.list({ prefix: [] })));
}

Deno.test("SessionStore.create() gives a random token and stores only its hash", async () => {
  await withSessions(async (sessions, kv) => {
    const { token, session } = await sessions.create(ALICE, T0, {
      userAgent: "Firefox",
      address: "192.0.2.7",
    });
    assertMatch(token, /^[A-Za-z0-9_-]{43}$/);
    assertMatch(session.id, /^[A-Za-z0-9_-]{12}$/);
    assertMatch(session.csrf, /^[A-Za-z0-9_-]{43}$/);
    assertEquals({ ...session, id: "", csrf: "" }, {
      id: "",
      user: "alice",
      role: "viewer",
      csrf: "",
      created: T0,
      lastSeen: T0,
      expires: T0 + 12 * HOUR,
      userAgent: "Firefox",
      address: "192.0.2.7",
    });
    assert(!(await everything(kv)).includes(token), "the token is not stored");
    const other = await sessions.create(ALICE, T0);
    assertNotEquals(other.token, token);
    assertNotEquals(other.session.csrf, session.csrf);
  });
});

Deno.test("SessionStore.get() finds a live session by token and nothing for others", async () => {
  await withSessions(async (sessions) => {
    const { token, session } = await sessions.create(ALICE, T0);
    assertEquals(await sessions.get(token, T0 + MINUTE), session);
    assertEquals(
      await sessions.get(token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"), T0),
      null,
    );
    assertEquals(await sessions.get("short", T0), null);
    assertEquals(await sessions.get(undefined as unknown as string, T0), null);
  });
});

Deno.test("SessionStore.touch() moves the idle expiry on, writing at most once a minute", async () => {
  await withSessions(async (sessions, kv) => {
    const { token } = await sessions.create(ALICE, T0);
    const before = await everything(kv);
    assertEquals((await sessions.touch(token, T0 + 30_000))?.lastSeen, T0);
    assertEquals(await everything(kv), before, "no write within the minute");
    const touched = await sessions.touch(token, T0 + 11 * HOUR);
    assertEquals([touched?.lastSeen, touched?.expires], [T0 + 11 * HOUR, T0 + 23 * HOUR]);
    assertEquals((await sessions.get(token, T0 + 22 * HOUR))?.lastSeen, T0 + 11 * HOUR);
  });
});

Deno.test("SessionStore ends a session after 12 idle hours", async () => {
  await withSessions(async (sessions) => {
    const { token, session } = await sessions.create(ALICE, T0);
    assertEquals((await sessions.touch(token, T0 + 12 * HOUR - 1))?.id, session.id);
    assertEquals(await sessions.touch(token, T0 + 24 * HOUR - 1 + 1), null);
    // Gone from the store, not only refused.
    assertEquals(await sessions.list(T0), []);
  });
});

Deno.test("SessionStore ends a session 7 days after login however often it is used", async () => {
  await withSessions(async (sessions) => {
    const { token } = await sessions.create(ALICE, T0);
    let last = null;
    for (let t = T0; t < T0 + 7 * 24 * HOUR; t += 6 * HOUR) last = await sessions.touch(token, t);
    assertEquals(last?.expires, T0 + 7 * 24 * HOUR);
    assertEquals(await sessions.touch(token, T0 + 7 * 24 * HOUR), null);
  });
});

Deno.test("SessionStore takes its idle, absolute and touch times from options", async () => {
  await withSessions(async (sessions) => {
    const { token, session } = await sessions.create(ALICE, T0);
    assertEquals(session.expires, T0 + 5 * MINUTE);
    assertEquals((await sessions.touch(token, T0 + 4 * MINUTE))?.expires, T0 + 9 * MINUTE);
    assertEquals((await sessions.touch(token, T0 + 8 * MINUTE))?.expires, T0 + 10 * MINUTE);
    assertEquals(await sessions.touch(token, T0 + 10 * MINUTE), null);
  }, { idleMs: 5 * MINUTE, absoluteMs: 10 * MINUTE, touchEveryMs: 1000 });
  const kv = await Deno.openKv(":memory:");
  try {
    assertThrows(() => new SessionStore(kv, { idleMs: 0 }), RangeError, "idleMs");
    assertThrows(() => new SessionStore(kv, { absoluteMs: NaN }), RangeError, "absoluteMs");
  } finally {
    kv.close();
  }
});

Deno.test("SessionStore.create() refuses a missing user or a bad role", async () => {
  await withSessions(async (sessions) => {
    let err = await sessions.create({ name: "", role: "viewer" }, T0).catch((e) => e);
    assert(err instanceof TypeError);
    err = await sessions.create({ name: "x", role: "root" as "admin" }, T0).catch((e) => e);
    assert(err instanceof RangeError);
  });
});

Deno.test("SessionStore.list() lists live sessions, everyone's or a user's, most recent first", async () => {
  await withSessions(async (sessions) => {
    const a = await sessions.create(ALICE, T0);
    const b = await sessions.create({ name: "bob", role: "admin" }, T0 + 1000);
    const old = await sessions.create(ALICE, T0 - 13 * HOUR);
    assertEquals((await sessions.list(T0 + 2000)).map((s) => s.id), [b.session.id, a.session.id]);
    assertEquals((await sessions.list(T0 + 2000, "alice")).map((s) => s.id), [a.session.id]);
    assertEquals(await sessions.get(old.token, T0 + 2000), null);
  });
});

Deno.test("SessionStore.revoke() and revokeAll() end sessions by id and by user", async () => {
  await withSessions(async (sessions, kv) => {
    const a1 = await sessions.create(ALICE, T0);
    const a2 = await sessions.create(ALICE, T0);
    const a3 = await sessions.create(ALICE, T0);
    const b = await sessions.create({ name: "bob", role: "admin" }, T0);
    assertEquals(await sessions.revoke(a1.session.id), true);
    assertEquals(await sessions.revoke(a1.session.id), false);
    assertEquals(await sessions.revoke("no/such id"), false);
    assertEquals(await sessions.get(a1.token, T0), null);
    assertEquals(await sessions.revokeAll("alice", a2.session.id), 1);
    assertEquals(await sessions.get(a3.token, T0), null);
    assertEquals((await sessions.get(a2.token, T0))?.id, a2.session.id);
    assertEquals((await sessions.getById(b.session.id, T0))?.user, "bob");
    assertEquals(await sessions.revokeAll("alice"), 1);
    assertEquals((await Array.fromAsync(kv.list({ prefix: ["web-sessions"] }))).length, 2);
  });
});

Deno.test("SessionStore.create() ends a user's least recently used session beyond the maximum", async () => {
  await withSessions(async (sessions) => {
    const first = await sessions.create(ALICE, T0);
    const second = await sessions.create(ALICE, T0 + 1);
    await sessions.touch(first.token, T0 + 2 * MINUTE);
    await sessions.create(ALICE, T0 + 3 * MINUTE);
    assertEquals(await sessions.get(second.token, T0 + 3 * MINUTE), null);
    assertEquals((await sessions.list(T0 + 3 * MINUTE)).length, 2);
  }, { maxPerUser: 2 });
});

Deno.test("SessionStore.getById() finds live sessions only", async () => {
  await withSessions(async (sessions) => {
    const { session } = await sessions.create(ALICE, T0);
    assertEquals(await sessions.getById(session.id, T0), session);
    assertEquals(await sessions.getById(session.id, T0 + 12 * HOUR), null);
    assertEquals(await sessions.getById("", T0), null);
  });
});
