// decodePacket() at the IP layer and above: IPv4 options and fragments, IPv6
// extension headers, transports, IP in IP, and packets that lie about lengths.
// Everything goes through LinkType.RAW so that only the IP bytes matter.
import { assertEquals } from "@std/assert";
import { Decoded, LinkType } from "../../engine/mod.ts";
import {
  ACK,
  concat,
  decode,
  filler,
  GRE,
  ICMP,
  icmp,
  ICMPV6,
  IPIP,
  ipv4,
  IPV6,
  ipv6,
  type Ipv6Extension,
  SYN,
  TCP,
  tcp,
  tuple,
  UDP,
  udp,
} from "./_packets.ts";

const RAW = LinkType.RAW;
const A4 = { src: "10.0.0.1", dst: "10.0.0.2" };
const A6 = { src: "2001:db8::a", dst: "2001:db8::b" };
const UDP_53 = udp({ sport: 3333, dport: 53 }, filler(20));

Deno.test("decodePacket() skips IPv4 options to reach the ports", () => {
  for (const options of [[0x94, 4, 0, 0], new Array(40).fill(1)]) {
    const packet = ipv4({ ...A4, proto: UDP, options }, UDP_53);
    const { status, info } = decode(RAW, packet);
    assertEquals(status, Decoded.OK);
    assertEquals(tuple(info), "UDP 10.0.0.1:3333 > 10.0.0.2:53");
    assertEquals(info.payloadOffset, 20 + options.length + 8);
    assertEquals(info.payloadLength, 20);
  }
});

Deno.test("decodePacket() reads TCP flags and skips TCP options to the payload", () => {
  const packet = ipv4(
    { ...A4, proto: TCP },
    tcp({ sport: 1, dport: 2, flags: SYN | ACK, dataOffset: 32 }, filler(5)),
  );
  const { status, info } = decode(RAW, packet);
  assertEquals(status, Decoded.OK);
  assertEquals([info.srcPort, info.dstPort, info.tcpFlags], [1, 2, 0x12]);
  assertEquals([info.payloadOffset, info.payloadLength], [52, 5]);
});

Deno.test("decodePacket() gives ICMP, ICMPv6 and other protocols no ports", () => {
  const cases: [Uint8Array, string][] = [
    [ipv4({ ...A4, proto: ICMP }, icmp({ type: 8 })), "ICMP 10.0.0.1:0 > 10.0.0.2:0"],
    [
      ipv6({ ...A6, next: ICMPV6 }, icmp({ type: 128 })),
      "ICMPV6 [2001:db8::a]:0 > [2001:db8::b]:0",
    ],
    [ipv4({ ...A4, proto: GRE }, filler(24)), "47 10.0.0.1:0 > 10.0.0.2:0"],
    [ipv4({ ...A4, proto: 132 }, filler(24)), "132 10.0.0.1:0 > 10.0.0.2:0"], // SCTP
    [ipv6({ ...A6, next: 50 }, filler(24)), "50 [2001:db8::a]:0 > [2001:db8::b]:0"], // ESP
    [ipv6({ ...A6, next: 59 }, new Uint8Array()), "59 [2001:db8::a]:0 > [2001:db8::b]:0"], // none
  ];
  for (const [packet, expected] of cases) {
    const { status, info } = decode(RAW, packet);
    assertEquals(status, Decoded.OK, expected);
    assertEquals(tuple(info), expected);
  }
});

Deno.test("decodePacket() reads UDP-Lite ports like UDP's", () => {
  const { status, info } = decode(RAW, ipv4({ ...A4, proto: 136 }, UDP_53));
  assertEquals(status, Decoded.OK);
  assertEquals(tuple(info), "136 10.0.0.1:3333 > 10.0.0.2:53");
});

