// `sluice override` as a user runs it: overrides set by label or id, listed
// with their times, cleared by id, device or all, shown by `sluice explain`,
// and bad input refused in one line with nothing stored.
import { assertEquals } from "@std/assert";
import type { Explanation } from "../../cli/explain.ts";
import { DeviceStore, OverrideStore } from "../../engine/history/mod.ts";
import type { Rule } from "../../engine/policy/mod.ts";
import { assertUserError, sluiceCommand } from "./_replay.ts";

const TV = "mac:02:00:00:00:00:07";
const TABLET = "mac:02:00:00:00:00:0a";

async function withData(fn: (data: string) => Promise<void>): Promise<void> {
  const data = await Deno.makeTempDir({ prefix: "sluice-override-" });
  try {
    const kv = await Deno.openKv(`${data}/sluice.kv`);
    try {
      await new DeviceStore(kv).setLabel(TV, "Living room TV");
    } finally {
      kv.close();
    }
    await fn(data);
  } finally {
    await Deno.remove(data, { recursive: true });
  }
}

async function stored(data: string): Promise<Rule[]> {
  const kv = await Deno.openKv(`${data}/sluice.kv`);
  try {
    return await new OverrideStore(kv).list();
  } finally {
    kv.close();
  }
}

/** Wall-clock times redacted: they are whenever the test runs. */
function redact(text: string): string {
  return text.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (UTC|[+-]\d\d:\d\d)/g, "<time>");
}

Deno.test("sluice override sets a pause by label for a while, with who set it", async () => {
  await withData(async (data) => {
    const before = Date.now();
    const run = await sluiceCommand(
      "override",
      "living room tv",
      "block",
      "--for",
      "1h30m",
      "--by",
      "alice",
      "--json",
      "--data",
      data,
    );
    assertEquals([run.code, run.stderr], [0, ""]);
    const rule: Rule = JSON.parse(run.stdout);
    const { at, until } = rule.manual!;
    assertEquals({ ...rule, manual: undefined }, {
      id: "manual-1",
      devices: { device: TV },
      action: { kind: "block" },
      manual: undefined,
    });
    assertEquals([until! - at, rule.manual!.by, at >= before && at <= Date.now()], [
      5_400_000,
      "alice",
      true,
    ]);
    assertEquals(await stored(data), [rule]);
  });
});

Deno.test("sluice override limits, prioritises and scopes; list shows them in words, explain shows a device's", async () => {
  await withData(async (data) => {
    const set = async (...args: string[]) => {
      const run = await sluiceCommand("override", ...args, "--by", "bob", "--data", data);
      assertEquals([run.code, run.stderr], [0, ""]);
      return redact(run.stdout);
    };
    assertEquals(
      await set(TABLET, "limit", "--down", "2Mbit", "--up", "500kbit", "--category", "Streaming"),
      `manual-1: ${TABLET} limited to 2 Mbit/s down, 500 kbit/s up (Streaming), from <time> ` +
        `until cleared, by bob\nA running "sluice run --policy" applies it within a second or ` +
        `two; "sluice override clear manual-1" lifts it.\n`,
    );
    await set("02:00:00:00:00:07", "priority", "LOW", "--for", "2h");
    await set(TV, "allow", "--app", "youtube,netflix", "--for", "10m");
    const list = await sluiceCommand("override", "list", "--data", data, "--utc-offset", "60");
    assertEquals([list.code, list.stderr], [0, ""]);
    assertEquals(redact(list.stdout).split("\n"), [
      `manual-1: ${TABLET} limited to 2 Mbit/s down, 500 kbit/s up (Streaming), from <time> until cleared, by bob`,
      `manual-2: ${TV} Low priority, from <time> until <time>, by bob`,
      `manual-3: ${TV} allowed through (youtube, netflix), from <time> until <time>, by bob`,
      "",
    ]);
    const explained = await sluiceCommand("explain", TV, "--data", data, "--json");
    const e: Explanation = JSON.parse(explained.stdout);
    assertEquals(e.overrides.map((r) => r.id), ["manual-2", "manual-3"]);
    const text = await sluiceCommand("explain", "Living room TV", "--data", data);
    assertEquals(
      redact(text.stdout).split("\n").slice(2, 6),
      [
        "",
        "Manual overrides (see sluice override):",
        `  manual-2: ${TV} Low priority, from <time> until <time>, by bob`,
        `  manual-3: ${TV} allowed through (youtube, netflix), from <time> until <time>, by bob`,
      ],
    );
  });
});

