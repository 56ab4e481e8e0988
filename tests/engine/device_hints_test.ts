import { assertEquals, assertThrows } from "@std/assert";
import { DeviceHints } from "../../engine/device_hints.ts";

Deno.test("DeviceHints.note() merges fields per device and keeps the latest value", () => {
  const hints = new DeviceHints();
  hints.note("mac:02:00:00:00:00:01", "dhcpHostname", "old-name", 1);
  hints.note("mac:02:00:00:00:00:01", "dhcpVendorClass", "android-dhcp-13", 2);
  hints.note("mac:02:00:00:00:00:01", "dhcpHostname", "pixel-8", 3);
  assertEquals(hints.get("mac:02:00:00:00:00:01"), {
    key: "mac:02:00:00:00:00:01",
    dhcpHostname: "pixel-8",
    dhcpVendorClass: "android-dhcp-13",
    lastSeen: 3,
  });
});

Deno.test("DeviceHints forgets the least recently heard device at its limit", () => {
  const hints = new DeviceHints(2);
  hints.note("ip:10.0.0.1", "mdnsName", "a", 1);
  hints.note("ip:10.0.0.2", "mdnsName", "b", 2);
  hints.note("ip:10.0.0.1", "userAgent", "ua", 3); // heard again: now the newest
  hints.note("ip:10.0.0.3", "mdnsName", "c", 4);
  assertEquals(hints.list().map((h) => h.key), ["ip:10.0.0.1", "ip:10.0.0.3"]);
  assertEquals(hints.size, 2);
  assertThrows(() => new DeviceHints(0), RangeError, "positive integer");
});
