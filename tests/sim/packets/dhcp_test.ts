import { assert, assertEquals, assertThrows } from "@std/assert";
import { dhcpEndpoints, dhcpRequest } from "../../../sim/packets/dhcp.ts";
import { parseDhcpMessage } from "../../../engine/dhcp_message.ts";

const MAC = Uint8Array.of(0x02, 0, 0, 0, 0, 0x07), IP = Uint8Array.of(192, 168, 1, 7);

Deno.test("dhcpRequest() is a DHCPREQUEST the engine reads hostname, address and fingerprint from", () => {
  const payload = dhcpRequest(0x3903f326, MAC, IP, "Lucas-iMac", "MSFT 5.0");
  assertEquals(payload.length, 300);
  assertEquals([payload[0], payload[1], payload[2]], [1, 1, 6]);
  assertEquals([...payload.subarray(4, 8)], [0x39, 0x03, 0xf3, 0x26]);
  const m = parseDhcpMessage(payload)!;
  assertEquals(m.op, 1);
  assertEquals(m.messageType, 3);
  assertEquals(m.chaddr, "02:00:00:00:00:07");
  assertEquals(m.ciaddr, "0.0.0.0");
  assertEquals(m.requestedIp, "192.168.1.7");
  assertEquals(m.hostname, "lucas-imac"); // the engine lowercases it
  assertEquals(m.vendorClass, "MSFT 5.0");
  assertEquals(m.parameterRequestList?.slice(0, 4), [1, 28, 2, 3]);
});

Deno.test("dhcpRequest() carries option 61 and leaves out option 60 without a vendor class", () => {
  const payload = dhcpRequest(1, MAC, IP, "printer");
  assertEquals(parseDhcpMessage(payload)?.vendorClass, null);
  const text = Array.from(payload).join(",");
  assert(text.includes([61, 7, 1, ...MAC].join(",")));
  assert(!text.includes([60, 8].join(",")));
  const long = dhcpRequest(1, MAC, IP, "h".repeat(63), "v".repeat(255));
  assert(long.length > 300);
  assertEquals(parseDhcpMessage(long)?.vendorClass, "v".repeat(255));
});

Deno.test("dhcpRequest() throws on bad xid, MAC, address and names, naming the argument", () => {
  const bad: [() => unknown, ErrorConstructor | RangeErrorConstructor, string][] = [
    [() => dhcpRequest(2 ** 32, MAC, IP, "a"), RangeError, "xid"],
    [() => dhcpRequest(1, new Uint8Array(5), IP, "a"), RangeError, "mac"],
    [() => dhcpRequest(1, MAC, new Uint8Array(16), "a"), RangeError, "requestedIp"],
    [() => dhcpRequest(1, MAC, IP, ""), TypeError, "hostname"],
    [() => dhcpRequest(1, MAC, IP, "a b"), TypeError, "hostname"],
    [() => dhcpRequest(1, MAC, IP, "a", ""), TypeError, "vendorClass"],
    [() => dhcpEndpoints(new Uint8Array(4)), RangeError, "mac"],
  ];
  for (const [fn, type, name] of bad) {
    const error = assertThrows(fn, type) as Error;
    assert(error.message.startsWith(name), error.message);
  }
});

Deno.test("dhcpEndpoints() goes from 0.0.0.0:68 to the broadcast 255.255.255.255:67", () => {
  const { src, dst } = dhcpEndpoints(MAC);
  assertEquals([[...src.mac], [...src.ip], src.port], [[...MAC], [0, 0, 0, 0], 68]);
  assertEquals([[...dst.mac], [...dst.ip], dst.port], [
    Array(6).fill(255),
    [255, 255, 255, 255],
    67,
  ]);
});
