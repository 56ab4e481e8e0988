// The server name in a Google QUIC client hello (CHLO), the handshake message
// of gQUIC's own crypto (Q024 to Q050), and the gQUIC packets and frames that
// carry it (for engine/quic_initial.ts). A CHLO is a tag, then a tag/value
// map; layout (little-endian throughout, whatever the packet's byte order):
//
//   "CHLO" | entries: u16 | padding: u16 | entries × (tag: 4 bytes, end: u32) | values
//
// Each entry's value runs from the previous entry's end (0 for the first) to
// its own, counted from the start of the values; tags ascend and ends never go
// back. The server name is the value of tag "SNI\0". A client's CHLO always
// fits in one packet (it is padded to 1024 bytes and sent alone), so every
// packet is read on its own. Pure and bounded: hostile input gives undefined
// or null, never an exception.
import { varint } from "./_quic_varint.ts";
import type { CryptoChunk } from "./quic_initial.ts";

const CHLO = [0x43, 0x48, 0x4c, 0x4f]; // "CHLO"
const SNI = [0x53, 0x4e, 0x49, 0x00]; // "SNI\0"
/** The most entries a gQUIC peer accepts in one message (Chromium's kMaxEntries). */
const MAX_ENTRIES = 128;

/**
 * Reads the server name of a CHLO message. Returns the name (lower case);
 * null when the message is a CHLO without a usable name (no SNI tag, or one
 * that is not a host name); undefined when it is not a CHLO, or one whose tag
 * index is cut short or inconsistent. Bytes after the message are ignored.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const name = new TextEncoder().encode("www.example.com");
 * const chlo = new Uint8Array(16 + name.length);
 * chlo.set([0x43, 0x48, 0x4c, 0x4f, 1, 0, 0, 0, 0x53, 0x4e, 0x49, 0, name.length, 0, 0, 0]);
 * chlo.set(name, 16);
 * assertEquals(parseChlo(chlo), "www.example.com");
 * assertEquals(parseChlo(chlo.subarray(0, 8)), undefined); // the index is cut
 * assertEquals(parseChlo(new Uint8Array([0x52, 0x45, 0x4a, 0x00])), undefined); // not a CHLO
 * ```
 */
export function parseChlo(message: Uint8Array): string | null | undefined {
  if (message.length < 8) return undefined;
  for (let i = 0; i < 4; i++) if (message[i] !== CHLO[i]) return undefined;
  const entries = message[4] | (message[5] << 8);
  const values = 8 + 8 * entries;
  if (entries > MAX_ENTRIES || values > message.length) return undefined;
  let previousEnd = 0, nameStart = -1, nameEnd = -1;
  for (let at = 8; at < values; at += 8) {
    const end = (message[at + 4] | (message[at + 5] << 8) | (message[at + 6] << 16) |
      (message[at + 7] << 24)) >>> 0;
    if (end < previousEnd || end > message.length - values) return undefined;
    if (
      message[at] === SNI[0] && message[at + 1] === SNI[1] && message[at + 2] === SNI[2] &&
      message[at + 3] === SNI[3]
    ) {
      nameStart = values + previousEnd;
      nameEnd = values + end;
    }
    previousEnd = end;
  }
  return nameStart < 0 ? null : hostName(message, nameStart, nameEnd);
}

/** A host name as lower-case text, if every byte is a host name character. */
function hostName(b: Uint8Array, start: number, end: number): string | null {
  if (end === start || end - start > 253) return null;
  let name = "";
  for (let i = start; i < end; i++) {
    let c = b[i];
    if (c >= 0x41 && c <= 0x5a) c += 32;
    const ok = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d ||
      c === 0x2e || c === 0x5f;
    if (!ok) return null;
    name += String.fromCharCode(c);
  }
  return name;
}

/** The CHLO of a plaintext Google QUIC client packet. */
export interface PlainChlo {
  /** "Q0NN" in ASCII: 0x51303339 is Q039. */
  version: number;
  /** The connection ID (empty when the client left it out). */
  cid: Uint8Array;
  packetNumber: number;
  /** The CHLO's server name; null when it has none. */
  sni: string | null;
}

const SIZES = [1, 2, 4, 6];
const Q046 = 0x51303436;

/**
 * Reads a plaintext Google QUIC client packet carrying a CHLO: Q024 to Q043
 * (public header with the version flag) or Q046 (Initial long header), where
 * the CHLO travels unencrypted in STREAM frames of stream 1. Null for any
 * other packet. Used by `parseQuicInitial()`, which reports it as `chloSni`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(readPlainGquic(new Uint8Array([0x0c, 1, 2, 3, 4, 5, 6, 7, 8, 9])), null); // no version
 * ```
 */
