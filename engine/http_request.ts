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
  const methodText = decoder.decode(bytes.subarray(0, space));
  const lineEnd = bytes.subarray(0, MAX_HEAD).indexOf(0x0a);
  if (lineEnd < 0) return bytes.length < MAX_HEAD ? undefined : null;
  if (!/ HTTP\/\d\.\d\r?$/.test(decoder.decode(bytes.subarray(space, lineEnd)))) return null;
  // Decode the head only, not a body that came in the same segment.
  const blank = headEndAt(bytes, lineEnd);
  const text = decoder.decode(bytes.subarray(0, blank < 0 ? MAX_HEAD : blank + 3));
  const headEnd = blank < 0 ? -1 : text.search(/\r?\n\r?\n/);
  const complete = headEnd >= 0 || bytes.length >= MAX_HEAD;
  const info: HttpRequestInfo = { method: methodText, host: null, userAgent: null };
  for (const line of text.slice(lineEnd + 1, headEnd < 0 ? undefined : headEnd).split("\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "host" && info.host === null) info.host = hostWithoutPort(value);
    else if (name === "user-agent" && info.userAgent === null) info.userAgent = value || null;
  }
  // Until the blank line, a later packet may still bring the Host header.
  if (!complete && info.host === null) return undefined;
  return info;
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
