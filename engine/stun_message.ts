// Reads STUN and TURN messages (RFC 8489, RFC 8656, classic RFC 3489) from a
// UDP datagram or the start of a TCP segment, so that a flow to a TURN server
// can be named after the REALM the server asks the client to authenticate in.
// Pure and bounded: garbage gives null, never an exception.

/** The magic cookie of RFC 5389 and later; classic STUN has random bytes here. */
export const STUN_MAGIC_COOKIE = 0x2112a442;

const HEADER = 20;
const USERNAME = 0x0006, ERROR_CODE = 0x0009, DATA = 0x0013, REALM = 0x0014;
const SOFTWARE = 0x8022;
/** Longest text attribute kept (RFC 8489 allows 763 bytes for REALM and SOFTWARE). */
const MAX_TEXT = 763;
/** Attributes walked per message; real messages carry a dozen at most. */
const MAX_ATTRIBUTES = 64;
/**
 * Message types of classic STUN (RFC 3489 and its TURN drafts), as Wireshark
 * lists them: request, success and error of Binding, Shared Secret, Allocate,
 * Send and Set Active Destination, and the Data indication 0x0115.
 */
const CLASSIC_TYPES = new Set(
  [0x0001, 0x0002, 0x0003, 0x0004, 0x0006].flatMap((m) => [m, m | 0x0100, m | 0x0110]),
).add(0x0115);
/** WhatsApp's own message types, with a cookie but outside the STUN method space. */
const WHATSAPP_TYPES = new Set([0x0800, 0x0801, 0x0802, 0x0804, 0x0805]);
const CLASSES = ["request", "indication", "success", "error"] as const;
const latin1 = new TextDecoder("latin1");

/** The class of a STUN message: the two class bits of its type. */
export type StunClass = typeof CLASSES[number];

/** A STUN message, reduced to what naming and classifying flows needs. */
export interface StunMessage {
  /** The message type as sent (method and class bits interleaved). */
  type: number;
  /** The method: 1 Binding, 3 Allocate, 4 Refresh, 6 Send, 7 Data, 8 CreatePermission, ... */
  method: number;
  cls: StunClass;
  /** True for classic STUN (RFC 3489): no magic cookie, a 16-byte transaction id. */
  classic: boolean;
  /** The transaction id as lowercase hex (the 16 bytes after the length in classic STUN). */
  transactionId: string;
  /**
   * Bytes the message takes from the start of the input: its header and
   * attributes, plus the RFC 4571 frame length or MS-TURN header around it.
   * Over TCP the next message starts there.
   */
  length: number;
  /** Attribute types in the order sent. */
  attributes: number[];
  /** USERNAME, as sent. */
  username?: string;
  /** REALM, as sent: the TURN server's authentication realm, often its domain. */
  realm?: string;
  /** SOFTWARE, as sent. */
  software?: string;
  /** ERROR-CODE as a number (401, 438, ...). */
  errorCode?: number;
  /** DATA (Send and Data indications): the relayed datagram, often a STUN message itself. */
  data?: Uint8Array;
}

/** Options for {@linkcode parseStunMessage}. */
export interface StunParseOptions {
  /**
   * The bytes start a TCP segment: the message may be framed with the 2-byte
   * length of RFC 4571, may be followed by more messages (only the first is
   * read), and must carry the magic cookie.
   */
  tcp?: boolean;
}

/**
 * Parses a STUN message. Over UDP the message must fill the datagram exactly;
 * over TCP it may be RFC 4571 framed and followed by further messages.
 * Microsoft's multiplexed TURN header (0xFF10) is skipped. Returns null for
 * bytes that are not a STUN message.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const message = Uint8Array.of(
 *   0x01, 0x13, 0x00, 0x10, 0x21, 0x12, 0xa4, 0x42, ...new Array(12).fill(7),
 *   0x00, 0x14, 0x00, 0x0a, ...new TextEncoder().encode("signal.org"), 0, 0,
 * );
 * const stun = parseStunMessage(message);
 * assertEquals([stun?.method, stun?.cls, stun?.realm], [3, "error", "signal.org"]);
 * ```
 */
