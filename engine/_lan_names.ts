// Names from the LAN's own chatter (DHCP, NetBIOS datagrams, SSDP, mDNS
// answers): each names its flow the way nDPI does and tells the device hints
// what the device calls itself.
import type { DeviceHints } from "./device_hints.ts";
import { parseDhcpMessage } from "./dhcp_message.ts";
import type { DnsMessage } from "./dns_message.ts";
import { formatIp } from "./ip_address.ts";
import { netbiosDatagramName } from "./netbios_datagram.ts";
import type { PacketInfo } from "./packet_info.ts";

export const DHCP_SERVER = 67, DHCP_CLIENT = 68, NETBIOS_DGM = 138, SSDP = 1900;
const latin1 = new TextDecoder("latin1");
const DHCP_LAST_TYPE = 8; // INFORM: later types are not what clients name themselves in

/** The hint key of the packet's sender: its MAC when the frame has one, else its IP. */
export function senderKey(info: PacketInfo, data: DataView): string {
  const at = info.macOffset;
  if (at >= 0 && at + 6 <= data.byteLength) {
    let mac = "mac:";
    for (let i = 0; i < 6; i++) {
      mac += (i ? ":" : "") + data.getUint8(at + i).toString(16).padStart(2, "0");
    }
    return mac;
  }
  return `ip:${formatIp(info.ipVersion, info.src)}`;
}

/**
 * A flow's name from a DHCP request (option 12), and what it says about the
 * client for the device hints. Only requests (types 1 to 8) name flows.
 */
export function dhcpName(payload: Uint8Array, hints: DeviceHints, now: number): string | null {
  const m = parseDhcpMessage(payload);
  if (!m || m.op !== 1 || m.messageType === null || m.messageType > DHCP_LAST_TYPE) return null;
  if (m.chaddr) {
    const key = `mac:${m.chaddr}`;
    const ip = m.requestedIp ?? (m.ciaddr !== "0.0.0.0" ? m.ciaddr : null);
    if (ip) hints.note(key, "ip", ip, now);
    if (m.hostname) hints.note(key, "dhcpHostname", m.hostname, now);
    if (m.vendorClass) hints.note(key, "dhcpVendorClass", m.vendorClass, now);
    if (m.parameterRequestList) {
      hints.note(key, "dhcpFingerprint", m.parameterRequestList.join(","), now);
    }
  }
  return m.hostname ?? m.clientFqdn;
}

/** The sender's NetBIOS name from a datagram (UDP 138), noted as its hint. */
export function netbiosDatagram(
  payload: Uint8Array,
  key: string,
  hints: DeviceHints,
  now: number,
): string | null {
  const name = netbiosDatagramName(payload);
  if (name) hints.note(key, "netbiosName", name, now);
  return name;
}

/** The HOST header of an SSDP request (M-SEARCH or NOTIFY); a NOTIFY's SERVER goes to the hints. */
export function ssdpName(
  payload: Uint8Array,
  key: string,
  hints: DeviceHints,
  now: number,
): string | null {
  const text = latin1.decode(payload.subarray(0, 1024));
  if (!text.startsWith("M-SEARCH ") && !text.startsWith("NOTIFY ")) return null;
  const server = /\r?\nserver:[ \t]*([^\r\n]{1,200})/i.exec(text);
  if (server) hints.note(key, "ssdpServer", server[1].trim(), now);
  const m = /\r?\nhost:[ \t]*([^\r\n]{1,260})/i.exec(text);
  return m ? m[1].trim().toLowerCase() : null;
}

/** mDNS answers a device gives about itself ("name.local" A/AAAA records). */
export function mdnsAnswers(
  message: DnsMessage,
  key: string,
  hints: DeviceHints,
  now: number,
): void {
  for (const a of message.answers) {
    if ((a.type === "A" || a.type === "AAAA") && a.owner?.endsWith(".local")) {
      hints.note(key, "mdnsName", a.owner.slice(0, -".local".length), now);
      return;
    }
  }
}
