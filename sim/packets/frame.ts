/**
 * Whole Ethernet frames (IPv4 or IPv6, then TCP or UDP) written into a
 * caller's buffer, for the simulator's hot path: no allocation per call, byte
 * stores only. A frame may claim more payload than it carries, as a capture
 * with a snapshot length or a GRO/TSO large segment does: the IP length fields
 * say the real size, only the headers and the given payload bytes are written.
 *
 * @module
 */
import { parseIp } from "../../engine/ip_address.ts";

/** One side of a conversation: its MAC, its IPv4 (4 bytes) or IPv6 (16 bytes) address, its port. */
export interface Endpoint {
  mac: Uint8Array;
  ip: Uint8Array;
  port: number;
}

export const TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_RST = 0x04, TCP_PSH = 0x08, TCP_ACK = 0x10;

const ETH = 14, IP4 = 20, IP6 = 40, TCP_HEADER = 20, UDP_HEADER = 8;
const PROTO_TCP = 6, PROTO_UDP = 17;

/** Largest TCP payloadLength an IPv4 frame can claim (total length 65535). */
export const MAX_SEGMENT_V4: number = 65535 - IP4 - TCP_HEADER;
/** Largest UDP payloadLength an IPv4 frame can claim. */
export const MAX_DATAGRAM_V4: number = 65535 - IP4 - UDP_HEADER;
/** Largest TCP payloadLength an IPv6 frame can claim (payload length 65535, no jumbograms). */
export const MAX_SEGMENT_V6: number = 65535 - TCP_HEADER;
/** Largest UDP payloadLength an IPv6 frame can claim. */
export const MAX_DATAGRAM_V6: number = 65535 - UDP_HEADER;

/**
 * The wire length of a frame from `src` carrying `payloadLength` bytes:
 * 14 + IP header + transport header + payloadLength.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const src = { mac: new Uint8Array(6), ip: new Uint8Array(4), port: 1 };
 * assertEquals(frameLength(src, "tcp", 1448), 1502);
 * ```
 */
export function frameLength(src: Endpoint, proto: "tcp" | "udp", payloadLength: number): number {
  return ETH + (src.ip.length === 16 ? IP6 : IP4) +
    (proto === "tcp" ? TCP_HEADER : UDP_HEADER) + payloadLength;
}

/**
 * Writes Ethernet + IPv4 or IPv6 (by `src.ip`'s length; `dst.ip` must match)
 * + TCP (20-byte header, window 65535) at `at` in `buf`, and returns the
 * captured length: headers plus `payload` (which may be null). The IP length
 * fields say `payloadLength` (>= `payload.length`); the wire length is
 * `frameLength(src, "tcp", payloadLength)`. `seq` and `ack` are taken modulo
 * 2^32, `ipId` modulo 2^16 (IPv4 only). IPv4: TTL 64, DF set, a valid header
 * checksum. The TCP checksum is computed when the whole payload is captured,
 * else left 0.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const buf = new Uint8Array(2048);
 * const a = { mac: macBytes("02:00:00:00:00:01"), ip: ipBytes("192.168.1.7"), port: 50000 };
 * const b = { mac: macBytes("02:00:00:00:00:02"), ip: ipBytes("203.0.113.5"), port: 443 };
 * assertEquals(writeTcp(buf, 0, a, b, 1, 0, TCP_SYN, null, 0), 54);
 * assertEquals(writeTcp(buf, 0, a, b, 2, 1, TCP_ACK, null, 1448), 54); // 1502 on the wire
 * ```
 */
export function writeTcp(
  buf: Uint8Array,
  at: number,
  src: Endpoint,
  dst: Endpoint,
  seq: number,
  ack: number,
  flags: number,
  payload: Uint8Array | null,
  payloadLength: number,
  ipId = 0,
): number {
  const l4 = writeIp(buf, at, src, dst, PROTO_TCP, TCP_HEADER, payload, payloadLength, ipId);
  buf[l4] = src.port >>> 8;
  buf[l4 + 1] = src.port & 255;
  buf[l4 + 2] = dst.port >>> 8;
  buf[l4 + 3] = dst.port & 255;
  put32(buf, l4 + 4, seq);
  put32(buf, l4 + 8, ack);
  buf[l4 + 12] = (TCP_HEADER / 4) << 4;
  buf[l4 + 13] = flags & 0xff;
  buf[l4 + 14] = 0xff; // window 65535
  buf[l4 + 15] = 0xff;
  buf[l4 + 16] =
    buf[l4 + 17] =
    buf[l4 + 18] =
    buf[l4 + 19] =
      0; // checksum, urgent pointer
  return finish(buf, at, l4, src, dst, PROTO_TCP, TCP_HEADER, payload, payloadLength, 16);
}

