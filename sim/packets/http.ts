/**
 * Plain HTTP/1.1 requests, the first bytes a client sends on port 80.
 *
 * @module
 */
import { checkHostname } from "./dns.ts";

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Checks a Host header value: a host name, an IPv4 address or a [bracketed IPv6], then maybe :port. */
function checkHost(host: string): void {
  if (typeof host !== "string") throw new TypeError(`host must be a string, got ${typeof host}`);
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^:]*)(?::(\d{1,5}))?$/.exec(host);
  if (!m) throw new TypeError(`host is not a host name with an optional :port: ${host}`);
  if (m[2] !== undefined && Number(m[2]) > 65535) {
    throw new RangeError(`host's port must be in 0-65535, got ${m[2]}`);
  }
  if (!m[1].startsWith("[") && !IPV4.test(m[1])) checkHostname(m[1], "host");
}

/**
 * A GET request for `path` on `host` (a name or address, optionally with
 * ":port"), with `userAgent` and the headers browsers add; ends with the
 * blank line.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const request = new TextDecoder().decode(httpGet("example.org", "/", "curl/8.5.0"));
 * assertEquals(request.split("\r\n").slice(0, 2), ["GET / HTTP/1.1", "Host: example.org"]);
 * ```
 */
export function httpGet(host: string, path: string, userAgent: string): Uint8Array {
  checkHost(host);
  if (typeof path !== "string" || !/^\/[\x21-\x7e]*$/.test(path)) {
    throw new TypeError(`path must start with "/" and hold no spaces or controls, got ${path}`);
  }
  if (typeof userAgent !== "string" || !/^[\x20-\x7e]{1,512}$/.test(userAgent)) {
    throw new TypeError(`userAgent must be 1-512 printable ASCII characters, got ${userAgent}`);
  }
  const text = `GET ${path} HTTP/1.1\r\n` +
    `Host: ${host}\r\n` +
    `User-Agent: ${userAgent}\r\n` +
    "Accept: */*\r\n" +
    "Accept-Encoding: gzip, deflate\r\n" +
    "Connection: keep-alive\r\n\r\n";
  return new TextEncoder().encode(text);
}
