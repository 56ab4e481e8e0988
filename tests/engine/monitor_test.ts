import { assertEquals } from "@std/assert";
import { LanSubnets } from "../../engine/devices/mod.ts";
import { LinkType } from "../../engine/link_type.ts";
import type { MinuteUsage } from "../../engine/meter/usage_types.ts";
import { Monitor } from "../../engine/monitor.ts";
import { ETH_IP4, ethernet, ipv4, UDP, udp, view } from "./_packets.ts";

const ROUTER = "02:00:00:00:00:01", PHONE = "02:00:00:00:00:10", LAPTOP = "02:00:00:00:00:11";

/** A UDP frame whose wire length is `bytes` (42 bytes of headers, the rest payload). */
function frame(srcMac: string, dstMac: string, src: string, dst: string, bytes: number) {
  const payload = new Uint8Array(bytes - 42);
  return ethernet(
    dstMac,
    srcMac,
    ETH_IP4,
    ipv4({ src, dst, proto: UDP }, udp({ sport: 40000, dport: 5000 }, payload)),
  );
}

function feed(monitor: Monitor, time: number, bytes: Uint8Array): void {
  const sec = Math.floor(time);
  monitor.packet(view(bytes), 0, bytes.length, bytes.length, sec, Math.round((time - sec) * 1e9));
}

function home() {
  const minutes: [number, MinuteUsage[]][] = [];
  const monitor = new Monitor({
    linkType: LinkType.EN10MB,
    lan: new LanSubnets(["192.168.1.0/24"]),
    onMinute: (start, usage) => minutes.push([start, usage]),
  });
  feed(monitor, 1000.1, frame(PHONE, ROUTER, "192.168.1.10", "8.8.8.8", 100)); // up
  feed(monitor, 1000.2, frame(ROUTER, PHONE, "8.8.8.8", "192.168.1.10", 300)); // down
  feed(monitor, 1001.0, frame(PHONE, ROUTER, "192.168.1.20", "1.1.1.1", 1200)); // new IP, up
  feed(monitor, 1001.5, frame(LAPTOP, PHONE, "192.168.1.11", "192.168.1.20", 700)); // local
  feed(monitor, 1002.0, frame(PHONE, "01:00:5e:7f:ff:fa", "192.168.1.20", "239.255.255.250", 200));
  return { monitor, minutes };
}

Deno.test("Monitor meters each LAN device's upload, download and local traffic, not the router's", () => {
  const { monitor } = home();
  monitor.finish();
  assertEquals(monitor.devices.size, 2); // the router's MAC carries only outside addresses
  const phone = monitor.devices.indexOf(`mac:${PHONE}`),
    laptop = monitor.devices.indexOf(`mac:${LAPTOP}`);
  const totals = (d: number) => {
    const t = monitor.meter.device(d).totals;
    return [t.up, t.down, t.local];
  };
  assertEquals(totals(phone), [1300, 300, 900]);
  assertEquals(totals(laptop), [0, 0, 700]);
  const link = monitor.meter.link().totals;
  assertEquals([link.up, link.down, link.local], [1300, 300, 900]); // the LAN flow counted once
});

Deno.test("Monitor keeps a device's identity when its IP changes", () => {
  const { monitor } = home();
  const phone = monitor.devices.device(monitor.devices.indexOf(`mac:${PHONE}`), 1002);
  assertEquals(phone.addresses.toSorted(), ["192.168.1.10", "192.168.1.20"]);
});

Deno.test("Monitor hands over each minute as it closes, and the last one at finish()", () => {
  const { monitor, minutes } = home();
  assertEquals(minutes.length, 0);
  feed(monitor, 1061, frame(PHONE, ROUTER, "192.168.1.20", "1.1.1.1", 500));
  assertEquals(minutes.map(([start]) => start), [960]);
  const [, usage] = minutes[0];
  const byId = new Map(usage.map((u) => [monitor.devices.id(u.device), [u.up, u.down, u.local]]));
  assertEquals(byId.get(`mac:${PHONE}`), [1300, 300, 900]);
  assertEquals(byId.get(`mac:${LAPTOP}`), [0, 0, 700]);
  monitor.finish();
  assertEquals(minutes.map(([start]) => start), [960, 1020]);
  assertEquals(minutes[1][1].map((u) => u.up), [500]);
});