export function readPlainGquic(p: Uint8Array): PlainChlo | null {
  if (p.length < 7) return null;
  const flags = p[0], long = (flags & 0x80) !== 0;
  // Q046: an Initial long header. Older: a public header with the version flag
  // and neither the reset flag nor the reserved bits.
  if (long ? (flags & 0x30) !== 0 : (flags & 0xc3) !== 0x01) return null;
  const lengths = long ? p[5] : 0;
  const cidLen = long ? (lengths >> 4 ? (lengths >> 4) + 3 : 0) : (flags & 0x08 ? 8 : 0);
  const scidLen = long && lengths & 15 ? (lengths & 15) + 3 : 0;
  const versionAt = long ? 1 : 1 + cidLen;
  if (versionAt + 4 > p.length) return null;
  const version = ((p[versionAt] << 24) | (p[versionAt + 1] << 16) | (p[versionAt + 2] << 8) |
    p[versionAt + 3]) >>> 0;
  const n = gquicNumber(version);
  if (long ? version !== Q046 : n < 24 || n > 43 || p[versionAt] !== 0x51) return null;
  const cidAt = long ? 6 : 1;
  const pnLen = long ? (flags & 3) + 1 : SIZES[(flags >> 4) & 3];
  let at = long ? cidAt + cidLen + scidLen : versionAt + 4;
  if (at + pnLen + 12 >= p.length) return null;
  let pn = 0;
  for (let i = 0; i < pnLen; i++) pn = pn * 256 + p[n >= 39 ? at + i : at + pnLen - 1 - i];
  at += pnLen + 12 + (n < 34 ? 1 : 0); // the null encryption's 12-byte hash, private flags
  const chunks: CryptoChunk[] = [];
  readGquicFrames(p, at, n, pnLen, chunks);
  for (const chunk of chunks) {
    const sni = parseChlo(chunk.data);
    if (sni !== undefined) {
      return { version, cid: p.slice(cidAt, cidAt + cidLen), packetNumber: pn, sni };
    }
  }
  return null;
}

/**
 * Collects the crypto data of Google QUIC frames (the Q034 and later layouts)
 * in `p` from `at`: CRYPTO frames (0x08) when `n`, the version number (50 for
 * Q050 or T050), is 50 or more; STREAM frames of stream 1 below that, where
 * the byte order is little-endian before 39. Skips PADDING, PING, ACK and
 * STOP_WAITING (whose size is the packet number's, `pnLen`); stops at any
 * other frame or at a frame that does not fit.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const out: { offset: number; data: Uint8Array }[] = [];
 * readGquicFrames(new Uint8Array([0x07, 0x08, 0, 2, 0x43, 0x48, 0]), 0, 50, 1, out);
 * assertEquals(out, [{ offset: 0, data: new Uint8Array([0x43, 0x48]) }]);
 * ```
 */
export function readGquicFrames(
  p: Uint8Array,
  at: number,
  n: number,
  pnLen: number,
  out: CryptoChunk[],
): void {
  const end = p.length, plain = n < 50;
  const uint = (size: number): number => {
    if (at + size > end) return -1;
    let v = 0;
    for (let i = 0; i < size; i++) v = v * 256 + p[n >= 39 ? at + i : at + size - 1 - i];
    at += size;
    return v;
  };
  while (at < end) {
    const type = p[at++];
    if (type === 0x00 || type === 0x07) continue; // PADDING, PING
    if (type === 0x06 && plain && n >= 34) { // STOP_WAITING: least unacked delta
      at += pnLen;
    } else if (type >= 0x40 && type < 0x80 && n >= 34) { // ACK: 01nullmm
      at += SIZES[(type >> 2) & 3] + 2; // largest acked, ack delay
      const blocks = type & 0x20 ? uint(1) : 0;
      if (blocks < 0) return;
      const block = SIZES[type & 3];
      at += block + blocks * (1 + block); // first block, then (gap, block) pairs
      const stamps = uint(1);
      if (stamps < 0) return;
      if (stamps > 0) at += 5 + 3 * (stamps - 1);
    } else if (type === 0x08 && !plain) { // CRYPTO: offset, length (QUIC varints), data
      const offset = varint(p, at, end);
      const length = offset && varint(p, offset[1], end);
      if (!length || length[0] > end - length[1]) return;
      at = length[1] + length[0];
      out.push({ offset: offset[0], data: p.subarray(length[1], at) });
    } else if (type >= 0x80 && plain) { // STREAM: 1, fin, has length, offset size, id size
      const id = uint((type & 3) + 1);
      const offsetSize = (type >> 2) & 7;
      const offset = offsetSize ? uint(offsetSize + 1) : 0;
      const length = type & 0x20 ? uint(2) : end - at;
      if (id < 0 || offset < 0 || length < 0 || length > end - at) return;
      if (id === 1) out.push({ offset, data: p.subarray(at, at + length) });
      at += length;
    } else {
      return;
    }
  }
}

/** "Q0NN" or "T0NN" in ASCII as NN; -1 for other versions. */
function gquicNumber(version: number): number {
  const prefix = version >>> 16,
    tens = ((version >> 8) & 255) - 0x30,
    ones = (version & 255) - 0x30;
  if ((prefix !== 0x5130 && prefix !== 0x5430) || tens < 0 || tens > 9 || ones < 0 || ones > 9) {
    return -1;
  }
  return tens * 10 + ones;
}
