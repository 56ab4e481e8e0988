// Hand-built packets for the engine's tests. Every builder returns the bytes of
// one header followed by its payload, so frames are written inside out:
//
//   ethernet(MAC_B, MAC_A, ETH_IP4, ipv4({ src, dst, proto: TCP }, tcp({ sport, dport }, data)))
//
// Checksums are left zero: the decoder never reads them. Lengths (IPv4 total
// length, IPv6 payload length, UDP length) are filled in from the payload
// unless an option overrides them, so tests can build lying packets too.
import {
  decodePacket,
  type DecodeStatus,
  formatEndpoint,
  PacketInfo,
  protocolName,
} from "../../engine/mod.ts";

export const ETH_IP4 = 0x0800, ETH_IP6 = 0x86dd, ETH_ARP = 0x0806;
export const ETH_VLAN = 0x8100, ETH_QINQ = 0x88a8, ETH_MPLS = 0x8847, ETH_PPPOE = 0x8864;
export const ICMP = 1, IPIP = 4, TCP = 6, UDP = 17, IPV6 = 41, GRE = 47, ICMPV6 = 58;
export const SYN = 0x02, ACK = 0x10, FIN = 0x01, PSH = 0x08, RST = 0x04;
export const MAC_A = "02:00:00:00:00:0a", MAC_B = "02:00:00:00:00:0b";

