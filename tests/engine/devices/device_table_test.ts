import { assert, assertEquals, assertThrows } from "@std/assert";
import { DeviceHints } from "../../../engine/device_hints.ts";
import {
  DeviceTable,
  Direction,
  direction,
  LanSubnets,
  NotDevice,
  OuiTable,
} from "../../../engine/devices/mod.ts";
import { addr, DST, frame, NO_FRAME, SRC } from "./_frames.ts";

const LAPTOP = "a4:83:e7:01:02:03", PHONE = "3a:11:22:33:44:55", ROUTER = "3c:37:86:aa:bb:cc";
const lan = () => new LanSubnets(["192.168.1.0/24", "fd00:1::/64", "fe80::/10"]);
const table = (options = {}) => new DeviceTable({ lan: lan(), ...options });

/** resolve() for the source side of a frame from `mac` with source address `ip`. */
function from(t: DeviceTable, mac: string, ip: string, time = 0): number {
  return t.resolve(frame(mac, ROUTER), SRC, ...addr(ip), time);
}

Deno.test("DeviceTable.resolve() keeps a device's identity when its IP changes", () => {
  const t = table();
  const d = from(t, LAPTOP, "192.168.1.7", 10);
  assertEquals(from(t, LAPTOP, "192.168.1.7", 11), d);
  assertEquals(from(t, LAPTOP, "192.168.1.42", 20), d, "a new DHCP lease: the same device");
  assertEquals(t.size, 1);
  assertEquals(t.id(d), `mac:${LAPTOP}`);
  assertEquals(t.device(d, 20).addresses, ["192.168.1.42", "192.168.1.7"]);
});

Deno.test("DeviceTable.resolve() holds several IPv4 and IPv6 addresses on one device", () => {
  const t = table();
  const d = from(t, LAPTOP, "192.168.1.7", 1);
  for (const [i, ip] of ["fe80::a683:e7ff:fe01:203", "fd00:1::7", "192.168.1.8"].entries()) {
    assertEquals(from(t, LAPTOP, ip, 2 + i), d);
  }
  assertEquals(t.device(d, 5).addresses, [
    "192.168.1.8",
    "192.168.1.7",
    "fd00:1::7",
    "fe80::a683:e7ff:fe01:203",
  ]);
});

Deno.test("DeviceTable.resolve() keeps the 8 most recently seen addresses per family", () => {
  const t = table();
  const d = from(t, LAPTOP, "192.168.1.1", 0);
  for (let i = 2; i <= 9; i++) from(t, LAPTOP, `192.168.1.${i}`, i);
  from(t, LAPTOP, "192.168.1.3", 10); // seen again: not the one to drop
  from(t, LAPTOP, "192.168.1.10", 11);
  const addresses = t.device(d, 11).addresses;
  assertEquals(addresses.length, 8);
  assertEquals(addresses.slice(0, 2), ["192.168.1.10", "192.168.1.3"]);
  assert(!addresses.includes("192.168.1.1") && !addresses.includes("192.168.1.2"));
  // A dropped address is no longer the device's: without Ethernet it is a device of its own.
  assertEquals(t.resolve(NO_FRAME, -1, ...addr("192.168.1.9"), 12), d);
  assert(t.resolve(NO_FRAME, -1, ...addr("192.168.1.1"), 12) !== d);
});

Deno.test("DeviceTable.resolve() moves an address to the device now using it", () => {
  const t = table();
  const laptop = from(t, LAPTOP, "192.168.1.7", 1);
  const phone = from(t, PHONE, "192.168.1.7", 2); // the lease went to the phone
  assert(laptop !== phone);
  assertEquals(t.device(laptop, 2).addresses, []);
  assertEquals(t.device(phone, 2).addresses, ["192.168.1.7"]);
  assertEquals(t.resolve(NO_FRAME, -1, ...addr("192.168.1.7"), 3), phone);
});

Deno.test("DeviceTable.resolve() identifies devices by IP without Ethernet", () => {
  const t = table();
  const a = t.resolve(NO_FRAME, -1, ...addr("192.168.1.7"), 1);
  const b = t.resolve(NO_FRAME, -1, ...addr("fd00:1::7"), 2);
  assertEquals(t.resolve(NO_FRAME, -1, ...addr("192.168.1.7"), 3), a);
  assertEquals(t.resolve(NO_FRAME, -7, ...addr("fd00:1::7"), 4), b, "any negative offset: no MAC");
  assertEquals([t.id(a), t.id(b)], ["ip:192.168.1.7", "ip:fd00:1::7"]);
  assertEquals(t.indexOf("ip:FD00:1:0:0::7"), b);
  assertEquals(t.device(a, 3).mac, null);
  // An all-zero MAC (loopback, synthetic captures) identifies nothing either.
  const zero = frame("00:00:00:00:00:00", ROUTER);
  assertEquals(t.resolve(zero, SRC, ...addr("192.168.1.7"), 5), a);
});

