// The dashboard in real headless Chromium against a real `sluice demo`: a
// simulated flat whose PC downloads at line rate. Sign in, watch the PC's
// live rate, throttle it and see the rate drop and the decision appear,
// add a rule, export a CSV, and screenshot every main view.
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import type { Locator, Page } from "playwright-core";
import { FLAT, FLAT_CAM, FLAT_HUB, FLAT_PC } from "../sim/_flat.ts";
import { noChromium, pageErrors, screenshot, signIn, withBrowser, withDemo } from "./_browser.ts";

/** The flat on a 100/20 Mbit/s line; the camera blocked by a rule, the PC free. */
const SCENARIO = {
  ...FLAT,
  name: "Browser flat",
  policy: {
    timeZone: "Europe/Berlin",
    link: { down: "100Mbit", up: "20Mbit" },
    rules: [{ id: "cam-off", devices: { device: `mac:${FLAT_CAM}` }, action: { kind: "block" } }],
  },
};
/** The PC's name on screen: the hostname it gives in DHCP. */
const PC_NAME = "desktop-1";

/** Mbit/s from a rate cell's text ("95.2 Mbit/s", "800 kbit/s"). */
function mbits(text: string): number {
  const m = /([\d.]+)\s*(bit|kbit|Mbit|Gbit)\/s/.exec(text);
  if (!m) return NaN;
  return Number(m[1]) * { bit: 1e-6, kbit: 1e-3, Mbit: 1, Gbit: 1e3 }[m[2] as "bit"];
}

/** Polls the PC row's download rate until `ok` says yes; returns the last value. */
async function waitForRate(row: Locator, ok: (mbit: number) => boolean): Promise<number> {
  let last = NaN;
  for (let i = 0; i < 60; i++) {
    last = mbits(await row.getByRole("cell").nth(3).innerText());
    if (ok(last)) return last;
    await row.page().waitForTimeout(500);
  }
  throw new Error(`the PC's rate stayed at ${last} Mbit/s`);
}

async function nav(page: Page, label: string, heading: string | RegExp) {
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: label })
    .click();
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
}

Deno.test({
  name: "the dashboard shows the live PC, throttles it, edits a rule and exports a CSV",
  ignore: noChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "sluice-browser-" });
    try {
      const scenarioFile = `${dir}/flat.json`;
      await Deno.writeTextFile(scenarioFile, JSON.stringify(SCENARIO));
      await withDemo([scenarioFile, "--speed", "3"], (demo) =>
        withBrowser(async (browser) => {
          const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
          const errors = pageErrors(page);
          await signIn(page, demo.url, "admin", demo.password);
          errors.length = 0; // the signed-out page's 401s (who am I? the live stream) are expected

          // Overview: the PC among the top devices, live.
          await page.getByText(PC_NAME).first().waitFor();
          await screenshot(page, "overview");

          // Devices: the PC downloads near the line's 100 Mbit/s.
          await nav(page, "Devices", "Devices");
          const row = page.getByRole("table", { name: "Devices" }).getByRole("row")
            .filter({ hasText: PC_NAME });
          const free = await waitForRate(row, (r) => r > 50);
          await screenshot(page, "devices");

          // Throttle it to 10 Mbit/s: the rate drops, the state says so.
          await page.getByRole("button", { name: `Throttle ${PC_NAME}`, exact: true }).click();
          const dialog = page.getByRole("dialog");
          await dialog.getByLabel("Down (Mbit/s)").fill("10");
          await dialog.getByLabel("Up (Mbit/s)").fill("");
          await dialog.getByRole("button", { name: "Throttle", exact: true }).click();
          const held = await waitForRate(row, (r) => r < 11);
          assert(held > 5, `held near 10 Mbit/s, not stopped: ${held} (free ${free})`);
          assertMatch(await row.innerText(), /limited/i);

          // The device page: its decision, with the reason naming who did it.
          await row.getByRole("link", { name: PC_NAME }).click();
          await page.getByRole("heading", { name: "Decisions" }).waitFor();
          const decisions = page.locator("section", {
            has: page.getByRole("heading", { name: "Decisions" }),
          });
          await decisions.getByText(/manual/i).first().waitFor({ timeout: 15_000 });
          assertStringIncludes(await decisions.innerText(), "admin");
          await screenshot(page, "device");

          // A rule: the hub held to 5 Mbit/s, saved and listed.
          await nav(page, "Rules", "Rules");
          await page.getByRole("button", { name: "New rule", exact: true }).click();
          const form = page.locator("form.rule-form");
          await form.getByRole("textbox", { name: "Id", exact: true }).fill("hub-cap");
          await form.getByRole("combobox", { name: "Devices", exact: true }).selectOption("device");
          await form.getByLabel("Which device", { exact: true }).fill(`mac:${FLAT_HUB}`);
          await form.getByRole("combobox", { name: "Action", exact: true }).selectOption("limit");
          await form.getByRole("textbox", { name: "Down", exact: true }).fill("5Mbit");
          await page.getByRole("button", { name: "Save rule", exact: true }).click();
          await page.getByText("hub-cap").first().waitFor();
          await screenshot(page, "rules");

          // Reports: the devices CSV, with its header and the PC's row, once
          // history holds a closed minute (the demo prints a line for each).
          await demo.line(/^\d\d:\d\d link /);
          await nav(page, "Reports", "Reports");
          const [download] = await Promise.all([
            page.waitForEvent("download"),
            page.getByRole("link", { name: "Export devices CSV" }).click(),
          ]);
          const csv = await Deno.readTextFile((await download.path())!);
          const [header, ...rows] = csv.trim().split(/\r?\n/);
          assertMatch(header, /device/i);
          assert(rows.some((r) => r.includes(FLAT_PC)), csv);
          await screenshot(page, "reports");

          for (
            const [label, heading, shot] of [
              ["Processes", /Processes/, "processes"],
              ["Alerts", /Alerts/, "alerts"],
              ["Shaper", /Shaper/, "shaper"],
              ["Settings", /Settings/, "settings"],
            ] as const
          ) {
            await nav(page, label, heading);
            await screenshot(page, shot);
          }
          // A phone: the overview still fits.
          await page.setViewportSize({ width: 390, height: 844 });
          await nav(page, "Overview", /Overview/);
          await screenshot(page, "overview-phone");
          assertEquals(errors, []);
        }));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
