import { assertEquals } from "@std/assert";
import { PolicyDocumentStore } from "../../../engine/history/mod.ts";
import { settingsRoutes } from "../../../web/api/settings_routes.ts";
import { errorOf, type Harness, HOME, withHarness } from "../_harness.ts";
import { adminEvents, storedPolicy, storeHomePolicy } from "./_policy_doc.ts";

const opts = { registrars: [settingsRoutes], seconds: 3 };
const SETTINGS = "/api/v1/settings";
const SECRET = "a-very-secret-key-1";
const HOOK = { url: "https://example.com/hook", secret: SECRET };

/** HOME's policy with a signed webhook, as revision 2. */
async function withWebhook(h: Harness): Promise<void> {
  const revision = await storeHomePolicy(h);
  const raw = { ...(await storedPolicy(h)).raw, webhooks: [HOOK] };
  await new PolicyDocumentStore(h.kv).save(raw, { basedOn: revision, nowMs: h.ctx.now() });
}

Deno.test("settingsRoutes() GET /settings shows settings as written, secrets masked", async () => {
  await withHarness(opts, async (h) => {
    await withWebhook(h);
    assertEquals((await h.send("GET", SETTINGS)).status, 401);
    const body = await (await h.send("GET", SETTINGS, h.viewer)).json();
    assertEquals(body.revision, 2);
    assertEquals(body.timeZone, "Europe/Berlin");
    assertEquals(body.link, { down: "100Mbit", up: "20Mbit" });
    assertEquals(body.webhooks, [{ url: HOOK.url, secret: "********" }]);
    assertEquals(Object.keys(body.groups), ["gadgets"]);
    assertEquals(body.effective.link, { down: 12_500_000, up: 2_500_000 });
    assertEquals(body.effective.shares, { high: 0.5, normal: 0.35, low: 0.15 });
    assertEquals([body.interface, body.lan, body.data], ["sim0", [HOME.lan], "temporary"]);
    assertEquals(typeof body.retention.minute, "number");
    assertEquals(JSON.stringify(body).includes(SECRET), false);
  });
});

Deno.test("settingsRoutes() PUT /settings replaces what is given and keeps masked secrets", async () => {
  await withHarness(opts, async (h) => {
    await withWebhook(h);
    const res = await h.send("PUT", SETTINGS, h.admin, {
      timeZone: "UTC",
      link: { down: "50Mbit", up: "10Mbit" },
      webhooks: [{ url: HOOK.url, secret: "********", kinds: ["new_device"] }],
    });
    assertEquals(res.status, 200);
    const body = await res.json();
    assertEquals([body.revision, body.timeZone, body.effective.link.down], [3, "UTC", 6_250_000]);
    assertEquals(body.webhooks, [{ url: HOOK.url, secret: "********", kinds: ["new_device"] }]);
    const stored = await storedPolicy(h);
    assertEquals(stored.raw.webhooks, [{ ...HOOK, kinds: ["new_device"] }]);
    assertEquals((stored.raw.rules as unknown[]).length, 2);
    assertEquals(stored.note, "settings changed (timeZone, link, webhooks) by admin");
    assertEquals(
      (await adminEvents(h))[0].message,
      "settings changed (timeZone, link, webhooks) by admin",
    );
  });
});

Deno.test("settingsRoutes() PUT /settings names each bad field; nothing is saved", async () => {
  await withHarness(opts, async (h) => {
    await withWebhook(h);
    const fields = async (body: unknown) =>
      (await errorOf(await h.send("PUT", SETTINGS, h.admin, body))).fields ?? {};
    assertEquals(Object.keys(await fields({ link: { down: "fast", up: "1Mbit" } })), ["link.down"]);
    assertEquals(Object.keys(await fields({ timeZone: "Mars/Olympus" })), ["timeZone"]);
    assertEquals(Object.keys(await fields({ shares: { high: 1, normal: 1, low: 1 } })), ["shares"]);
    assertEquals(Object.keys(await fields({ color: "blue" })), ["(whole)"]);
    assertEquals(
      Object.keys(
        await fields({ webhooks: [{ url: "https://other.example/", secret: "********" }] }),
      ),
      ["webhooks[0].secret"],
    );
    assertEquals(Object.keys(await fields({ groups: { gadgets: ["nope"] } })), [
      "groups.gadgets[0]",
    ]);
    assertEquals((await storedPolicy(h)).revision, 2);
  });
});

Deno.test("settingsRoutes() PUT /settings is for admins with a CSRF token, and needs a policy", async () => {
  await withHarness(opts, async (h) => {
    await storeHomePolicy(h);
    const body = { timeZone: "UTC" };
    assertEquals((await h.send("PUT", SETTINGS, null, body)).status, 401);
    assertEquals((await h.send("PUT", SETTINGS, h.viewer, body)).status, 403);
    const noCsrf = { cookie: (h.admin as { cookie: string }).cookie };
    assertEquals((await h.send("PUT", SETTINGS, noCsrf, body)).status, 403);
    assertEquals((await storedPolicy(h)).revision, 1);
  });
  await withHarness({ ...opts, scenario: { ...HOME, policy: undefined } }, async (h) => {
    assertEquals((await h.send("PUT", SETTINGS, h.admin, { timeZone: "UTC" })).status, 409);
    const body = await (await h.send("GET", SETTINGS, h.viewer)).json();
    assertEquals([body.policy, body.revision, body.link, body.interface], [false, 0, null, "sim0"]);
  });
});