Deno.test("DeviceTable.resolve(): the router's MAC with outside IPs is not a device, its LAN IP is", () => {
  const t = table();
  // Download: from the router's MAC with a server's address, to the laptop.
  const down = frame(ROUTER, LAPTOP);
  const server = t.resolve(down, SRC, ...addr("142.250.75.14"), 1);
  const laptop = t.resolve(down, DST, ...addr("192.168.1.7"), 1);
  assertEquals(server, NotDevice.OUTSIDE);
  assertEquals(t.resolve(down, SRC, ...addr("2a00:1450:4007::200e"), 1), NotDevice.OUTSIDE);
  assertEquals(t.size, 1);
  assertEquals(direction(server, laptop), Direction.DOWN);
  // The router answering DNS from its own LAN address is an ordinary device.
  const router = t.resolve(down, SRC, ...addr("192.168.1.1"), 2);
  assert(router >= 0 && router !== laptop);
  assertEquals(t.device(router, 2).addresses, ["192.168.1.1"]);
  assertEquals(t.resolve(down, SRC, ...addr("8.8.8.8"), 3), NotDevice.OUTSIDE);
  assertEquals(t.device(router, 3).addresses, ["192.168.1.1"], "outside addresses are not learned");
});

Deno.test("DeviceTable.resolve(): multicast, broadcast and unspecified sides are not devices", () => {
  const t = table();
  const f = frame(LAPTOP, ROUTER);
  for (
    const ip of [
      "224.0.0.251",
      "239.255.255.250",
      "255.255.255.255",
      "0.0.0.0",
      "192.168.1.255",
      "ff02::fb",
      "::",
    ]
  ) {
    assertEquals(t.resolve(f, DST, ...addr(ip), 1), NotDevice.NONE, ip);
  }
  // A LAN address in a frame to a group MAC (broadcast, IPv4 or IPv6 multicast MACs).
  for (const mac of ["ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:fb", "33:33:00:00:00:01"]) {
    assertEquals(t.resolve(frame(LAPTOP, mac), DST, ...addr("192.168.1.9"), 1), NotDevice.NONE);
  }
  assertEquals(t.resolve(f, SRC, 0, [0, 0, 0, 0], 1), NotDevice.NONE, "not IP");
  assertEquals(t.size, 0);
  // DHCP: the client's discover from 0.0.0.0 to the broadcast address names no device.
  assertEquals(direction(t.resolve(f, SRC, ...addr("0.0.0.0"), 1), NotDevice.NONE), -1);
});

Deno.test("direction() tells upload, download and local traffic apart", () => {
  const t = table();
  const up = frame(LAPTOP, ROUTER);
  const laptop = t.resolve(up, SRC, ...addr("192.168.1.7"), 1);
  const server = t.resolve(up, DST, ...addr("151.101.1.69"), 1);
  assertEquals(direction(laptop, server), Direction.UP);
  assertEquals(direction(server, laptop), Direction.DOWN);
  const local = frame(LAPTOP, PHONE);
  const phone = t.resolve(local, DST, ...addr("192.168.1.20"), 1);
  assertEquals(direction(laptop, phone), Direction.LOCAL);
  const mdns = t.resolve(local, DST, ...addr("224.0.0.251"), 1);
  assertEquals(direction(laptop, mdns), Direction.LOCAL, "mDNS chatter is not an upload");
  assertEquals(direction(NotDevice.OUTSIDE, NotDevice.OUTSIDE), -1);
  assertEquals(Direction, { UP: 0, DOWN: 1, LOCAL: 2 });
});

Deno.test("DeviceTable.device() is online until offlineAfter seconds without traffic", () => {
  const t = table({ offlineAfter: 60 });
  const d = from(t, LAPTOP, "192.168.1.7", 100);
  from(t, LAPTOP, "192.168.1.7", 90); // a late packet: lastSeen never goes back
  const at = (now: number) => t.device(d, now);
  assertEquals([at(100).firstSeen, at(100).lastSeen], [90, 100]);
  assertEquals([at(100).online, at(160).online, at(160.5).online], [true, true, false]);
  from(t, LAPTOP, "192.168.1.7", 200);
  assertEquals(at(200).online, true);
  assertEquals(new DeviceTable({ lan: lan() }).offlineAfter, 300);
  assertThrows(() => table({ offlineAfter: 0 }), RangeError, "offlineAfter");
});

