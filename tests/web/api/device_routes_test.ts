import { assert, assertEquals, assertMatch } from "@std/assert";
import { DeviceStore } from "../../../engine/history/mod.ts";
import { deviceRoutes } from "../../../web/api/device_routes.ts";
import { CAM, HUB, PC, withHarness } from "../_harness.ts";
import { checkAccess, enc, fieldsOf, getJson, redactTimes } from "./_checks.ts";

const MBIT10 = 1_250_000;

Deno.test("deviceRoutes() serves the simulated home's devices", async (t) => {
  await withHarness({ registrars: [deviceRoutes], seconds: 150 }, async (h) => {
    // A device only the store knows: a laptop from an earlier run, labelled.
    const old = "mac:02:00:00:00:00:99";
    const store = new DeviceStore(h.kv);
    await store.put({
      id: old,
      mac: "02:00:00:00:00:99",
      addresses: ["192.168.1.99"],
      vendor: null,
      name: "old-laptop",
      firstSeen: 1_700_000_000,
      lastSeen: 1_700_000_100,
    } as { id: string });
    await store.setLabel(old, "Grandpa's laptop");

    await t.step("deviceRoutes() refuses the anonymous and lets a viewer read", async () => {
      await checkAccess(h, [
        "/devices",
        `/devices/${enc(PC)}`,
        `/devices/${enc(PC)}/history`,
        `/devices/${enc(PC)}/apps`,
        `/devices/${enc(CAM)}/decisions`,
      ]);
    });

    await t.step("GET /devices lists the PC first, near its 10 Mbit/s limit", async () => {
      const { body } = await getJson(h, "/devices");
      const ids = body.devices.map((d: { id: string }) => d.id);
      assertEquals(ids[0], PC);
      assert(ids.includes(HUB) && ids.includes(CAM) && ids.includes(old), ids.join());
      assertEquals(body.total, ids.length);
      const pc = body.devices[0];
      assert(pc.down > 0.8 * MBIT10 && pc.down < 1.1 * MBIT10, `PC down ${pc.down}`);
      assertEquals(pc.control.state, "limited");
      assertEquals(pc.control.limitDown, MBIT10);
      assertEquals([pc.online, pc.label, pc.groups], [true, null, []]);
      assert(pc.firstSeen <= pc.lastSeen && pc.lastSeen <= h.ctx.now());
      const cam = body.devices.find((d: { id: string }) => d.id === CAM);
      assertEquals([cam.control.state, cam.groups], ["blocked", ["gadgets"]]);
      // The stored one: offline, its label its name, times in ms.
      const laptop = body.devices.at(-1);
      assertEquals(redactTimes(laptop), {
        id: old,
        name: "Grandpa's laptop",
        label: "Grandpa's laptop",
        groups: [],
        vendor: null,
        mac: "02:00:00:00:00:99",
        addresses: ["192.168.1.99"],
        online: false,
        down: 0,
        up: 0,
        totalDown: 0,
        totalUp: 0,
        today: 0,
        topApp: null,
        control: {
          priority: "normal",
          state: "free",
          limitDown: null,
          limitUp: null,
          reason: "not decided yet: no internet traffic seen",
        },
        firstSeen: "<time>",
        lastSeen: "<time>",
      });
      assertEquals(laptop.firstSeen, 1_700_000_000_000);
    });

    await t.step("GET /devices filters by text and by online, with a limit", async () => {
      const hub = await getJson(h, "/devices?q=GADGETS&online=true");
      assertEquals(hub.body.devices.map((d: { id: string }) => d.id).sort(), [CAM, HUB].sort());
      const offline = await getJson(h, "/devices?online=false");
      assertEquals(offline.body.devices.map((d: { id: string }) => d.id), [old]);
      const one = await getJson(h, "/devices?limit=1");
      assertEquals([one.body.devices.length, one.body.total > 1], [1, true]);
      assertEquals(Object.keys(await fieldsOf(h, "/devices?online=maybe&limit=0")).sort(), [
        "limit",
        "online",
      ]);
    });

    await t.step(
      "GET /devices/:id shows state, the rules selecting it and the reason",
      async () => {
        const { status, body } = await getJson(h, `/devices/${enc(CAM)}`);
        assertEquals(status, 200);
        assertEquals(body.device.id, CAM);
        assertEquals([body.state.blocked, body.state.ruleId], [true, "cam-off"]);
        assertEquals(redactTimes(body.rules), [{
          id: "cam-off",
          devices: { device: CAM },
          action: { kind: "block" },
          via: "device",
          inForce: true,
          deciding: true,
        }]);
        assertEquals([body.overrides, body.alerts], [[], []]);
        // The path's id in any spelling.
        const upper = await getJson(h, `/devices/${enc(PC.toUpperCase().replace("MAC", "mac"))}`);
        assertEquals(upper.body.device.id, PC);
        assertEquals(upper.body.rules.map((r: { id: string }) => r.id), ["pc-cap"]);
      },
    );

    await t.step(
      "GET /devices/:id refuses junk ids with 400 and unknown ones with 404",
      async () => {
        assertMatch((await fieldsOf(h, "/devices/junk")).id, /mac:aa:bb/);
        assertMatch(
          (await fieldsOf(h, `/devices/${enc("ip:999.1.1.1")}/history`)).id,
          /ip:ADDRESS/,
        );
        for (const suffix of ["", "/history", "/apps", "/decisions"]) {
          const res = await h.send(
            "GET",
            `/api/v1/devices/${enc("mac:02:00:00:00:00:42")}${suffix}`,
            h.viewer,
          );
          assertEquals([suffix, res.status], [suffix, 404]);
          assertEquals((await res.json()).error.message, "no device mac:02:00:00:00:00:42");
        }
      },
    );

    await t.step("GET /devices/:id/history has the PC's download in hour points", async () => {
      const { body } = await getJson(h, `/devices/${enc(PC)}/history`);
      assertEquals(body.level, "hour");
      assertEquals(body.to - body.from, 24 * 3_600_000);
      assertEquals(body.points.length, 24);
      const last = body.points.at(-1);
      assert(last.down > 100 * MBIT10, `last hour down ${last.down}`);
      assert(body.points.slice(0, -1).every((p: { down: number }) => p.down === 0));
      const month = await getJson(h, `/devices/${enc(PC)}/history?range=30d`);
      assertEquals([month.body.level, month.body.points.length], ["day", 30]);
      assertEquals(month.body.points.at(-1).down, last.down);
      assertMatch((await fieldsOf(h, `/devices/${enc(PC)}/history?range=1y`)).range, /24h/);
    });

    await t.step("GET /devices/:id/apps has the Steam download first", async () => {
      const { body } = await getJson(h, `/devices/${enc(PC)}/apps?range=7d`);
      assertEquals(body.to - body.from, 7 * 86_400_000);
      assertEquals(body.apps[0].id, "steam-downloads");
      assertEquals([body.apps[0].name, body.apps[0].category], ["Steam Downloads", "Downloads"]);
      assert(body.apps[0].down > 100 * MBIT10);
    });

    await t.step("GET /devices/:id/decisions says the camera was blocked, and why", async () => {
      const { body } = await getJson(h, `/devices/${enc(CAM)}/decisions`);
      const block = body.events.find((e: { message: string }) => e.message.startsWith("block"));
      assertEquals(block.kind, "policy");
      assertEquals(block.device, CAM);
      assertEquals(block.reason, "blocked (rule cam-off)");
      assert(
        body.events.every((e: { kind: string }) => ["policy", "alert", "admin"].includes(e.kind)),
      );
      const page = await getJson(h, `/devices/${enc(CAM)}/decisions?limit=1`);
      assertEquals(page.body.events.length, 1);
      assert(typeof page.body.cursor === "string");
      const next = await getJson(
        h,
        `/devices/${enc(CAM)}/decisions?limit=1&cursor=${enc(page.body.cursor)}`,
      );
      assert(next.body.events[0].id < page.body.events[0].id);
      const alerts = await getJson(h, `/devices/${enc(CAM)}/decisions?kind=alert`);
      assert(alerts.body.events.every((e: { kind: string }) => e.kind === "alert"));
      const bad = await fieldsOf(h, `/devices/${enc(CAM)}/decisions?limit=5000&kind=shaper`);
      assertEquals(Object.keys(bad).sort(), ["kind", "limit"]);
      assertEquals(
        Object.keys(await fieldsOf(h, `/devices/${enc(CAM)}/decisions?cursor=nonsense`)),
        ["cursor"],
      );
    });
  });
});