/** Concatenates byte arrays and plain byte lists. */
export function concat(...parts: (Uint8Array | readonly number[])[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A 16-bit big-endian value as two bytes. */
export function u16(value: number): number[] {
  return [(value >>> 8) & 255, value & 255];
}

/** A 32-bit big-endian value as four bytes. */
export function u32(value: number): number[] {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
}

/** `n` bytes counting up from `start` (mod 256): recognisable payload. */
export function filler(n: number, start = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (start + i) & 255);
}

/** A DataView over exactly the bytes of `frame`. */
export function view(frame: Uint8Array): DataView {
  return new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
}

/** "02:00:00:00:00:0a" as six bytes. */
export function mac(text: string): number[] {
  return text.split(":").map((h) => parseInt(h, 16));
}

/** "192.0.2.1" as four bytes, or an IPv6 text ("2001:db8::1") as sixteen. */
export function ipBytes(text: string): number[] {
  if (!text.includes(":")) return text.split(".").map(Number);
  const [head, tail] = text.split("::");
  const groups = (s: string | undefined) => (s ? s.split(":").map((g) => parseInt(g, 16)) : []);
  const h = groups(head), t = groups(tail);
  const all = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
  return all.flatMap(u16);
}

/**
 * An Ethernet II frame. `vlanIds` are 802.1Q tags, outermost first: the outer
 * ones use the 802.1ad TPID 0x88a8, the innermost 0x8100.
 */
export function ethernet(
  dst: string,
  src: string,
  ethertype: number,
  payload: Uint8Array,
  vlanIds: readonly number[] = [],
): Uint8Array {
  const tags = vlanIds.flatMap((id, i) => [
    ...u16(i === vlanIds.length - 1 ? ETH_VLAN : ETH_QINQ),
    ...u16(id),
  ]);
  return concat(mac(dst), mac(src), tags, u16(ethertype), payload);
}

/** MPLS label stack entries (label, bottom-of-stack bit on the last), then the payload. */
export function mpls(labels: readonly number[], payload: Uint8Array): Uint8Array {
  const entries = labels.flatMap((label, i) =>
    u32((label << 12) | (i === labels.length - 1 ? 0x100 : 0) | 64)
  );
  return concat(entries, payload);
}

/** A PPPoE session header and PPP protocol field (0x0021 IPv4, 0x0057 IPv6). */
export function pppoe(session: number, pppProtocol: number, payload: Uint8Array): Uint8Array {
  return concat([0x11, 0x00], u16(session), u16(payload.length + 2), u16(pppProtocol), payload);
}

/** An 802.2 LLC/SNAP header carrying an ethertype (follows an 802.3 length field). */
export function llcSnap(ethertype: number, payload: Uint8Array): Uint8Array {
  return concat([0xaa, 0xaa, 0x03, 0, 0, 0], u16(ethertype), payload);
}

/** Options for {@linkcode ipv4}. */
export interface Ipv4Options {
  src: string;
  dst: string;
  proto: number;
  id?: number;
  /** Fragment offset in bytes (a multiple of 8). */
  fragOffset?: number;
  /** More-fragments flag. */
  mf?: boolean;
  /** Replaces the computed total length. */
  totalLength?: number;
  /** IP options, padded with zeros to a multiple of 4 bytes. */
  options?: readonly number[];
  /** Replaces the version nibble (4). */
  version?: number;
  /** Replaces the header length in bytes (computed from the options). */
  headerLength?: number;
}

/** An IPv4 header and payload. */
export function ipv4(o: Ipv4Options, payload: Uint8Array): Uint8Array {
  const options = [...(o.options ?? [])];
  while (options.length % 4 !== 0) options.push(0);
  const ihl = o.headerLength ?? 20 + options.length;
  const frag = ((o.fragOffset ?? 0) / 8) | (o.mf ? 0x2000 : 0);
  return concat(
    [((o.version ?? 4) << 4) | (ihl / 4), 0],
    u16(o.totalLength ?? 20 + options.length + payload.length),
    u16(o.id ?? 1),
    u16(frag),
    [64, o.proto],
    [0, 0],
    ipBytes(o.src),
    ipBytes(o.dst),
    options,
    payload,
  );
}

/** An IPv6 extension header, in the order it appears after the fixed header. */
export type Ipv6Extension =
  | { type: "hop-by-hop" | "routing" | "dest-opts"; extraUnits?: number }
  | { type: "ah"; icvBytes?: number }
  | { type: "fragment"; offset: number; more: boolean; id?: number };

const EXT_NUMBER = { "hop-by-hop": 0, "routing": 43, "dest-opts": 60, "ah": 51, "fragment": 44 };

/** Options for {@linkcode ipv6}. */
export interface Ipv6Options {
  src: string;
  dst: string;
  /** Protocol of the payload, after any extension headers. */
  next: number;
  extensions?: readonly Ipv6Extension[];
  /** Replaces the computed payload length. */
  payloadLength?: number;
}

/** An IPv6 header, its extension headers (each naming the next) and payload. */
export function ipv6(o: Ipv6Options, payload: Uint8Array): Uint8Array {
  const exts = o.extensions ?? [];
  const numbers = [...exts.map((e) => EXT_NUMBER[e.type]), o.next];
  const headers = exts.map((e, i) => {
    const next = numbers[i + 1];
    switch (e.type) {
      case "fragment":
        return concat([next, 0], u16(e.offset | (e.more ? 1 : 0)), u32(e.id ?? 7));
      case "ah": { // next, length in 4-byte units minus 2, reserved, SPI, sequence, ICV
        const icv = e.icvBytes ?? 12;
        return concat([next, (12 + icv) / 4 - 2, 0, 0], u32(0x100), u32(1), filler(icv));
      }
      default: { // next, length in 8-byte units not counting the first, options
        const units = e.extraUnits ?? 0;
        return concat([next, units], [1, 4, 0, 0, 0, 0], new Uint8Array(units * 8));
      }
    }
  });
  const rest = concat(...headers, payload);
  return concat(
    [0x60, 0, 0, 0],
    u16(o.payloadLength ?? rest.length),
    [numbers[0], 64],
    ipBytes(o.src),
    ipBytes(o.dst),
    rest,
  );
}

/** Options for {@linkcode tcp}. */
export interface TcpOptions {
  sport: number;
  dport: number;
  /** Flags byte; ACK by default. */
  flags?: number;
  /** Header length in bytes (20 to 60); the options are NOPs. */
  dataOffset?: number;
}

/** A TCP header and payload. */
export function tcp(o: TcpOptions, payload: Uint8Array = new Uint8Array()): Uint8Array {
  const dataOffset = o.dataOffset ?? 20;
  return concat(
    u16(o.sport),
    u16(o.dport),
    u32(1000),
    u32(2000),
    [(dataOffset / 4) << 4, o.flags ?? ACK],
    u16(65535),
    [0, 0, 0, 0],
    new Uint8Array(Math.max(0, dataOffset - 20)).fill(1),
    payload,
  );
}

/** A UDP header (length from the payload) and payload. */
export function udp(
  o: { sport: number; dport: number },
  payload: Uint8Array = new Uint8Array(),
): Uint8Array {
  return concat(u16(o.sport), u16(o.dport), u16(8 + payload.length), [0, 0], payload);
}

/** An ICMP or ICMPv6 header (type, code, checksum, 4 bytes of rest) and payload. */
export function icmp(
  o: { type: number; code?: number },
  payload: Uint8Array = new Uint8Array(),
): Uint8Array {
  return concat([o.type, o.code ?? 0, 0, 0, 0, 1, 0, 1], payload);
}

/** A Linux cooked (SLL) header: packet type, ARPHRD, address, protocol. */
export function linuxSll(protocol: number, payload: Uint8Array, packetType = 0): Uint8Array {
  return concat(u16(packetType), u16(1), u16(6), mac(MAC_A), [0, 0], u16(protocol), payload);
}

/** A Linux cooked v2 (SLL2) header: protocol first, then interface index and address. */
export function linuxSll2(protocol: number, payload: Uint8Array, ifindex = 2): Uint8Array {
  return concat(u16(protocol), [0, 0], u32(ifindex), u16(1), [0, 6], mac(MAC_A), [0, 0], payload);
}

/** BSD loopback (NULL): the address family in the capturing host's byte order. */
export function nullLink(family: number, payload: Uint8Array, littleEndian = true): Uint8Array {
  const be = u32(family);
  return concat(littleEndian ? be.reverse() : be, payload);
}

/** OpenBSD loopback (LOOP): the address family in network byte order. */
export function loop(family: number, payload: Uint8Array): Uint8Array {
  return nullLink(family, payload, false);
}

/**
 * A PPP frame: with the HDLC-like `ff 03` address and control unless
 * `addressControl` is false, with a one-byte protocol when `compressed`.
 */
export function ppp(
  protocol: number,
  payload: Uint8Array,
  { addressControl = true, compressed = false } = {},
): Uint8Array {
  return concat(
    addressControl ? [0xff, 0x03] : [],
    compressed ? [protocol] : u16(protocol),
    payload,
  );
}

/** Cisco HDLC: address (0x0f unicast, 0x8f broadcast), control 0, ethertype. */
export function ciscoHdlc(ethertype: number, payload: Uint8Array, address = 0x0f): Uint8Array {
  return concat([address, 0], u16(ethertype), payload);
}

/** A PPI header (little-endian length and inner link type) and the inner frame. */
export function ppi(innerLinkType: number, payload: Uint8Array, headerLength = 8): Uint8Array {
  const header = new Uint8Array(Math.max(8, headerLength));
  const v = new DataView(header.buffer);
  v.setUint16(2, headerLength, true);
  v.setUint32(4, innerLinkType, true);
  return concat(header, payload);
}

/** Raw IP link types (RAW, IPV4, IPV6) carry the IP packet as it is. */
export function raw(payload: Uint8Array): Uint8Array {
  return payload;
}

/** A seeded PRNG (mulberry32): `next()` gives [0, 1); `int(n)` gives 0 to n - 1. */
export function prng(seed: number): { next(): number; int(n: number): number } {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n) };
}

/** Decodes one frame into a fresh PacketInfo; `wireLen` defaults to the frame's length. */
export function decode(
  linkType: number,
  frame: Uint8Array,
  wireLen = frame.length,
): { status: DecodeStatus; info: PacketInfo } {
  const info = new PacketInfo();
  const status = decodePacket(linkType, view(frame), 0, frame.length, info, wireLen);
  return { status, info };
}

/** A decoded packet's 5-tuple as text: `TCP 192.0.2.1:40000 > 198.51.100.2:443`. */
export function tuple(info: PacketInfo): string {
  const v = info.ipVersion;
  return `${protocolName(info.protocol)} ${formatEndpoint(v, info.src, info.srcPort)} > ${
    formatEndpoint(v, info.dst, info.dstPort)
  }`;
}