Deno.test("decodePacket() walks IPv6 hop-by-hop, routing, destination and AH headers", () => {
  const chains: Ipv6Extension[][] = [
    [{ type: "hop-by-hop" }],
    [{ type: "routing", extraUnits: 2 }],
    [{ type: "dest-opts", extraUnits: 1 }],
    [{ type: "ah", icvBytes: 12 }],
    [{ type: "hop-by-hop" }, { type: "dest-opts" }, { type: "routing", extraUnits: 3 }, {
      type: "ah",
      icvBytes: 16,
    }, { type: "dest-opts" }],
  ];
  for (const extensions of chains) {
    const packet = ipv6({ ...A6, next: UDP, extensions }, UDP_53);
    const { status, info } = decode(RAW, packet);
    const what = extensions.map((e) => e.type).join(", ");
    assertEquals(status, Decoded.OK, what);
    assertEquals(tuple(info), "UDP [2001:db8::a]:3333 > [2001:db8::b]:53", what);
    assertEquals(info.payloadOffset, packet.length - 20, what);
  }
});

Deno.test("decodePacket() reads a first IPv6 fragment's ports and not a later one's", () => {
  const first = ipv6({
    ...A6,
    next: UDP,
    extensions: [{ type: "fragment", offset: 0, more: true, id: 99 }],
  }, UDP_53);
  let { status, info } = decode(RAW, first);
  assertEquals(status, Decoded.OK);
  assertEquals(tuple(info), "UDP [2001:db8::a]:3333 > [2001:db8::b]:53");
  assertEquals([info.fragmentId, info.fragmentOffset, info.moreFragments], [99, 0, true]);

  const later = ipv6(
    {
      ...A6,
      next: UDP,
      extensions: [{ type: "hop-by-hop" }, { type: "fragment", offset: 1232, more: false, id: 99 }],
    },
    filler(30),
  );
  ({ status, info } = decode(RAW, later));
  assertEquals(status, Decoded.FRAGMENT);
  assertEquals(tuple(info), "UDP [2001:db8::a]:0 > [2001:db8::b]:0");
  assertEquals([info.fragmentId, info.fragmentOffset, info.moreFragments], [99, 1232, false]);
  assertEquals([info.payloadOffset, info.payloadLength], [40 + 8 + 8, 30]);
});

Deno.test("decodePacket() reads a first IPv4 fragment's ports and not a later one's", () => {
  let { status, info } = decode(RAW, ipv4({ ...A4, proto: UDP, id: 0x1234, mf: true }, UDP_53));
  assertEquals(status, Decoded.OK);
  assertEquals([info.srcPort, info.dstPort], [3333, 53]);
  assertEquals([info.fragmentId, info.fragmentOffset, info.moreFragments], [0x1234, 0, true]);

  ({ status, info } = decode(
    RAW,
    ipv4({ ...A4, proto: UDP, id: 0x1234, fragOffset: 1480 }, filler(100)),
  ));
  assertEquals(status, Decoded.FRAGMENT);
  assertEquals(tuple(info), "UDP 10.0.0.1:0 > 10.0.0.2:0");
  assertEquals([info.fragmentId, info.fragmentOffset, info.moreFragments], [0x1234, 1480, false]);
  assertEquals([info.payloadOffset, info.payloadLength], [20, 100]);
});

Deno.test("decodePacket() gives the inner addresses of 4in4, 6in4, 4in6 and 6in6", () => {
  const inner4 = ipv4({ src: "172.16.0.1", dst: "172.16.0.2", proto: UDP }, UDP_53);
  const inner6 = ipv6({ src: "fd00::1", dst: "fd00::2", next: UDP }, UDP_53);
  const cases: [string, Uint8Array, string][] = [
    ["4in4", ipv4({ ...A4, proto: IPIP }, inner4), "UDP 172.16.0.1:3333 > 172.16.0.2:53"],
    ["6in4", ipv4({ ...A4, proto: IPV6 }, inner6), "UDP [fd00::1]:3333 > [fd00::2]:53"],
    ["4in6", ipv6({ ...A6, next: IPIP }, inner4), "UDP 172.16.0.1:3333 > 172.16.0.2:53"],
    ["6in6", ipv6({ ...A6, next: IPV6 }, inner6), "UDP [fd00::1]:3333 > [fd00::2]:53"],
    [
      "6in6 after a destination header",
      ipv6({ ...A6, next: IPV6, extensions: [{ type: "dest-opts" }] }, inner6),
      "UDP [fd00::1]:3333 > [fd00::2]:53",
    ],
  ];
  for (const [what, packet, expected] of cases) {
    const { status, info } = decode(RAW, packet);
    assertEquals(status, Decoded.OK, what);
    assertEquals(tuple(info), expected, what);
    assertEquals(info.tunnelDepth, 1, what);
  }
});