/**
 * Writes Ethernet + IPv4 or IPv6 + UDP at `at` in `buf`, as
 * {@linkcode writeTcp} does, and returns the captured length. The UDP length
 * field says `payloadLength`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const buf = new Uint8Array(2048);
 * const a = { mac: macBytes("02:00:00:00:00:01"), ip: ipBytes("fd00::7"), port: 5353 };
 * const b = { mac: macBytes("33:33:00:00:00:fb"), ip: ipBytes("ff02::fb"), port: 5353 };
 * assertEquals(writeUdp(buf, 0, a, b, new Uint8Array(12), 12), 14 + 40 + 8 + 12);
 * ```
 */
export function writeUdp(
  buf: Uint8Array,
  at: number,
  src: Endpoint,
  dst: Endpoint,
  payload: Uint8Array | null,
  payloadLength: number,
  ipId = 0,
): number {
  const l4 = writeIp(buf, at, src, dst, PROTO_UDP, UDP_HEADER, payload, payloadLength, ipId);
  const length = UDP_HEADER + payloadLength;
  buf[l4] = src.port >>> 8;
  buf[l4 + 1] = src.port & 255;
  buf[l4 + 2] = dst.port >>> 8;
  buf[l4 + 3] = dst.port & 255;
  buf[l4 + 4] = length >>> 8;
  buf[l4 + 5] = length & 255;
  buf[l4 + 6] = buf[l4 + 7] = 0;
  return finish(buf, at, l4, src, dst, PROTO_UDP, UDP_HEADER, payload, payloadLength, 6);
}

/**
 * Checks the arguments, writes the Ethernet and IP headers and returns where
 * the transport header goes.
 */
function writeIp(
  buf: Uint8Array,
  at: number,
  src: Endpoint,
  dst: Endpoint,
  proto: number,
  l4Header: number,
  payload: Uint8Array | null,
  payloadLength: number,
  ipId: number,
): number {
  const v6 = src.ip.length === 16;
  if (!v6 && src.ip.length !== 4) {
    throw new RangeError(`src.ip must be 4 or 16 bytes, got ${src.ip.length}`);
  }
  if (dst.ip.length !== src.ip.length) {
    throw new RangeError(`dst.ip must be ${src.ip.length} bytes like src.ip, got ${dst.ip.length}`);
  }
  if (src.mac.length !== 6) throw new RangeError(`src.mac must be 6 bytes, got ${src.mac.length}`);
  if (dst.mac.length !== 6) throw new RangeError(`dst.mac must be 6 bytes, got ${dst.mac.length}`);
  checkPort(src.port, "src.port");
  checkPort(dst.port, "dst.port");
  const captured = payload === null ? 0 : payload.length;
  if (!(payloadLength >= captured) || !Number.isInteger(payloadLength)) {
    throw new RangeError(
      `payloadLength must be an integer >= the payload's ${captured} bytes, got ${payloadLength}`,
    );
  }
  const ipPayload = l4Header + payloadLength;
  if (ipPayload + (v6 ? 0 : IP4) > 65535) {
    const max = 65535 - l4Header - (v6 ? 0 : IP4);
    throw new RangeError(`payloadLength ${payloadLength} exceeds the IP maximum ${max}`);
  }
  const ip = at + ETH, headerEnd = ip + (v6 ? IP6 : IP4) + l4Header;
  if (!(at >= 0) || headerEnd + captured > buf.length) {
    throw new RangeError(`buf has no room for ${headerEnd - at + captured} bytes at ${at}`);
  }
  copy(buf, at, dst.mac, 6);
  copy(buf, at + 6, src.mac, 6);
  buf[at + 12] = v6 ? 0x86 : 0x08;
  buf[at + 13] = v6 ? 0xdd : 0x00;
  if (v6) {
    buf[ip] = 0x60;
    buf[ip + 1] = buf[ip + 2] = buf[ip + 3] = 0; // traffic class, flow label
    buf[ip + 4] = ipPayload >>> 8;
    buf[ip + 5] = ipPayload & 255;
    buf[ip + 6] = proto;
    buf[ip + 7] = 64; // hop limit
    copy(buf, ip + 8, src.ip, 16);
    copy(buf, ip + 24, dst.ip, 16);
    return ip + IP6;
  }
  const total = IP4 + ipPayload;
  buf[ip] = 0x45;
  buf[ip + 1] = 0;
  buf[ip + 2] = total >>> 8;
  buf[ip + 3] = total & 255;
  buf[ip + 4] = (ipId >>> 8) & 255;
  buf[ip + 5] = ipId & 255;
  buf[ip + 6] = 0x40; // DF
  buf[ip + 7] = 0;
  buf[ip + 8] = 64; // TTL
  buf[ip + 9] = proto;
  buf[ip + 10] = buf[ip + 11] = 0;
  copy(buf, ip + 12, src.ip, 4);
  copy(buf, ip + 16, dst.ip, 4);
  const sum = fold(sum16(buf, ip, ip + IP4, 0));
  buf[ip + 10] = (~sum >>> 8) & 255;
  buf[ip + 11] = ~sum & 255;
  return ip + IP4;
}

