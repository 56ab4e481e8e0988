// Reads the handshake of Agora's SD-RTN (Software Defined Real-time Network,
// UDP port 8130 among others): the client's first datagram names the edge
// server it connects to, as "23-248-186-179.edge.agora.io". Pure and bounded:
// garbage gives null, never an exception.
//
// Layout, as seen in captures (the protocol is not published):
//
//   0..3   the sender's packet id           4..5  zero
//   6      message type (0x21 client hello, 0x23 server hello, 0x02 ack)
//   7      zero                             8..11 the packet id answered (zero in a client hello)
//   12     number of properties, then each property as
//          a 4-byte tag ("SNI\0", "PDMD", "CPTO", "PEID", ...),
//          a 16-bit little-endian length and the value.

/** Message type of the client's hello, which carries the "SNI" property. */
export const AGORA_CLIENT_HELLO = 0x21;
/** Message type of the edge server's answer to it. */
export const AGORA_SERVER_HELLO = 0x23;

const HEADER = 13;
const MAX_PROPERTIES = 16;
const latin1 = new TextDecoder("latin1");

/** An SD-RTN handshake message. */
export interface AgoraHandshake {
  /** {@linkcode AGORA_CLIENT_HELLO} or {@linkcode AGORA_SERVER_HELLO}. */
  type: number;
  /** Property tags in order, without their NUL padding: "SNI", "PDMD", "CPTO", ... */
  tags: string[];
  /** The "SNI" property, lowercased: the edge server's host name; null when absent or not a name. */
  sni: string | null;
}

/**
 * Parses an SD-RTN handshake datagram. Returns null for anything else,
 * including the encrypted data packets that follow the handshake.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const name = new TextEncoder().encode("23-248-186-179.edge.agora.io");
 * const hello = Uint8Array.of(
 *   0x00, 0x5a, 0x38, 0x4c, 0, 0, 0x21, 0, 0, 0, 0, 0,
 *   1, 0x53, 0x4e, 0x49, 0x00, name.length, 0, ...name,
 * );
 * assertEquals(parseAgoraHandshake(hello)?.sni, "23-248-186-179.edge.agora.io");
 * ```
 */
export function parseAgoraHandshake(payload: Uint8Array): AgoraHandshake | null {
  const b = payload;
  if (b.length < HEADER + 6 || b[4] !== 0 || b[5] !== 0 || b[7] !== 0) return null;
  if (b[6] !== AGORA_CLIENT_HELLO && b[6] !== AGORA_SERVER_HELLO) return null;
  const count = b[12];
  if (count === 0 || count > MAX_PROPERTIES) return null;
  const message: AgoraHandshake = { type: b[6], tags: [], sni: null };
  let p = HEADER;
  for (let i = 0; i < count && p + 6 <= b.length; i++) {
    const length = b[p + 4] | (b[p + 5] << 8);
    if (p + 6 + length > b.length) break;
    const tag = tagText(b, p);
    if (tag === null) break;
    message.tags.push(tag);
    if (tag === "SNI" && message.sni === null) message.sni = hostname(b, p + 6, length);
    p += 6 + length;
  }
  return message.tags.length > 0 ? message : null;
}

/** A property tag: up to four uppercase letters or digits, padded with NULs. */
function tagText(b: Uint8Array, at: number): string | null {
  let tag = "";
  for (let i = at; i < at + 4; i++) {
    const c = b[i];
    if (c === 0 && tag.length > 0) continue;
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) || tag.length < i - at) return null;
    tag += String.fromCharCode(c);
  }
  return tag;
}

function hostname(b: Uint8Array, at: number, length: number): string | null {
  let end = at + length;
  while (end > at && b[end - 1] === 0) end--;
  const name = latin1.decode(b.subarray(at, end)).toLowerCase();
  return /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(name) && name.length <= 253 ? name : null;
}
