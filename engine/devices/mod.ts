/**
 * Devices on the LAN: which device each side of a packet belongs to (by MAC
 * where the capture shows Ethernet, else by IP), which way the packet goes
 * (upload, download, local), and what each device is called, by whom it was
 * made, and whether it is online. Pure like the rest of the engine: times are
 * passed in, and the neighbour-table texts are parsed here but read elsewhere.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { DeviceHints } from "../device_hints.ts";
 * const devices = new DeviceTable({ lan: LanSubnets.privateRanges(), oui: defaultOui() });
 * // An Ethernet frame: destination MAC (the router), then source MAC (a Cisco phone).
 * const frame = new DataView(Uint8Array.of(2, 0, 0, 0, 0, 1, 0, 0, 0x0c, 1, 2, 3).buffer);
 * const src = devices.resolve(frame, 6, 4, [0xc0a80107], 10); // 192.168.1.7
 * const dst = devices.resolve(frame, 0, 4, [0x8efa4b0e], 10); // 142.250.75.14: outside
 * assertEquals(direction(src, dst), Direction.UP);
 * const hints = new DeviceHints();
 * hints.note("mac:00:00:0c:01:02:03", "dhcpHostname", "desk-phone", 10);
 * const device = devices.device(src, 20, hints);
 * assertEquals([device.name, device.nameSource, device.vendor], [
 *   "desk-phone", "dhcp", "Cisco Systems, Inc",
 * ]);
 * ```
 *
 * @module
 */
export { LanSubnets } from "./lan_subnets.ts";
export { DeviceTable, type DeviceTableOptions } from "./device_table.ts";
export { normalDeviceId } from "./_ip_text.ts";
export type { Device, DeviceExtra } from "./device.ts";
export { Direction, direction, type DirectionKind, NotDevice } from "./direction.ts";
export {
  type DeviceName,
  deviceName,
  NAME_SOURCES,
  type NameInputs,
  type NameSource,
} from "./device_names.ts";
export { type NeighbourEntry, parseArpA, parseIpNeigh, parseProcNetArp } from "./neighbours.ts";
export { OuiTable } from "./oui_table.ts";
export { defaultOui } from "./oui_default.ts";
