// deno task bench:web — the dashboard in real headless Chromium, with 1,000
// devices: (a) first paint of the overview on a fresh load with the session
// cookie, from navigation start to the paint after the first live data has
// rendered (and Chromium's first-contentful-paint, the shell before data),
// warm HTTP cache (a reload) and cold (a new browser context); (b) a 1 Hz
// update of the devices table, sorted by name (the default) and by down
// rate: from a snapshot's arrival (before JSON.parse) to its render done,
// with style and layout forced synchronously. Goals: first paint under
// 300 ms on loopback, an update under 16 ms. A benchmark, not a test.
//
// The server is the real app over the real engine (tests/bench/_web_server.ts)
// running 1,000 simulated devices at real time. Side by side, in the same
// run: a minimal vanilla-DOM page (tests/bench/_web_peer.ts) showing the
// same stream as one plain table of all rows, timed the same way. Update
// blocks are interleaved in rounds so that a noisy neighbour hurts both.
//
// Usage: deno task bench:web [--loads N] [--updates N] [--rounds R]
//   (N loads per kind of first paint, default 12; N updates per table and
//   sort, default 60, split over R rounds, default 2)
import fs from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type FirstData, PROBE, summarise, type UpdateTiming } from "./_web_probe.ts";
import { startBenchServer } from "./_web_server.ts";
import { PEER_PATH } from "./_web_peer.ts";
import { QUIET_CHROMIUM } from "../_chromium.ts";

function option(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  const value = i < 0 ? fallback : Number(Deno.args[i + 1]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`bench:web: --${name} must be a whole number of at least 1`);
    Deno.exit(2);
  }
  return value;
}
const LOADS = option("loads", 12), UPDATES = option("updates", 60), ROUNDS = option("rounds", 2);
const WARMUP = 2; // updates skipped after each navigation (the mount is not an update)
const VIEWPORT = { width: 1280, height: 800 };

// Playwright looks for WSL at load time in /proc/sys, which Deno opens only under --allow-all:
// answered "no" here (this is Linux), so the bench runs with narrow permissions.
const existsSync = fs.existsSync;
fs.existsSync = (path) => !String(path).startsWith("/proc/sys/") && existsSync(path);
const { chromium } = await import("playwright-core");
fs.existsSync = existsSync;

const server = await startBenchServer();
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", ...QUIET_CHROMIUM],
});
try {
  await bench(browser);
} finally {
  await browser.close();
  await server.close();
}

/** The probe's figures in the page (the predicates below run there, serialised: no closures). */
type Probed = { __bench?: { first: FirstData | null; updates: UpdateTiming[] } };

async function newContext(state?: Awaited<ReturnType<BrowserContext["storageState"]>>) {
  const context = await browser.newContext({ viewport: VIEWPORT, storageState: state });
  await context.addInitScript({ content: PROBE });
  return context;
}

/** Loads `url` and waits for its first live data to be painted. */
async function firstData(page: Page, url: string): Promise<FirstData> {
  await page.goto(url);
  // Functions, not strings: the UI's Content-Security-Policy forbids eval.
  await page.waitForFunction(
    () => ((globalThis as Probed).__bench?.first?.painted ?? 0) > 0,
    null,
    { timeout: 30_000 },
  );
  return await page.evaluate("globalThis.__bench.first") as FirstData;
}

/** `UPDATES / ROUNDS` updates of the page as it is, after a warm-up. */
async function updates(page: Page, n: number): Promise<UpdateTiming[]> {
  const wait = (count: number) =>
    page.waitForFunction(
      (count) => ((globalThis as Probed).__bench?.updates.length ?? 0) >= count,
      count,
      {
        polling: 500,
        timeout: (count + 20) * 2000,
      },
    );
  await wait(WARMUP);
  await page.evaluate("globalThis.__bench.updates.length = 0");
  await wait(n);
  return (await page.evaluate("globalThis.__bench.updates") as UpdateTiming[]).slice(0, n);
}

/** The UI's devices view sorted by the Down column (highest first), the pointer and focus off it. */
async function sortByDown(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Down", exact: true }).click();
  await page.evaluate("document.activeElement?.blur()");
  await page.mouse.move(VIEWPORT.width - 2, VIEWPORT.height - 2);
  const sorted = await page.evaluate(
    `document.querySelector('[role="columnheader"][aria-sort="descending"]')?.textContent.trim()`,
  );
  if (sorted !== "Down ▼") throw new Error(`the devices table is not sorted by Down: ${sorted}`);
  await page.evaluate("globalThis.__bench.updates.length = 0");
}

