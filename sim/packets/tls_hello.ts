/**
 * TLS 1.3 ClientHellos as a browser sends them: over TCP in a handshake
 * record, or (for QUIC) as the bare handshake message with the
 * quic_transport_parameters extension. Deterministic: the caller supplies the
 * 32 random bytes, and the session id and key share are derived from them.
 *
 * @module
 */
import { checkHostname } from "./dns.ts";

const HANDSHAKE = 22, CLIENT_HELLO = 1, MAX_RECORD = 16384;
const EXT_SERVER_NAME = 0x0000, EXT_STATUS_REQUEST = 0x0005, EXT_GROUPS = 0x000a;
const EXT_POINT_FORMATS = 0x000b, EXT_SIGNATURE_ALGS = 0x000d, EXT_ALPN = 0x0010;
const EXT_SCT = 0x0012, EXT_EMS = 0x0017, EXT_SESSION_TICKET = 0x0023;
const EXT_VERSIONS = 0x002b, EXT_PSK_MODES = 0x002d, EXT_KEY_SHARE = 0x0033;
const EXT_QUIC_PARAMS = 0x0039, EXT_RENEGOTIATION = 0xff01;
const X25519 = 0x001d, SECP256R1 = 0x0017, SECP384R1 = 0x0018;
const TLS13_SUITES = [0x1301, 0x1302, 0x1303];
const TLS12_SUITES = [0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8];
const SIGNATURE_ALGS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];

/** Options for {@linkcode clientHelloMessage}. */
export interface ClientHelloOptions {
  /** ALPN protocols, most preferred first; none sends no ALPN extension. */
  alpn?: string[];
  /**
   * The quic_transport_parameters extension's body: a QUIC client's hello.
   * It then offers TLS 1.3 only, with no legacy session id (RFC 9001 §8.4).
   */
  quicTransportParameters?: Uint8Array;
}

/** `value` as `n` big-endian bytes. */
function be(value: number, n: number): number[] {
  const out: number[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(Math.floor(value / 2 ** (8 * i)) & 255);
  return out;
}

/** `body` behind its length in `n` bytes. */
function vec(body: ArrayLike<number>, n: number): number[] {
  return [...be(body.length, n), ...Array.from(body)];
}

function ext(type: number, body: ArrayLike<number>): number[] {
  return [...be(type, 2), ...vec(body, 2)];
}

function ascii(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0));
}

function checkRandom(random: Uint8Array): void {
  if (!(random instanceof Uint8Array) || random.length !== 32) {
    throw new RangeError(`random must be 32 bytes, got ${random?.length}`);
  }
}

function checkAlpn(alpn: unknown): asserts alpn is string[] {
  if (!Array.isArray(alpn)) throw new TypeError("alpn must be an array of protocol names");
  alpn.forEach((p, i) => {
    if (typeof p !== "string" || !/^[\x21-\x7e]{1,255}$/.test(p)) {
      throw new TypeError(`alpn[${i}] must be 1-255 printable ASCII characters, got ${p}`);
    }
  });
}

/**
 * A ClientHello handshake message (type 1, with its 4-byte header) naming
 * `serverName`: TLS 1.3 and 1.2 cipher suites, server_name, supported_groups,
 * signature_algorithms, ALPN, supported_versions, psk_key_exchange_modes and
 * an X25519 key_share; a QUIC hello (with `quicTransportParameters`) keeps to
 * what QUIC clients send.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const hello = clientHelloMessage("example.com", new Uint8Array(32), { alpn: ["h3"] });
 * assertEquals(hello[0], 1); // ClientHello
 * ```
 */
export function clientHelloMessage(
  serverName: string,
  random: Uint8Array,
  options: ClientHelloOptions = {},
): Uint8Array {
  checkHostname(serverName, "serverName");
  checkRandom(random);
  const alpn = options.alpn ?? [];
  checkAlpn(alpn);
  const quic = options.quicTransportParameters;
  if (quic !== undefined && !(quic instanceof Uint8Array)) {
    throw new TypeError("quicTransportParameters must be a Uint8Array");
  }
  // Derived, not random: the same inputs give the same bytes.
  const sessionId = quic ? [] : Array.from(random, (b, i) => b ^ random[31 - i] ^ 0x36);
  const keyShare = Array.from(random, (_, i) => random[(i + 7) % 32] ^ 0xa5);
  const suites = quic ? TLS13_SUITES : [...TLS13_SUITES, ...TLS12_SUITES];
  const name = ascii(serverName);
  const extensions = [
    ...ext(EXT_SERVER_NAME, vec([0, ...vec(name, 2)], 2)),
    ...(quic ? [] : [...ext(EXT_EMS, []), ...ext(EXT_RENEGOTIATION, [0])]),
    ...ext(EXT_GROUPS, vec([X25519, SECP256R1, SECP384R1].flatMap((g) => be(g, 2)), 2)),
    ...(quic ? [] : [...ext(EXT_POINT_FORMATS, [1, 0]), ...ext(EXT_SESSION_TICKET, [])]),
    ...(alpn.length > 0 ? ext(EXT_ALPN, vec(alpn.flatMap((p) => vec(ascii(p), 1)), 2)) : []),
    ...(quic ? [] : ext(EXT_STATUS_REQUEST, [1, 0, 0, 0, 0])),
    ...ext(EXT_SIGNATURE_ALGS, vec(SIGNATURE_ALGS.flatMap((a) => be(a, 2)), 2)),
    ...(quic ? [] : ext(EXT_SCT, [])),
    ...ext(EXT_KEY_SHARE, vec([...be(X25519, 2), ...vec(keyShare, 2)], 2)),
    ...ext(EXT_PSK_MODES, [1, 1]),
    ...ext(EXT_VERSIONS, quic ? [2, 3, 4] : [4, 3, 4, 3, 3]),
    ...(quic ? ext(EXT_QUIC_PARAMS, quic) : []),
  ];
  const body = [
    3,
    3, // legacy_version TLS 1.2
    ...random,
    ...vec(sessionId, 1),
    ...vec(suites.flatMap((s) => be(s, 2)), 2),
    1,
    0, // compression: null only
    ...vec(extensions, 2),
  ];
  if (body.length > 0xffff) throw new RangeError(`alpn makes the ClientHello too long`);
  return Uint8Array.from([CLIENT_HELLO, ...vec(body, 3)]);
}

/**
 * A TLS record (content type 22, version 0x0301) holding a browser-like TLS
 * 1.3 ClientHello with SNI `serverName`, ALPN `alpn` (default
 * ["h2", "http/1.1"]), supported_versions and an X25519 key_share. `random`
 * is the hello's 32 random bytes.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const record = tlsClientHello("www.netflix.com", new Uint8Array(32));
 * assertEquals([record[0], record[1], record[2], record[5]], [22, 3, 1, 1]);
 * ```
 */
export function tlsClientHello(
  serverName: string,
  random: Uint8Array,
  alpn: string[] = ["h2", "http/1.1"],
): Uint8Array {
  const hello = clientHelloMessage(serverName, random, { alpn });
  if (hello.length > MAX_RECORD) {
    throw new RangeError(`alpn makes the ClientHello over ${MAX_RECORD} bytes`);
  }
  const record = new Uint8Array(5 + hello.length);
  record.set([HANDSHAKE, 3, 1, hello.length >>> 8, hello.length & 255]);
  record.set(hello, 5);
  return record;
}
