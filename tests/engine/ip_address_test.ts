// Address text as Sluice prints it: IPv4 dotted quads, IPv6 in RFC 5952's
// canonical form, endpoints with ports, and protocol names.
import { assertEquals } from "@std/assert";
import { formatEndpoint, formatIp, protocolName } from "../../engine/mod.ts";
import { ipBytes } from "./_packets.ts";

/** An address text as the four big-endian words the engine holds. */
function words(text: string): Uint32Array {
  const bytes = ipBytes(text);
  const out = new Uint32Array(4);
  for (let i = 0; i < bytes.length; i++) out[i >> 2] |= bytes[i] << (24 - 8 * (i & 3));
  return out;
}

/** Eight groups, as numbers, to words: avoids parsing the text under test. */
function groups(...g: number[]): Uint32Array {
  return Uint32Array.from([0, 1, 2, 3], (i) => (g[2 * i] << 16 | g[2 * i + 1]) >>> 0);
}

Deno.test("formatIp() writes IPv4 as a dotted quad", () => {
  assertEquals(formatIp(4, words("192.168.1.7")), "192.168.1.7");
  assertEquals(formatIp(4, [0]), "0.0.0.0");
  assertEquals(formatIp(4, [0xffffffff]), "255.255.255.255");
  assertEquals(formatIp(4, [0x80000001]), "128.0.0.1");
  assertEquals(formatIp(4, Int32Array.of(-1)), "255.255.255.255"); // signed words too
});

Deno.test("formatIp() writes IPv6 in RFC 5952 form", () => {
  const cases: [Uint32Array, string][] = [
    // 4.1: no leading zeros in a group.
    [groups(0x2001, 0x0db8, 0, 0, 0, 0, 0, 0x0001), "2001:db8::1"],
    // 4.2.2: a single zero group is not shortened to ::.
    [groups(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1), "2001:db8:0:1:1:1:1:1"],
    [groups(0x2001, 0xdb8, 1, 1, 1, 1, 1, 0), "2001:db8:1:1:1:1:1:0"],
    // 4.2.3: the longest run of zero groups is the one shortened...
    [groups(0x2001, 0, 0, 1, 0, 0, 0, 1), "2001:0:0:1::1"],
    // ...and of equally long runs, the first.
    [groups(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1), "2001:db8::1:0:0:1"],
    // 4.3: lowercase hexadecimal.
    [groups(0x2001, 0xdb8, 0, 0, 0, 0, 0xabcd, 0xef01), "2001:db8::abcd:ef01"],
    // Runs at either end and the whole address.
    [groups(0, 0, 0, 0, 0, 0, 0, 0), "::"],
    [groups(0, 0, 0, 0, 0, 0, 0, 1), "::1"],
    [groups(0xfe80, 0, 0, 0, 0, 0, 0, 0), "fe80::"],
    [groups(0, 0, 1, 0, 0, 0, 0, 0), "0:0:1::"],
    [groups(0, 0, 0, 1, 0, 0, 0, 0), "0:0:0:1::"],
    [groups(0, 0, 0, 0, 1, 0, 0, 0), "::1:0:0:0"],
    [groups(1, 2, 3, 4, 5, 6, 7, 8), "1:2:3:4:5:6:7:8"],
    [
      groups(0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff),
      "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    ],
    // IPv4-mapped and IPv4-compatible addresses stay in hexadecimal groups.
    [groups(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201), "::ffff:c000:201"],
    [groups(0, 0, 0, 0, 0, 0, 0xc000, 0x0201), "::c000:201"],
  ];
  for (const [address, expected] of cases) assertEquals(formatIp(6, address), expected);
});

Deno.test("formatIp() reads back what the test's address parser wrote", () => {
  for (const text of ["2001:db8::1", "fe80::1:2", "::", "1:0:0:2::3", "2001:db8:0:1:1:1:1:1"]) {
    assertEquals(formatIp(6, words(text)), text);
  }
});

Deno.test("formatEndpoint() writes ip:port, with IPv6 in brackets", () => {
  assertEquals(formatEndpoint(4, words("10.0.0.1"), 443), "10.0.0.1:443");
  assertEquals(formatEndpoint(4, words("10.0.0.1"), 0), "10.0.0.1:0");
  assertEquals(formatEndpoint(6, words("::1"), 53), "[::1]:53");
  assertEquals(formatEndpoint(6, words("2001:db8::2"), 65535), "[2001:db8::2]:65535");
});

Deno.test("protocolName() names TCP, UDP, ICMP and ICMPv6 and numbers the rest", () => {
  assertEquals([6, 17, 1, 58].map(protocolName), ["TCP", "UDP", "ICMP", "ICMPV6"]);
  assertEquals([0, 2, 4, 41, 47, 50, 132, 136, 255].map(protocolName), [
    "0",
    "2",
    "4",
    "41",
    "47",
    "50",
    "132",
    "136",
    "255",
  ]);
});
