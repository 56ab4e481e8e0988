// QUIC client Initial packets (RFC 9000 §17.2.2, RFC 9001 §5, RFC 9369): removes
// the Initial protection that anyone who sees the Destination Connection ID can
// remove, and collects the CRYPTO frames, whose stream holds the TLS ClientHello
// and so the server name. Pure and synchronous; hostile input gives null, never
// an exception.
import {
  aeadOpen,
  clientInitialKeys,
  headerMask,
  type InitialScheme,
  initialScheme,
  packetNonce,
} from "./_quic_crypto.ts";
import { parseClientHello } from "./tls_client_hello.ts";

/** Bytes of the CRYPTO stream at `offset`. */
export interface CryptoChunk {
  offset: number;
  data: Uint8Array;
}

/** What the client Initial packets of one UDP datagram carried. */
export interface QuicInitial {
  /** QUIC version: 1, 0x6b3343cf (v2) or a draft 0xff0000NN. */
  version: number;
  /** Destination Connection ID of the first Initial packet (the one its keys come from). */
  dcid: Uint8Array;
  /** Source Connection ID of the first Initial packet. */
  scid: Uint8Array;
  /** Packet number of the first Initial packet, as sent (truncated). */
  packetNumber: number;
  /** CRYPTO frames of every Initial packet in the datagram that decrypted, in order of arrival. */
  chunks: CryptoChunk[];
}

/** Reads a QUIC variable-length integer at `at`: [value, next offset], or null past `end`. */
function varint(p: Uint8Array, at: number, end: number): [number, number] | null {
  if (at >= end) return null;
  const size = 1 << (p[at] >> 6);
  if (at + size > end) return null;
  let value = p[at] & 0x3f;
  for (let i = 1; i < size; i++) value = value * 256 + p[at + i];
  return [value, at + size];
}

/** The frames of a decrypted Initial payload: its CRYPTO data, stopping at anything unexpected. */
function cryptoFrames(p: Uint8Array, out: CryptoChunk[]): void {
  let at = 0;
  const end = p.length;
  const skip = (n: number): boolean => {
    for (let i = 0; i < n; i++) {
      const v = varint(p, at, end);
      if (!v) return false;
      at = v[1];
    }
    return true;
  };
  while (at < end) {
    const type = p[at++];
    if (type === 0x00 || type === 0x01) continue; // PADDING, PING
    if (type === 0x02 || type === 0x03) { // ACK: largest, delay, range count, first range, ranges
      if (!skip(2)) return;
      const count = varint(p, at, end);
      if (!count || count[0] * 2 > end - count[1]) return;
      at = count[1];
      if (!skip(1 + count[0] * 2 + (type === 0x03 ? 3 : 0))) return;
    } else if (type === 0x06) { // CRYPTO: offset, length, data
      const offset = varint(p, at, end);
      if (!offset) return;
      const length = varint(p, offset[1], end);
      if (!length || length[0] > end - length[1]) return;
      at = length[1] + length[0];
      out.push({ offset: offset[0], data: p.subarray(length[1], at) });
    } else if (type === 0x1c || type === 0x1d) { // CONNECTION_CLOSE: code, [frame type], reason
      if (!skip(type === 0x1c ? 2 : 1)) return;
      const reason = varint(p, at, end);
      if (!reason || reason[0] > end - reason[1]) return;
      at = reason[1] + reason[0];
    } else {
      return; // not allowed in an Initial packet
    }
  }
}

/**
 * Decrypts the client Initial packets at the start of a UDP payload (QUIC v1, v2,
 * drafts 23 to 32) and returns their CRYPTO frames; null when the payload holds
 * no client Initial packet that decrypts (other versions, server Initials,
 * short headers, garbage, a failed authentication tag). Coalesced packets are
 * walked: every Initial packet of the datagram contributes its chunks.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseQuicInitial(new Uint8Array([0x40, 1, 2, 3])), null); // a short header
 * ```
 */
export function parseQuicInitial(payload: Uint8Array): QuicInitial | null {
  let result: QuicInitial | null = null;
  let at = 0;
  while (at + 7 <= payload.length && (payload[at] & 0x80) !== 0) {
    const first = payload[at];
    const version = ((payload[at + 1] << 24) | (payload[at + 2] << 16) |
      (payload[at + 3] << 8) | payload[at + 4]) >>> 0;
    const scheme = initialScheme(version);
    if (!scheme || (result && result.version !== version)) break;
    let pos = at + 5;
    const dcidLen = payload[pos++];
    if (dcidLen > 20 || pos + dcidLen >= payload.length) break;
    const dcid = payload.subarray(pos, pos += dcidLen);
    const scidLen = payload[pos++];
    if (scidLen > 20 || pos + scidLen > payload.length) break;
    const scid = payload.subarray(pos, pos += scidLen);
    const type = (first >> 4) & 3;
    const isInitial = type === scheme.initialType;
    if (type === (scheme.initialType + 3) % 4) break; // Retry: no length, ends the datagram
    if (isInitial) {
      const token = varint(payload, pos, payload.length);
      if (!token || token[0] > payload.length - token[1]) break;
      pos = token[1] + token[0];
    }
    const length = varint(payload, pos, payload.length);
    if (!length || length[0] > payload.length - length[1]) break;
    const start = at, pnOffset = length[1], end = pnOffset + length[0];
    at = end;
    if (!isInitial) continue; // 0-RTT or Handshake: skipped by its length
    const chunks = openInitial(payload, start, pnOffset, end, scheme, dcid);
    if (!chunks) {
      if (!result) return null;
      continue;
    }
    result ??= {
      version,
      dcid: dcid.slice(),
      scid: scid.slice(),
      packetNumber: chunks.pn,
      chunks: [],
    };
    result.chunks.push(...chunks.chunks);
  }
  return result;
}