Deno.test("DeviceTable forgets the least recently seen device past maxDevices", () => {
  const forgotten: [number, string][] = [];
  const t = table({ maxDevices: 2, onForget: (i: number, id: string) => forgotten.push([i, id]) });
  const a = from(t, "02:00:00:00:00:0a", "192.168.1.10", 1);
  const b = from(t, "02:00:00:00:00:0b", "192.168.1.11", 2);
  from(t, "02:00:00:00:00:0a", "192.168.1.10", 3); // a is seen again: b is now the oldest
  const generation = t.generation(b);
  const c = from(t, "02:00:00:00:00:0c", "192.168.1.12", 4);
  assertEquals(c, b, "the forgotten device's index is reused");
  assertEquals(t.generation(c), generation + 1);
  assertEquals(forgotten, [[b, "mac:02:00:00:00:00:0b"]]);
  assertEquals([t.size, t.forgotten], [2, 1]);
  assertEquals(t.indexOf("mac:02:00:00:00:00:0b"), -1);
  assertEquals(t.list(4).map((d) => d.id), ["mac:02:00:00:00:00:0a", "mac:02:00:00:00:00:0c"]);
  // Its address went with it: without Ethernet, 192.168.1.11 is a new device.
  const ip = t.resolve(NO_FRAME, -1, ...addr("192.168.1.11"), 5);
  assertEquals(t.id(ip), "ip:192.168.1.11");
  assertEquals(t.indexOf("mac:02:00:00:00:00:0a"), -1);
  assertEquals(t.id(a), "ip:192.168.1.11");
  assertThrows(() => table({ maxDevices: 0 }), RangeError, "maxDevices");
});

Deno.test("DeviceTable.touch() moves lastSeen on and keeps a busy device from being forgotten", () => {
  const forgotten: string[] = [];
  const t = table({
    maxDevices: 2,
    offlineAfter: 300,
    onForget: (_: number, id: string) => forgotten.push(id),
  });
  const busy = from(t, "02:00:00:00:00:0a", "192.168.1.10", 0); // opens its one long flow
  from(t, "02:00:00:00:00:0b", "192.168.1.11", 5); // seen once
  for (let time = 10; time <= 900; time += 10) t.touch(busy, time); // the flow's bytes, each second
  t.touch(busy, 450); // a late report: lastSeen never goes back
  const device = t.device(busy, 900);
  assertEquals([device.firstSeen, device.lastSeen, device.online], [0, 900, true]);
  assertEquals(t.device(busy, 1201).online, false);
  // The quiet device is now the least recently seen: it goes, not the busy one.
  from(t, "02:00:00:00:00:0c", "192.168.1.12", 901);
  assertEquals(forgotten, ["mac:02:00:00:00:00:0b"]);
  assertEquals(t.indexOf("mac:02:00:00:00:00:0a"), busy);
  assertThrows(() => t.touch(2, 1), RangeError, "no device 2");
  assertThrows(() => t.touch(-1, 1), RangeError);
  assertThrows(() => t.touch(0.5, 1), RangeError);
  assertThrows(() => t.touch(busy, NaN), RangeError, "touch()");
  assertThrows(() => t.touch(busy, -1), RangeError);
});

Deno.test("DeviceTable grows past its first slots and finds every device again", () => {
  const t = table({ maxDevices: 1000 });
  const indexes = new Map<string, number>();
  for (let i = 0; i < 1000; i++) {
    const mac = `02:00:00:00:${(i >> 8).toString(16).padStart(2, "0")}:${
      (i & 255).toString(16).padStart(2, "0")
    }`;
    indexes.set(mac, from(t, mac, `fd00:1::${i.toString(16)}`, i));
  }
  assertEquals(t.size, 1000);
  for (const [mac, index] of indexes) assertEquals(t.indexOf(`mac:${mac}`), index);
  for (let i = 0; i < 1000; i++) {
    assertEquals(t.resolve(NO_FRAME, -1, ...addr(`fd00:1::${i.toString(16)}`), 2000), i);
  }
});

