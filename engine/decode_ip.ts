import { Decoded, type DecodeStatus, type PacketInfo } from "./packet_info.ts";

const IPIP = 4, TCP = 6, UDP = 17, IPV6 = 41, UDPLITE = 136;
const MAX_EXTENSION_HEADERS = 16;
/** Tunnels inside tunnels deeper than this are counted as the outer flow. */
const MAX_TUNNEL_DEPTH = 4;

/**
 * Decodes the IP packet at `off` (version from its first nibble) and its
 * transport header into `info`. Never throws on hostile input: any read past
 * `end` is refused before it happens.
 */
export function decodeIp(v: DataView, off: number, end: number, info: PacketInfo): DecodeStatus {
  info.tunnelDepth = 0;
  return decodeIpAt(v, off, end, info);
}

function decodeIpAt(v: DataView, off: number, end: number, info: PacketInfo): DecodeStatus {
  if (off >= end) return Decoded.TRUNCATED;
  const version = v.getUint8(off) >> 4;
  if (version === 4) return decodeIp4(v, off, end, info);
  if (version === 6) return decodeIp6(v, off, end, info);
  return Decoded.MALFORMED;
}

function decodeIp4(v: DataView, off: number, end: number, info: PacketInfo): DecodeStatus {
  if (end - off < 20) return Decoded.TRUNCATED;
  const ihl = (v.getUint8(off) & 0x0f) * 4;
  if (ihl < 20) return Decoded.MALFORMED;
  if (off + ihl > end) return Decoded.TRUNCATED;
  const totalLength = v.getUint16(off + 2);
  // Total length 0 is what TSO/GSO offload captures show for oversized segments.
  if (totalLength !== 0 && totalLength < ihl) return Decoded.MALFORMED;
  if (off + totalLength > info.wireEnd) return Decoded.MALFORMED;
  const ipEnd = totalLength === 0 ? end : Math.min(end, off + totalLength);
  const fragment = v.getUint16(off + 6);
  info.ipVersion = 4;
  info.ipOffset = off;
  info.shortTransport = false;
  info.protocol = v.getUint8(off + 9);
  info.src[0] = v.getUint32(off + 12);
  info.dst[0] = v.getUint32(off + 16);
  info.src[1] = info.src[2] = info.src[3] = 0;
  info.dst[1] = info.dst[2] = info.dst[3] = 0;
  info.fragmentId = v.getUint16(off + 4);
  info.fragmentOffset = (fragment & 0x1fff) * 8;
  info.moreFragments = (fragment & 0x2000) !== 0;
  if (info.fragmentOffset !== 0) {
    info.payloadOffset = off + ihl;
    info.payloadLength = ipEnd - off - ihl;
    return Decoded.FRAGMENT;
  }
  return decodeTransport(v, off + ihl, ipEnd, info);
}

function decodeIp6(v: DataView, off: number, end: number, info: PacketInfo): DecodeStatus {
  if (end - off < 40) return Decoded.TRUNCATED;
  const payloadLength = v.getUint16(off + 4);
  if (off + 40 + payloadLength > info.wireEnd) return Decoded.MALFORMED;
  // Payload length 0 means a jumbogram or an offloaded segment: trust the capture.
  const ipEnd = payloadLength === 0 ? end : Math.min(end, off + 40 + payloadLength);
  info.ipVersion = 6;
  info.ipOffset = off;
  info.shortTransport = false;
  for (let i = 0; i < 4; i++) {
    info.src[i] = v.getUint32(off + 8 + i * 4);
    info.dst[i] = v.getUint32(off + 24 + i * 4);
  }
  info.fragmentId = 0;
  info.fragmentOffset = 0;
  info.moreFragments = false;
  let next = v.getUint8(off + 6);
  let p = off + 40;
  for (let i = 0; i < MAX_EXTENSION_HEADERS; i++) {
    switch (next) {
      case 0: // hop-by-hop
      case 43: // routing
      case 60: // destination options
      case 135: // mobility
      case 139: // HIP
      case 140: // shim6
        if (p + 2 > ipEnd) return Decoded.TRUNCATED;
        next = v.getUint8(p);
        p += (v.getUint8(p + 1) + 1) * 8;
        continue;
      case 44: { // fragment
        if (p + 8 > ipEnd) return Decoded.TRUNCATED;
        const field = v.getUint16(p + 2);
        next = v.getUint8(p);
        info.fragmentId = v.getUint32(p + 4);
        info.fragmentOffset = field & 0xfff8;
        info.moreFragments = (field & 1) !== 0;
        p += 8;
        if (info.fragmentOffset !== 0) {
          info.protocol = next;
          info.payloadOffset = p;
          info.payloadLength = Math.max(0, ipEnd - p);
          return Decoded.FRAGMENT;
        }
        continue;
      }
      case 51: // authentication header
        if (p + 2 > ipEnd) return Decoded.TRUNCATED;
        next = v.getUint8(p);
        p += (v.getUint8(p + 1) + 2) * 4;
        continue;
    }
    info.protocol = next;
    return decodeTransport(v, p, ipEnd, info);
  }
  return Decoded.MALFORMED;
}

// A transport header cut short still counts: the flow is keyed with ports 0,
// as nDPI does, so the bytes between the two hosts are not lost.
function decodeTransport(v: DataView, p: number, end: number, info: PacketInfo): DecodeStatus {
  info.tcpFlags = 0;
  info.srcPort = 0;
  info.dstPort = 0;
  const proto = info.protocol;
  if ((proto === IPIP || proto === IPV6) && info.tunnelDepth < MAX_TUNNEL_DEPTH && p < end) {
    // IP in IP (4in4, 6in4, 4in6, 6in6): count the inner packet's flow.
    // The depth counts up before the inner header is read, so the limit holds.
    info.tunnelDepth++;
    return decodeIpAt(v, p, end, info);
  }
  if (proto === TCP) {
    if (p + 20 > end) return shortTransport(p, end, info);
    const dataOffset = (v.getUint8(p + 12) >> 4) * 4;
    if (dataOffset < 20) return shortTransport(p, end, info);
    info.srcPort = v.getUint16(p);
    info.dstPort = v.getUint16(p + 2);
    info.tcpFlags = v.getUint8(p + 13);
    info.tcpSeq = v.getUint32(p + 4);
    info.payloadOffset = Math.min(p + dataOffset, end);
  } else if (proto === UDP || proto === UDPLITE) {
    if (p + 8 > end) return shortTransport(p, end, info);
    info.srcPort = v.getUint16(p);
    info.dstPort = v.getUint16(p + 2);
    info.payloadOffset = p + 8;
  } else {
    info.payloadOffset = Math.min(p, end);
  }
  info.payloadLength = Math.max(0, end - info.payloadOffset);
  return Decoded.OK;
}

function shortTransport(p: number, end: number, info: PacketInfo): DecodeStatus {
  info.payloadOffset = Math.min(p, end);
  info.payloadLength = 0;
  info.shortTransport = true;
  return Decoded.OK;
}
