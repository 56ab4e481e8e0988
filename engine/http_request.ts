// Reads the Host and User-Agent of an HTTP/1.x request from the first bytes a
// client sent. Pure and bounded; header names are matched case-insensitively.

/** What the request head named. */
export interface HttpRequestInfo {
  method: string;
  /** Host header without its port, lowercased; null when absent. */
  host: string | null;
  userAgent: string | null;
}

/** Longest method token accepted: WebDAV and friends add PROPFIND, MKCOL, VERSION-CONTROL... */
const MAX_METHOD = 20;
const MAX_HEAD = 8192;
const decoder = new TextDecoder("latin1");

/**
 * Parses the start of a client's TCP stream as an HTTP/1.x request head.
 * Returns undefined while the head may still be incomplete, null when the
 * bytes are not an HTTP request.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const head = new TextEncoder().encode("GET / HTTP/1.1\r\nHost: Example.com:8080\r\n\r\n");
 * assertEquals(parseHttpRequest(head)?.host, "example.com");
 * ```
 */
export function parseHttpRequest(bytes: Uint8Array): HttpRequestInfo | null | undefined {
  // Any method token (RFC 9110 allows extensions): upper-case letters, '-' and '_'.
  let space = 0;
  while (space < bytes.length && space <= MAX_METHOD && isMethodByte(bytes[space])) space++;
  if (space === bytes.length) return space <= MAX_METHOD ? undefined : null;
  if (space === 0 || space > MAX_METHOD || bytes[space] !== 0x20) return null;
  const lineEnd = bytes.subarray(0, MAX_HEAD).indexOf(0x0a);
  if (lineEnd < 0) return bytes.length < MAX_HEAD ? undefined : null;
  if (!endsWithVersion(bytes, space, lineEnd)) return null;
  // Header lines are read as bytes; only the two values wanted become strings.
  const blank = headEndAt(bytes, lineEnd);
  const end = blank < 0 ? Math.min(bytes.length, MAX_HEAD) : blank;
  const info: HttpRequestInfo = { method: latin1(bytes, 0, space), host: null, userAgent: null };
  for (let at = lineEnd + 1; at < end;) {
    let next = bytes.indexOf(0x0a, at);
    if (next < 0 || next > end) next = end;
    const colon = bytes.subarray(at, next).indexOf(0x3a);
    if (colon > 0) {
      const nameStart = skipSpace(bytes, at, at + colon);
      const nameEnd = trimEnd(bytes, nameStart, at + colon);
      if (info.host === null && isName(bytes, nameStart, nameEnd, HOST)) {
        info.host = hostWithoutPort(trimmed(bytes, at + colon + 1, next));
      } else if (info.userAgent === null && isName(bytes, nameStart, nameEnd, USER_AGENT)) {
        info.userAgent = trimmed(bytes, at + colon + 1, next) || null;
      }
    }
    at = next + 1;
  }
  // Until the blank line, a later packet may still bring the Host header.
  if (blank < 0 && bytes.length < MAX_HEAD && info.host === null) return undefined;
  return info;
}

const HOST = new TextEncoder().encode("host");
const USER_AGENT = new TextEncoder().encode("user-agent");

/** Whether the request line [from, lineEnd) ends with " HTTP/d.d", before an optional CR. */
function endsWithVersion(b: Uint8Array, from: number, lineEnd: number): boolean {
  const end = b[lineEnd - 1] === 0x0d ? lineEnd - 1 : lineEnd;
  const at = end - 9;
  if (at < from) return false;
  const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
  return b[at] === 0x20 && b[at + 1] === 0x48 && b[at + 2] === 0x54 && b[at + 3] === 0x54 &&
    b[at + 4] === 0x50 && b[at + 5] === 0x2f && isDigit(b[at + 6]) && b[at + 7] === 0x2e &&
    isDigit(b[at + 8]);
}

/** Whether b[from, to) is `name` (lowercase ASCII), ignoring case. */
function isName(b: Uint8Array, from: number, to: number, name: Uint8Array): boolean {
  if (to - from !== name.length) return false;
  for (let i = 0; i < name.length; i++) {
    const c = b[from + i];
    if ((c >= 0x41 && c <= 0x5a ? c + 32 : c) !== name[i]) return false;
  }
  return true;
}

/** What String.prototype.trim removes, among Latin-1 bytes. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0;
}

function skipSpace(b: Uint8Array, from: number, to: number): number {
  while (from < to && isSpace(b[from])) from++;
  return from;
}

function trimEnd(b: Uint8Array, from: number, to: number): number {
  while (to > from && isSpace(b[to - 1])) to--;
  return to;
}

function latin1(b: Uint8Array, from: number, to: number): string {
  return decoder.decode(b.subarray(from, to));
}

/** b[from, to) as text without surrounding white space. */
function trimmed(b: Uint8Array, from: number, to: number): string {
  const start = skipSpace(b, from, to);
  return latin1(b, start, trimEnd(b, start, to));
}

/** Where the blank line ending the head starts (its first "\n"), searching from `from`; -1 if absent. */
function headEndAt(b: Uint8Array, from: number): number {
  const end = Math.min(b.length, MAX_HEAD);
  for (let i = b.indexOf(0x0a, from); i >= 0 && i + 1 < end; i = b.indexOf(0x0a, i + 1)) {
    if (b[i + 1] === 0x0a || (b[i + 1] === 0x0d && b[i + 2] === 0x0a)) return i;
  }
  return -1;
}

function isMethodByte(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || b === 0x2d || b === 0x5f;
}

function hostWithoutPort(value: string): string | null {
  let host = value.toLowerCase();
  if (host.startsWith("[")) {
    host = host.slice(1, host.indexOf("]") < 0 ? undefined : host.indexOf("]"));
  } else if (host.indexOf(":") === host.lastIndexOf(":")) host = host.replace(/:\d*$/, "");
  return /^[a-z0-9._:-]{1,253}$/.test(host) ? host : null;
}
