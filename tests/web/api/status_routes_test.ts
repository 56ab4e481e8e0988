import { assert, assertEquals } from "@std/assert";
import { deviceRoutes } from "../../../web/api/device_routes.ts";
import { eventRoutes } from "../../../web/api/event_routes.ts";
import { flowRoutes } from "../../../web/api/flow_routes.ts";
import { reportRoutes } from "../../../web/api/report_routes.ts";
import { shaperRoutes } from "../../../web/api/shaper_routes.ts";
import { statusRoutes } from "../../../web/api/status_routes.ts";
import { withHarness } from "../_harness.ts";
import { checkAccess, getJson } from "./_checks.ts";

Deno.test("statusRoutes() tells what runs and how the link is doing", async (t) => {
  await withHarness({ registrars: [statusRoutes], seconds: 70 }, async (h) => {
    await t.step("statusRoutes() refuses the anonymous and lets a viewer read", async () => {
      await checkAccess(h, ["/status", "/interfaces"]);
    });

    await t.step("GET /status has the run's facts, the link and the devices", async () => {
      const { body } = await getJson(h, "/status");
      const { link, capture, ...rest } = body;
      assertEquals(rest, {
        version: "test",
        mode: "demo",
        interface: "sim0",
        lan: ["192.168.1.0/24"],
        startedAt: h.ctx.info.startedAt,
        now: h.ctx.now(),
        data: "temporary",
        policy: true,
        policySource: "scenario Web home",
        shaper: "dry-run",
        devices: { known: 4, online: 4 },
        alerts: 0,
      });
      assertEquals([link.capacityDown, link.capacityUp], [12_500_000, 2_500_000]);
      assert(link.down > 1_000_000 && link.totalDown > 50_000_000, JSON.stringify(link));
      assert(capture.packets > 1000 && capture.kernelDropped === 0, JSON.stringify(capture));
    });

    await t.step("GET /interfaces marks the one captured on", async () => {
      const { body } = await getJson(h, "/interfaces");
      assertEquals(body, {
        interfaces: [{
          name: "sim0",
          description: "the simulated LAN",
          addresses: [
            { family: "inet", address: "192.168.1.1", netmask: "255.255.255.0" },
            { family: "link", address: "dc:39:6f:5a:10:01" },
          ],
          up: true,
          loopback: false,
          wireless: false,
          capturing: true,
        }],
        lan: ["192.168.1.0/24"],
      });
    });
  });
});

Deno.test("statusRoutes() and the other read routes make one OpenAPI document", async () => {
  const registrars = [
    statusRoutes,
    deviceRoutes,
    flowRoutes,
    eventRoutes,
    reportRoutes,
    shaperRoutes,
  ];
  await withHarness({ registrars, seconds: 5 }, async (h) => {
    const { body } = await getJson(h, "/openapi.json");
    // The auth routes (always described) aside, the read routes' paths.
    const auth = /^\/api\/v1\/(session|sessions|tokens|users)\b/;
    assertEquals(Object.keys(body.paths).filter((p) => !auth.test(p)).sort(), [
      "/api/v1/alerts",
      "/api/v1/devices",
      "/api/v1/devices/{id}",
      "/api/v1/devices/{id}/apps",
      "/api/v1/devices/{id}/decisions",
      "/api/v1/devices/{id}/flows",
      "/api/v1/devices/{id}/history",
      "/api/v1/events",
      "/api/v1/flows",
      "/api/v1/interfaces",
      "/api/v1/reports",
      "/api/v1/reports.csv",
      "/api/v1/shaper",
      "/api/v1/shaper/log",
      "/api/v1/status",
    ]);
    const csv = body.paths["/api/v1/reports.csv"].get.responses["200"].content;
    assertEquals(Object.keys(csv), ["text/csv"]);
    const device = body.paths["/api/v1/devices/{id}"].get;
    assertEquals(device.parameters.map((p: { name: string; in: string }) => [p.name, p.in]), [
      ["id", "path"],
    ]);
    assertEquals(device["x-sluice-access"], "viewer");
  });
});
