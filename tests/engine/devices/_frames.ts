// Hand-built Ethernet headers and addresses for the device tests: a frame is
// destination MAC (offset 0) then source MAC (offset 6), which is all
// DeviceTable.resolve() reads of it.
import { parseIp } from "../../../engine/devices/_ip_text.ts";

/** Offsets of the destination and source MACs in a frame(). */
export const DST = 0, SRC = 6;

/** The bytes of a MAC written "aa:bb:cc:dd:ee:ff". */
function macBytes(mac: string): number[] {
  return mac.split(":").map((h) => parseInt(h, 16));
}

/** A DataView over an Ethernet header from `src` to `dst` (IPv4 ethertype). */
export function frame(src: string, dst: string): DataView {
  return new DataView(Uint8Array.of(...macBytes(dst), ...macBytes(src), 0x08, 0x00).buffer);
}

/** An address as the decoder holds it: [version, words]. */
export function addr(text: string): [4 | 6, Uint32Array] {
  const ip = parseIp(text);
  if (!ip) throw new TypeError(`not an address: ${text}`);
  return [ip.version, ip.words];
}

/** A DataView for packets without Ethernet: resolve() reads nothing of it. */
export const NO_FRAME = new DataView(new ArrayBuffer(0));
