import { assert, assertEquals, assertMatch, assertRejects } from "@std/assert";
import { MAX_TOKENS, TokenStore } from "../../../web/auth/token_store.ts";

const T0 = 1_700_000_000_000;
const SCRAPER = { name: "prometheus", user: "admin", role: "viewer" } as const;

async function withTokens(fn: (tokens: TokenStore, kv: Deno.Kv) => Promise<void>): Promise<void> {
  const kv = await Deno.openKv(":memory:");
  try {
    await fn(new TokenStore(kv), kv);
  } finally {
    kv.close();
  }
}

Deno.test("TokenStore.create() returns a sluice_ token once and stores only its hash", async () => {
  await withTokens(async (tokens, kv) => {
    const { token, info } = await tokens.create(SCRAPER, T0);
    assertMatch(token, /^sluice_[A-Za-z0-9_-]{43}$/);
    assertEquals({ ...info, id: "" }, {
      id: "",
      name: "prometheus",
      user: "admin",
      role: "viewer",
      created: T0,
      lastUsed: null,
    });
    const stored = JSON.stringify(await Array.fromAsync(kv.list({ prefix: [] })));
    assert(!stored.includes(token.slice(7)), "the token is not stored");
    assertEquals(await tokens.list(), [info]);
  });
});

Deno.test("TokenStore.verify() accepts its tokens only", async () => {
  await withTokens(async (tokens) => {
    const { token, info } = await tokens.create(SCRAPER, T0);
    assertEquals((await tokens.verify(token, T0))?.id, info.id);
    const other = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    assertEquals(await tokens.verify(other, T0), null);
    assertEquals(await tokens.verify(token.slice(7), T0), null);
    assertEquals(await tokens.verify("sluice_short", T0), null);
    assertEquals(await tokens.verify(null as unknown as string, T0), null);
  });
});

Deno.test("TokenStore.verify() notes when a token was last used, at most once a minute", async () => {
  await withTokens(async (tokens) => {
    const { token, info } = await tokens.create(SCRAPER, T0);
    assertEquals((await tokens.verify(token, T0 + 1000))?.lastUsed, T0 + 1000);
    assertEquals((await tokens.verify(token, T0 + 30_000))?.lastUsed, T0 + 1000);
    assertEquals((await tokens.verify(token, T0 + 61_000))?.lastUsed, T0 + 61_000);
    assertEquals((await tokens.get(info.id))?.lastUsed, T0 + 61_000);
  });
});

Deno.test("TokenStore.list() lists everyone's or a user's tokens, oldest first", async () => {
  await withTokens(async (tokens) => {
    const b = await tokens.create({ ...SCRAPER, name: "b" }, T0 + 1);
    const a = await tokens.create({ ...SCRAPER, name: "a" }, T0);
    const c = await tokens.create({ name: "c", user: "alice", role: "viewer" }, T0 + 2);
    assertEquals((await tokens.list()).map((t) => t.name), ["a", "b", "c"]);
    assertEquals((await tokens.list("admin")).map((t) => t.id), [a.info.id, b.info.id]);
    assertEquals((await tokens.list("alice")).map((t) => t.id), [c.info.id]);
  });
});

Deno.test("TokenStore.revoke() and revokeAll() make tokens useless", async () => {
  await withTokens(async (tokens, kv) => {
    const a = await tokens.create(SCRAPER, T0);
    const b = await tokens.create(SCRAPER, T0);
    const c = await tokens.create({ ...SCRAPER, user: "alice" }, T0);
    assertEquals(await tokens.revoke(a.info.id), true);
    assertEquals(await tokens.revoke(a.info.id), false);
    assertEquals(await tokens.revoke("../x"), false);
    assertEquals(await tokens.verify(a.token, T0), null);
    assertEquals(await tokens.revokeAll("alice"), 1);
    assertEquals(await tokens.verify(c.token, T0), null);
    assertEquals((await tokens.verify(b.token, T0))?.id, b.info.id);
    assertEquals((await Array.fromAsync(kv.list({ prefix: ["web-tokens"] }))).length, 2);
  });
});

Deno.test("TokenStore.create() refuses bad names, users and roles, and more than the maximum", async () => {
  await withTokens(async (tokens) => {
    for (const name of ["", "x".repeat(65), "bad\nname", "<script>"]) {
      await assertRejects(() => tokens.create({ ...SCRAPER, name }, T0), RangeError, "token name");
    }
    await assertRejects(() => tokens.create({ ...SCRAPER, user: "" }, T0), TypeError, "user");
    await assertRejects(
      () => tokens.create({ ...SCRAPER, role: "x" as "admin" }, T0),
      RangeError,
      "role",
    );
    for (let i = 0; i < MAX_TOKENS; i++) await tokens.create({ ...SCRAPER, name: `t${i}` }, T0);
    await assertRejects(() => tokens.create(SCRAPER, T0), RangeError, "revoke some");
  });
});
