import { assert, assertEquals, assertMatch } from "@std/assert";
import { EventLog } from "../../../engine/history/mod.ts";
import { eventRoutes } from "../../../web/api/event_routes.ts";
import { CAM, PC, withHarness } from "../_harness.ts";
import { checkAccess, enc, fieldsOf, getJson } from "./_checks.ts";

Deno.test("eventRoutes() pages the event log and lists the active alerts", async (t) => {
  await withHarness({ registrars: [eventRoutes], seconds: 60 }, async (h) => {
    await t.step("eventRoutes() refuses the anonymous and lets a viewer read", async () => {
      await checkAccess(h, ["/events", "/alerts"]);
    });

    await t.step("GET /events lists policy, alert and shaper events newest first", async () => {
      const { body } = await getJson(h, "/events?limit=1000");
      const kinds = new Set(body.events.map((e: { kind: string }) => e.kind));
      assertEquals([...kinds].sort(), ["alert", "policy", "shaper"]);
      const times = body.events.map((e: { time: number }) => e.time);
      assertEquals(times, [...times].sort((a, b) => b - a));
      assertEquals(body.cursor, null);
    });

    await t.step(
      "GET /events filters by kind, device and time, and pages with a cursor",
      async () => {
        const blocks = await getJson(h, `/events?kind=policy&device=${enc(CAM)}`);
        assert(
          blocks.body.events.some((e: { message: string }) =>
            e.message === "block: allowed → blocked"
          ),
        );
        assert(
          blocks.body.events.every((e: { kind: string; device: string }) =>
            e.kind === "policy" && e.device === CAM
          ),
        );
        const all = (await getJson(h, "/events?limit=1000")).body.events;
        const mid = all.at(-1).time + 1;
        const older = await getJson(h, `/events?to=${mid}&limit=1000`);
        assert(older.body.events.length > 0 && older.body.events.length < all.length);
        assert(older.body.events.every((e: { time: number }) => e.time < mid));
        const newer = await getJson(h, `/events?from=${mid}&limit=1000`);
        assertEquals(newer.body.events.length + older.body.events.length, all.length);
        const first = await getJson(h, "/events?limit=2");
        const second = await getJson(h, `/events?limit=2&cursor=${enc(first.body.cursor)}`);
        assertEquals(
          [...first.body.events, ...second.body.events].map((e: { id: string }) => e.id),
          all.slice(0, 4).map((e: { id: string }) => e.id),
        );
      },
    );

    await t.step("GET /events shows an admin action with who did it", async () => {
      await new EventLog(h.kv).append({
        time: h.ctx.now(),
        kind: "admin",
        device: PC,
        message: "label set: Study PC",
        data: { by: "admin" },
      });
      const { body } = await getJson(h, "/events?kind=admin");
      assertEquals(
        body.events.map((e: { message: string; data: { by: string } }) => [e.message, e.data.by]),
        [
          ["label set: Study PC", "admin"],
        ],
      );
    });

    await t.step("GET /events refuses bad filters with field errors", async () => {
      const fields = await fieldsOf(
        h,
        "/events?from=yesterday&limit=0&device=pc&kind=DROP%20TABLE",
      );
      assertEquals(Object.keys(fields).sort(), ["device", "from", "kind", "limit"]);
      assertMatch(fields.from, /from must be an integer/);
      assertEquals(Object.keys(await fieldsOf(h, "/events?from=2000&to=1000")), ["from"]);
      assertEquals(Object.keys(await fieldsOf(h, "/events?cursor=not-a-cursor")), ["cursor"]);
    });

    await t.step("GET /alerts lists the latest snapshot's active alerts", async () => {
      const { body } = await getJson(h, "/alerts");
      assertEquals(body, { active: h.ctx.hub.latest!.alerts });
    });
  });
});