/**
 * Copies the payload after the transport header and, when all of it is
 * captured, fills the transport checksum at `l4 + checksumAt`; returns the
 * captured length.
 */
function finish(
  buf: Uint8Array,
  at: number,
  l4: number,
  src: Endpoint,
  dst: Endpoint,
  proto: number,
  l4Header: number,
  payload: Uint8Array | null,
  payloadLength: number,
  checksumAt: number,
): number {
  const data = l4 + l4Header, captured = payload === null ? 0 : payload.length;
  if (payload !== null) buf.set(payload, data);
  if (captured === payloadLength) {
    // RFC 768/793 pseudo-header: addresses, protocol, transport length.
    const length = l4Header + payloadLength;
    let sum = sum16(src.ip, 0, src.ip.length, 0);
    sum = sum16(dst.ip, 0, dst.ip.length, sum);
    sum += proto + (length >>> 16) + (length & 0xffff);
    sum = fold(sum16(buf, l4, data + captured, sum));
    let check = ~sum & 0xffff;
    if (check === 0 && proto === PROTO_UDP) check = 0xffff; // 0 means "no checksum" in UDP
    buf[l4 + checksumAt] = check >>> 8;
    buf[l4 + checksumAt + 1] = check & 255;
  }
  return data + captured - at;
}

function checkPort(port: number, name: string): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`${name} must be an integer in 0-65535, got ${port}`);
  }
}

function copy(buf: Uint8Array, at: number, bytes: Uint8Array, n: number): void {
  for (let i = 0; i < n; i++) buf[at + i] = bytes[i];
}

function put32(buf: Uint8Array, at: number, value: number): void {
  const v = value >>> 0;
  buf[at] = v >>> 24;
  buf[at + 1] = (v >>> 16) & 255;
  buf[at + 2] = (v >>> 8) & 255;
  buf[at + 3] = v & 255;
}

/** Adds the big-endian 16-bit words of `b[start..end)` to `sum` (an odd last byte padded). */
function sum16(b: Uint8Array, start: number, end: number, sum: number): number {
  let i = start;
  for (; i + 1 < end; i += 2) sum += (b[i] << 8) | b[i + 1];
  if (i < end) sum += b[i] << 8;
  return sum;
}

/** Folds the carries of a ones' complement sum into 16 bits. */
function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return sum;
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/**
 * "aa:bb:cc:dd:ee:ff" as 6 bytes; TypeError for anything else.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(macBytes("02:00:00:00:00:0a"), Uint8Array.of(2, 0, 0, 0, 0, 10));
 * ```
 */
export function macBytes(text: string): Uint8Array {
  if (typeof text !== "string" || !MAC.test(text)) {
    throw new TypeError(`mac must look like "aa:bb:cc:dd:ee:ff", got ${JSON.stringify(text)}`);
  }
  return Uint8Array.from(text.split(":"), (h) => parseInt(h, 16));
}

/**
 * "192.168.1.7" as 4 bytes or "fd00::7" as 16; TypeError for anything else.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(ipBytes("192.168.1.7"), Uint8Array.of(192, 168, 1, 7));
 * assertEquals(ipBytes("fd00::7").length, 16);
 * ```
 */
export function ipBytes(text: string): Uint8Array {
  const parsed = typeof text === "string" && !text.includes("%") ? parseIp(text) : null;
  if (!parsed) {
    throw new TypeError(`ip must be an IPv4 or IPv6 address, got ${JSON.stringify(text)}`);
  }
  const words = parsed.version === 4 ? parsed.words.subarray(0, 1) : parsed.words;
  const out = new Uint8Array(words.length * 4);
  for (let i = 0; i < words.length; i++) put32(out, i * 4, words[i]);
  return out;
}
