import { assert, assertEquals, assertThrows } from "@std/assert";
import { defaultCatalogue } from "../../../engine/catalogue/default.ts";
import { LanSubnets } from "../../../engine/devices/mod.ts";
import { Monitor } from "../../../engine/monitor.ts";
import { parsePolicy, PolicyEngine } from "../../../engine/policy/mod.ts";
import { ProcessTable, UNKNOWN_PROCESS } from "../../../engine/processes/mod.ts";
import { liveSnapshot } from "../../../web/live/live_snapshot.ts";
import type { LiveSnapshot } from "../../../web/live/snapshot_types.ts";
import { CAM, HUB, PC, runHome, type SimRun } from "./_sim.ts";

/** The snapshot at 30 s into the home, and the engine's own figures read at the same moment. */
interface Moment {
  snapshot: LiveSnapshot;
  bare: LiveSnapshot;
  expected: Map<string, { name: string | null; rate: [number, number]; total: [number, number] }>;
  link: { rate: [number, number]; total: [number, number]; apps: Set<string> };
  packets: number;
  flows: number;
}

async function atThirtySeconds(): Promise<{ moment: Moment; run: SimRun }> {
  let moment: Moment | undefined;
  const run = await runHome(40, ({ monitor, engine, source }, now) => {
    if (now !== (source.start + 30) * 1000) return;
    const today = new Map([[PC, 123_456]]);
    const snapshot = liveSnapshot({
      monitor,
      now,
      policy: engine,
      capture: { delivered: 9, kernelDropped: 3, ifDropped: 1, ownDropped: 2 },
      shaper: { mode: "dry-run", failures: 4 },
      today,
    });
    const bare = liveSnapshot({ monitor, now });
    const hints = monitor.tracker.namer?.deviceHints;
    const expected = new Map(
      monitor.devices.list(now / 1000, hints).map((d) => {
        const u = monitor.meter.device(monitor.devices.indexOf(d.id));
        return [d.id, {
          name: d.name,
          rate: [u.rate.down, u.rate.up] as [number, number],
          total: [u.totals.down, u.totals.up] as [number, number],
        }];
      }),
    );
    const link = monitor.meter.link();
    moment = {
      snapshot,
      bare,
      expected,
      link: {
        rate: [link.rate.down, link.rate.up],
        total: [link.totals.down, link.totals.up],
        apps: new Set(link.apps.map((a) => a.app)),
      },
      packets: monitor.tracker.counters.packets,
      flows: monitor.tracker.table.size,
    };
  });
  assert(moment, "no second closed at 30 s");
  return { moment, run };
}

const { moment, run } = await atThirtySeconds();
const { snapshot } = moment;
const device = (id: string) => snapshot.devices.find((d) => d.id === id)!;

Deno.test("liveSnapshot() gives each device's name, rates and totals as the monitor's meter has them", () => {
  assertEquals(snapshot.time, (run.source.start + 30) * 1000);
  assertEquals(snapshot.devices.map((d) => d.id).sort(), [...moment.expected.keys()].sort());
  for (const d of snapshot.devices) {
    const e = moment.expected.get(d.id)!;
    assertEquals([d.down, d.up], e.rate, d.id);
    assertEquals([d.totalDown, d.totalUp], e.total, d.id);
    if (e.name !== null) assertEquals(d.name, e.name);
  }
  const pc = device(PC);
  assertEquals([pc.name, pc.mac, pc.addresses, pc.online], [
    "desktop-1",
    "f4:8e:38:c6:17:2a",
    ["192.168.1.42"],
    true,
  ]);
  assert(pc.down > 100_000, `the PC downloads: ${pc.down} B/s`);
  assertEquals(pc.topApp, "Steam Downloads");
  assertEquals([pc.today, device(HUB).today], [123_456, 0]);
  // Busiest first.
  assertEquals(snapshot.devices[0].id, PC);
  const rates = snapshot.devices.map((d) => d.down + d.up);
  assertEquals(rates, [...rates].sort((a, b) => b - a));
});

Deno.test("liveSnapshot() gives the link's rates, totals and capacity, and the capture's counts", () => {
  const { link } = snapshot;
  assertEquals([link.down, link.up], moment.link.rate);
  assertEquals([link.totalDown, link.totalUp], moment.link.total);
  assertEquals([link.capacityDown, link.capacityUp], [12_500_000, 2_500_000]); // the policy's
  assertEquals(snapshot.capture, {
    packets: moment.packets,
    bytes: snapshot.capture.bytes,
    kernelDropped: 3,
    ownDropped: 2,
    flows: moment.flows,
  });
  assert(snapshot.capture.packets > 100 && snapshot.capture.bytes > 100_000);
  assert(snapshot.capture.flows > 0);
  assertEquals(snapshot.shaper, { mode: "dry-run", failures: 4 });
});

