import { assert, assertEquals, assertMatch } from "@std/assert";
import { DeviceStore } from "../../../engine/history/mod.ts";
import { reportRoutes } from "../../../web/api/report_routes.ts";
import { HUB, PC, withHarness } from "../_harness.ts";
import { checkAccess, fieldsOf, getJson } from "./_checks.ts";

const DAY = 86_400_000;

Deno.test("reportRoutes() ranks the run's usage and exports it as CSV", async (t) => {
  await withHarness({ registrars: [reportRoutes], seconds: 150 }, async (h) => {
    const start = h.ctx.info.startedAt, now = h.ctx.now();
    await new DeviceStore(h.kv).setLabel(HUB, 'Hue, "living room"');

    await t.step("reportRoutes() refuses the anonymous and lets a viewer read", async () => {
      await checkAccess(h, ["/reports", "/reports.csv"]);
    });

    await t.step("GET /reports over today ranks the PC first, with names", async () => {
      const { body } = await getJson(h, "/reports");
      assertEquals(body.toMs - body.fromMs, DAY);
      assert(body.fromMs <= start && now < body.toMs);
      assertEquals(body.devices[0].deviceId, PC);
      assertEquals(body.devices[0].apps[0].app, "steam-downloads");
      assert(body.devices[0].down > 100_000_000, `PC down ${body.devices[0].down}`);
      assertEquals(body.apps[0].app, "steam-downloads");
      assertEquals(body.names[PC], "desktop-1");
      assertEquals(body.names[HUB], 'Hue, "living room"');
      assertEquals(body.appNames["steam-downloads"], "Steam Downloads");
      assertEquals(body.gaps, []);
      assertEquals(
        body.total.bytes,
        body.devices.reduce((n: number, d: { bytes: number }) => n + d.bytes, 0),
      );
    });

    await t.step("GET /reports over the run's exact range matches today's figures", async () => {
      const today = (await getJson(h, "/reports")).body;
      const { body } = await getJson(h, `/reports?from=${start}&to=${now + 1}`);
      assertEquals(body.fromMs, start);
      assertEquals(body.total, today.total);
      const week = await getJson(h, `/reports?period=week&at=${start}`);
      assertEquals(week.body.toMs - week.body.fromMs, 7 * DAY);
      assertEquals(week.body.devices[0].deviceId, PC);
      const limited = await getJson(h, "/reports?limit=1");
      assertEquals([limited.body.devices.length, limited.body.apps.length], [1, 1]);
      assertEquals(limited.body.total, today.total);
    });

    await t.step("GET /reports refuses ranges that make no sense, naming the field", async () => {
      assertEquals(Object.keys(await fieldsOf(h, "/reports?period=year&at=soon")).sort(), [
        "at",
        "period",
      ]);
      assertMatch((await fieldsOf(h, "/reports?period=range&from=1000")).to, /needed/);
      assertMatch((await fieldsOf(h, "/reports?from=5000&to=1000")).to, /after from/);
      assertMatch((await fieldsOf(h, `/reports?from=0&to=${900 * DAY}`)).to, /at most 800 days/);
      assertMatch((await fieldsOf(h, "/reports?period=day&from=0&to=60000")).from, /period=range/);
    });

    await t.step("GET /reports.csv sends the devices table as an attachment", async () => {
      const res = await h.send("GET", "/api/v1/reports.csv", h.viewer);
      assertEquals(res.status, 200);
      assertEquals(res.headers.get("content-type"), "text/csv; charset=utf-8");
      assertMatch(
        res.headers.get("content-disposition") ?? "",
        /^attachment; filename="sluice-devices-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      const lines = (await res.text()).split("\r\n");
      assertEquals(lines[0], "device,label,up_bytes,down_bytes,total_bytes,local_bytes");
      assertMatch(lines[1], new RegExp(`^${PC},,\\d+,\\d+,\\d+,\\d+$`));
      assertMatch(lines.find((l) => l.startsWith(HUB))!, /^[^,]+,"Hue, ""living room""",/);
      assertEquals(lines.at(-1), "");
    });

    await t.step("GET /reports.csv exports the apps and each device's apps", async () => {
      const apps = await h.send(
        "GET",
        `/api/v1/reports.csv?table=apps&period=month&at=${start}`,
        h.viewer,
      );
      assertMatch(
        apps.headers.get("content-disposition") ?? "",
        /filename="sluice-apps-\d{4}-\d{2}-01\.csv"/,
      );
      const text = await apps.text();
      assertMatch(text, /^app,up_bytes,down_bytes,total_bytes,devices\r\nsteam-downloads,/);
      const pairs = await (await h.send("GET", "/api/v1/reports.csv?table=device-apps", h.viewer))
        .text();
      assertMatch(pairs.split("\r\n")[1], new RegExp(`^${PC},,steam-downloads,`));
      assertEquals(Object.keys(await fieldsOf(h, "/reports.csv?table=users")), ["table"]);
    });
  });
});
