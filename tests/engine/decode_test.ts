// decodePacket() over every link type it reads, and what it says about frames
// that are not IP, cut short or nonsense at the link layer. The IP layer
// (options, extension headers, tunnels, transports) is in decode_ip_test.ts.
import { assertEquals } from "@std/assert";
import { Decoded, decodePacket, LinkType, PacketInfo } from "../../engine/mod.ts";
import {
  ciscoHdlc,
  concat,
  decode,
  ETH_ARP,
  ETH_IP4,
  ETH_IP6,
  ETH_MPLS,
  ETH_PPPOE,
  ETH_VLAN,
  ethernet,
  filler,
  ipv4,
  ipv6,
  linuxSll,
  linuxSll2,
  llcSnap,
  loop,
  mac,
  MAC_A,
  MAC_B,
  mpls,
  nullLink,
  ppi,
  ppp,
  pppoe,
  raw,
  TCP,
  tcp,
  tuple,
  u16,
  UDP,
  udp,
} from "./_packets.ts";

const V4 = ipv4(
  { src: "192.0.2.1", dst: "198.51.100.2", proto: TCP },
  tcp({ sport: 40000, dport: 443 }, filler(12)),
);
const V4_TUPLE = "TCP 192.0.2.1:40000 > 198.51.100.2:443";
const V6 = ipv6(
  { src: "2001:db8::1", dst: "2001:db8::2", next: UDP },
  udp({ sport: 5353, dport: 53 }, filler(10)),
);
const V6_TUPLE = "UDP [2001:db8::1]:5353 > [2001:db8::2]:53";
const PPP_IP4 = 0x0021, PPP_IP6 = 0x0057;
/** An Ethernet frame from MAC_A to MAC_B. */
const eth = (type: number, payload: Uint8Array, vlans: number[] = []) =>
  ethernet(MAC_B, MAC_A, type, payload, vlans);

/** [what, link type, frame, expected tuple, expected VLAN id]. */
const READABLE: [string, number, Uint8Array, string, number][] = [
  ["Ethernet IPv4", LinkType.EN10MB, eth(ETH_IP4, V4), V4_TUPLE, 0],
  ["Ethernet IPv6", LinkType.EN10MB, eth(ETH_IP6, V6), V6_TUPLE, 0],
  ["an 802.1Q tag", LinkType.EN10MB, eth(ETH_IP4, V4, [100]), V4_TUPLE, 100],
  ["QinQ tags", LinkType.EN10MB, eth(ETH_IP6, V6, [100, 200]), V6_TUPLE, 200],
  [
    "an old-style 0x9100 QinQ outer tag",
    LinkType.EN10MB,
    concat(mac(MAC_B), mac(MAC_A), u16(0x9100), u16(7), u16(ETH_VLAN), u16(42), u16(ETH_IP4), V4),
    V4_TUPLE,
    42,
  ],
  ["MPLS", LinkType.EN10MB, eth(ETH_MPLS, mpls([16, 17], V4)), V4_TUPLE, 0],
  ["multicast MPLS", LinkType.EN10MB, eth(0x8848, mpls([3], V6)), V6_TUPLE, 0],
  [
    "MPLS in a VLAN",
    LinkType.EN10MB,
    eth(ETH_MPLS, mpls([5], V4), [9]),
    V4_TUPLE,
    9,
  ],
  [
    "PPPoE IPv4",
    LinkType.EN10MB,
    eth(ETH_PPPOE, pppoe(1, PPP_IP4, V4)),
    V4_TUPLE,
    0,
  ],
  [
    "PPPoE IPv6",
    LinkType.EN10MB,
    eth(ETH_PPPOE, pppoe(1, PPP_IP6, V6)),
    V6_TUPLE,
    0,
  ],
  [
    "802.3 LLC/SNAP",
    LinkType.EN10MB,
    eth(V4.length + 8, llcSnap(ETH_IP4, V4)),
    V4_TUPLE,
    0,
  ],
  ["Linux cooked IPv4", LinkType.LINUX_SLL, linuxSll(ETH_IP4, V4), V4_TUPLE, 0],
  ["Linux cooked outgoing IPv6", LinkType.LINUX_SLL, linuxSll(ETH_IP6, V6, 4), V6_TUPLE, 0],
  [
    "Linux cooked 802.1Q",
    LinkType.LINUX_SLL,
    linuxSll(ETH_VLAN, concat(u16(5), u16(ETH_IP4), V4)),
    V4_TUPLE,
    5,
  ],
  ["Linux cooked v2 IPv4", LinkType.LINUX_SLL2, linuxSll2(ETH_IP4, V4), V4_TUPLE, 0],
  ["Linux cooked v2 IPv6", LinkType.LINUX_SLL2, linuxSll2(ETH_IP6, V6), V6_TUPLE, 0],
  ["NULL little-endian AF_INET", LinkType.NULL, nullLink(2, V4, true), V4_TUPLE, 0],
  ["NULL big-endian AF_INET", LinkType.NULL, nullLink(2, V4, false), V4_TUPLE, 0],
  ["NULL AF_INET6 of NetBSD (24)", LinkType.NULL, nullLink(24, V6), V6_TUPLE, 0],
  ["NULL AF_INET6 of FreeBSD (28)", LinkType.NULL, nullLink(28, V6), V6_TUPLE, 0],
  ["NULL big-endian AF_INET6 of macOS (30)", LinkType.NULL, nullLink(30, V6, false), V6_TUPLE, 0],
  ["NULL AF_INET6 of Linux (10)", LinkType.NULL, nullLink(10, V6), V6_TUPLE, 0],
  ["LOOP AF_INET", LinkType.LOOP, loop(2, V4), V4_TUPLE, 0],
  ["LOOP AF_INET6", LinkType.LOOP, loop(24, V6), V6_TUPLE, 0],
  ["RAW IPv4", LinkType.RAW, raw(V4), V4_TUPLE, 0],
  ["RAW IPv6", LinkType.RAW, raw(V6), V6_TUPLE, 0],
  ["BSD RAW (12)", LinkType.RAW_BSD, raw(V4), V4_TUPLE, 0],
  ["OpenBSD RAW (14)", LinkType.RAW_OPENBSD, raw(V6), V6_TUPLE, 0],
  ["IPV4", LinkType.IPV4, raw(V4), V4_TUPLE, 0],
  ["IPV6", LinkType.IPV6, raw(V6), V6_TUPLE, 0],
  ["PPP with ff03", LinkType.PPP, ppp(PPP_IP4, V4), V4_TUPLE, 0],
  ["PPP without ff03", LinkType.PPP, ppp(PPP_IP6, V6, { addressControl: false }), V6_TUPLE, 0],
  [
    "PPP with a compressed protocol",
    LinkType.PPP,
    ppp(0x21, V4, { compressed: true }),
    V4_TUPLE,
    0,
  ],
  ["PPP_SERIAL", LinkType.PPP_SERIAL, ppp(PPP_IP4, V4), V4_TUPLE, 0],
  ["PPP holding Cisco HDLC 0x0f", LinkType.PPP, ciscoHdlc(ETH_IP4, V4), V4_TUPLE, 0],
  ["PPP holding Cisco HDLC 0x8f", LinkType.PPP_SERIAL, ciscoHdlc(ETH_IP6, V6, 0x8f), V6_TUPLE, 0],
  ["PPP_ETHER", LinkType.PPP_ETHER, pppoe(3, PPP_IP4, V4), V4_TUPLE, 0],
  ["C_HDLC IPv4", LinkType.C_HDLC, ciscoHdlc(ETH_IP4, V4), V4_TUPLE, 0],
  ["C_HDLC IPv6", LinkType.C_HDLC, ciscoHdlc(ETH_IP6, V6), V6_TUPLE, 0],
  [
    "PPI holding Ethernet",
    LinkType.PPI,
    ppi(1, eth(ETH_IP4, V4, [8])),
    V4_TUPLE,
    8,
  ],
  [
    "a 32-byte PPI header",
    LinkType.PPI,
    ppi(1, eth(ETH_IP6, V6), 32),
    V6_TUPLE,
    0,
  ],
];

