/**
 * libpcap link types (DLT values) that the decoder understands, with the names
 * libpcap gives them. Unlisted numbers are shown as `DLT_<n>`.
 */
export const LinkType = {
  NULL: 0,
  EN10MB: 1,
  PPP: 9,
  RAW_BSD: 12,
  RAW_OPENBSD: 14,
  PPP_SERIAL: 50,
  PPP_ETHER: 51,
  RAW: 101,
  C_HDLC: 104,
  LOOP: 108,
  LINUX_SLL: 113,
  PPI: 192,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(LinkType).map(([name, value]) => [value, name.startsWith("RAW") ? "RAW" : name]),
);

/** The libpcap-style name of a link type, e.g. `EN10MB` for 1. */
export function linkTypeName(linkType: number): string {
  return NAMES[linkType] ?? `DLT_${linkType}`;
}

/** Whether the decoder can read packets of this link type. */
export function isSupportedLinkType(linkType: number): boolean {
  return linkType in NAMES;
}
