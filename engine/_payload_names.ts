// Names some applications put in their own payload, on their own ports:
// Agora's edge host, collectd's HOST part, an MGCP endpoint's domain.
import { AGORA_CLIENT_HELLO, parseAgoraHandshake } from "./agora_message.ts";
import { parseCollectdPacket } from "./collectd_packet.ts";
import { mgcpHostname, parseMgcpMessage } from "./mgcp_message.ts";

const AGORA = 8130, COLLECTD = 25826, MGCP_GATEWAY = 2427, MGCP_AGENT = 2727;

/**
 * The name the payload of a UDP packet to `serverPort` carries, null when
 * that port's protocol is there but names nothing, undefined when the port
 * is not one of these protocols'.
 */
export function payloadName(serverPort: number, payload: Uint8Array): string | null | undefined {
  switch (serverPort) {
    case AGORA: {
      const hello = parseAgoraHandshake(payload);
      return hello?.type === AGORA_CLIENT_HELLO ? hello.sni : null;
    }
    case COLLECTD:
      return parseCollectdPacket(payload)?.host ?? null;
    case MGCP_GATEWAY:
    case MGCP_AGENT: {
      const command = parseMgcpMessage(payload);
      return command ? mgcpHostname(command) : null;
    }
  }
  return undefined;
}

/** A standard query with one question and nothing else: the shape of a DNS query. */
export function looksLikeDnsQuery(p: Uint8Array): boolean {
  return p.length >= 17 && (p[2] & 0xf8) === 0 && p[4] === 0 && p[5] === 1 &&
    p[6] === 0 && p[7] === 0 && p[8] === 0 && p[9] === 0;
}

/** The first bytes of a STUN message over UDP: type's top bits clear (or WhatsApp's 0x08). */
export function maybeStun(p: Uint8Array): boolean {
  return p.length >= 20 && (p[0] <= 1 || p[0] === 8 || p[0] === 0xff);
}
