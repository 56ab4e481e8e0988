/**
 * Metering: what each device, and the link, uses, by direction, app and
 * category ({@linkcode UsageMeter}), and how well its connections do
 * ({@linkcode TcpQuality} per flow, {@linkcode DeviceQuality} per device).
 * Pure like the rest of the engine: time comes in as seconds, and the packet
 * paths ({@linkcode UsageMeter.add} and `addTo`, {@linkcode TcpQuality.packet},
 * {@linkcode DeviceQuality.addSegments}) allocate nothing. Apps and
 * categories travel as ids from an {@linkcode Interner}.
 *
 * Mapping flows to devices is the caller's: these classes take device
 * indexes and flow numbers. A retransmission is a loss on the flow's path,
 * whichever side sent it: count it against the flow's LAN device(s), as
 * below for a segment the server sent.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const meter = new UsageMeter();
 * const tcp = new TcpQuality(1024);
 * const quality = new DeviceQuality();
 * const app = meter.apps.id("netflix"), category = meter.categories.id("Streaming");
 * // Flow 7: device 2 (the client, on the LAN) opens a connection out.
 * meter.tick(60);
 * tcp.packet(7, true, 0x02, 100, 0, 60.00);
 * tcp.packet(7, false, 0x12, 900, 0, 60.04);
 * if (tcp.packet(7, true, 0x10, 101, 0, 60.05) & TcpEvent.HANDSHAKE) {
 *   quality.addRtt(2, "wan", tcp.wanRtt(7, 0));
 *   quality.addRtt(2, "lan", tcp.lanRtt(7, 0));
 * }
 * const event = tcp.packet(7, false, 0x18, 901, 1400, 60.10);
 * quality.addSegments(2, event & TcpEvent.SEGMENT ? 1 : 0, event & TcpEvent.RETRANSMIT ? 1 : 0);
 * meter.add(2, UsageDirection.DOWN, app, category, 1454, 1);
 * meter.tick(61);
 * assertEquals(meter.device(2).rate.down, 1454);
 * assertEquals(Math.round(quality.get(2).wanRttMs!), 40);
 * ```
 *
 * @module
 */
export { Interner } from "./interner.ts";
export { UsageDirection, UsageMeter, type UsageMeterOptions } from "./usage_meter.ts";
export type {
  AppUsage,
  CategoryUsage,
  DeviceUsage,
  Directions,
  LinkUsage,
  MinuteUsage,
  Usage,
  UsageRanking,
  UsageTotals,
  WindowRates,
} from "./usage_types.ts";
export { TcpEvent, TcpQuality } from "./tcp_quality.ts";
export {
  DeviceQuality,
  type QualityFigures,
  RECENT_RTTS,
  RECENT_SEGMENTS,
} from "./device_quality.ts";
