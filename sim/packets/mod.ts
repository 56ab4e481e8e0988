/**
 * The simulator's packet builders: whole Ethernet frames written into a
 * caller's buffer (IPv4 or IPv6, TCP or UDP, with a claimed payload size
 * larger than the bytes written when wanted), and the application payloads
 * Sluice names flows by: TLS ClientHellos, QUIC Initials, DNS queries and
 * answers, DHCP requests and HTTP GETs.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const buf = new Uint8Array(2048);
 * const phone = { mac: macBytes("02:00:00:00:00:07"), ip: ipBytes("192.168.1.7"), port: 51000 };
 * const server = { mac: macBytes("02:00:00:00:00:01"), ip: ipBytes("198.51.100.10"), port: 443 };
 * const hello = tlsClientHello("www.netflix.com", new Uint8Array(32));
 * const captured = writeTcp(buf, 0, phone, server, 1, 1, TCP_ACK | TCP_PSH, hello, hello.length);
 * assertEquals(captured, frameLength(phone, "tcp", hello.length));
 * ```
 *
 * @module
 */
export {
  type Endpoint,
  frameLength,
  ipBytes,
  macBytes,
  MAX_DATAGRAM_V4,
  MAX_DATAGRAM_V6,
  MAX_SEGMENT_V4,
  MAX_SEGMENT_V6,
  TCP_ACK,
  TCP_FIN,
  TCP_PSH,
  TCP_RST,
  TCP_SYN,
  writeTcp,
  writeUdp,
} from "./frame.ts";
export { clientHelloMessage, type ClientHelloOptions, tlsClientHello } from "./tls_hello.ts";
export {
  protectClientInitial,
  type QuicClientKeys,
  quicClientKeys,
  quicInitial,
} from "./quic_initial.ts";
export { checkHostname, dnsAnswer, dnsQuery } from "./dns.ts";
export { dhcpEndpoints, dhcpRequest } from "./dhcp.ts";
export { httpGet } from "./http.ts";
