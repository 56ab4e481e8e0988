/**
 * QUIC v1 client Initial packets (RFC 9000 §17.2.2), protected as a real
 * client protects them (RFC 9001 §5): keys derived from the Destination
 * Connection ID, AES-128-GCM on the payload, AES-128-ECB header protection.
 * Built with node:crypto, independently of the engine's own primitives, so
 * that a test of one checks the other.
 *
 * @module
 */
import { createCipheriv, createHmac } from "node:crypto";
import { clientHelloMessage } from "./tls_hello.ts";

/** RFC 9001 §5.2: the QUIC v1 initial salt. */
const V1_SALT = Uint8Array.from(
  "38762cf7f55934b34d179ae6a4c80cadccbb7f0a".match(/../g)!,
  (h) => parseInt(h, 16),
);
const DATAGRAM = 1200, TAG = 16;

/** The keys protecting a client's Initial packets. */
export interface QuicClientKeys {
  /** AES-128-GCM key. */
  key: Uint8Array;
  /** 12-byte nonce base. */
  iv: Uint8Array;
  /** AES-128 header protection key. */
  hp: Uint8Array;
}

/** HKDF-Expand-Label (RFC 8446 §7.1) with an empty context, for lengths up to 32. */
function expandLabel(secret: Uint8Array, label: string, length: number): Uint8Array {
  const full = Array.from(`tls13 ${label}`, (c) => c.charCodeAt(0));
  const info = Uint8Array.from([length >> 8, length & 255, full.length, ...full, 0, 1]);
  return new Uint8Array(createHmac("sha256", secret).update(info).digest()).slice(0, length);
}

/**
 * The client's Initial keys for Destination Connection ID `dcid` (RFC 9001
 * §5.2; Appendix A.1 has the values for 0x8394c8f03e515708).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const keys = quicClientKeys(Uint8Array.of(0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08));
 * assertEquals(keys.hp[0], 0x9f);
 * ```
 */
export function quicClientKeys(dcid: Uint8Array): QuicClientKeys {
  const initial = new Uint8Array(createHmac("sha256", V1_SALT).update(dcid).digest());
  const client = expandLabel(initial, "client in", 32);
  return {
    key: expandLabel(client, "quic key", 16),
    iv: expandLabel(client, "quic iv", 12),
    hp: expandLabel(client, "quic hp", 16),
  };
}

function checkCid(cid: Uint8Array, name: string, min: number): void {
  if (!(cid instanceof Uint8Array) || cid.length < min || cid.length > 20) {
    throw new RangeError(`${name} must be ${min} to 20 bytes, got ${cid?.length}`);
  }
}

/**
 * Protects `frames` as a QUIC v1 client Initial packet with packet number
 * `packetNumber` written in `pnLength` bytes, an empty token and a 2-byte
 * Length field: payload protection with AES-128-GCM, then header protection.
 * The packet is header + frames + 16 tag bytes long; pad `frames` to make it
 * 1200 bytes as clients must.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const dcid = new Uint8Array(8).fill(1);
 * const packet = protectClientInitial(new Uint8Array(1162), dcid, new Uint8Array(0), 0, 4);
 * assertEquals(packet.length, 1200);
 * ```
 */
