import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { simulatedWeb } from "../../cli/sim_web.ts";
import { runSimulation } from "../../cli/sim_run.ts";
import { DeviceStore } from "../../engine/history/mod.ts";
import type { LiveDevice } from "../../web/live/snapshot_types.ts";
import { parseScenario } from "../../sim/scenario.ts";
import { FLAT, FLAT_HUB, FLAT_PC } from "../sim/_flat.ts";

/** The flat from 23:58 Berlin time: the PC's download runs across midnight. */
function lateFlat(start = "2026-11-20T23:58:00+01:00") {
  return parseScenario({
    ...FLAT,
    start,
    policy: { timeZone: "Europe/Berlin", link: { down: "100Mbit", up: "20Mbit" } },
  });
}

async function run(seconds: number, start?: string, before?: (kv: Deno.Kv) => Promise<void>) {
  const scenario = lateFlat(start);
  const kv = await Deno.openKv(":memory:");
  try {
    await before?.(kv);
    const web = simulatedWeb(kv, scenario, { now: () => 0 });

    const seen: number[] = [];
    web.hub.subscribe((s) => seen.push(s.time));
    await runSimulation({ scenario, until: seconds, kv, web });
    return { snapshot: web.hub.latest!, seen, midnight: Date.parse("2026-11-21T00:00:00+01:00") };
  } finally {
    kv.close();
  }
}

const pcOf = (devices: LiveDevice[]) => devices.find((d) => d.id === `mac:${FLAT_PC}`)!;

Deno.test("LiveWeb publishes one snapshot per closed second, ending at the run's last", async () => {
  const { snapshot, seen } = await run(30);
  assertEquals(seen.length, 30);
  assertEquals(seen.every((t, i) => i === 0 || t - seen[i - 1] === 1000), true);
  assertEquals(snapshot.time, seen[seen.length - 1]);
});

Deno.test("LiveWeb counts today from the zone's midnight: closed minutes plus the open one", async () => {
  // 23:58 → 00:03:30: about 3.5 of the 5.5 minutes' bytes are today's.
  const { snapshot } = await run(330);
  const pc = pcOf(snapshot.devices);
  const total = pc.totalDown + pc.totalUp;
  assert(pc.today > 0 && pc.today < total, `today ${pc.today} of ${total}`);
  assertAlmostEquals(pc.today / total, 3.5 / 5.5, 0.05);
});

Deno.test("LiveWeb counts what history already holds for today after a restart", async () => {
  // A first run until 00:02, a second one in the same store from 00:02 for a minute.
  const scenario = lateFlat("2026-11-21T00:00:00+01:00");
  const kv = await Deno.openKv(":memory:");
  try {
    await runSimulation({ scenario, until: 120, kv });
    const second = lateFlat("2026-11-21T00:02:00+01:00");
    const web = simulatedWeb(kv, second, { now: () => 0 });

    await runSimulation({ scenario: second, until: 60, kv, web });
    const pc = pcOf(web.hub.latest!.devices);
    const thisRun = pc.totalDown + pc.totalUp;
    // The first run's two minutes count too: about three minutes' bytes in all.
    assertAlmostEquals(pc.today / thisRun, 3, 0.3);
  } finally {
    kv.close();
  }
});

Deno.test("LiveWeb names devices by the labels in the store", async () => {
  const { snapshot } = await run(10, undefined, async (kv) => {
    await new DeviceStore(kv).setLabel(`mac:${FLAT_HUB}`, "Living-room lights");
  });
  const hub = snapshot.devices.find((d) => d.id === `mac:${FLAT_HUB}`)!;
  assertEquals(hub.name, "Living-room lights");
});
