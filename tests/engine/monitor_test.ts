import { assert, assertEquals } from "@std/assert";
import { LanSubnets } from "../../engine/devices/mod.ts";
import { LinkType } from "../../engine/link_type.ts";
import { DeviceQuality } from "../../engine/meter/device_quality.ts";
import type { MinuteUsage } from "../../engine/meter/usage_types.ts";
import { Monitor } from "../../engine/monitor.ts";
import { ACK, ETH_IP4, ethernet, ipv4, prng, SYN, TCP, tcp, UDP, udp, view } from "./_packets.ts";

const ROUTER = "02:00:00:00:00:01", PHONE = "02:00:00:00:00:10", LAPTOP = "02:00:00:00:00:11";

/** A UDP frame whose wire length is `bytes` (42 bytes of headers, the rest payload). */
function frame(
  srcMac: string,
  dstMac: string,
  src: string,
  dst: string,
  bytes: number,
  [sport, dport] = [40000, 5000],
) {
  const payload = new Uint8Array(bytes - 42);
  return ethernet(
    dstMac,
    srcMac,
    ETH_IP4,
    ipv4({ src, dst, proto: UDP }, udp({ sport, dport }, payload)),
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

const A = "02:00:00:00:00:a0", B = "02:00:00:00:00:b0", C = "02:00:00:00:00:c0";

/** A monitor whose device table holds `maxDevices`, and the minutes it hands out. */
function small(maxDevices: number, offlineAfter?: number) {
  const minutes: [number, MinuteUsage[]][] = [];
  const monitor = new Monitor({
    linkType: LinkType.EN10MB,
    lan: new LanSubnets(["192.168.1.0/24"]),
    maxDevices,
    offlineAfter,
    onMinute: (start, usage) => minutes.push([start, usage]),
  });
  return { monitor, minutes };
}

/** Each minute entry as [device, id, up, down, local]. */
function rows(usage: MinuteUsage[]) {
  return usage.map((u) => [u.device, u.id, u.up, u.down, u.local]);
}

Deno.test("Monitor: a recycled index starts at zero; the forgotten device's bytes stay its own", () => {
  const { monitor, minutes } = small(2);
  feed(monitor, 1000.1, frame(A, ROUTER, "192.168.1.10", "8.8.8.8", 500));
  feed(monitor, 1000.2, frame(ROUTER, A, "8.8.8.8", "192.168.1.10", 1500));
  feed(monitor, 1001.0, frame(B, ROUTER, "192.168.1.11", "1.1.1.1", 300));
  feed(monitor, 1002.0, frame(B, ROUTER, "192.168.1.11", "1.1.1.1", 300));
  const a = monitor.devices.indexOf(`mac:${A}`);
  assertEquals(monitor.meter.device(a).totals.down, 1500);
  // C is new and the table is full: A, seen least recently, is forgotten and C gets its index.
  feed(monitor, 1003.0, frame(C, ROUTER, "192.168.1.12", "9.9.9.9", 400));
  assertEquals([monitor.devices.forgotten, monitor.devices.indexOf(`mac:${C}`)], [1, a]);
  const zeros = { up: 0, down: 0, local: 0 };
  const c = monitor.meter.device(a);
  assertEquals([c.totals.up, c.totals.down, c.totals.packetsDown], [0, 0, 0]);
  assertEquals([c.rate, c.windows["1m"], c.apps], [zeros, zeros, []]);
  // A's flow is still open: its later bytes are A's, not C's.
  feed(monitor, 1003.5, frame(ROUTER, A, "8.8.8.8", "192.168.1.10", 1000));
  feed(monitor, 1004.0, frame(C, ROUTER, "192.168.1.12", "9.9.9.9", 400));
  feed(monitor, 1005.0, frame(B, ROUTER, "192.168.1.11", "1.1.1.1", 300));
  assertEquals([monitor.meter.device(a).totals.up, monitor.meter.device(a).totals.down], [800, 0]);
  monitor.finish();
  const b = monitor.devices.indexOf(`mac:${B}`);
  assertEquals(minutes.map(([start]) => start), [960]);
  assertEquals(
    rows(minutes[0][1]).sort(),
    [
      [-1, `mac:${A}`, 500, 2500, 0], // before and after it was forgotten
      [a, `mac:${C}`, 800, 0, 0],
      [b, `mac:${B}`, 900, 0, 0],
    ].sort(),
  );
  const link = monitor.meter.link().totals;
  const sum = (k: "up" | "down") => minutes[0][1].reduce((n, u) => n + u[k], 0);
  assertEquals([sum("up"), sum("down")], [link.up, link.down]);
  assertEquals([link.up, link.down], [2200, 2500]);
});

Deno.test("Monitor: a forgotten device back within the minute has one entry with all its bytes", () => {
  const { monitor, minutes } = small(2);
  feed(monitor, 1000.1, frame(A, ROUTER, "192.168.1.10", "8.8.8.8", 500));
  feed(monitor, 1001.0, frame(B, ROUTER, "192.168.1.11", "1.1.1.1", 300));
  feed(monitor, 1002.0, frame(C, ROUTER, "192.168.1.12", "9.9.9.9", 400)); // forgets A
  feed(monitor, 1003.0, frame(A, ROUTER, "192.168.1.10", "8.8.4.4", 200)); // A again: forgets B
  feed(monitor, 1003.5, frame(A, ROUTER, "192.168.1.10", "8.8.8.8", 50)); // A's first flow
  monitor.finish();
  const a = monitor.devices.indexOf(`mac:${A}`), c = monitor.devices.indexOf(`mac:${C}`);
  assertEquals(monitor.devices.forgotten, 2);
  assertEquals(
    rows(minutes[0][1]).sort(),
    [
      [a, `mac:${A}`, 750, 0, 0],
      [c, `mac:${C}`, 400, 0, 0],
      [-1, `mac:${B}`, 300, 0, 0],
    ].sort(),
  );
  assertEquals(monitor.meter.device(a).totals.up, 200, "its new index counts from its return");
});

Deno.test("Monitor: a LAN flow keeps counting once in the link when one side is forgotten", () => {
  const { monitor, minutes } = small(2);
  feed(monitor, 1000.0, frame(A, B, "192.168.1.10", "192.168.1.11", 700)); // local A to B
  feed(monitor, 1001.0, frame(C, ROUTER, "192.168.1.12", "9.9.9.9", 100)); // forgets A
  feed(monitor, 1002.0, frame(B, A, "192.168.1.11", "192.168.1.10", 300, [5000, 40000])); // reply
  monitor.finish();
  const [b, c] = [B, C].map((mac) => monitor.devices.indexOf(`mac:${mac}`));
  assertEquals(
    rows(minutes[0][1]).sort(),
    [
      [b, `mac:${B}`, 0, 0, 1000],
      [c, `mac:${C}`, 100, 0, 0],
      [-1, `mac:${A}`, 0, 0, 1000],
    ].sort(),
  );
  assertEquals(monitor.meter.link().totals.local, 1000);
  assertEquals(monitor.meter.device(c).totals.local, 0);
});

/** A TCP segment from `src` to `dst` with sequence number `seq`. */
function segment(
  [srcMac, src, sport]: [string, string, number],
  [dstMac, dst, dport]: [string, string, number],
  flags: number,
  seq: number,
  payload = 0,
): Uint8Array {
  const segment = tcp({ sport, dport, flags }, new Uint8Array(payload));
  new DataView(segment.buffer).setUint32(4, seq);
  return ethernet(dstMac, srcMac, ETH_IP4, ipv4({ src, dst, proto: TCP }, segment));
}

Deno.test("Monitor: TCP quality of a forgotten device goes neither to its index's next device", () => {
  const { monitor } = small(2);
  const a: [string, string, number] = [A, "192.168.1.10", 50000];
  const server: [string, string, number] = [ROUTER, "93.184.216.34", 443];
  feed(monitor, 1000.00, segment(a, server, SYN, 100));
  feed(monitor, 1000.05, segment(server, a, SYN | ACK, 900));
  feed(monitor, 1000.06, segment(a, server, ACK, 101));
  feed(monitor, 1000.10, segment(server, a, ACK, 901, 1000));
  feed(monitor, 1000.20, segment(server, a, ACK, 901, 1000)); // a retransmission
  const index = monitor.devices.indexOf(`mac:${A}`);
  const before = monitor.quality.get(index);
  assertEquals([before.rttSamples > 0, before.segments, before.retransmits], [true, 2, 1]);
  feed(monitor, 1001.0, frame(B, ROUTER, "192.168.1.11", "1.1.1.1", 300));
  feed(monitor, 1002.0, frame(C, ROUTER, "192.168.1.12", "9.9.9.9", 400)); // forgets A
  assertEquals(monitor.devices.indexOf(`mac:${C}`), index);
  assertEquals(monitor.quality.get(index), new DeviceQuality().get(0), "C starts with nothing");
  feed(monitor, 1002.5, segment(server, a, ACK, 1901, 1000)); // A's connection goes on
  feed(monitor, 1002.6, segment(server, a, ACK, 1901, 1000));
  assertEquals([monitor.quality.get(index).segments, monitor.quality.get(index).retransmits], [
    0,
    0,
  ]);
});

Deno.test("Monitor: a device on one long flow stays online and is not the one forgotten", () => {
  const { monitor } = small(2, 300);
  feed(monitor, 1000, frame(A, ROUTER, "192.168.1.10", "8.8.8.8", 1000)); // opens A's download
  feed(monitor, 1000.5, frame(B, ROUTER, "192.168.1.11", "1.1.1.1", 100)); // B, once
  for (let t = 1001; t <= 1900; t += 10) {
    feed(monitor, t, frame(ROUTER, A, "8.8.8.8", "192.168.1.10", 1500));
  }
  const a = monitor.devices.indexOf(`mac:${A}`);
  monitor.advance(1901);
  const device = monitor.devices.device(a, 1901);
  assertEquals([device.firstSeen, device.lastSeen, device.online], [1000, 1891, true]);
  assertEquals(monitor.devices.device(monitor.devices.indexOf(`mac:${B}`), 1901).online, false);
  feed(monitor, 1902, frame(C, ROUTER, "192.168.1.12", "9.9.9.9", 100));
  assertEquals(monitor.devices.indexOf(`mac:${A}`), a, "B went, the busy device stayed");
  assertEquals(monitor.devices.indexOf(`mac:${B}`), -1);
});

Deno.test("Monitor: with devices forgotten all the time, every byte is in a minute under its own id", () => {
  const { monitor, minutes } = small(4);
  const random = prng(7);
  const macs = Array.from({ length: 12 }, (_, i) => `02:00:00:00:01:${(16 + i).toString(16)}`);
  const ip = (i: number) => `192.168.1.${20 + i}`;
  const want = new Map<string, number[]>(); // id -> [up, down, local]
  const count = (i: number, k: number, bytes: number) => {
    const id = `mac:${macs[i]}`;
    if (!want.has(id)) want.set(id, [0, 0, 0]);
    want.get(id)![k] += bytes;
  };
  let time = 5000, linkLocal = 0;
  for (let n = 0; n < 3000; n++) {
    time += random.int(400) / 1000; // about 10 minutes in all
    // Few ports, so flows are opened again and again while their devices come and go.
    const i = random.int(12), port = 40000 + random.int(3), bytes = 60 + random.int(1400);
    const kind = random.int(5), server = `203.0.113.${1 + random.int(3)}`;
    if (kind <= 1) {
      feed(monitor, time, frame(macs[i], ROUTER, ip(i), server, bytes, [port, 443]));
      count(i, 0, bytes);
    } else if (kind <= 3) {
      feed(monitor, time, frame(ROUTER, macs[i], server, ip(i), bytes, [443, port]));
      count(i, 1, bytes);
    } else {
      const j = (i + 1 + random.int(11)) % 12;
      feed(monitor, time, frame(macs[i], macs[j], ip(i), ip(j), bytes, [port, 445]));
      count(i, 2, bytes);
      count(j, 2, bytes);
      linkLocal += bytes;
    }
  }
  monitor.finish();
  assert(monitor.devices.forgotten > 500, `only ${monitor.devices.forgotten} forgotten`);
  const got = new Map<string, number[]>();
  for (const [, usage] of minutes) {
    const ids = new Set<string>();
    for (const u of usage) {
      assert(!ids.has(u.id!), `${u.id} twice in one minute`);
      ids.add(u.id!);
      const sums = got.get(u.id!) ?? [0, 0, 0];
      got.set(u.id!, [sums[0] + u.up, sums[1] + u.down, sums[2] + u.local]);
    }
  }
  assertEquals(new Map([...got].sort()), new Map([...want].sort()));
  const link = monitor.meter.link().totals;
  const total = (k: number) => [...want.values()].reduce((n, sums) => n + sums[k], 0);
  assertEquals([link.up, link.down, link.local], [total(0), total(1), linkLocal]);
});

Deno.test("Monitor tells of each second as it closes, and the meter reads that second's bytes", () => {
  const seconds: [number, [string, number, number][]][] = [];
  const monitor: Monitor = new Monitor({
    linkType: LinkType.EN10MB,
    lan: new LanSubnets(["192.168.1.0/24"]),
    onSecond: (second) => {
      const c = monitor.meter.closed, rows: [string, number, number][] = [];
      for (let i = 0; i < c.devices; i++) {
        const d = c.device(i);
        rows.push([monitor.devices.id(d), c.bytes(d, 1), c.bytes(d, 0)]);
      }
      seconds.push([second, rows]);
    },
  });
  feed(monitor, 1000.1, frame(PHONE, ROUTER, "192.168.1.10", "8.8.8.8", 100));
  feed(monitor, 1000.2, frame(ROUTER, PHONE, "8.8.8.8", "192.168.1.10", 300));
  assertEquals(seconds, []);
  feed(monitor, 1004.5, frame(LAPTOP, ROUTER, "192.168.1.11", "1.1.1.1", 64));
  monitor.advance(1005.2); // a quiet link: the live loop moves time on
  monitor.finish();
  assertEquals(seconds, [
    [1000, [[`mac:${PHONE}`, 300, 100]]],
    [1004, [[`mac:${LAPTOP}`, 0, 64]]],
    [1005, []],
  ]);
});

Deno.test("Monitor stays at maxFlows and maxDevices under churn, and meters every byte", () => {
  const minutes: MinuteUsage[][] = [];
  const monitor = new Monitor({
    linkType: LinkType.EN10MB,
    lan: new LanSubnets(["10.0.0.0/16"]),
    maxFlows: 64,
    maxDevices: 16,
    onMinute: (_, usage) => minutes.push(usage),
  });
  let time = 1000, sent = 0, largest = [0, 0];
  for (let i = 0; i < 64 * 3; i++) {
    // 48 devices over the run, each flow one datagram each way to its own server.
    const device = i % 48, mac = `02:00:00:00:00:${(0x20 + device).toString(16)}`;
    const ip = `10.0.1.${device + 2}`, server = `198.51.100.${i + 1}`;
    feed(monitor, time, frame(mac, ROUTER, ip, server, 100));
    feed(monitor, time + 0.001, frame(ROUTER, mac, server, ip, 300, [5000, 40000]));
    sent += 400;
    time += 0.5;
    largest = [
      Math.max(largest[0], monitor.tracker.table.size),
      Math.max(largest[1], monitor.devices.size),
    ];
  }
  assertEquals(largest, [64, 16]);
  assertEquals([monitor.tracker.table.evicted, monitor.devices.forgotten], [64 * 2, 48 * 4 - 16]);
  monitor.finish();
  const link = monitor.meter.link().totals;
  assertEquals(link.up + link.down, sent);
  const reported = minutes.flat().reduce((sum, u) => sum + u.up + u.down, 0);
  assertEquals(reported, sent, "every byte is in some minute");
});
