// The simulator through the real engine: runs are reproducible to the
// byte, the family scenario's rules decide what they imply when they
// should, the closed loop holds a throttled device at its limit, and the
// packets written to a pcap replay through libpcap to the same totals.
import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { END_OF_CAPTURE, openFile } from "../../capture/mod.ts";
import { runSimulation, type SimSummary } from "../../cli/sim_run.ts";
import { PcapWriter } from "../../cli/pcap_writer.ts";
import { defaultOui, LanSubnets } from "../../engine/devices/mod.ts";
import { Monitor } from "../../engine/monitor.ts";
import type { Monitor as MonitorType } from "../../engine/monitor.ts";
import { loadScenario } from "../../sim/scenario.ts";
import { hasLibpcap, requireSystem, skipUnless } from "../_system.ts";

const family = await loadScenario("family", (p) => Deno.readTextFile(p));
const LAPTOP = "mac:f8:94:c2:8d:40:5e";

async function simulate(
  until: number,
  extra: Partial<Parameters<typeof runSimulation>[0]> = {},
): Promise<SimSummary> {
  const kv = await Deno.openKv(":memory:");
  try {
    return await runSimulation({ scenario: family, until, kv, ...extra });
  } finally {
    kv.close();
  }
}

Deno.test("runSimulation() gives the same hash for the same seed and another for another seed", async () => {
  const a = await simulate(2 * 3600), b = await simulate(2 * 3600);
  const c = await simulate(2 * 3600, { seed: 2 });
  assertEquals(a.hash, b.hash);
  assertEquals(a, b);
  assertNotEquals(a.hash, c.hash);
  assert(a.packets > 10_000 && a.devices.filter((d) => d.down > 0).length >= 10, `${a.packets}`);
});

Deno.test("runSimulation() throttles the family laptop's download within 2 s of its quota and holds it at 20 Mbit/s", async () => {
  const lines: string[] = [];
  const down: number[] = []; // the laptop's download total at each closed second, from 18:00 UTC
  const hour = Date.UTC(2026, 10, 20, 18) / 1000; // 19:00 in Berlin: the quota's hour
  await simulate(19.5 * 3600, {
    print: (line) => lines.push(line),
    onSecond: (second: number, monitor: MonitorType) => {
      if (second < hour) return;
      const i = monitor.devices.indexOf(LAPTOP);
      down[second - hour] = i < 0 ? 0 : monitor.meter.device(i).totals.down;
    },
  });
  const limited = lines.find((l) => l.includes(`${LAPTOP} limit: none → 20 Mbit/s down`));
  assert(limited, "no limit decision for the laptop");
  const decided = Date.parse(limited.slice(0, 19).replace(" ", "T") + "Z") / 1000 - hour;
  const crossed = down.findIndex((total) => total - down[0] >= 5e9);
  assert(crossed > 20 * 60, `the quota crossed at ${crossed} s past 19:00, before the download`);
  assert(
    decided >= crossed && decided - crossed <= 2,
    `crossed at ${crossed} s, decided at ${decided} s`,
  );
  // From the next second on, each 10 s holds within 5% of 2.5 MB/s.
  for (let t = decided + 2; t + 10 < down.length && t < decided + 300; t += 10) {
    const rate = (down[t + 10] - down[t]) / 10;
    assert(Math.abs(rate / 2_500_000 - 1) <= 0.05, `${rate} B/s at ${t} s past 19:00`);
  }
});

Deno.test({
  name:
    "runSimulation() packets written to a pcap replay through libpcap to the same device totals",
  ignore: skipUnless(hasLibpcap(), "libpcap"),
  async fn() {
    requireSystem(hasLibpcap(), "libpcap");
    const dir = await Deno.makeTempDir({ prefix: "sluice-sim-pcap-" });
    try {
      const path = `${dir}/family.pcap`;
      const pcap = PcapWriter.open(path, 1);
      const live = await simulate(3600, { tap: pcap });
      pcap.close();
      const source = openFile(path);
      const monitor = new Monitor({
        linkType: source.linkType,
        lan: new LanSubnets([family.lan]),
        oui: defaultOui(),
      });
      while ((await source.read(monitor)) !== END_OF_CAPTURE);
      monitor.finish();
      source.close();
      const replayed = family.devices.map((d) => {
        const i = monitor.devices.indexOf(`mac:${d.mac}`);
        const t = i < 0 ? null : monitor.meter.device(i).totals;
        return { id: d.id, name: d.name, down: t?.down ?? 0, up: t?.up ?? 0 };
      });
      assertEquals(replayed, live.devices);
      assertEquals(source.stats().delivered, live.packets);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
