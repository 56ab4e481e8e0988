// Reads the server name (SNI) from a TLS ClientHello, over TCP (TLS records)
// or from a QUIC CRYPTO stream (bare handshake messages). Pure and bounded:
// garbage gives null, a message that is not complete yet gives undefined.

const HANDSHAKE = 22;
const CLIENT_HELLO = 1;
const EXT_SERVER_NAME = 0;
const HOST_NAME = 0;
/** Largest ClientHello we wait for; post-quantum key shares make them several KB. */
const MAX_CLIENT_HELLO = 64 * 1024;

/** What a ClientHello told us, or why it could not. */
export interface ClientHelloInfo {
  /** The server_name extension's host name; with ECH, the outer (public) name. */
  sni: string | null;
  /** Whether an encrypted_client_hello extension was present. */
  ech: boolean;
}

/**
 * Parses a handshake message stream that starts with a ClientHello. Returns
 * undefined while the message is incomplete and null when the bytes are not
 * a ClientHello.
 *
 * @example
 * ```ts ignore
 * const info = parseClientHello(cryptoStreamBytes);
 * if (info) console.log(info.sni);
 * ```
 */
export function parseClientHello(hs: Uint8Array): ClientHelloInfo | null | undefined {
  if (hs.length < 4) return hs.length === 0 || hs[0] === CLIENT_HELLO ? undefined : null;
  if (hs[0] !== CLIENT_HELLO) return null;
  const length = (hs[1] << 16) | (hs[2] << 8) | hs[3];
  if (length < 38 || length > MAX_CLIENT_HELLO) return null;
  if (hs.length < 4 + length) return undefined;
  return readClientHelloBody(hs, 4, 4 + length);
}

/**
 * Parses the client's first bytes of a TCP stream as TLS records carrying a
 * ClientHello, which may be split across several records. Returns undefined
 * while more bytes are needed and null when the stream is not TLS.
 */
export function parseTlsRecords(stream: Uint8Array): ClientHelloInfo | null | undefined {
  // Gather the handshake fragments of consecutive records into one message.
  let pos = 0;
  let message: Uint8Array | undefined;
  let filled = 0;
  while (true) {
    if (stream.length - pos < 5) return pos === 0 && !looksLikeTlsStart(stream) ? null : undefined;
    const type = stream[pos], major = stream[pos + 1];
    const recordLength = (stream[pos + 3] << 8) | stream[pos + 4];
    if (type !== HANDSHAKE || major !== 3 || recordLength === 0 || recordLength > 18432) {
      return null;
    }
    const body = pos + 5;
    const available = Math.min(recordLength, stream.length - body);
    if (!message) {
      if (available < 4) return available === recordLength ? null : undefined;
      if (stream[body] !== CLIENT_HELLO) return null;
      const length = (stream[body + 1] << 16) | (stream[body + 2] << 8) | stream[body + 3];
      if (length < 38 || length > MAX_CLIENT_HELLO) return null;
      message = new Uint8Array(4 + length);
    }
    const take = Math.min(available, message.length - filled);
    message.set(stream.subarray(body, body + take), filled);
    filled += take;
    if (filled === message.length) return parseClientHello(message);
    if (available < recordLength) return undefined;
    pos = body + recordLength;
  }
}

function looksLikeTlsStart(stream: Uint8Array): boolean {
  return stream.length === 0 || (stream[0] === HANDSHAKE && (stream.length < 2 || stream[1] === 3));
}

function readClientHelloBody(b: Uint8Array, p: number, end: number): ClientHelloInfo | null {
  p += 2 + 32; // legacy_version, random
  if (p + 1 > end) return null;
  p += 1 + b[p]; // session id
  if (p + 2 > end) return null;
  p += 2 + ((b[p] << 8) | b[p + 1]); // cipher suites
  if (p + 1 > end) return null;
  p += 1 + b[p]; // compression methods
  if (p === end) return { sni: null, ech: false }; // no extensions at all
  if (p + 2 > end) return null;
  const extensionsEnd = p + 2 + ((b[p] << 8) | b[p + 1]);
  if (extensionsEnd > end) return null;
  p += 2;
  const info: ClientHelloInfo = { sni: null, ech: false };
  while (p + 4 <= extensionsEnd) {
    const type = (b[p] << 8) | b[p + 1];
    const length = (b[p + 2] << 8) | b[p + 3];
    const data = p + 4;
    if (data + length > extensionsEnd) return null;
    if (type === EXT_SERVER_NAME) info.sni = readServerName(b, data, data + length);
    else if (type === 0xfe0d) info.ech = true;
    p = data + length;
  }
  return info;
}

function readServerName(b: Uint8Array, p: number, end: number): string | null {
  if (p + 2 > end) return null;
  const listEnd = Math.min(end, p + 2 + ((b[p] << 8) | b[p + 1]));
  p += 2;
  while (p + 3 <= listEnd) {
    const type = b[p];
    const length = (b[p + 1] << 8) | b[p + 2];
    p += 3;
    if (p + length > listEnd) return null;
    if (type === HOST_NAME) return hostName(b, p, p + length);
    p += length;
  }
  return null;
}

/** A host name as text, if every byte is a printable hostname character. */
function hostName(b: Uint8Array, start: number, end: number): string | null {
  if (end === start || end - start > 253) return null;
  let name = "";
  for (let i = start; i < end; i++) {
    const c = b[i];
    const ok = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e ||
      c === 0x5f || (c >= 0x41 && c <= 0x5a);
    if (!ok) return null;
    name += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c + 32 : c);
  }
  return name;
}
