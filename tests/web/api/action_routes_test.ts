import { assertEquals } from "@std/assert";
import { OverrideStore } from "../../../engine/history/mod.ts";
import { actionRoutes } from "../../../web/api/action_routes.ts";
import { CAM, errorOf, HOME, HUB, PC, withHarness } from "../_harness.ts";
import { adminEvents } from "./_policy_doc.ts";

const opts = { registrars: [actionRoutes], seconds: 8 };
const actions = (id: string) => `/api/v1/devices/${encodeURIComponent(id)}/actions`;
const HOUR = 3_600_000;

Deno.test("actionRoutes() refuses anonymous, viewer and CSRF-less actions", async () => {
  await withHarness(opts, async (h) => {
    const body = { action: "block" };
    assertEquals((await h.send("POST", actions(PC), null, body)).status, 401);
    assertEquals((await h.send("POST", actions(PC), h.viewer, body)).status, 403);
    const noCsrf = { cookie: (h.admin as { cookie: string }).cookie };
    assertEquals((await h.send("POST", actions(PC), noCsrf, body)).status, 403);
    assertEquals(await new OverrideStore(h.kv).list(), []);
  });
});

Deno.test("actionRoutes() limits a device for a while; the engine applies the override", async () => {
  await withHarness(opts, async (h) => {
    const now = h.ctx.now();
    const res = await h.send("POST", actions(PC), h.admin, {
      action: "limit",
      down: "2Mbit",
      for: HOUR,
    });
    assertEquals(res.status, 201);
    const { override, removed } = await res.json();
    assertEquals(removed, []);
    assertEquals(override, {
      id: "manual-1",
      devices: { device: PC },
      action: { kind: "limit", down: 250_000 },
      manual: { at: now, until: now + HOUR, by: "admin" },
    });
    const stored = await new OverrideStore(h.kv).list();
    assertEquals(stored, [override]);
    // What LivePolicy.checkOverrides() does within a second of a live run.
    const engine = h.ctx.policy()!;
    assertEquals(engine.setOverrides(stored), []);
    engine.second(now + 1000, []);
    assertEquals([engine.state(PC)?.down, engine.state(PC)?.level], [250_000, "manual"]);
    const [event] = await adminEvents(h);
    assertEquals(event.device, PC);
    assertEquals(event.message, "limit " + PC + ": limited to 2 Mbit/s down (manual-1) by admin");
  });
});

Deno.test("actionRoutes() checks each action's fields", async () => {
  await withHarness(opts, async (h) => {
    const fields = async (body: unknown) =>
      Object.keys((await errorOf(await h.send("POST", actions(PC), h.admin, body))).fields ?? {});
    assertEquals(await fields({ action: "limit", down: "fast" }), ["down"]);
    assertEquals(await fields({ action: "limit" }), ["down"]);
    assertEquals(await fields({ action: "block", down: 1000 }), ["down"]);
    assertEquals(await fields({ action: "pause" }), ["for"]);
    assertEquals(await fields({ action: "priority" }), ["priority"]);
    assertEquals(await fields({ action: "priority", priority: "urgent" }), ["priority"]);
    assertEquals(await fields({ action: "fly" }), ["action"]);
    assertEquals(await fields({ action: "block", for: 10 }), ["for"]);
    assertEquals(await fields({ action: "block", until: 10 }), ["(whole)"]);
    assertEquals(await new OverrideStore(h.kv).list(), []);
  });
});

Deno.test("actionRoutes() answers 404 for an unknown device and 400 for no device id", async () => {
  await withHarness(opts, async (h) => {
    const res = await h.send("POST", actions("mac:02:00:00:00:00:99"), h.admin, {
      action: "block",
    });
    assertEquals(res.status, 404);
    const bad = await h.send("POST", actions("nope"), h.admin, { action: "block" });
    assertEquals([bad.status, Object.keys((await errorOf(bad)).fields ?? {})], [400, ["id"]]);
  });
});

Deno.test("actionRoutes() pauses, then unblocks with an allow while a rule still blocks", async () => {
  await withHarness(opts, async (h) => {
    const now = h.ctx.now();
    const pause = await (await h.send("POST", actions(HUB), h.admin, {
      action: "pause",
      for: HOUR,
    })).json();
    assertEquals([pause.override.action, pause.override.manual.until], [
      { kind: "block" },
      now + HOUR,
    ]);
    const unpaused = await (await h.send("POST", actions(HUB), h.admin, { action: "unblock" }))
      .json();
    // No rule blocks the hub: the pause is just removed.
    assertEquals(unpaused, { override: null, removed: ["manual-1"] });
    // The camera is blocked by rule cam-off: unblocking it lets it through.
    await h.send("POST", actions(CAM), h.admin, { action: "block" });
    const res = await h.send("POST", actions(CAM), h.admin, { action: "unblock", for: HOUR });
    assertEquals(res.status, 201);
    const { override, removed } = await res.json();
    assertEquals([override.id, override.action, removed], ["manual-3", { kind: "allow" }, [
      "manual-2",
    ]]);
    const engine = h.ctx.policy()!;
    engine.setOverrides(await new OverrideStore(h.kv).list());
    engine.second(now + 1000, []);
    assertEquals(engine.state(CAM)?.blocked, false);
  });
});

Deno.test("actionRoutes() unlimits: the device's limits go, and an allow beats the rule's", async () => {
  await withHarness(opts, async (h) => {
    await h.send("POST", actions(PC), h.admin, { action: "priority", priority: "high" });
    await h.send("POST", actions(PC), h.admin, { action: "limit", up: 10_000 });
    const { override, removed } = await (await h.send("POST", actions(PC), h.admin, {
      action: "unlimit",
    })).json();
    // The priority stays; rule pc-cap still limits the PC.
    assertEquals([override.action, removed], [{ kind: "allow" }, ["manual-2"]]);
    assertEquals((await new OverrideStore(h.kv).list()).map((r) => r.id), [
      "manual-1",
      "manual-3",
    ]);
  });
});

Deno.test("actionRoutes() refuses actions without a policy with 409", async () => {
  await withHarness({ ...opts, scenario: { ...HOME, policy: undefined } }, async (h) => {
    const res = await h.send("POST", actions(PC), h.admin, { action: "block" });
    assertEquals(res.status, 409);
  });
});