for (const [what, linkType, frame, expected, vlan] of READABLE) {
  Deno.test(`decodePacket() reads ${what}`, () => {
    const { status, info } = decode(linkType, frame);
    assertEquals(status, Decoded.OK);
    assertEquals(tuple(info), expected);
    assertEquals(info.vlanId, vlan);
  });
}

Deno.test("decodePacket() reads the innermost 802.1Q VLAN id", () => {
  const frame = eth(ETH_IP4, V4, [10, 20, 30]);
  assertEquals(decode(LinkType.EN10MB, frame).info.vlanId, 30);
});

Deno.test("decodePacket() points macOffset at the source MAC, also under PPI", () => {
  assertEquals(decode(LinkType.EN10MB, eth(ETH_IP4, V4)).info.macOffset, 6);
  assertEquals(
    decode(LinkType.PPI, ppi(1, eth(ETH_IP4, V4), 24)).info.macOffset,
    30,
  );
  assertEquals(decode(LinkType.LINUX_SLL, linuxSll(ETH_IP4, V4)).info.macOffset, -1);
});

Deno.test("decodePacket() reads a packet at an offset and stops at capLen", () => {
  const frame = eth(ETH_IP4, V4);
  const buffer = concat(filler(100, 0xaa), frame, filler(50, 0x45));
  const info = new PacketInfo();
  const status = decodePacket(
    LinkType.EN10MB,
    new DataView(buffer.buffer),
    100,
    frame.length,
    info,
  );
  assertEquals(status, Decoded.OK);
  assertEquals(tuple(info), V4_TUPLE);
  assertEquals(info.ipOffset, 114);
  assertEquals([info.payloadOffset, info.payloadLength], [154, 12]);
  // Cut to the Ethernet header: the bytes after capLen are not read as IP.
  assertEquals(
    decodePacket(LinkType.EN10MB, new DataView(buffer.buffer), 100, 14, new PacketInfo()),
    Decoded.TRUNCATED,
  );
});

