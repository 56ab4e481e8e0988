import { decodeIp } from "./decode_ip.ts";
import { LinkType } from "./link_type.ts";
import { Decoded, type DecodeStatus, type PacketInfo } from "./packet_info.ts";

const ETH_IP4 = 0x0800, ETH_IP6 = 0x86dd;
const ETH_VLAN = 0x8100, ETH_QINQ = 0x88a8, ETH_QINQ_OLD = 0x9100;
const ETH_MPLS = 0x8847, ETH_MPLS_MC = 0x8848, ETH_PPPOE = 0x8864;
const PPP_IP4 = 0x0021, PPP_IP6 = 0x0057;
const MAX_TAGS = 8;

/**
 * Decodes one captured packet of the given link type into `info`.
 *
 * @example
 * ```ts ignore
 * const info = new PacketInfo();
 * if (decodePacket(LinkType.EN10MB, view, 0, capLen, info) === Decoded.OK) {
 *   console.log(info.protocol, info.srcPort, info.dstPort);
 * }
 * ```
 */
export function decodePacket(
  linkType: number,
  v: DataView,
  off: number,
  capLen: number,
  info: PacketInfo,
  wireLen: number = capLen,
): DecodeStatus {
  const end = off + capLen;
  info.wireEnd = off + Math.max(wireLen, capLen);
  info.vlanId = 0;
  info.macOffset = -1;
  switch (linkType) {
    case LinkType.EN10MB:
      if (capLen < 14) return Decoded.TRUNCATED;
      info.macOffset = off + 6;
      return decodeEthertype(v.getUint16(off + 12), v, off + 14, end, info);
    case LinkType.LINUX_SLL:
      if (capLen < 16) return Decoded.TRUNCATED;
      return decodeEthertype(v.getUint16(off + 14), v, off + 16, end, info);
    case LinkType.LINUX_SLL2:
      if (capLen < 20) return Decoded.TRUNCATED;
      return decodeEthertype(v.getUint16(off), v, off + 20, end, info);
    case LinkType.NULL:
    case LinkType.LOOP: {
      if (capLen < 4) return Decoded.TRUNCATED;
      // NULL stores the address family in the capturing host's byte order.
      let family = v.getUint32(off, linkType === LinkType.NULL);
      if (family > 0xffff) family = v.getUint32(off, linkType !== LinkType.NULL);
      if (family === 2) return decodeIp(v, off + 4, end, info);
      if (family === 10 || family === 24 || family === 28 || family === 30 || family === 23) {
        return decodeIp(v, off + 4, end, info);
      }
      return Decoded.NOT_IP;
    }
    case LinkType.RAW:
    case LinkType.RAW_BSD:
    case LinkType.RAW_OPENBSD:
    case LinkType.IPV4:
    case LinkType.IPV6:
      return decodeIp(v, off, end, info);
    case LinkType.PPP:
    case LinkType.PPP_SERIAL:
      if (capLen < 4) return Decoded.TRUNCATED;
      // Cisco HDLC framing seen under the PPP link types: address 0x0f/0x8f, then an ethertype.
      if ((v.getUint8(off) & 0x7f) === 0x0f && v.getUint8(off + 1) === 0) {
        return decodeEthertype(v.getUint16(off + 2), v, off + 4, end, info);
      }
      return decodePpp(v, off, end, info);
    case LinkType.PPI: {
      // Per-Packet Information: a little-endian header length and inner link type.
      if (capLen < 8) return Decoded.TRUNCATED;
      const headerLength = v.getUint16(off + 2, true);
      const inner = v.getUint32(off + 4, true);
      if (headerLength < 8 || inner === LinkType.PPI) return Decoded.MALFORMED;
      if (headerLength > capLen) return Decoded.TRUNCATED;
      return decodePacket(
        inner,
        v,
        off + headerLength,
        capLen - headerLength,
        info,
        wireLen - headerLength,
      );
    }
    case LinkType.PPP_ETHER:
      if (capLen < 6) return Decoded.TRUNCATED;
      return decodePpp(v, off + 6, end, info);
    case LinkType.C_HDLC:
      if (capLen < 4) return Decoded.TRUNCATED;
      return decodeEthertype(v.getUint16(off + 2), v, off + 4, end, info);
  }
  return Decoded.UNSUPPORTED_LINK;
}

function decodeEthertype(
  type: number,
  v: DataView,
  p: number,
  end: number,
  info: PacketInfo,
): DecodeStatus {
  for (let tags = 0; tags < MAX_TAGS; tags++) {
    if (type === ETH_IP4 || type === ETH_IP6) return decodeIp(v, p, end, info);
    if (type === ETH_VLAN || type === ETH_QINQ || type === ETH_QINQ_OLD) {
      if (p + 4 > end) return Decoded.TRUNCATED;
      info.vlanId = v.getUint16(p) & 0x0fff; // the innermost tag is the customer's VLAN
      type = v.getUint16(p + 2);
      p += 4;
      continue;
    }
    if (type === ETH_PPPOE) {
      if (p + 8 > end) return Decoded.TRUNCATED;
      return decodePpp(v, p + 6, end, info);
    }
    if (type === ETH_MPLS || type === ETH_MPLS_MC) return decodeMpls(v, p, end, info);
    if (type <= 1500) {
      // 802.3 length field: only LLC/SNAP carries an ethertype onward.
      if (p + 8 > end) return Decoded.TRUNCATED;
      if (v.getUint16(p) !== 0xaaaa || v.getUint8(p + 2) !== 0x03) return Decoded.NOT_IP;
      type = v.getUint16(p + 6);
      p += 8;
      continue;
    }
    return Decoded.NOT_IP;
  }
  return Decoded.MALFORMED;
}

function decodeMpls(v: DataView, p: number, end: number, info: PacketInfo): DecodeStatus {
  for (let labels = 0; labels < MAX_TAGS; labels++) {
    if (p + 4 > end) return Decoded.TRUNCATED;
    const bottom = (v.getUint8(p + 2) & 1) === 1;
    p += 4;
    if (bottom) return decodeIp(v, p, end, info);
  }
  return Decoded.MALFORMED;
}

function decodePpp(v: DataView, p: number, end: number, info: PacketInfo): DecodeStatus {
  if (p + 2 > end) return Decoded.TRUNCATED;
  if (v.getUint16(p) === 0xff03) p += 2; // HDLC-like address and control
  if (p + 1 > end) return Decoded.TRUNCATED;
  let proto: number;
  if ((v.getUint8(p) & 1) === 1) { // protocol field compression: one byte
    proto = v.getUint8(p);
    p += 1;
  } else {
    if (p + 2 > end) return Decoded.TRUNCATED;
    proto = v.getUint16(p);
    p += 2;
  }
  if (proto === PPP_IP4 || proto === PPP_IP6) return decodeIp(v, p, end, info);
  return Decoded.NOT_IP;
}