Deno.test("DeviceTable.device() names a device by its label, then its hints", () => {
  const t = table();
  const d = from(t, LAPTOP, "192.168.1.7", 1);
  const hints = new DeviceHints();
  hints.note(`mac:${LAPTOP}`, "mdnsName", "Lucas-MacBook", 1);
  assertEquals(pick(t.device(d, 1, hints)), ["Lucas-MacBook", "mdns"]);
  hints.note(`mac:${LAPTOP}`, "dhcpHostname", "lucas-mbp", 1);
  assertEquals(pick(t.device(d, 1, hints)), ["lucas-mbp", "dhcp"]);
  t.setLabel(`mac:${LAPTOP.toUpperCase()}`, "  Lucas's laptop ");
  assertEquals(pick(t.device(d, 1, hints)), ["Lucas's laptop", "label"]);
  assertEquals(t.device(d, 1).label, "Lucas's laptop");
  t.setLabel(`mac:${LAPTOP}`, null);
  assertEquals(pick(t.device(d, 1, hints)), ["lucas-mbp", "dhcp"]);
  assertThrows(() => t.setLabel("laptop", "x"), TypeError, '"laptop" is not');
});

Deno.test("DeviceTable.device() falls back to reverse DNS, then the neighbour table", () => {
  const t = table();
  const d = t.resolve(NO_FRAME, -1, ...addr("192.168.1.7"), 1);
  const neighbours = [{ ip: "192.168.1.7", mac: LAPTOP, name: "laptop.fritz.box" }];
  assertEquals(pick(t.device(d, 1, undefined, { neighbours })), ["laptop.fritz.box", "neighbour"]);
  const reverseDns = new Map([["192.168.1.7", "lucas-mbp.lan."]]);
  assertEquals(pick(t.device(d, 1, undefined, { neighbours, reverseDns })), [
    "lucas-mbp.lan",
    "rdns",
  ]);
  // The device had no MAC: the neighbour table gave it one, and with it a vendor.
  const oui = OuiTable.fromData({
    version: 1,
    source: "t",
    vendors: ["Apple, Inc."],
    prefixes: "A483E7",
    index: "000",
  });
  const withOui = new DeviceTable({ lan: lan(), oui });
  const e = withOui.resolve(NO_FRAME, -1, ...addr("192.168.1.7"), 1);
  assertEquals([
    withOui.device(e, 1, undefined, { neighbours }).mac,
    withOui.device(e, 1, undefined, { neighbours }).vendor,
  ], [LAPTOP, "Apple, Inc."]);
  assertEquals(pick(t.device(d, 1)), [null, null]);
});

Deno.test("DeviceTable.device() finds an IP device's DHCP hints by the address it used", () => {
  const t = table();
  const d = t.resolve(NO_FRAME, -1, ...addr("192.168.1.7"), 1);
  const hints = new DeviceHints();
  hints.note(`mac:${PHONE}`, "dhcpHostname", "pixel-8", 1);
  hints.note(`mac:${PHONE}`, "ip", "192.168.1.7", 1);
  hints.note("ip:192.168.1.7", "netbiosName", "PIXEL", 1);
  assertEquals(pick(t.device(d, 1, hints)), ["pixel-8", "dhcp"]);
  assertEquals(t.list(1, hints).map(pick), [["pixel-8", "dhcp"]]);
});

Deno.test("DeviceTable.device() reports the vendor, or flags a randomized MAC", () => {
  const oui = OuiTable.fromData({
    version: 1,
    source: "t",
    vendors: ["Cisco Systems, Inc"],
    prefixes: "00000C",
    index: "000",
  });
  const t = table({ oui });
  const cisco = t.device(from(t, "00:00:0c:12:34:56", "192.168.1.2"), 0);
  assertEquals([cisco.vendor, cisco.randomMac], ["Cisco Systems, Inc", false]);
  const unknown = t.device(from(t, "a4:83:e7:01:02:03", "192.168.1.3"), 0);
  assertEquals([unknown.vendor, unknown.randomMac], [null, false]);
  const random = t.device(from(t, PHONE, "192.168.1.4"), 0);
  assertEquals([random.vendor, random.randomMac, random.mac], [null, true, PHONE]);
  // 02:00:0c... sets the local bit over Cisco's OUI: no vendor all the same.
  const local = t.device(from(t, "02:00:0c:12:34:56", "192.168.1.5"), 0);
  assertEquals([local.vendor, local.randomMac], [null, true]);
});

Deno.test("DeviceTable.learnNeighbours() gives an IP device a MAC and keeps its id", () => {
  const t = table();
  const ipOnly = t.resolve(NO_FRAME, -1, ...addr("192.168.1.7"), 1);
  const laptop = from(t, LAPTOP, "192.168.1.8", 1);
  t.learnNeighbours([
    { ip: "192.168.1.7", mac: PHONE },
    { ip: "fd00:1::8", mac: LAPTOP }, // an address the laptop has not used yet
    { ip: "10.0.0.1", mac: ROUTER }, // off the LAN: ignored
  ], 50);
  assertEquals(t.id(ipOnly), "ip:192.168.1.7");
  assertEquals(t.device(ipOnly, 50).mac, PHONE);
  assertEquals(t.device(laptop, 50).addresses, ["192.168.1.8", "fd00:1::8"]);
  assertEquals(t.device(laptop, 50).lastSeen, 1, "a neighbour table is not traffic");
  assertEquals(t.size, 2);
  assertThrows(() => t.learnNeighbours([{ ip: "x", mac: PHONE }], 1), TypeError, "neighbour");
});

