import { assertEquals } from "@std/assert";
import { processRoutes } from "../../../web/api/process_routes.ts";
import type { LiveSnapshot } from "../../../web/live/snapshot_types.ts";
import { withHarness } from "../_harness.ts";
import { checkAccess, getJson } from "./_checks.ts";

Deno.test("processRoutes() serves the latest snapshot's processes, or none when off", async (t) => {
  await withHarness({ registrars: [processRoutes], seconds: 5 }, async (h) => {
    await t.step("processRoutes() refuses the anonymous and lets a viewer read", async () => {
      await checkAccess(h, ["/processes"]);
    });

    await t.step("GET /processes without --processes is empty and says so", async () => {
      const { body } = await getJson(h, "/processes");
      assertEquals([body.enabled, body.processes], [false, []]);
    });

    await t.step("GET /processes lists what the snapshot has", async () => {
      const process = {
        pid: 4321,
        name: "curl",
        command: "curl https://example.com",
        down: 10,
        up: 5,
        totalDown: 100,
        totalUp: 50,
        protocols: ["tcp"],
      };
      const latest = h.ctx.hub.latest!;
      h.ctx.hub.publish(
        { ...latest, time: latest.time + 1000, processes: [process] } as LiveSnapshot,
      );
      const { body } = await getJson(h, "/processes");
      assertEquals([body.enabled, body.time, body.processes], [true, latest.time + 1000, [
        process,
      ]]);
    });
  });
});
