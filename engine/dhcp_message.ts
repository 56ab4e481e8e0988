// Reads BOOTP/DHCP messages (RFC 2131, options from RFC 2132) from a UDP
// payload: what a client calls itself and which options it asks for, so that
// its flows and later the device can be named. Pure, bounded, never throws.

/** A DHCP message, reduced to what names and fingerprints a device. */
export interface DhcpMessage {
  /** 1 BOOTREQUEST (from a client), 2 BOOTREPLY (from a server). */
  op: number;
  /**
   * Option 53: 1 DISCOVER, 2 OFFER, 3 REQUEST, 4 DECLINE, 5 ACK, 6 NAK,
   * 7 RELEASE, 8 INFORM (later RFCs add more); null for plain BOOTP.
   */
  messageType: number | null;
  /** Client hardware address as "aa:bb:cc:dd:ee:ff"; null unless Ethernet (htype 1, hlen 6). */
  chaddr: string | null;
  /** Client IP address the client already holds ("0.0.0.0" when none). */
  ciaddr: string;
  /** "Your" IP address: the one a server offers or assigns ("0.0.0.0" when none). */
  yiaddr: string;
  /** Option 50, the address a client asks for. */
  requestedIp: string | null;
  /** Option 12, lowercased, without trailing NULs and surrounding spaces. */
  hostname: string | null;
  /** Option 60 as sent ("MSFT 5.0", "android-dhcp-9"). */
  vendorClass: string | null;
  /** Option 81's domain name (ASCII or wire encoded), lowercased, without the trailing dot. */
  clientFqdn: string | null;
  /** Option 55, the option codes the client asks for, in its order. */
  parameterRequestList: number[] | null;
}

const FIXED = 236; // op .. file, before the magic cookie
const OPTIONS = FIXED + 4;
const SNAME = 44, FILE = 108; // offsets of the sname (64 bytes) and file (128 bytes) fields
const FQDN_E = 0x04; // option 81 flag: the name is in canonical wire format
const decoder = new TextDecoder("latin1");

/**
 * Parses a BOOTP/DHCP message. Returns null unless the payload has the fixed
 * header and the DHCP magic cookie 0x63825363. An option cut short by the end
 * of the payload ends the parse, keeping the options read before it; options
 * that appear several times are joined (RFC 3396); option 52 (overload) is
 * followed into the file and sname fields.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const payload = new Uint8Array(250);
 * payload.set([1, 1, 6]); // BOOTREQUEST over Ethernet
 * payload.set([0x63, 0x82, 0x53, 0x63, 53, 1, 1, 12, 4, 0x53, 0x68, 0x65, 0x6e], 236);
 * const message = parseDhcpMessage(payload);
 * assertEquals(message?.messageType, 1); // DISCOVER
 * assertEquals(message?.hostname, "shen");
 * ```
 */
export function parseDhcpMessage(payload: Uint8Array): DhcpMessage | null {
  const b = payload;
  if (b.length < OPTIONS || (b[0] !== 1 && b[0] !== 2)) return null;
  if (
    b[FIXED] !== 0x63 || b[FIXED + 1] !== 0x82 || b[FIXED + 2] !== 0x53 || b[FIXED + 3] !== 0x63
  ) {
    return null;
  }
  const options = new Map<number, Uint8Array[]>();
  const overload = readOptions(b, OPTIONS, b.length, options);
  if (overload & 1) readOptions(b, FILE, FILE + 128, options);
  if (overload & 2) readOptions(b, SNAME, SNAME + 64, options);
  const option = (code: number): Uint8Array | null => {
    const parts = options.get(code);
    if (!parts) return null;
    if (parts.length === 1) return parts[0];
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      joined.set(p, at);
      at += p.length;
    }
    return joined;
  };
  const type = option(53);
  const requested = option(50);
  const prl = option(55);
  return {
    op: b[0],
    messageType: type && type.length >= 1 ? type[0] : null,
    chaddr: b[1] === 1 && b[2] === 6 ? macText(b.subarray(28, 34)) : null,
    ciaddr: ipText(b, 12),
    yiaddr: ipText(b, 16),
    requestedIp: requested && requested.length === 4 ? ipText(requested, 0) : null,
    hostname: text(option(12))?.toLowerCase() ?? null,
    vendorClass: text(option(60)),
    clientFqdn: fqdn(option(81)),
    parameterRequestList: prl ? [...prl] : null,
  };
}

/**
 * Collects the options in `b[start, end)` into `into`; stops at End (255) or
 * at an option reaching past `end`. Returns option 52's value (0 when absent).
 */
function readOptions(
  b: Uint8Array,
  start: number,
  end: number,
  into: Map<number, Uint8Array[]>,
): number {
  end = Math.min(end, b.length);
  let overload = 0;
  for (let p = start; p < end;) {
    const code = b[p];
    if (code === 255) break;
    if (code === 0) { // Pad
      p++;
      continue;
    }
    if (p + 1 >= end) break;
    const length = b[p + 1];
    if (p + 2 + length > end) break;
    const value = b.subarray(p + 2, p + 2 + length);
    if (code === 52 && length === 1) overload = value[0] & 3;
    const parts = into.get(code);
    if (parts) parts.push(value);
    else into.set(code, [value]);
    p += 2 + length;
  }
  return overload;
}

/**
 * A text option: latin1 without trailing NULs, then trimmed; null when empty
 * or holding control characters.
 */
function text(value: Uint8Array | null): string | null {
  if (!value) return null;
  let end = value.length;
  while (end > 0 && value[end - 1] === 0) end--;
  const raw = decoder.decode(value.subarray(0, end));
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) return null;
  const s = raw.trim();
  return s === "" ? null : s;
}

/** Option 81 (RFC 4702): flags, two RCODE bytes, then the domain name. */
function fqdn(value: Uint8Array | null): string | null {
  if (!value || value.length < 4) return null;
  const name = value.subarray(3);
  // Some clients get the E flag wrong: try the other encoding too.
  const found = (value[0] & FQDN_E) !== 0
    ? wireName(name) ?? asciiName(name)
    : asciiName(name) ?? wireName(name);
  return found === null ? null : found.toLowerCase();
}

/** A name in ASCII: printable, without spaces; the trailing dot dropped. */
function asciiName(b: Uint8Array): string | null {
  const s = text(b)?.replace(/\.$/, "");
  return s && /^[\x21-\x7e]+$/.test(s) ? s : null;
}

/** A name in DNS wire format without compression; a partial name may lack its final zero. */
function wireName(b: Uint8Array): string | null {
  const labels: string[] = [];
  let p = 0;
  while (p < b.length && b[p] !== 0) {
    const length = b[p];
    if (length > 63 || p + 1 + length > b.length) return null;
    const label = decoder.decode(b.subarray(p + 1, p + 1 + length));
    if (!/^[\x21-\x2d\x2f-\x7e]+$/.test(label)) return null; // printable, no dots
    labels.push(label);
    p += 1 + length;
  }
  return labels.length > 0 ? labels.join(".") : null;
}

function ipText(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

function macText(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join(":");
}
