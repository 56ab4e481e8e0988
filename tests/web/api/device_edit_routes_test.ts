import { assertEquals } from "@std/assert";
import { DeviceStore } from "../../../engine/history/mod.ts";
import { deviceEditRoutes } from "../../../web/api/device_edit_routes.ts";
import { CAM, errorOf, HOME, HUB, PC, withHarness } from "../_harness.ts";
import { adminEvents, storedPolicy, storeHomePolicy } from "./_policy_doc.ts";

const opts = { registrars: [deviceEditRoutes], seconds: 8 };
const device = (id: string) => `/api/v1/devices/${encodeURIComponent(id)}`;

Deno.test("deviceEditRoutes() PATCH is for admins with a CSRF token", async () => {
  await withHarness(opts, async (h) => {
    const body = { label: "Gaming PC" };
    assertEquals((await h.send("PATCH", device(PC), null, body)).status, 401);
    assertEquals((await h.send("PATCH", device(PC), h.viewer, body)).status, 403);
    const noCsrf = { cookie: (h.admin as { cookie: string }).cookie };
    assertEquals((await h.send("PATCH", device(PC), noCsrf, body)).status, 403);
    assertEquals((await new DeviceStore(h.kv).get(PC))?.label ?? null, null);
  });
});

Deno.test("deviceEditRoutes() sets a label in the store and the running monitor at once", async () => {
  await withHarness(opts, async (h) => {
    const res = await h.send("PATCH", device(PC), h.admin, { label: "  Gaming PC " });
    assertEquals(res.status, 200);
    const body = await res.json();
    assertEquals([body.device.id, body.device.label, body.device.name], [
      PC,
      "Gaming PC",
      "Gaming PC",
    ]);
    assertEquals((await new DeviceStore(h.kv).get(PC))?.label, "Gaming PC");
    const monitor = h.ctx.monitor()!;
    assertEquals(monitor.devices.label(monitor.devices.indexOf(PC)), "Gaming PC");
    const [event] = await adminEvents(h);
    assertEquals([event.message, event.device], [`label of ${PC} set to "Gaming PC" by admin`, PC]);
    const cleared = await (await h.send("PATCH", device(PC), h.admin, { label: null })).json();
    assertEquals(cleared.device.label, null);
    assertEquals(monitor.devices.label(monitor.devices.indexOf(PC)), null);
  });
});

Deno.test("deviceEditRoutes() puts a device in exactly the groups given, in the policy document", async () => {
  await withHarness(opts, async (h) => {
    const before = await storeHomePolicy(h);
    const res = await h.send("PATCH", device(CAM), h.admin, { groups: ["outdoor"] });
    assertEquals(res.status, 200);
    assertEquals((await res.json()).device.groups, ["outdoor"]);
    const stored = await storedPolicy(h);
    assertEquals(stored.revision, before + 1);
    assertEquals(stored.raw.groups, { gadgets: [HUB], outdoor: [CAM] });
    assertEquals(stored.note, `groups of ${CAM} set by admin`);
    // The same again changes nothing.
    await h.send("PATCH", device(CAM), h.admin, { groups: ["outdoor"] });
    assertEquals((await storedPolicy(h)).revision, before + 1);
    const both = await h.send("PATCH", device(CAM), h.admin, { groups: ["gadgets", "outdoor"] });
    assertEquals((await both.json()).device.groups, ["gadgets", "outdoor"]);
    assertEquals((await storedPolicy(h)).raw.groups, { gadgets: [HUB, CAM], outdoor: [CAM] });
  });
});

Deno.test("deviceEditRoutes() answers 400, 404 and 409 as due", async () => {
  await withHarness(opts, async (h) => {
    await storeHomePolicy(h);
    const long = await h.send("PATCH", device(PC), h.admin, { label: "x".repeat(101) });
    assertEquals(Object.keys((await errorOf(long)).fields ?? {}), ["label"]);
    const group = await h.send("PATCH", device(PC), h.admin, { groups: [""] });
    assertEquals(Object.keys((await errorOf(group)).fields ?? {}), ["groups.0"]);
    const extra = await h.send("PATCH", device(PC), h.admin, { name: "x" });
    assertEquals(extra.status, 400);
    const unknown = "mac:02:00:00:00:00:99";
    assertEquals((await h.send("PATCH", device(unknown), h.admin, { label: "x" })).status, 404);
  });
  await withHarness({ ...opts, scenario: { ...HOME, policy: undefined } }, async (h) => {
    assertEquals((await h.send("PATCH", device(PC), h.admin, { groups: ["a"] })).status, 409);
    // A label needs no policy.
    assertEquals((await h.send("PATCH", device(PC), h.admin, { label: "PC" })).status, 200);
  });
});
