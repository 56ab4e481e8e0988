// QUIC client Initial packets (RFC 9000 §17.2.2, RFC 9001 §5, RFC 9369): removes
// the Initial protection that anyone who sees the Destination Connection ID can
// remove, and collects the CRYPTO frames, whose stream holds the TLS ClientHello
// and so the server name. Google QUIC is read too: Q024 to Q046 send their
// CHLO in plaintext, Q050 protects it like an Initial, and T050/T051 carry a
// TLS ClientHello in Google's frame layout. Pure and synchronous; hostile
// input gives null, never an exception.
import { varint } from "./_quic_varint.ts";
import {
  aeadOpen,
  clientInitialKeys,
  headerMask,
  type InitialScheme,
  initialScheme,
  packetNonce,
} from "./_quic_crypto.ts";
import { parseChlo, readGquicFrames, readPlainGquic } from "./gquic_hello.ts";
import { parseClientHello } from "./tls_client_hello.ts";

/** Bytes of the CRYPTO stream at `offset`. */
export interface CryptoChunk {
  offset: number;
  data: Uint8Array;
}

/** What the client Initial packets of one UDP datagram carried. */
export interface QuicInitial {
  /**
   * QUIC version: 1, 0x6b3343cf (v2), a draft 0xff0000NN, mvfst 0xfaceb0NN,
   * or Google's "Q0NN" and "T05N" in ASCII (0x51303530 is Q050).
   */
  version: number;
  /**
   * The Destination Connection ID whose keys opened the first Initial packet:
   * its own, or the `keyDcid` given to {@linkcode parseQuicInitial}. For
   * plaintext Google QUIC, the connection ID.
   */
  dcid: Uint8Array;
  /** Source Connection ID of the first Initial packet (empty for gQUIC's public header). */
  scid: Uint8Array;
  /** Packet number of the first Initial packet, as sent (truncated). */
  packetNumber: number;
  /**
   * TLS CRYPTO stream chunks of every Initial packet in the datagram that
   * decrypted, in order of arrival; empty for Google's CHLO versions.
   */
  chunks: CryptoChunk[];
  /**
   * Google QUIC crypto (Q024 to Q050): the server name of the CHLO this
   * datagram carries, null for a CHLO without one; undefined when it carries
   * no CHLO, and always for TLS versions.
   */
  chloSni?: string | null;
}

const Q046 = 0x51303436;

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
 * Reads the client Initial packets at the start of a UDP payload and returns
 * what they carried; null when the payload holds no client Initial packet
 * that decrypts (unknown versions, server Initials, short headers, garbage,
 * a failed authentication tag). Versions: QUIC v1 and v2, drafts 22 to 34,
 * Facebook's mvfst, Google's T050 and T051 (CRYPTO chunks of a TLS
 * ClientHello), Google's Q050 (encrypted) and Q024 to Q046 (plaintext), whose
 * CHLO gives `chloSni` at once. Coalesced packets are walked: every Initial
 * packet of the datagram contributes its chunks.
 *
 * A client keeps the keys of its first Initial when the server moves it to a
 * new connection ID: pass the `dcid` of the flow's previous result as
 * `keyDcid` ({@linkcode QuicCryptoAssembler.keyDcid} keeps it) and its keys
 * are tried before those of the packet's own.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(parseQuicInitial(new Uint8Array([0x40, 1, 2, 3])), null); // a short header
 * ```
 */
export function parseQuicInitial(payload: Uint8Array, keyDcid?: Uint8Array): QuicInitial | null {
  if (payload.length < 7) return null;
  if ((payload[0] & 0x80) === 0 || u32(payload, 1) === Q046) {
    const plain = readPlainGquic(payload);
    if (!plain) return null;
    const { version, cid, packetNumber, sni } = plain;
    return { version, dcid: cid, scid: new Uint8Array(0), packetNumber, chunks: [], chloSni: sni };
  }
  let result: QuicInitial | null = null;
  let at = 0;
  while (at + 7 <= payload.length && (payload[at] & 0x80) !== 0) {
    const first = payload[at];
    const version = u32(payload, at + 1);
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
    const opened = openInitial(payload, start, pnOffset, end, scheme, dcid, keyDcid);
    if (!opened) {
      if (!result) return null;
      continue;
    }
    result ??= {
      version,
      dcid: opened.dcid.slice(),
      scid: scid.slice(),
      packetNumber: opened.pn,
      chunks: [],
    };
    if (scheme.hello === "tls") {
      result.chunks.push(...opened.chunks);
    }
    for (const chunk of scheme.hello === "chlo" ? opened.chunks : []) {
      if (result.chloSni === undefined) {
        result.chloSni = parseChlo(chunk.data);
      }
    }
  }
  return result;
}

function u32(p: Uint8Array, at: number): number {
  return ((p[at] << 24) | (p[at + 1] << 16) | (p[at + 2] << 8) | p[at + 3]) >>> 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Removes the protection of the Initial packet at `payload[start..end)` with
 * the keys of `keyDcid` (when given and not its own), then of its own `dcid`;
 * null when neither opens it.
 */
function openInitial(
  payload: Uint8Array,
  start: number,
  pnOffset: number,
  end: number,
  scheme: InitialScheme,
  dcid: Uint8Array,
  keyDcid: Uint8Array | undefined,
): { pn: number; dcid: Uint8Array; chunks: CryptoChunk[] } | null {
  if (pnOffset + 4 + 16 > end) return null; // no room for the sample
  const sample = payload.subarray(pnOffset + 4, pnOffset + 20);
  for (const candidate of keyDcid && !sameBytes(keyDcid, dcid) ? [keyDcid, dcid] : [dcid]) {
    const keys = clientInitialKeys(scheme, candidate);
    const mask = headerMask(keys.hp, sample);
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
    if (!plain) continue;
    const chunks: CryptoChunk[] = [];
    if (scheme.frames === "ietf") cryptoFrames(plain, chunks);
    else readGquicFrames(plain, 0, 50, pnLen, chunks);
    return { pn, dcid: candidate, chunks };
  }
  return null;
}

/** The most CRYPTO stream bytes a {@linkcode QuicCryptoAssembler} keeps. */
export const QUIC_CRYPTO_LIMIT = 64 * 1024;

/**
 * Reassembles one flow's client CRYPTO stream from {@linkcode parseQuicInitial}
 * chunks (out of order, duplicated or overlapping; the first copy of a byte
 * wins) until its ClientHello is complete; with {@linkcode addInitial}, also
 * takes a gQUIC CHLO's answer and remembers the keys' connection ID. Keeps at most
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
  #keyDcid: Uint8Array | undefined;

  /**
   * The connection ID whose keys opened the flow's latest Initials: what
   * {@linkcode parseQuicInitial} needs as `keyDcid` for the flow's next
   * datagram, once the server has moved the client to a new connection ID.
   */
  get keyDcid(): Uint8Array | undefined {
    return this.#keyDcid;
  }

  /**
   * Stores what one datagram's Initials carried and returns {@linkcode sni}:
   * a gQUIC CHLO answers at once, TLS chunks once the ClientHello is whole.
   */
  addInitial(initial: QuicInitial): string | null | undefined {
    this.#keyDcid = initial.dcid;
    if (initial.chloSni !== undefined && this.#result === undefined) {
      return this.#finish(initial.chloSni);
    }
    this.add(initial.chunks);
    return this.sni();
  }

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