export function protectClientInitial(
  frames: Uint8Array,
  dcid: Uint8Array,
  scid: Uint8Array,
  packetNumber: number,
  pnLength = 4,
): Uint8Array {
  checkCid(dcid, "dcid", 8);
  checkCid(scid, "scid", 0);
  if (!Number.isInteger(pnLength) || pnLength < 1 || pnLength > 4) {
    throw new RangeError(`pnLength must be 1 to 4, got ${pnLength}`);
  }
  if (!Number.isInteger(packetNumber) || packetNumber < 0 || packetNumber >= 2 ** (8 * pnLength)) {
    throw new RangeError(`packetNumber must fit ${pnLength} bytes, got ${packetNumber}`);
  }
  const length = pnLength + frames.length + TAG;
  if (length > 0x3fff) {
    throw new RangeError(`frames must be under ${0x3fff - pnLength - TAG} bytes`);
  }
  if (pnLength + frames.length < 4) throw new RangeError("frames are too short to sample");
  const header = Uint8Array.from([
    0xc0 | (pnLength - 1), // long header, fixed bit, Initial, packet number length
    0,
    0,
    0,
    1, // version 1
    dcid.length,
    ...dcid,
    scid.length,
    ...scid,
    0, // no token
    0x40 | (length >> 8),
    length & 255,
    ...Array.from(
      { length: pnLength },
      (_, i) => (packetNumber >>> (8 * (pnLength - 1 - i))) & 255,
    ),
  ]);
  const keys = quicClientKeys(dcid);
  const nonce = keys.iv.slice();
  for (let i = 0; i < 4; i++) nonce[11 - i] ^= (packetNumber >>> (8 * i)) & 255;
  const gcm = createCipheriv("aes-128-gcm", keys.key, nonce);
  gcm.setAAD(header);
  const sealed = [gcm.update(frames), gcm.final(), gcm.getAuthTag()];
  const packet = new Uint8Array(header.length + frames.length + TAG);
  packet.set(header);
  let at = header.length;
  for (const part of sealed) {
    packet.set(part, at);
    at += part.length;
  }
  // Header protection: a mask from a sample taken 4 bytes after the packet number's start.
  const pnOffset = header.length - pnLength;
  const ecb = createCipheriv("aes-128-ecb", keys.hp, null);
  ecb.setAutoPadding(false);
  const mask = ecb.update(packet.subarray(pnOffset + 4, pnOffset + 20));
  packet[0] ^= mask[0] & 0x0f;
  for (let i = 0; i < pnLength; i++) packet[pnOffset + i] ^= mask[1 + i];
  return packet;
}

/** A QUIC variable-length integer (RFC 9000 §16), for values below 2^30. */
function varint(n: number): number[] {
  if (n < 64) return [n];
  if (n < 16384) return [0x40 | (n >> 8), n & 255];
  return [0x80 | (n >>> 24), (n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** A client's transport parameters (RFC 9000 §18.2), as browsers send them. */
function transportParameters(scid: Uint8Array): Uint8Array {
  const param = (id: number, value: number[]) => [...varint(id), ...varint(value.length), ...value];
  return Uint8Array.from([
    ...param(0x01, varint(30_000)), // max_idle_timeout
    ...param(0x03, varint(1472)), // max_udp_payload_size
    ...param(0x04, varint(15_728_640)), // initial_max_data
    ...param(0x05, varint(6_291_456)), // initial_max_stream_data_bidi_local
    ...param(0x06, varint(6_291_456)), // initial_max_stream_data_bidi_remote
    ...param(0x07, varint(6_291_456)), // initial_max_stream_data_uni
    ...param(0x08, varint(100)), // initial_max_streams_bidi
    ...param(0x09, varint(103)), // initial_max_streams_uni
    ...param(0x0f, [...scid]), // initial_source_connection_id
  ]);
}

/**
 * A QUIC v1 client's first datagram: one Initial packet (packet number 0)
 * whose CRYPTO frame holds a ClientHello naming `serverName` with ALPN "h3"
 * and the quic_transport_parameters extension, padded to 1200 bytes and
 * protected with the keys of `dcid` (8 to 20 bytes), so that anyone who sees
 * it (Sluice, Wireshark) can decrypt it and read the name. `scid` is 0 to 20
 * bytes; `random` the hello's 32 random bytes.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const datagram = quicInitial("www.youtube.com", new Uint8Array(8).fill(7), new Uint8Array(8), new Uint8Array(32));
 * assertEquals([datagram.length, datagram[0] & 0xf0], [1200, 0xc0]);
 * ```
 */
export function quicInitial(
  serverName: string,
  dcid: Uint8Array,
  scid: Uint8Array,
  random: Uint8Array,
): Uint8Array {
  checkCid(dcid, "dcid", 8);
  checkCid(scid, "scid", 0);
  const hello = clientHelloMessage(serverName, random, {
    alpn: ["h3"],
    quicTransportParameters: transportParameters(scid),
  });
  const pnLength = 1;
  const headerLength = 1 + 4 + 1 + dcid.length + 1 + scid.length + 1 + 2 + pnLength;
  const crypto = [0x06, 0, ...varint(hello.length)]; // CRYPTO at offset 0
  const frames = new Uint8Array(DATAGRAM - headerLength - TAG); // the rest is PADDING (zeros)
  if (crypto.length + hello.length > frames.length) {
    throw new RangeError(`the ClientHello for ${serverName} does not fit one Initial packet`);
  }
  frames.set(crypto);
  frames.set(hello, crypto.length);
  return protectClientInitial(frames, dcid, scid, 0, pnLength);
}