Deno.test("decodePacket() says NOT_IP for ARP, STP, other families and PPP control", () => {
  const arp = filler(28);
  assertEquals(
    decode(LinkType.EN10MB, eth(ETH_ARP, arp)).status,
    Decoded.NOT_IP,
  );
  assertEquals(
    decode(LinkType.EN10MB, eth(ETH_ARP, arp, [4])).status,
    Decoded.NOT_IP,
  );
  const stp = concat([0x42, 0x42, 0x03], filler(35));
  assertEquals(decode(LinkType.EN10MB, eth(38, stp)).status, Decoded.NOT_IP);
  assertEquals(decode(LinkType.EN10MB, eth(0x88cc, arp)).status, Decoded.NOT_IP);
  assertEquals(decode(LinkType.LINUX_SLL, linuxSll(ETH_ARP, arp)).status, Decoded.NOT_IP);
  assertEquals(decode(LinkType.LINUX_SLL2, linuxSll2(ETH_ARP, arp)).status, Decoded.NOT_IP);
  assertEquals(decode(LinkType.NULL, nullLink(7, V4)).status, Decoded.NOT_IP);
  assertEquals(decode(LinkType.PPP, ppp(0xc021, arp)).status, Decoded.NOT_IP);
  assertEquals(decode(LinkType.C_HDLC, ciscoHdlc(0x8035, arp)).status, Decoded.NOT_IP);
});

Deno.test("decodePacket() says UNSUPPORTED_LINK for link types it does not read", () => {
  for (const linkType of [2, 105, 127, 147, 195, 0xffff]) {
    assertEquals(decode(linkType, raw(V4)).status, Decoded.UNSUPPORTED_LINK, `DLT ${linkType}`);
  }
  assertEquals(decode(LinkType.PPI, ppi(127, V4)).status, Decoded.UNSUPPORTED_LINK);
});

Deno.test("decodePacket() says TRUNCATED for link headers cut short", () => {
  const frame = eth(ETH_IP4, V4);
  const cases: [string, number, Uint8Array][] = [
    ["Ethernet", LinkType.EN10MB, frame.subarray(0, 13)],
    ["Ethernet with nothing after", LinkType.EN10MB, frame.subarray(0, 14)],
    ["802.1Q tag", LinkType.EN10MB, eth(ETH_IP4, V4, [3]).subarray(0, 16)],
    [
      "PPPoE",
      LinkType.EN10MB,
      eth(ETH_PPPOE, pppoe(1, PPP_IP4, V4)).subarray(0, 21),
    ],
    ["MPLS", LinkType.EN10MB, eth(ETH_MPLS, mpls([1, 2], V4)).subarray(0, 20)],
    [
      "LLC/SNAP",
      LinkType.EN10MB,
      eth(100, llcSnap(ETH_IP4, V4)).subarray(0, 20),
    ],
    ["SLL", LinkType.LINUX_SLL, linuxSll(ETH_IP4, V4).subarray(0, 15)],
    ["SLL2", LinkType.LINUX_SLL2, linuxSll2(ETH_IP4, V4).subarray(0, 19)],
    ["NULL", LinkType.NULL, nullLink(2, V4).subarray(0, 3)],
    ["LOOP", LinkType.LOOP, loop(2, V4).subarray(0, 2)],
    ["PPP", LinkType.PPP, ppp(PPP_IP4, V4).subarray(0, 3)],
    ["PPP protocol", LinkType.PPP_ETHER, pppoe(1, PPP_IP4, V4).subarray(0, 7)],
    ["C_HDLC", LinkType.C_HDLC, ciscoHdlc(ETH_IP4, V4).subarray(0, 3)],
    ["PPI", LinkType.PPI, ppi(1, frame).subarray(0, 7)],
    [
      "PPI header longer than the capture",
      LinkType.PPI,
      ppi(1, new Uint8Array(), 40).subarray(0, 30),
    ],
    ["RAW", LinkType.RAW, new Uint8Array()],
  ];
  for (const [what, linkType, frame] of cases) {
    assertEquals(decode(linkType, frame).status, Decoded.TRUNCATED, what);
  }
});

Deno.test("decodePacket() says MALFORMED for endless tags and labels and bad PPI", () => {
  const tags = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  assertEquals(
    decode(LinkType.EN10MB, eth(ETH_IP4, V4, tags)).status,
    Decoded.MALFORMED,
  );
  assertEquals(
    decode(LinkType.EN10MB, eth(ETH_MPLS, mpls(tags, V4))).status,
    Decoded.MALFORMED,
  );
  assertEquals(decode(LinkType.PPI, ppi(1, V4, 4)).status, Decoded.MALFORMED);
  assertEquals(decode(LinkType.PPI, ppi(LinkType.PPI, ppi(1, V4))).status, Decoded.MALFORMED);
  assertEquals(
    decode(LinkType.EN10MB, eth(ETH_IP4, filler(40, 0x50))).status,
    Decoded.MALFORMED,
  );
});