Deno.test("sluice override clear removes by id, by device and all; list --json shows what is left", async () => {
  await withData(async (data) => {
    for (const device of [TV, TABLET, TV, TABLET]) {
      const run = await sluiceCommand("override", device, "block", "--data", data);
      assertEquals(run.code, 0, run.stderr);
    }
    const clear = async (what: string) => {
      const run = await sluiceCommand("override", "clear", what, "--data", data);
      assertEquals([run.code, run.stderr], [0, ""]);
      return run.stdout;
    };
    assertEquals(await clear("manual-2"), "cleared 1 override: manual-2\n");
    assertEquals(await clear("Living room TV"), "cleared 2 overrides: manual-1, manual-3\n");
    const list = await sluiceCommand("override", "list", "--json", "--data", data);
    assertEquals(
      JSON.parse(list.stdout).overrides.map((r: Rule) => [r.id, r.devices]),
      [["manual-4", { device: TABLET }]],
    );
    assertEquals(await clear("all"), "cleared 1 override: manual-4\n");
    assertEquals(await clear("all"), "cleared 0 overrides\n");
    const empty = await sluiceCommand("override", "list", "--data", data);
    assertEquals(empty.stdout, "No overrides.\n");
  });
});

Deno.test("sluice override refuses bad input in one line and stores nothing", async () => {
  await withData(async (data) => {
    const refused = async (includes: string, ...args: string[]) =>
      assertUserError(await sluiceCommand("override", ...args, "--data", data), includes);
    await refused("sluice override: ACTION is missing: one of block, limit, priority, allow", TV);
    await refused(
      'sluice override: ACTION must be one of block, limit, priority, allow, got "pause"',
      TV,
      "pause",
    );
    await refused("sluice override: priority needs a LEVEL: high, normal, low", TV, "priority");
    await refused(
      'sluice override: LEVEL must be one of high, normal, low, got "urgent"',
      TV,
      "priority",
      "urgent",
    );
    await refused("sluice override: limit needs --down RATE, --up RATE or both", TV, "limit");
    await refused('sluice override: --down: rate "fast"', TV, "limit", "--down", "fast");
    await refused(
      "sluice override: --down and --up go with limit, not block",
      TV,
      "block",
      "--up",
      "1Mbit",
    );
    await refused('sluice override: block takes no argument, got "now"', TV, "block", "now");
    await refused(
      'sluice override: --for must be 1 second to 366 days, got "400d"',
      TV,
      "block",
      "--for",
      "400d",
    );
    await refused(
      'sluice override: --for: duration "soon" not understood',
      TV,
      "block",
      "--for",
      "soon",
    );
    await refused(
      'sluice override: --app: no app "nosuchapp" in the catalogue',
      TV,
      "block",
      "--app",
      "nosuchapp",
    );
    await refused(
      'sluice override: --category: no category "Cats"',
      TV,
      "block",
      "--category",
      "Cats",
    );
    await refused('no device is labelled "kitchen radio"', "kitchen radio", "block");
    await refused(
      "sluice override: --for is for setting an override, not list",
      "list",
      "--for",
      "1h",
    );
    await refused("sluice override: clear takes one argument", "clear");
    await refused('sluice override: clear: no override matches "manual-7"', "clear", "manual-7");
    assertEquals(await stored(data), []);
  });
});