export function parseStunMessage(
  payload: Uint8Array,
  options: StunParseOptions = {},
): StunMessage | null {
  if (payload.length < HEADER) return null;
  if (options.tcp) {
    const direct = readMessage(payload, 0, true);
    if (direct) return direct;
    const frame = (payload[0] << 8) | payload[1];
    if (frame < HEADER || frame + 2 > payload.length) return null;
    const message = readMessage(payload.subarray(2, 2 + frame), 0, true);
    if (message) message.length = 2 + frame;
    return message;
  }
  // The first byte tells STUN (0 or 1; 8 for WhatsApp) from DTLS, RTP and the rest.
  let start = 0;
  if (payload[0] > 1 && payload[0] !== 8) {
    if (payload[0] !== 0xff) return null;
    // MS-TURN multiplexed: 0xFF10, length of what follows, 8 bytes of session id.
    if (payload[1] !== 0x10 || ((payload[2] << 8) | payload[3]) + 4 !== payload.length) return null;
    start = 12;
  }
  const message = readMessage(payload, start, false);
  if (!message || start + message.length !== payload.length) return null;
  message.length = payload.length;
  return message;
}

/**
 * The host name nDPI reports for a STUN flow: the REALM, lowercased, when it
 * is printable text. TURN servers send it in their 401 reply to an Allocate
 * and clients repeat it in every authenticated request, so both directions
 * carry it; the first one seen names the flow. Returns null otherwise.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const message = Uint8Array.of(
 *   0x01, 0x13, 0x00, 0x18, 0x21, 0x12, 0xa4, 0x42, ...new Array(12).fill(7),
 *   0x00, 0x14, 0x00, 0x11, ...new TextEncoder().encode("Turn.L.Google.com"), 0, 0, 0,
 * );
 * assertEquals(stunHostname(parseStunMessage(message)!), "turn.l.google.com");
 * ```
 */
export function stunHostname(message: StunMessage): string | null {
  let realm = message.realm;
  if (realm === undefined && message.data) realm = parseStunMessage(message.data)?.realm;
  if (realm === undefined) return null;
  // Like nDPI: keep the last 79 bytes, trim trailing spaces, refuse anything unprintable.
  if (realm.length > 79) realm = realm.slice(realm.length - 79);
  realm = realm.replace(/ +$/, "").toLowerCase();
  return /^[\x20-\x3e\x40-\x7e]+$/.test(realm) ? realm : null;
}

/** Reads the message at `start`: it must fit in `b`, possibly with bytes after it. */
function readMessage(b: Uint8Array, start: number, tcp: boolean): StunMessage | null {
  if (b.length - start < HEADER) return null;
  const type = (b[start] << 8) | b[start + 1];
  const bodyLength = (b[start + 2] << 8) | b[start + 3];
  const end = start + HEADER + bodyLength;
  if (type === 0 || (type & 0xc000) !== 0 || end > b.length) return null;
  const cookie = ((b[start + 4] << 24) | (b[start + 5] << 16) | (b[start + 6] << 8) |
    b[start + 7]) >>> 0;
  const classic = cookie !== STUN_MAGIC_COOKIE;
  if (classic && (tcp || !CLASSIC_TYPES.has(type))) return null;
  const method = (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
  if ((method === 0 || method > 0x0c) && !WHATSAPP_TYPES.has(type)) return null;
  const message: StunMessage = {
    type,
    method,
    cls: CLASSES[((type >> 4) & 1) | ((type >> 7) & 2)],
    classic,
    transactionId: hex(b.subarray(start + (classic ? 4 : 8), start + HEADER)),
    length: HEADER + bodyLength,
    attributes: [],
  };
  let p = start + HEADER;
  while (p + 4 <= end && message.attributes.length < MAX_ATTRIBUTES) {
    const attribute = (b[p] << 8) | b[p + 1];
    const length = (b[p + 2] << 8) | b[p + 3];
    const value = p + 4;
    if (value + length > end) {
      if (classic) return null;
      break;
    }
    message.attributes.push(attribute);
    if (attribute === REALM) message.realm ??= text(b, value, length);
    else if (attribute === SOFTWARE) message.software ??= text(b, value, length);
    else if (attribute === USERNAME) message.username ??= text(b, value, length);
    else if (attribute === ERROR_CODE && length >= 4) {
      message.errorCode ??= (b[value + 2] & 0x07) * 100 + b[value + 3];
    } else if (attribute === DATA) message.data ??= b.subarray(value, value + length);
    p = value + ((length + 3) & ~3);
  }
  // Classic STUN has no cookie to vouch for it: its attributes must tile the body.
  if (classic && p !== end) return null;
  return message;
}

function text(b: Uint8Array, at: number, length: number): string {
  return latin1.decode(b.subarray(at, at + Math.min(length, MAX_TEXT)));
}

function hex(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += byte.toString(16).padStart(2, "0");
  return out;
}