/** `depth` IPv4-in-IPv4 headers (10.0.0.<n>, outermost n = depth - 1) around a UDP packet. */
function nested(depth: number): Uint8Array {
  let packet = ipv4({ src: "10.9.9.9", dst: "10.9.9.8", proto: UDP }, UDP_53);
  for (let n = 0; n < depth; n++) {
    const src = `10.0.${n >> 8}.${n & 255}`;
    packet = ipv4({
      src,
      dst: "10.1.0.1",
      proto: IPIP,
      totalLength: Math.min(65535, 20 + packet.length),
    }, packet);
  }
  return packet;
}

Deno.test("decodePacket() counts tunnel depth and stops unwrapping after 4 tunnels", () => {
  let { status, info } = decode(RAW, nested(3));
  assertEquals([status, info.tunnelDepth, tuple(info)], [
    Decoded.OK,
    3,
    "UDP 10.9.9.9:3333 > 10.9.9.8:53",
  ]);
  ({ status, info } = decode(RAW, nested(4)));
  assertEquals([status, info.tunnelDepth, tuple(info)], [
    Decoded.OK,
    4,
    "UDP 10.9.9.9:3333 > 10.9.9.8:53",
  ]);
  // Five tunnels: the fifth IP-in-IP header (10.0.0.0) is counted as it is.
  ({ status, info } = decode(RAW, nested(5)));
  assertEquals([status, info.tunnelDepth, tuple(info)], [
    Decoded.OK,
    4,
    "4 10.0.0.0:0 > 10.1.0.1:0",
  ]);
});

Deno.test("decodePacket() does not run out of stack on thousands of nested tunnels", () => {
  const packet = nested(3000); // 60 kB of IPv4 headers, each inside the one before
  const { status, info } = decode(RAW, packet);
  assertEquals([status, info.tunnelDepth, info.protocol], [Decoded.OK, 4, IPIP]);
});

Deno.test("decodePacket() keys short TCP and UDP headers with ports 0 and status OK", () => {
  const cases: [string, Uint8Array][] = [
    ["10-byte TCP", ipv4({ ...A4, proto: TCP }, tcp({ sport: 80, dport: 81 }).subarray(0, 10))],
    [
      "TCP data offset 16",
      ipv4({ ...A4, proto: TCP }, tcp({ sport: 80, dport: 81, dataOffset: 16 })),
    ],
    ["4-byte UDP", ipv4({ ...A4, proto: UDP }, UDP_53.subarray(0, 4))],
    ["empty UDP over IPv6", ipv6({ ...A6, next: UDP }, new Uint8Array())],
  ];
  for (const [what, packet] of cases) {
    const { status, info } = decode(RAW, packet);
    assertEquals(status, Decoded.OK, what);
    assertEquals([info.srcPort, info.dstPort, info.shortTransport], [0, 0, true], what);
  }
  const full = decode(RAW, ipv4({ ...A4, proto: UDP }, UDP_53)).info;
  assertEquals(full.shortTransport, false);
});