Deno.test("DeviceTable.id() and generation() throw a RangeError for an unknown index", () => {
  const t = table();
  assertThrows(() => t.id(0), RangeError, "no device 0");
  from(t, LAPTOP, "192.168.1.7");
  assertThrows(() => t.device(1, 0), RangeError, "no device 1");
  assertThrows(() => t.generation(-1), RangeError);
  assertThrows(() => t.generation(1), RangeError, "no device 1");
  assertThrows(() => t.generation(0.5), RangeError);
  assertThrows(() => t.generation("0" as unknown as number), RangeError);
  assertEquals(t.generation(0), 0);
  assertEquals(t.indexOf("nonsense"), -1);
  assertThrows(() => new DeviceTable({} as never), TypeError, "LanSubnets");
});

function pick(
  d: { name: string | null; nameSource: string | null },
): [string | null, string | null] {
  return [d.name, d.nameSource];
}

Deno.test("DeviceTable.device() matches a MAC device's neighbour entry by MAC only", () => {
  const t = table();
  const d = from(t, LAPTOP, "192.168.1.7", 1);
  // A stale entry: the address was another host's when the table was read.
  const stale = [{ ip: "192.168.1.7", mac: PHONE, name: "old-phone.lan" }];
  assertEquals(pick(t.device(d, 1, undefined, { neighbours: stale })), [null, null]);
  const own = [...stale, { ip: "192.168.1.9", mac: LAPTOP, name: "laptop.lan" }];
  assertEquals(pick(t.device(d, 1, undefined, { neighbours: own })), ["laptop.lan", "neighbour"]);
});

Deno.test("DeviceTable.revision moves when a device's addresses change, not when it is seen again", () => {
  const t = table();
  const d = from(t, LAPTOP, "192.168.1.7", 1);
  const first = t.revision;
  from(t, LAPTOP, "192.168.1.7", 2);
  assertEquals(t.revision, first, "the same address seen again");
  from(t, LAPTOP, "192.168.1.8", 3);
  assert(t.revision > first, "a new address");
  const second = t.revision;
  from(t, PHONE, "192.168.1.8", 4);
  assert(t.revision > second, "an address moving to another device");
  assertEquals(t.addressesOf(d), { mac: LAPTOP, addresses: ["192.168.1.7"] });
  assertThrows(() => t.addressesOf(9), RangeError, "no device 9");
});

Deno.test("DeviceTable stays at maxDevices under churn: 3x as many devices, the oldest forgotten", () => {
  const max = 32, forgotten: [number, string][] = [];
  const t = table({
    maxDevices: max,
    onForget: (i: number, id: string) => forgotten.push([i, id]),
  });
  const mac = (i: number) => `02:00:00:00:01:${i.toString(16).padStart(2, "0")}`;
  let largest = 0;
  for (let i = 0; i < max * 3; i++) {
    // Each device with an IPv4 and an IPv6 address, so both address maps churn too.
    const d = from(t, mac(i), `192.168.1.${i + 2}`, 10 + i);
    assertEquals(from(t, mac(i), `fd00:1::${(i + 2).toString(16)}`, 10 + i), d);
    assert(d >= 0 && d < max, `index ${d} is a slot of the table`);
    largest = Math.max(largest, t.size);
  }
  assertEquals([largest, t.size, t.forgotten, forgotten.length], [max, max, max * 2, max * 2]);
  assertEquals(forgotten.slice(0, 2).map(([, id]) => id), [`mac:${mac(0)}`, `mac:${mac(1)}`]);
  // The forgotten are gone by id and by address; the last `max` are all there.
  assertEquals(t.indexOf(`mac:${mac(0)}`), -1);
  const survivor = t.indexOf(`mac:${mac(max * 2)}`);
  assert(survivor >= 0);
  assertEquals(t.device(survivor, 200).addresses, [`192.168.1.${max * 2 + 2}`, "fd00:1::42"]);
  assertEquals(t.list(200).length, max);
  // An address a forgotten device held goes to whoever sends from it next.
  const d = from(t, "02:00:00:00:02:01", "192.168.1.2", 300);
  assertEquals(t.device(d, 300).addresses, ["192.168.1.2"]);
});
