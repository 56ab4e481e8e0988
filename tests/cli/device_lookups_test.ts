import { assertEquals } from "@std/assert";
import { DeviceLookups } from "../../cli/device_lookups.ts";
import { ReverseDnsNames } from "../../cli/reverse_dns.ts";
import { DeviceTable, LanSubnets } from "../../engine/devices/mod.ts";
import { DeviceStore } from "../../engine/history/mod.ts";
import type { CommandRunner } from "../../shaper/mod.ts";
import { addr, frame, NO_FRAME, SRC } from "../engine/devices/_frames.ts";

const LAPTOP = "a4:83:e7:01:02:03", ROUTER = "3c:37:86:aa:bb:cc";

/** A LAN with a laptop seen by MAC and a camera seen only by IP (behind a VPN-less bridge). */
function lan(): { devices: DeviceTable; laptop: number; camera: number } {
  const devices = new DeviceTable({ lan: new LanSubnets(["192.168.1.0/24"]) });
  const laptop = devices.resolve(frame(LAPTOP, ROUTER), SRC, ...addr("192.168.1.7"), 100);
  const camera = devices.resolve(NO_FRAME, -1, ...addr("192.168.1.9"), 100);
  return { devices, laptop, camera };
}

function ipNeigh(text: string): CommandRunner {
  return { run: () => Promise.resolve({ code: 0, stdout: text, stderr: "" }) };
}

Deno.test("DeviceLookups names devices from stored labels, reverse DNS and the neighbour table", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const store = new DeviceStore(kv);
    await store.setLabel(`mac:${LAPTOP}`, "Lucas's laptop");
    const { devices, laptop, camera } = lan();
    const notes: string[] = [];
    const lookups = new DeviceLookups({
      labels: store,
      neighbours: {
        os: "linux",
        runner: ipNeigh("192.168.1.9 dev br0 lladdr 02:11:22:33:44:55 REACHABLE\n"),
        readTextFile: () => Promise.reject(new Error("unused")),
      },
      reverseDns: new ReverseDnsNames((name) =>
        Promise.resolve(name === "9.1.168.192.in-addr.arpa" ? ["cam-garden.lan."] : [])
      ),
      note: (line) => notes.push(line),
    });
    await lookups.refresh(devices, 200);
    const byId = new Map(devices.list(200, undefined, lookups.extra).map((d) => [d.id, d]));
    assertEquals(byId.get(`mac:${LAPTOP}`)?.name, "Lucas's laptop");
    assertEquals(byId.get(`mac:${LAPTOP}`)?.nameSource, "label");
    const cam = byId.get("ip:192.168.1.9");
    assertEquals([cam?.name, cam?.nameSource, cam?.mac], [
      "cam-garden.lan",
      "rdns",
      "02:11:22:33:44:55",
    ]);
    assertEquals(notes, []);
    assertEquals([devices.id(laptop), devices.id(camera)], [`mac:${LAPTOP}`, "ip:192.168.1.9"]);

    // A label removed (by `sluice devices unlabel`) and one added, while running.
    await store.setLabel(`mac:${LAPTOP}`, null);
    await store.setLabel("ip:192.168.1.9", "Garden camera");
    await lookups.refresh(devices, 260);
    const after = new Map(devices.list(260, undefined, lookups.extra).map((d) => [d.id, d]));
    assertEquals(after.get(`mac:${LAPTOP}`)?.label, null);
    assertEquals(after.get("ip:192.168.1.9")?.name, "Garden camera");
  } finally {
    kv.close();
  }
});

Deno.test("DeviceLookups notes a failing source once and still uses the others", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const store = new DeviceStore(kv);
    await store.setLabel("ip:192.168.1.9", "Garden camera");
    const { devices } = lan();
    const notes: string[] = [];
    const lookups = new DeviceLookups({
      labels: store,
      neighbours: {
        os: "linux",
        runner: {
          run: () => Promise.reject(new Deno.errors.NotCapable('Requires run access to "ip"')),
        },
        readTextFile: () => Promise.reject(new Error("unused")),
      },
      reverseDns: new ReverseDnsNames(() =>
        Promise.reject(new Deno.errors.NotCapable("Requires net access"))
      ),
      note: (line) => notes.push(line),
    });
    // Two refreshes started together share one run.
    const [a, b] = [lookups.refresh(devices, 200), lookups.refresh(devices, 200)];
    await Promise.all([a, b]);
    await lookups.refresh(devices, 300);
    assertEquals(notes, [
      'no neighbour table: Requires run access to "ip"',
      "no reverse DNS: Requires net access",
    ]);
    const cam = devices.list(300, undefined, lookups.extra).find((d) => d.id === "ip:192.168.1.9");
    assertEquals(cam?.name, "Garden camera");
  } finally {
    kv.close();
  }
});
