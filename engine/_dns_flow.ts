// Reads the datagrams of a DNS-format flow (DNS, mDNS, LLMNR, NetBIOS name
// service) the way nDPI names them, and feeds every useful answer to the DNS
// cache and mDNS names to the device hints on the way.
import { mdnsAnswers, senderKey } from "./_lan_names.ts";
import type { DeviceHints } from "./device_hints.ts";
import type { DnsCache } from "./dns_cache.ts";
import { parseDnsMessage, questionType } from "./dns_message.ts";
import { netbiosName } from "./netbios_name.ts";
import type { PacketInfo } from "./packet_info.ts";

/** DNS messages whose question may (re)name a flow, as nDPI counts them. */
const DNS_NAMING_PACKETS = 5;
const NETBIOS_NS = 137, MDNS = 5353;
/** Question types whose answers carry addresses: A, AAAA and ANY. */
const ADDRESS_QUESTIONS = new Set([1, 28, 255]);

/** What a DNS flow has shown so far. */
export interface DnsFlowState {
  /** DNS messages seen. */
  seen: number;
  /** An answer without error came: the flow's name is final. */
  settled?: boolean;
}

/**
 * Reads one datagram of a DNS flow: the name it gives the flow, or null.
 * Like nDPI, each question in the first messages renames the flow until an
 * answer without error settles it; later only answers matter, for the cache.
 */
export function readDnsDatagram(
  state: DnsFlowState,
  payload: Uint8Array,
  info: PacketInfo,
  data: DataView,
  cache: DnsCache,
  hints: DeviceHints,
  time: number,
): string | null {
  if (payload.length < 12) return null;
  const naming = !state.settled && ++state.seen <= DNS_NAMING_PACKETS;
  const response = (payload[2] & 0x80) !== 0;
  // Past naming, only answers with records teach the cache anything...
  if (!naming && (!response || (payload[6] === 0 && payload[7] === 0))) return null;
  const mdns = info.srcPort === MDNS;
  // ...and on unicast DNS, only those to address questions: TXT, MX or CNAME answers hold none.
  if (!naming && !mdns && !ADDRESS_QUESTIONS.has(questionType(payload))) return null;
  const netbios = info.dstPort === NETBIOS_NS || info.srcPort === NETBIOS_NS;
  const message = parseDnsMessage(payload, mdns || netbios);
  if (!message) return null;
  if (response) cache.learn(message, time);
  if (mdns && response) mdnsAnswers(message, senderKey(info, data), hints, time);
  if (!naming) return null;
  if (response && (payload[3] & 0x0f) === 0) state.settled = true;
  // NetBIOS answers without a question carry the name as the answer's owner.
  const asked = message.question ?? (netbios ? message.answerOwner : null);
  return asked && netbios ? netbiosName(asked) : asked;
}
