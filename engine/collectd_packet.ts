// Reads collectd's binary network protocol (UDP port 25826): a datagram is a
// run of parts, each a 16-bit type, a 16-bit length that counts the 4-byte
// part header, and a value. The HOST part names the machine that reports.
// Pure and bounded: garbage gives null, never an exception.

const HOST = 0x0000, SIGN_SHA256 = 0x0200, ENCRYPT_AES256 = 0x0210;
/** Parts that must read well before the datagram is taken for collectd. */
const MIN_PARTS = 3;
const MAX_PARTS = 64;
const SHA256_SIZE = 32;
const latin1 = new TextDecoder("latin1");

/** What a collectd datagram tells about its sender. */
export interface CollectdPacket {
  /** The first HOST part, lowercased; null when absent, not text or encrypted away. */
  host: string | null;
  /** The user name of a signed or encrypted datagram; null for plain ones. */
  username: string | null;
  /** The whole datagram is one encrypted part: nothing but the user name is readable. */
  encrypted: boolean;
}

/**
 * Parses a collectd binary protocol datagram. Its first three parts must be
 * well formed (known type, length within the datagram), or the datagram must
 * be a single encrypted part. Returns null for anything else.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const host = new TextEncoder().encode("devlap.fritz.box\0");
 * const packet = Uint8Array.of(
 *   0, 0, 0, 4 + host.length, ...host,
 *   0, 2, 0, 8, ...new TextEncoder().encode("cpu\0"),
 *   0, 4, 0, 8, ...new TextEncoder().encode("cpu\0"),
 * );
 * assertEquals(parseCollectdPacket(packet)?.host, "devlap.fritz.box");
 * ```
 */
export function parseCollectdPacket(payload: Uint8Array): CollectdPacket | null {
  const b = payload;
  if (b.length < 8 || b[0] > 0x02) return null;
  const first = (b[0] << 8) | b[1];
  if (first === ENCRYPT_AES256) return encrypted(b);
  const packet: CollectdPacket = { host: null, username: null, encrypted: false };
  let p = 0, parts = 0;
  while (p + 4 <= b.length && parts < MAX_PARTS) {
    const type = (b[p] << 8) | b[p + 1];
    const length = (b[p + 2] << 8) | b[p + 3];
    if (!isPartType(type) || length < 4 || p + length > b.length) break;
    if (type === HOST && packet.host === null) {
      packet.host = hostText(b.subarray(p + 4, p + length));
    } else if (type === SIGN_SHA256 && length > 4 + SHA256_SIZE) {
      packet.username ??= latin1.decode(b.subarray(p + 4 + SHA256_SIZE, p + length));
    }
    parts++;
    p += length;
  }
  return parts >= MIN_PARTS ? packet : null;
}

/**
 * Part types of collectd 5 (src/network.h): host, time, plugin, plugin
 * instance, type, type instance, values, interval, high-resolution time and
 * interval; message and severity of notifications; signature; encryption.
 */
function isPartType(type: number): boolean {
  return type <= 0x0009 || type === 0x0100 || type === 0x0101 || type === SIGN_SHA256 ||
    type === ENCRYPT_AES256;
}

/** A datagram that is one AES-256 part: length, user name length, user name, IV, ciphertext. */
function encrypted(b: Uint8Array): CollectdPacket | null {
  const length = (b[2] << 8) | b[3];
  const nameLength = (b[4] << 8) | b[5];
  if (length !== b.length || 6 + nameLength + 16 > b.length) return null;
  const username = latin1.decode(b.subarray(6, 6 + nameLength));
  return { host: null, username, encrypted: true };
}

/** A NUL-terminated string value as a host name, or null when it is not printable text. */
function hostText(value: Uint8Array): string | null {
  const nul = value.indexOf(0);
  const text = latin1.decode(nul < 0 ? value : value.subarray(0, nul)).toLowerCase();
  return /^[\x21-\x7e]{1,253}$/.test(text) ? text : null;
}
