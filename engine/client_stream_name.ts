// What the first bytes a TCP client sends name: the SNI of a TLS
// ClientHello, the question of DNS over TCP, an SSH banner or WHOIS query,
// an HTTP request's Host (and its User-Agent, a device hint).
import { clientBannerName } from "./_banner_name.ts";
import { parseDnsMessage } from "./dns_message.ts";
import type { HostnameSource } from "./flow_naming.ts";
import { parseHttpRequest } from "./http_request.ts";
import { parseTlsRecords } from "./tls_client_hello.ts";

const DNS_PORT = 53, WHOIS = 43;

/** What a client's stream said: a name and where it came from, and an HTTP User-Agent. */
export interface StreamName {
  hostname: string | null;
  source: HostnameSource | null;
  userAgent: string | null;
}

const NOTHING: StreamName = Object.freeze({ hostname: null, source: null, userAgent: null });

/**
 * Reads the start of a client's TCP stream to `serverPort`. Undefined while
 * more bytes are needed to tell (a ClientHello split across segments), unless
 * `full`: the bytes are all there will be. A stream that names nothing gives
 * a StreamName of nulls.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const request = new TextEncoder().encode("GET / HTTP/1.1\r\nHost: example.org\r\n\r\n");
 * assertEquals(clientStreamName(request, 80, false)?.hostname, "example.org");
 * assertEquals(clientStreamName(request.subarray(0, 20), 80, false), undefined);
 * ```
 */
export function clientStreamName(
  bytes: Uint8Array,
  serverPort: number,
  full: boolean,
): StreamName | undefined {
  if (bytes[0] === 0x16) {
    const hello = parseTlsRecords(bytes);
    if (hello === undefined && !full) return undefined;
    return hello?.sni ? named(hello.sni, "sni") : NOTHING;
  }
  if (serverPort === DNS_PORT) {
    // DNS over TCP: a two-byte length, then the message.
    const length = (bytes[0] << 8) | bytes[1];
    if (bytes.length < 2 + length && !full) return undefined;
    const question = parseDnsMessage(bytes.subarray(2, 2 + length))?.question;
    return question ? named(question, "dns") : NOTHING;
  }
  if (isSshBanner(bytes) || serverPort === WHOIS) {
    const line = clientBannerName(bytes, serverPort);
    if (line === null && bytes.length < 256 && !full) return undefined;
    return line ? named(line, "payload") : NOTHING;
  }
  const request = parseHttpRequest(bytes);
  if (request === undefined && !full) return undefined;
  if (request === null && bytes.length < 8) return undefined; // too little to tell: maybe a stray byte
  if (!request) return NOTHING;
  return {
    hostname: request.host,
    source: request.host ? "http" : null,
    userAgent: request.userAgent,
  };
}

function named(hostname: string, source: HostnameSource): StreamName {
  return { hostname, source, userAgent: null };
}

/** "SSH-": the start of an SSH identification line. */
function isSshBanner(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x53 && b[1] === 0x53 && b[2] === 0x48 && b[3] === 0x2d;
}