/** Removes the protection of the Initial packet at `payload[start..end)`; null when it fails. */
function openInitial(
  payload: Uint8Array,
  start: number,
  pnOffset: number,
  end: number,
  scheme: InitialScheme,
  dcid: Uint8Array,
): { pn: number; chunks: CryptoChunk[] } | null {
  if (pnOffset + 4 + 16 > end) return null; // no room for the sample
  const keys = clientInitialKeys(scheme, dcid);
  const mask = headerMask(keys.hp, payload.subarray(pnOffset + 4, pnOffset + 20));
  const first = payload[start] ^ (mask[0] & 0x0f);
  const pnLen = (first & 3) + 1;
  const header = payload.slice(start, pnOffset + pnLen);
  header[0] = first;
  let pn = 0;
  for (let i = 0; i < pnLen; i++) {
    const b = payload[pnOffset + i] ^ mask[1 + i];
    header[pnOffset - start + i] = b;
    pn = pn * 256 + b;
  }
  const sealed = payload.subarray(pnOffset + pnLen, end);
  const plain = aeadOpen(keys.key, packetNonce(keys.iv, pn), header, sealed);
  if (!plain) return null;
  const chunks: CryptoChunk[] = [];
  cryptoFrames(plain, chunks);
  return { pn, chunks };
}

/** The most CRYPTO stream bytes a {@linkcode QuicCryptoAssembler} keeps. */
export const QUIC_CRYPTO_LIMIT = 64 * 1024;

/**
 * Reassembles one flow's client CRYPTO stream from {@linkcode parseQuicInitial}
 * chunks (out of order, duplicated or overlapping; the first copy of a byte
 * wins) until its ClientHello is complete. Keeps at most
 * {@linkcode QUIC_CRYPTO_LIMIT} bytes: a ClientHello longer than that never
 * completes and gives null.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const assembler = new QuicCryptoAssembler();
 * assembler.add([{ offset: 0, data: new Uint8Array([1, 0, 0]) }]);
 * assertEquals(assembler.sni(), undefined); // the length is not all there yet
 * assembler.add([{ offset: 3, data: new Uint8Array([0]) }]);
 * assertEquals(assembler.sni(), null); // an empty ClientHello: complete, with no name
 * ```
 */
export class QuicCryptoAssembler {
  #buf = new Uint8Array(0);
  #have = new Uint8Array(0);
  #contiguous = 0;
  #result: string | null | undefined = undefined;

  /** Stores chunks; ignored once {@linkcode sni} has an answer. */
  add(chunks: Iterable<CryptoChunk>): void {
    if (this.#result !== undefined) return;
    for (const { offset, data } of chunks) {
      if (!(offset >= 0) || offset >= QUIC_CRYPTO_LIMIT) continue;
      const end = Math.min(offset + data.length, QUIC_CRYPTO_LIMIT);
      if (end > this.#buf.length) this.#grow(end);
      const buf = this.#buf, have = this.#have;
      for (let i = offset; i < end; i++) {
        if (have[i]) continue;
        buf[i] = data[i - offset];
        have[i] = 1;
      }
    }
    while (this.#contiguous < this.#have.length && this.#have[this.#contiguous]) this.#contiguous++;
  }

  /**
   * The ClientHello's server name once the stream holds all of it; null when
   * it has none (or the stream does not start with a ClientHello); undefined
   * while bytes are missing.
   */
  sni(): string | null | undefined {
    if (this.#result !== undefined || this.#contiguous < 4) return this.#result;
    const b = this.#buf;
    const length = (b[1] << 16) | (b[2] << 8) | b[3];
    if (b[0] !== 1 || 4 + length > QUIC_CRYPTO_LIMIT) return this.#finish(null);
    if (this.#contiguous < 4 + length) return undefined;
    return this.#finish(parseClientHello(b.subarray(0, 4 + length))?.sni ?? null);
  }

  #finish(result: string | null): string | null {
    this.#result = result;
    this.#buf = this.#have = new Uint8Array(0);
    return result;
  }

  #grow(end: number): void {
    let size = Math.max(this.#buf.length, 2048);
    while (size < end) size *= 2;
    size = Math.min(size, QUIC_CRYPTO_LIMIT);
    const buf = new Uint8Array(size), have = new Uint8Array(size);
    buf.set(this.#buf);
    have.set(this.#have);
    this.#buf = buf;
    this.#have = have;
  }
}
