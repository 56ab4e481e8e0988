import { assert, assertEquals, assertMatch } from "@std/assert";
import { shaperRoutes } from "../../../web/api/shaper_routes.ts";
import type { Registrar } from "../../../web/app.ts";
import type { WebContext } from "../../../web/web_context.ts";
import { CAM, HUB, PC, withHarness } from "../_harness.ts";
import { checkAccess, enc, fieldsOf, getJson } from "./_checks.ts";

Deno.test("shaperRoutes() shows the dry-run shaper's plan and its command log", async (t) => {
  await withHarness({ registrars: [shaperRoutes], seconds: 30 }, async (h) => {
    await t.step("shaperRoutes() refuses the anonymous and lets a viewer read", async () => {
      await checkAccess(h, ["/shaper", "/shaper/log"]);
    });

    await t.step("GET /shaper has the PC limited and the camera blocked", async () => {
      const { body } = await getJson(h, "/shaper");
      assertEquals([body.mode, body.failures], ["dry-run", 0]);
      assertEquals(body.plan.link, { down: 12_500_000, up: 2_500_000 });
      const planned = Object.fromEntries(
        body.plan.devices.map((d: { id: string; blocked: boolean; down: number | null }) => [
          d.id,
          [d.blocked, d.down],
        ]),
      );
      assertEquals(planned[PC], [false, 1_250_000]);
      assertEquals(planned[CAM], [true, null]);
      assert(body.applied.length > 5);
      assert(body.applied.some((o: { key: string }) => o.key.includes(CAM)));
      const desired = body.desired.map((s: { id: string }) => s.id);
      assertEquals(desired, [...desired].sort());
      assert(desired.includes(PC) && desired.includes(CAM) && desired.includes(HUB));
      const limited = await getJson(h, "/shaper?limit=1");
      assertEquals([limited.body.applied.length, limited.body.desired.length], [1, 1]);
    });

    await t.step("GET /shaper/log has the dry-run commands, newest first, paged", async () => {
      const { body } = await getJson(h, "/shaper/log?limit=1000");
      assert(body.events.length > 5);
      for (const e of body.events) {
        assertEquals(e.kind, "shaper");
        assertMatch(e.message, /^shaper would /);
        assertEquals([e.data.dryRun, e.data.ok], [true, true]);
      }
      const commands = body.events.flatMap((e: { data: { commands: string[] } }) =>
        e.data.commands
      );
      assert(commands.some((c: string) => /^tc filter add dev sim0 .*192\.168\.1\.42/.test(c)));
      const page = await getJson(h, "/shaper/log?limit=3");
      const next = await getJson(h, `/shaper/log?limit=3&cursor=${enc(page.body.cursor)}`);
      assertEquals(
        [...page.body.events, ...next.body.events].map((e: { id: string }) => e.id),
        body.events.slice(0, 6).map((e: { id: string }) => e.id),
      );
      assertEquals(Object.keys(await fieldsOf(h, "/shaper/log?limit=-1")), ["limit"]);
    });
  });
});

Deno.test("shaperRoutes() says off when the run neither shapes nor has a policy", async () => {
  const unshaped: Registrar = (api, ctx) => {
    const over: WebContext = Object.create(ctx);
    over.shaper = () => null;
    over.policy = () => null;
    shaperRoutes(api, over);
  };
  await withHarness({ registrars: [unshaped], seconds: 5 }, async (h) => {
    assertEquals((await getJson(h, "/shaper")).body, {
      mode: "off",
      failures: 0,
      plan: null,
      applied: [],
      desired: [],
    });
  });
});