Deno.test("decodePacket() trusts a capture cut by the snapshot length, not a lying IP length", () => {
  const packet = ipv4({ ...A4, proto: UDP }, UDP_53);
  const cut = packet.subarray(0, 30);
  // Cut by the snapshot length: the wire length covers the IP length.
  let { status, info } = decode(RAW, cut, packet.length);
  assertEquals([status, info.srcPort, info.dstPort], [Decoded.OK, 3333, 53]);
  assertEquals(info.payloadLength, 2);
  // An IP length beyond where the frame ended on the wire is a lie.
  const long = ipv4({ ...A4, proto: UDP, totalLength: packet.length + 1 }, UDP_53);
  assertEquals(decode(RAW, long).status, Decoded.MALFORMED);
  assertEquals(decode(RAW, long, packet.length + 1).status, Decoded.OK);
  const long6 = ipv6({ ...A6, next: UDP, payloadLength: UDP_53.length + 8 }, UDP_53);
  assertEquals(decode(RAW, long6).status, Decoded.MALFORMED);
  // Total length 0 (TSO/GSO offload) and payload length 0 (jumbogram) trust the capture.
  ({ status, info } = decode(RAW, ipv4({ ...A4, proto: UDP, totalLength: 0 }, UDP_53)));
  assertEquals([status, info.payloadLength], [Decoded.OK, 20]);
  ({ status, info } = decode(RAW, ipv6({ ...A6, next: UDP, payloadLength: 0 }, UDP_53)));
  assertEquals([status, info.payloadLength], [Decoded.OK, 20]);
});

Deno.test("decodePacket() leaves Ethernet-style padding after the IPv4 length out of the payload", () => {
  const packet = concat(
    ipv4({ ...A4, proto: UDP }, udp({ sport: 1, dport: 2 }, filler(2))),
    new Uint8Array(16),
  );
  const { status, info } = decode(RAW, packet);
  assertEquals([status, info.payloadOffset, info.payloadLength], [Decoded.OK, 28, 2]);
});

Deno.test("decodePacket() says MALFORMED for impossible IP headers", () => {
  const cases: [string, Uint8Array][] = [
    ["version 5", ipv4({ ...A4, proto: UDP, version: 5 }, UDP_53)],
    ["version 0", new Uint8Array(40)],
    ["header length 16", ipv4({ ...A4, proto: UDP, headerLength: 16 }, UDP_53)],
    ["total length below the header", ipv4({ ...A4, proto: UDP, totalLength: 19 }, UDP_53)],
    [
      "seventeen extension headers",
      ipv6({ ...A6, next: UDP, extensions: new Array(17).fill({ type: "dest-opts" }) }, UDP_53),
    ],
  ];
  for (const [what, packet] of cases) {
    assertEquals(decode(RAW, packet).status, Decoded.MALFORMED, what);
  }
});

Deno.test("decodePacket() says TRUNCATED for IP headers cut short", () => {
  const v4 = ipv4({ ...A4, proto: UDP, options: [1, 1, 1, 1] }, UDP_53);
  const hop = ipv6({ ...A6, next: UDP, extensions: [{ type: "hop-by-hop" }] }, UDP_53);
  const frag = ipv6({
    ...A6,
    next: UDP,
    extensions: [{ type: "fragment", offset: 8, more: false }],
  }, UDP_53);
  const ah = ipv6({ ...A6, next: UDP, extensions: [{ type: "ah" }] }, UDP_53);
  const cases: [string, Uint8Array][] = [
    ["19 bytes of IPv4", v4.subarray(0, 19)],
    ["IPv4 options", v4.subarray(0, 22)],
    ["39 bytes of IPv6", hop.subarray(0, 39)],
    ["a hop-by-hop header", hop.subarray(0, 41)],
    ["a fragment header", frag.subarray(0, 45)],
    ["an AH header", ah.subarray(0, 41)],
    [
      "4in4's inner header",
      ipv4({ ...A4, proto: IPIP }, ipv4({ ...A4, proto: UDP }, UDP_53).subarray(0, 12)),
    ],
  ];
  for (const [what, packet] of cases) {
    // Cut by the snapshot length, so the lengths in the headers are not lies.
    assertEquals(decode(RAW, packet, 200).status, Decoded.TRUNCATED, what);
  }
});
