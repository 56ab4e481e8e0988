import { assertEquals } from "@std/assert";
import { ProcessHistory } from "../../../cli/process_history.ts";
import { ProcessTable, UNKNOWN_PROCESS } from "../../../engine/processes/mod.ts";
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

Deno.test("processRoutes() answers a process name's history from the per-process history", async (t) => {
  await withHarness({ registrars: [processRoutes], seconds: 5 }, async (h) => {
    await t.step("GET /processes/:name/history is a 404 without --processes", async () => {
      assertEquals((await getJson(h, "/processes/curl/history")).status, 404);
    });

    const HOUR = 3_600_000, MIN = 60_000;
    const now = h.ctx.now(), first = Math.floor(now / MIN) * MIN - 3 * MIN;
    const table = new ProcessTable();
    const names = ["curl", "bad\u0007name"];
    const recorder = new ProcessHistory(h.kv, table, (id) => ({
      pid: 100 + id,
      name: names[id],
      command: null,
    }));
    await recorder.start(first);
    for (let m = 0; m < 3; m++) {
      table.add(0, 6, 100, 1000, 1, 1);
      table.add(1, 17, 1, 2, 1, 1);
      table.add(UNKNOWN_PROCESS, 1, 10, 0, 1, 0);
      recorder.minute((first + m * MIN) / 1000);
    }
    await recorder.flush();
    // What `sluice run --processes` does through LiveWeb's parts.
    Object.defineProperty(h.ctx, "processHistory", { value: recorder.history });

    await t.step(
      "GET /processes/:name/history sums the minutes into the hour, like devices",
      async () => {
        const { status, body } = await getJson(h, "/processes/curl/history?range=24h");
        assertEquals([status, body.level, body.to - body.from], [200, "hour", 24 * HOUR]);
        const used = body.points.filter((p: { up: number; down: number }) => p.up + p.down > 0);
        assertEquals(used, [{ time: Math.floor(first / HOUR) * HOUR, up: 300, down: 3000 }]);
        const unknown = await getJson(h, "/processes/unknown/history");
        assertEquals(unknown.body.points.reduce((s: number, p: { up: number }) => s + p.up, 0), 30);
        const sanitised = await getJson(h, "/processes/badname/history?range=7d");
        assertEquals([sanitised.status, sanitised.body.level], [200, "hour"]);
      },
    );

    await t.step("GET /processes/:name/history is a 404 for a name never seen", async () => {
      assertEquals((await getJson(h, "/processes/nothing/history")).status, 404);
    });

    await t.step("process history stays out of device history", async () => {
      const usage = await h.ctx.history.usage(first, first + 3 * MIN);
      assertEquals(Object.keys(usage.devices).filter((id) => id.startsWith("proc:")), []);
    });
  });
});
