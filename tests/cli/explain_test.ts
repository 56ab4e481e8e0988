// `sluice explain` as a user runs it: a device found by id or label, its
// stored state and decisions, and one-line refusals.
import { assertEquals, assertStringIncludes } from "@std/assert";
import type { Explanation } from "../../cli/explain.ts";
import { DeviceStore, EventLog, PolicyStateStore } from "../../engine/history/mod.ts";
import { assertUserError, sluiceCommand } from "./_replay.ts";

const TV = "mac:02:00:00:00:00:07";

async function withStore(fn: (data: string) => Promise<void>): Promise<void> {
  const data = await Deno.makeTempDir({ prefix: "sluice-explain-" });
  try {
    const kv = await Deno.openKv(`${data}/sluice.kv`);
    try {
      await new DeviceStore(kv).setLabel(TV, "Living room TV");
      await new PolicyStateStore(kv).putStates([{
        id: TV,
        blocked: false,
        down: 1_000_000,
        up: null,
        priority: "low",
        level: "schedule",
        ruleId: "tv-cap",
        reason: "limited to 8 Mbit/s down (rule tv-cap)",
        scoped: [{
          categories: ["Gaming"],
          blocked: true,
          down: null,
          up: null,
          priority: "normal",
          level: "block",
          ruleId: "no-games",
          reason: "blocked (rule no-games)",
        }],
      }], Date.UTC(2024, 0, 10, 20, 0, 1));
      const log = new EventLog(kv);
      for (
        const [minute, message] of [[1, "limit: none → 8 Mbit/s down"], [
          2,
          "priority: Normal → Low",
        ]] as const
      ) {
        await log.append({
          time: Date.UTC(2024, 0, 10, 20, minute),
          kind: "policy",
          device: TV,
          message,
          reason: `reason ${minute}`,
        });
      }
      await log.append({
        time: Date.UTC(2024, 0, 10, 20, 3),
        kind: "admin",
        device: TV,
        message: "label set",
      });
    } finally {
      kv.close();
    }
    await fn(data);
  } finally {
    await Deno.remove(data, { recursive: true });
  }
}

Deno.test("sluice explain finds a device by label and tells its state, scoped states and decisions, newest first", async () => {
  await withStore(async (data) => {
    const run = await sluiceCommand(
      "explain",
      "living room tv",
      "--data",
      data,
      "--utc-offset",
      "60",
    );
    assertEquals([run.code, run.stderr], [0, ""]);
    assertEquals(
      run.stdout,
      [
        `Living room TV (${TV})`,
        "State: limited to 8 Mbit/s down, Low priority, as of 2024-01-10 21:00:01 +01:00",
        "  because limited to 8 Mbit/s down (rule tv-cap)",
        "  Gaming: blocked, because blocked (rule no-games)",
        "",
        "Last decisions, newest first:",
        "  2024-01-10 21:02:00 +01:00  priority: Normal → Low",
        "      reason 2",
        "  2024-01-10 21:01:00 +01:00  limit: none → 8 Mbit/s down",
        "      reason 1",
        "",
        "No alerts logged.",
        "",
      ].join("\n"),
    );
  });
});

Deno.test("sluice explain --json gives the stored state and events; --last limits them", async () => {
  await withStore(async (data) => {
    const run = await sluiceCommand(
      "explain",
      "02:00:00:00:00:07",
      "--data",
      data,
      "--json",
      "--last",
      "1",
    );
    assertEquals([run.code, run.stderr], [0, ""]);
    const e: Explanation = JSON.parse(run.stdout);
    assertEquals([e.device, e.label, e.state?.state.ruleId], [TV, "Living room TV", "tv-cap"]);
    assertEquals(e.decisions.map((d) => d.message), ["priority: Normal → Low"]);
    assertEquals(e.alerts, []);
  });
});

Deno.test("sluice explain says so when the policy never decided for a device", async () => {
  await withStore(async (data) => {
    const run = await sluiceCommand("explain", "ip:192.0.2.9", "--data", data);
    assertEquals(run.code, 0);
    assertStringIncludes(
      run.stdout,
      "No desired state stored: the policy has not decided for this device.",
    );
    assertStringIncludes(run.stdout, "No decisions logged.");
  });
});

Deno.test("sluice explain refuses an unknown name and a bad --last in one line", async () => {
  await withStore(async (data) => {
    assertUserError(
      await sluiceCommand("explain", "kitchen radio", "--data", data),
      `sluice explain: DEVICE must be a MAC or IP address, "mac:..." or "ip:...", or a device's label; no device is labelled "kitchen radio"`,
    );
    assertUserError(
      await sluiceCommand("explain", TV, "--data", data, "--last", "0"),
      "sluice explain: --last must be 1 to 1000, got 0",
    );
    assertUserError(await sluiceCommand("explain", "--data", data), "DEVICE");
  });
});