async function bench(browser: Browser): Promise<void> {
  const origin = server.origin;
  const main = await newContext();
  const page = await main.newPage();
  await page.goto(`${origin}/`);
  await page.getByLabel("Name").fill(server.name);
  await page.getByLabel("Password").fill(server.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByText("Top devices").waitFor();
  const state = await main.storageState();

  // (a) First paints: warm (a reload in the same context), cold (a new context).
  const loads: Record<string, FirstData[]> = {};
  const load = async (key: string, url: string, cold: boolean) => {
    if (!cold) return (loads[key] ??= []).push(await firstData(page, url));
    const context = await newContext(state);
    try {
      (loads[key] ??= []).push(await firstData(await context.newPage(), url));
    } finally {
      await context.close();
    }
  };
  for (let i = 0; i < LOADS; i++) {
    await load("ui warm", `${origin}/`, false);
    await load("peer warm", `${origin}${PEER_PATH}`, false);
    await load("ui cold", `${origin}/`, true);
    await load("peer cold", `${origin}${PEER_PATH}`, true);
    await load("ui devices", `${origin}/devices`, false);
  }

  // (b) Updates, interleaved in rounds.
  const ups: Record<string, UpdateTiming[]> = {};
  const perRound = Math.ceil(UPDATES / ROUNDS);
  for (let r = 0; r < ROUNDS; r++) {
    const n = Math.min(perRound, UPDATES - r * perRound);
    for (const sort of ["name", "down"] as const) {
      await firstData(page, `${origin}/devices`);
      if (sort === "down") await sortByDown(page);
      (ups[`ui ${sort}`] ??= []).push(...await updates(page, n));
      await firstData(page, `${origin}${PEER_PATH}?sort=${sort}`);
      (ups[`peer ${sort}`] ??= []).push(...await updates(page, n));
    }
  }
  const rows = await page.evaluate("document.querySelectorAll('#rows tr').length") as number;
  await page.goto("about:blank");
  report(browser, loads, ups, rows);
}

function report(
  browser: Browser,
  loads: Record<string, FirstData[]>,
  ups: Record<string, UpdateTiming[]>,
  peerRows: number,
): void {
  const ms = (x: number) => Number.isFinite(x) ? x.toFixed(1) : "–";
  const twoOf = (xs: number[]) => {
    const s = summarise(xs);
    return `${ms(s.median)} / ${ms(s.p95)}`;
  };
  const threeOf = (xs: number[]) => {
    const s = summarise(xs);
    return `${ms(s.median)} / ${ms(s.p95)} / ${ms(s.max)}`;
  };
  const painted = (key: string) => twoOf((loads[key] ?? []).map((f) => f.painted));
  const fcp = (key: string) => twoOf((loads[key] ?? []).flatMap((f) => f.fcp ?? []));
  const upd = (key: string, part: keyof UpdateTiming) =>
    threeOf((ups[key] ?? []).map((u) => u[part]));
  const table: [string, string, string, string][] = [
    ["metric (ms)", "Sluice UI", "vanilla DOM peer", "goal"],
    [
      `first data painted, warm, median / p95 (${LOADS} loads)`,
      painted("ui warm"),
      painted("peer warm"),
      "< 300",
    ],
    [
      `first data painted, cold, median / p95 (${LOADS} loads)`,
      painted("ui cold"),
      painted("peer cold"),
      "< 300",
    ],
    ["first-contentful-paint (shell), warm", fcp("ui warm"), fcp("peer warm"), ""],
    ["first-contentful-paint (shell), cold", fcp("ui cold"), fcp("peer cold"), ""],
    ["first data painted, /devices, warm", painted("ui devices"), "", "< 300"],
    [
      `update by name, + layout, median / p95 / max (${UPDATES})`,
      upd("ui name", "layout"),
      upd("peer name", "layout"),
      "< 16",
    ],
    [
      `update by down rate, + layout, median / p95 / max (${UPDATES})`,
      upd("ui down", "layout"),
      upd("peer down", "layout"),
      "< 16",
    ],
    [
      "  of which script (to rendered mark), by name",
      upd("ui name", "script"),
      upd("peer name", "script"),
      "",
    ],
    [
      "  of which script (to rendered mark), by down",
      upd("ui down", "script"),
      upd("peer down", "script"),
      "",
    ],
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => cell.padEnd(widths[c])).join(" | ");
  console.log(
    `bench:web — Chromium ${browser.version()} headless, viewport ${VIEWPORT.width}×${VIEWPORT.height}`,
  );
  console.log(
    `machine: ${navigator.hardwareConcurrency} cores, Linux ${Deno.osRelease()}, load average ${
      Deno.loadavg().map((x) => x.toFixed(2)).join(" ")
    }; Deno ${Deno.version.deno}`,
  );
  console.log(
    `server: real app + engine, ${server.devices()} devices, snapshot ${
      (server.snapshotBytes() / 1000).toFixed(0)
    } kB of JSON a second, engine slips ${server.slips()}; peer table rows: ${peerRows}`,
  );
  console.log("");
  console.log(line(table[0]));
  console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
  for (const row of table.slice(1)) console.log(line(row));
  console.log("");
  console.log(
    "first data painted: navigation start to the frame painted after the first snapshot rendered;",
  );
  console.log(
    "update: snapshot event (before JSON.parse) to rendered, then a forced style + layout.",
  );
}
