/** What the decoder found in one packet; one instance is reused for every packet. */
export class PacketInfo {
  /** 4 or 6 when an IP header was decoded. */
  ipVersion = 0;
  /** IP protocol number of the transport header (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ...). */
  protocol = 0;
  /** Source address: one word for IPv4, four big-endian words for IPv6. */
  readonly src = new Uint32Array(4);
  /** Destination address, as `src`. */
  readonly dst = new Uint32Array(4);
  srcPort = 0;
  dstPort = 0;
  /** TCP sequence number, 0 for other protocols. */
  tcpSeq = 0;
  /** TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, ACK 0x10), 0 otherwise. */
  tcpFlags = 0;
  /** Innermost 802.1Q VLAN id (the customer's, under QinQ), 0 when untagged. */
  vlanId = 0;
  /** Offset of the Ethernet header's source MAC in the packet, -1 without Ethernet. */
  macOffset = -1;
  /**
   * Where the frame ended on the wire, as an offset: beyond the capture when
   * the snapshot length cut it. An IP length reaching past it is a lie.
   */
  wireEnd = 0;
  /** Offset of the IP header. */
  ipOffset = 0;
  /** Offset and length of the transport payload (after TCP/UDP headers), within the capture. */
  payloadOffset = 0;
  payloadLength = 0;
  /** Tunnels unwrapped to reach the IP header in `src`/`dst` (IP in IP, GRE, GTP, ...). */
  tunnelDepth = 0;
  /** The transport header was cut short: ports unknown, counted as 0. */
  shortTransport = false;
  /** IPv4 fragment fields: identification, offset in bytes, more-fragments flag. */
  fragmentId = 0;
  fragmentOffset = 0;
  moreFragments = false;
}

/** Decoder outcomes. */
export const Decoded = {
  /** An IP packet with its transport header. */
  OK: 0,
  /** A non-first IPv4 fragment: addresses and protocol known, ports not. */
  FRAGMENT: 1,
  /** Not IP (ARP, LLDP, STP, ...). */
  NOT_IP: 2,
  /** Headers cut short by the capture length. */
  TRUNCATED: 3,
  /** Headers that cannot be valid (bad version, lengths, loops). */
  MALFORMED: 4,
  /** A link type the decoder does not read. */
  UNSUPPORTED_LINK: 5,
} as const;

/** One of {@linkcode Decoded}. */
export type DecodeStatus = typeof Decoded[keyof typeof Decoded];
