import { assert, assertEquals, assertThrows } from "@std/assert";
import { LanSubnets } from "../../../engine/devices/mod.ts";
import { addr } from "./_frames.ts";

const has = (lan: LanSubnets, text: string) => lan.contains(...addr(text));

Deno.test("LanSubnets reads interface addresses as their subnets", () => {
  const lan = new LanSubnets(["192.168.1.7/24", "2001:db8:1:0:1c2a::7/64", "10.9.0.1"]);
  assertEquals(lan.cidrs, ["192.168.1.0/24", "2001:db8:1::/64", "10.9.0.1/32"]);
  assert(has(lan, "192.168.1.0") && has(lan, "192.168.1.254"));
  assert(!has(lan, "192.168.2.1") && !has(lan, "10.9.0.2"));
  assert(has(lan, "2001:db8:1::abcd") && !has(lan, "2001:db8:2::1"));
  assert(!lan.contains(5, [0]), "a version other than 4 and 6 is in no subnet");
});

Deno.test("LanSubnets.privateRanges() holds RFC 1918, link-local and ULA only", () => {
  const lan = LanSubnets.privateRanges();
  for (const a of ["10.1.2.3", "172.16.0.1", "172.31.255.254", "192.168.0.9", "169.254.1.1"]) {
    assert(has(lan, a), a);
  }
  for (const a of ["fd12:3456::1", "fc00::1", "fe80::1", "febf::1"]) assert(has(lan, a), a);
  for (const a of ["172.32.0.1", "8.8.8.8", "100.64.0.1", "127.0.0.1", "2a00:1450::1", "fec0::1"]) {
    assert(!has(lan, a), a);
  }
});

Deno.test("LanSubnets.contains() reads IPv4 from the first word only", () => {
  const lan = new LanSubnets(["192.168.1.0/24"]);
  // The decoder reuses its word arrays: an IPv4 packet after an IPv6 one leaves words behind.
  assert(lan.contains(4, Uint32Array.of(0xc0a80105, 0x20010db8, 7, 9)));
  assert(lan.contains(4, [-1062731515])); // 192.168.1.5 as a signed int
});

Deno.test("LanSubnets.isBroadcast() finds directed broadcasts of /30 and wider", () => {
  const lan = new LanSubnets(["192.168.1.0/24", "10.0.0.0/31", "fd00::/64"]);
  assert(lan.isBroadcast(...addr("192.168.1.255")));
  assert(!lan.isBroadcast(...addr("192.168.1.254")));
  assert(!lan.isBroadcast(...addr("10.0.0.1")), "a /31 has no broadcast address");
  assert(!lan.isBroadcast(...addr("fd00::ffff:ffff:ffff:ffff")), "IPv6 has no broadcast");
});

Deno.test("new LanSubnets() throws a TypeError naming a bad CIDR", () => {
  assertThrows(
    () => new LanSubnets(["192.168.1.0/24", "192.168.1.300/24"]),
    TypeError,
    '"192.168.1.300/24" is not a CIDR',
  );
  assertThrows(() => new LanSubnets(["10.0.0.0/33"]), TypeError, '"10.0.0.0/33"');
  assertThrows(() => new LanSubnets(["fd00::/129"]), TypeError, "fd00::/129");
  assertThrows(() => new LanSubnets(["lan"]), TypeError, '"lan" is not a CIDR');
  assertThrows(() => new LanSubnets(["10.0.0.0/8x"]), TypeError, "10.0.0.0/8x");
  assertThrows(() => new LanSubnets("10.0.0.0/8" as unknown as string[]), TypeError, "array");
  assertEquals(new LanSubnets([]).contains(...addr("10.0.0.1")), false);
});
