// Reads the sender's name from a NetBIOS Datagram Service packet (UDP 138,
// RFC 1002 4.4): Windows and Samba hosts announce themselves in broadcasts.
import { netbiosName } from "./netbios_name.ts";

const DIRECT_UNIQUE = 0x10, BROADCAST = 0x12;
const HEADER = 14; // type, flags, id, source IP, source port, length, packet offset

/**
 * The SOURCE_NAME of a direct unique, direct group or broadcast datagram
 * (types 0x10 to 0x12), decoded as {@linkcode netbiosName} does: lowercased,
 * padding and type suffix removed, followed by the scope if any. Returns null
 * for other datagram types and for bytes that are not such a datagram.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const header = [0x11, 0x0a, 0, 1, 10, 0, 5, 9, 0, 138, 0, 0, 0, 0];
 * const label = [..."eofgfcdjcacacacacacacacacacacaaa"].map((c) => c.charCodeAt(0));
 * const datagram = new Uint8Array([...header, 32, ...label, 0]);
 * assertEquals(netbiosDatagramName(datagram), "nvr9");
 * ```
 */
export function netbiosDatagramName(payload: Uint8Array): string | null {
  const b = payload;
  if (b.length < HEADER + 34 || b[0] < DIRECT_UNIQUE || b[0] > BROADCAST) return null;
  if ((b[1] & 0xf0) !== 0) return null; // reserved flag bits
  const labels: string[] = [];
  let p = HEADER, total = 0;
  while (true) {
    if (p >= b.length) return null;
    const length = b[p];
    if (length === 0) break;
    if (length > 63 || p + 1 + length > b.length) return null; // no pointers in datagram names
    total += 1 + length;
    if (total > 255) return null;
    let label = "";
    for (let i = p + 1; i <= p + length; i++) {
      const c = b[i];
      if (c <= 0x20 || c >= 0x7f || c === 0x2e) return null; // printable, no dots
      label += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c + 32 : c);
    }
    labels.push(label);
    p += 1 + length;
  }
  if (labels.length === 0 || labels[0].length !== 32) return null;
  return netbiosName(labels.join("."));
}
