// FlowNamer through FlowTracker, from hand-built frames: each case is one
// way a flow gets its name, app and category.
import { assertEquals } from "@std/assert";
import { type FlowRecord, FlowTracker, LinkType } from "../../engine/mod.ts";
import { defaultCatalogue } from "../../engine/catalogue/default.ts";
import {
  ACK,
  concat,
  ETH_IP4,
  ethernet,
  ipv4,
  MAC_A,
  MAC_B,
  SYN,
  TCP,
  tcp,
  u16,
  UDP,
  udp,
  view,
} from "./_packets.ts";

const text = (s: string) => new TextEncoder().encode(s);
const u24 = (n: number) => [n >> 16, (n >> 8) & 255, n & 255];

/** Frames from MAC_A (the client) or MAC_B, replayed one a second. */
function replay(frames: Uint8Array[]): { records: FlowRecord[]; tracker: FlowTracker } {
  const tracker = new FlowTracker({
    linkType: LinkType.EN10MB,
    maxFlows: 64,
    idleTimeout: Infinity,
    catalogue: defaultCatalogue(),
  });
  frames.forEach((f, i) => tracker.packet(view(f), 0, f.length, f.length, 1000 + i, 0));
  const records: FlowRecord[] = [];
  tracker.table.forEach((flow) => records.push(tracker.record(flow)));
  return { records, tracker };
}

function frame(src: string, dst: string, proto: number, l4: Uint8Array, fromClient = true) {
  const ip = ipv4({ src, dst, proto }, l4);
  return ethernet(fromClient ? MAC_B : MAC_A, fromClient ? MAC_A : MAC_B, ETH_IP4, ip);
}

function tlsClientHello(sni: string): Uint8Array {
  const name = [...text(sni)];
  const ext = [
    0,
    0,
    ...u16(name.length + 5),
    ...u16(name.length + 3),
    0,
    ...u16(name.length),
    ...name,
  ];
  const body = [
    3,
    3,
    ...new Array(32).fill(7),
    0,
    ...u16(2),
    0x13,
    0x01,
    1,
    0,
    ...u16(ext.length),
    ...ext,
  ];
  const hs = [1, ...u24(body.length), ...body];
  return Uint8Array.from([0x16, 3, 1, ...u16(hs.length), ...hs]);
}

function dnsQuery(name: string, type = 1): Uint8Array {
  const labels = name.split(".").flatMap((l) => [l.length, ...text(l)]);
  return concat(
    u16(0x1234),
    u16(0x0100),
    u16(1),
    u16(0),
    u16(0),
    u16(0),
    labels,
    [0],
    u16(type),
    u16(1),
  );
}

Deno.test("FlowNamer names a TLS flow whose capture starts at the server's SYN-ACK", () => {
  const { records } = replay([
    frame(
      "198.51.100.7",
      "192.168.1.20",
      TCP,
      tcp({ sport: 443, dport: 50000, flags: SYN | ACK }),
      false,
    ),
    frame(
      "192.168.1.20",
      "198.51.100.7",
      TCP,
      tcp({ sport: 50000, dport: 443 }, tlsClientHello("www.netflix.com")),
    ),
  ]);
  assertEquals(records.map((r) => [r.hostname, r.hostnameSource, r.app, r.category]), [
    ["www.netflix.com", "sni", "netflix", "Streaming"],
  ]);
});

Deno.test("FlowNamer classifies a DNSCrypt certificate query on port 443 as DNSCrypt", () => {
  const { records } = replay([
    frame(
      "192.168.1.20",
      "203.0.113.9",
      UDP,
      udp({ sport: 40000, dport: 443 }, dnsQuery("2.dnscrypt-cert.resolver.example", 16)),
    ),
  ]);
  assertEquals(records.map((r) => [r.hostname, r.app, r.category]), [
    ["2.dnscrypt-cert.resolver.example", "dnscrypt", "Network"],
  ]);
});

Deno.test("FlowNamer counts STUN to a messenger's servers as its calls, named by the realm", () => {
  const realm = [...text("telegram.org")];
  const stun = Uint8Array.from([
    0x01,
    0x13,
    ...u16(4 + realm.length),
    0x21,
    0x12,
    0xa4,
    0x42,
    ...new Array(12).fill(5),
    ...u16(0x0014),
    ...u16(realm.length),
    ...realm,
  ]);
  const { records } = replay([
    frame(
      "192.168.1.20",
      "91.108.9.35",
      UDP,
      udp({ sport: 40001, dport: 1400 }, new Uint8Array(24)),
    ),
    frame("91.108.9.35", "192.168.1.20", UDP, udp({ sport: 1400, dport: 40001 }, stun), false),
  ]);
  assertEquals(records.map((r) => [r.hostname, r.hostnameSource, r.app, r.category]), [
    ["telegram.org", "payload", "telegram", "VideoCalls"],
  ]);
});

Deno.test("FlowNamer names a DHCP request by option 12 and keeps device hints by MAC", () => {
  const dhcp = new Uint8Array(300);
  dhcp.set([1, 1, 6]);
  dhcp.set([2, 0, 0, 0, 0, 0x0a], 28); // chaddr
  dhcp.set([
    0x63,
    0x82,
    0x53,
    0x63,
    53,
    1,
    3,
    12,
    4,
    ...text("shen"),
    60,
    8,
    ...text("MSFT 5.0"),
    255,
  ], 236);
  const { records, tracker } = replay([
    frame("0.0.0.0", "255.255.255.255", UDP, udp({ sport: 68, dport: 67 }, dhcp)),
  ]);
  assertEquals(records.map((r) => [r.hostname, r.hostnameSource, r.app]), [[
    "shen",
    "dhcp",
    "dhcp",
  ]]);
  const hint = tracker.namer!.deviceHints.get("mac:02:00:00:00:00:0a");
  assertEquals([hint?.dhcpHostname, hint?.dhcpVendorClass], ["shen", "MSFT 5.0"]);
});

Deno.test("FlowNamer names a flow to an address after the DNS question that returned it", () => {
  const question = dnsQuery("video.example.org");
  const answer = concat(
    u16(0x1234),
    u16(0x8180),
    u16(1),
    u16(1),
    u16(0),
    u16(0),
    question.subarray(12),
    [0xc0, 12],
    u16(1),
    u16(1),
    [0, 0, 0, 60],
    u16(4),
    [203, 0, 113, 50],
  );
  const { records } = replay([
    frame("192.168.1.20", "192.168.1.1", UDP, udp({ sport: 40002, dport: 53 }, question)),
    frame("192.168.1.1", "192.168.1.20", UDP, udp({ sport: 53, dport: 40002 }, answer), false),
    frame("192.168.1.20", "203.0.113.50", TCP, tcp({ sport: 50001, dport: 8443, flags: SYN })),
  ]);
  assertEquals(records.map((r) => [r.server, r.hostname, r.hostnameSource, r.category]), [
    ["192.168.1.1:53", "video.example.org", "dns", "Network"],
    ["203.0.113.50:8443", "video.example.org", "dns", "Other"],
  ]);
});
