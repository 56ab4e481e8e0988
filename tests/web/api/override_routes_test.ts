import { assertEquals } from "@std/assert";
import { OverrideStore } from "../../../engine/history/mod.ts";
import { overrideRoutes } from "../../../web/api/override_routes.ts";
import { CAM, type Harness, PC, withHarness } from "../_harness.ts";
import { adminEvents } from "./_policy_doc.ts";

const opts = { registrars: [overrideRoutes], seconds: 3 };

/** An override in force until an hour from now, and one that ended a minute ago. */
async function twoOverrides(h: Harness) {
  const store = new OverrideStore(h.kv);
  const now = h.ctx.now();
  const live = await store.add({
    devices: { device: PC },
    action: { kind: "block" },
    manual: { at: now, until: now + 3_600_000, by: "ann" },
  });
  const ended = await store.add({
    devices: { device: CAM },
    action: { kind: "allow" },
    manual: { at: now - 120_000, until: now - 60_000 },
  });
  return { live, ended };
}

Deno.test("overrideRoutes() GET /overrides lists those in force, or all", async () => {
  await withHarness(opts, async (h) => {
    const { live, ended } = await twoOverrides(h);
    assertEquals((await h.send("GET", "/api/v1/overrides")).status, 401);
    const res = await h.send("GET", "/api/v1/overrides", h.viewer);
    assertEquals(await res.json(), { overrides: [live] });
    const all = await h.send("GET", "/api/v1/overrides?all=true", h.viewer);
    assertEquals(await all.json(), { overrides: [live, ended] });
    assertEquals((await h.send("GET", "/api/v1/overrides?all=yes", h.viewer)).status, 400);
  });
});

Deno.test("overrideRoutes() DELETE /overrides/:id clears one, for admins only", async () => {
  await withHarness(opts, async (h) => {
    const { live, ended } = await twoOverrides(h);
    const path = `/api/v1/overrides/${live.id}`;
    assertEquals((await h.send("DELETE", path)).status, 401);
    assertEquals((await h.send("DELETE", path, h.viewer)).status, 403);
    const noCsrf = { cookie: (h.admin as { cookie: string }).cookie };
    assertEquals((await h.send("DELETE", path, noCsrf)).status, 403);
    assertEquals((await h.send("DELETE", path, h.admin)).status, 204);
    assertEquals(await new OverrideStore(h.kv).list(), [ended]);
    assertEquals((await h.send("DELETE", path, h.admin)).status, 404);
    const [event] = await adminEvents(h);
    assertEquals([event.message, event.device], [`override ${live.id} cleared by admin`, PC]);
  });
});