Deno.test("liveSnapshot() lists the link's apps with their catalogue names and categories", () => {
  const catalogue = defaultCatalogue();
  const steam = snapshot.apps.find((a) => a.id === "steam-downloads");
  assert(steam, `no Steam in ${snapshot.apps.map((a) => a.id)}`);
  assertEquals([steam.name, steam.category], ["Steam Downloads", "Downloads"]);
  assertEquals(snapshot.apps[0].id, "steam-downloads"); // busiest first
  for (const a of snapshot.apps) {
    assert(moment.link.apps.has(a.id), a.id);
    if (a.id !== "unknown") assertEquals(a.category, catalogue.categoryOf(a.id) ?? a.category);
    assert(a.totalDown + a.totalUp > 0, a.id);
  }
  for (const id of ["philips-hue", "ring", "windows-telemetry"]) {
    assert(snapshot.apps.some((a) => a.id === id), `${id} missing`);
  }
  const sum = snapshot.apps.reduce((n, a) => n + a.totalDown, 0);
  assertEquals(sum, snapshot.link.totalDown);
});

Deno.test("liveSnapshot() shows a limited device as limited with its limit, a blocked one as blocked", () => {
  const state = run.engine.state(PC)!;
  assertEquals(device(PC).control, {
    priority: state.priority, // the automatic class of a heavy downloader: low
    state: "limited",
    limitDown: 1_250_000,
    limitUp: null,
    reason: "limited to 10 Mbit/s down (rule pc-cap)",
  });
  assertEquals(state.reason, "limited to 10 Mbit/s down (rule pc-cap)");
  assertEquals(device(CAM).control?.state, "blocked");
  assertEquals(device(HUB).control?.state, "free");
  // Without a policy: no control, no capacity, no alerts, the shaper off.
  const { bare } = moment;
  assert(bare.devices.every((d) => d.control === null));
  assertEquals([bare.link.capacityDown, bare.alerts, bare.shaper], [null, [], {
    mode: "off",
    failures: 0,
  }]);
  assertEquals([bare.capture.kernelDropped, bare.capture.ownDropped], [0, 0]);
});

Deno.test("liveSnapshot() lists the policy's active alerts", () => {
  const now = (run.source.end + 1) * 1000;
  run.engine.shaperFailed(HUB, "tc: no such device", now);
  const s = liveSnapshot({ monitor: run.monitor, now, policy: run.engine });
  const failed = s.alerts.find((a) => a.kind === "shaper_failed");
  assert(failed, JSON.stringify(s.alerts));
  assertEquals([failed.deviceId, failed.since], [HUB, now]);
  assert(failed.message.includes("tc: no such device"), failed.message);
  assertEquals(failed.key, run.engine.activeAlerts().find((a) => a.kind === "shaper_failed")!.id);
});

Deno.test("liveSnapshot() takes today as a function, and names an undecided device's control", () => {
  const monitor = new Monitor({ linkType: 1, lan: LanSubnets.privateRanges() });
  monitor.advance(1000);
  const s = liveSnapshot({ monitor, now: 1_001_000, today: () => 5 });
  assertEquals([s.devices, s.apps, s.link.down], [[], [], 0]);
  const asked: string[] = [];
  const later = liveSnapshot({
    monitor: run.monitor,
    now: (run.source.end) * 1000,
    today: (id) => (asked.push(id), id === HUB ? 7 : undefined),
  });
  assertEquals(later.devices.find((d) => d.id === HUB)!.today, 7);
  assertEquals(later.devices.find((d) => d.id === PC)!.today, 0);
  assertEquals(asked.length, later.devices.length);
  // A policy that has not been fed the devices yet: each runs free, and says why.
  const fresh = new PolicyEngine(parsePolicy({ link: { down: "100Mbit", up: "20Mbit" } }));
  const undecided = liveSnapshot({ monitor: run.monitor, now: later.time, policy: fresh });
  for (const d of undecided.devices) {
    assertEquals(d.control, {
      priority: "normal",
      state: "free",
      limitDown: null,
      limitUp: null,
      reason: "not decided yet: no internet traffic seen",
    });
  }
});

Deno.test("liveSnapshot() refuses a now that is not epoch ms", () => {
  for (const now of [NaN, -1, Infinity]) {
    const e = assertThrows(() => liveSnapshot({ monitor: run.monitor, now })) as Error;
    assert(e instanceof RangeError && e.message.startsWith("now must be"), e.message);
  }
});

Deno.test("liveSnapshot() lists processes with PID, name, command, rates and unknown", () => {
  const monitor = new Monitor({ linkType: 1, lan: LanSubnets.privateRanges() });
  const table = new ProcessTable();
  table.add(0, 6, 500, 2000, 2, 3);
  table.add(UNKNOWN_PROCESS, 1, 84, 0, 1, 0);
  table.closeSecond();
  const info = (id: number) =>
    id === 0 ? { pid: 4321, name: "curl", command: "curl https://example.com" } : undefined;
  const snapshot = liveSnapshot({ monitor, now: 1_000_000, processes: table, processInfo: info });
  assertEquals(snapshot.processes, [
    {
      pid: 4321,
      name: "curl",
      command: "curl https://example.com",
      down: 2000,
      up: 500,
      totalDown: 2000,
      totalUp: 500,
      protocols: ["tcp"],
    },
    {
      pid: null,
      name: "unknown",
      command: null,
      down: 0,
      up: 84,
      totalDown: 0,
      totalUp: 84,
      protocols: ["icmp"],
    },
  ]);
  assertEquals("processes" in liveSnapshot({ monitor, now: 1_000_000 }), false);
});
