import { assert, assertEquals, assertMatch } from "@std/assert";
import { flowRoutes } from "../../../web/api/flow_routes.ts";
import { CAM, PC, withHarness } from "../_harness.ts";
import { checkAccess, enc, fieldsOf, getJson, redactTimes } from "./_checks.ts";
import { openMonitor, withMonitor } from "./_open_flows.ts";

Deno.test("flowRoutes() lists the open flows busiest first, from the device's side", async (t) => {
  const monitor = await openMonitor(60);
  await withHarness({ registrars: [withMonitor(flowRoutes, monitor)], seconds: 60 }, async (h) => {
    await t.step("flowRoutes() refuses the anonymous and lets a viewer read", async () => {
      await checkAccess(h, ["/flows", `/devices/${enc(PC)}/flows`]);
    });

    await t.step("GET /flows has the Steam download first, named", async () => {
      const { body } = await getJson(h, "/flows");
      assert(body.flows.length > 3 && body.flows.length <= 100, `${body.flows.length} flows`);
      const steam = body.flows[0];
      assertEquals(redactTimes({ ...steam, localPort: 0, up: 0, down: 0, packets: 0 }), {
        device: PC,
        protocol: "tcp",
        local: "192.168.1.42",
        localPort: 0,
        remote: steam.remote,
        remotePort: 80,
        name: "cache1-fra1.steamcontent.com",
        app: "steam-downloads",
        appName: "Steam Downloads",
        category: "Downloads",
        up: 0,
        down: 0,
        packets: 0,
        firstSeen: "<time>",
        lastSeen: "<time>",
      });
      assertMatch(steam.name, /steamcontent\.com$/);
      assert(steam.down > 100 * steam.up, `down ${steam.down} up ${steam.up}`);
      assert(steam.firstSeen <= steam.lastSeen && steam.lastSeen > 1e12);
      const totals = body.flows.map((f: { up: number; down: number }) => f.up + f.down);
      assertEquals(totals, [...totals].sort((a, b) => b - a));
    });

    await t.step("GET /flows?device= and /devices/:id/flows keep one device's", async () => {
      const cam = await getJson(h, `/flows?device=${enc(CAM)}&limit=2`);
      assertEquals(cam.body.flows.length, 2);
      assert(
        cam.body.flows.every((f: { device: string; local: string }) =>
          f.device === CAM && f.local === "192.168.1.70"
        ),
      );
      const pc = await getJson(h, `/devices/${enc(PC)}/flows`);
      assert(
        pc.body.flows.some((f: { name: string | null }) => /steamcontent\.com$/.test(f.name ?? "")),
      );
      assert(pc.body.flows.every((f: { device: string }) => f.device === PC));
    });

    await t.step(
      "flowRoutes() refuses bad queries with field errors, unknown devices with 404",
      async () => {
        assertEquals(Object.keys(await fieldsOf(h, "/flows?device=junk&limit=1001")).sort(), [
          "device",
          "limit",
        ]);
        assertMatch((await fieldsOf(h, "/flows?limit=ten")).limit, /integer from 1 to 1000/);
        assertEquals(Object.keys(await fieldsOf(h, "/devices/nope/flows")), ["id"]);
        const res = await h.send(
          "GET",
          `/api/v1/devices/${enc("ip:192.168.1.200")}/flows`,
          h.viewer,
        );
        assertEquals(res.status, 404);
        await res.body?.cancel();
      },
    );
  });
});

Deno.test("flowRoutes() answers no flows once the capture has ended", async () => {
  await withHarness({ registrars: [flowRoutes], seconds: 10 }, async (h) => {
    assertEquals((await getJson(h, "/flows")).body, { flows: [] });
  });
});
