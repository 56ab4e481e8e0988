/**
 * DNS messages (RFC 1035) as UDP payloads: a recursive query, and its answer
 * with A or AAAA records, optionally behind a CNAME. Also the host name check
 * every builder of this folder shares.
 *
 * @module
 */

const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/**
 * Throws unless `name` is a host name: 1 to 253 characters, dot-separated
 * labels of 1 to 63 letters, digits, hyphens or underscores (no leading or
 * trailing hyphen). `what` names the argument in the message.
 *
 * @example
 * ```ts
 * import { assertThrows } from "@std/assert";
 * checkHostname("www.netflix.com", "serverName");
 * assertThrows(() => checkHostname("a..b", "serverName"), TypeError);
 * ```
 */
export function checkHostname(name: string, what: string): void {
  if (typeof name !== "string" || name === "") {
    throw new TypeError(`${what} must be a non-empty host name, got ${JSON.stringify(name)}`);
  }
  if (name.length > 253) {
    throw new RangeError(`${what} must be at most 253 characters, got ${name.length}`);
  }
  for (const label of name.split(".")) {
    if (label.length > 63) {
      throw new RangeError(`${what} has a label of ${label.length} characters (at most 63)`);
    }
    if (!LABEL.test(label)) {
      throw new TypeError(`${what} is not a host name: ${JSON.stringify(name)}`);
    }
  }
}

function checkId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > 65535) {
    throw new RangeError(`id must be an integer in 0-65535, got ${id}`);
  }
}

const TYPE_A = 1, TYPE_CNAME = 5, TYPE_AAAA = 28, CLASS_IN = 1;

/** A name in wire format: length-prefixed labels, then the root. */
function encodeName(name: string): number[] {
  const out: number[] = [];
  for (const label of name.split(".")) {
    out.push(label.length);
    for (let i = 0; i < label.length; i++) out.push(label.charCodeAt(i));
  }
  out.push(0);
  return out;
}

function header(id: number, flags: number, answers: number): number[] {
  return [
    id >>> 8,
    id & 255,
    flags >>> 8,
    flags & 255,
    0,
    1,
    answers >>> 8,
    answers & 255,
    0,
    0,
    0,
    0,
  ];
}

/**
 * A standard query with recursion desired for `name`'s A or AAAA records.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const q = dnsQuery(0x1234, "example.com", "A");
 * assertEquals([q[0], q[1], q.length], [0x12, 0x34, 12 + 13 + 4]);
 * ```
 */
export function dnsQuery(id: number, name: string, type: "A" | "AAAA"): Uint8Array {
  checkId(id);
  checkHostname(name, "name");
  if (type !== "A" && type !== "AAAA") {
    throw new TypeError(`type must be "A" or "AAAA", got ${JSON.stringify(type)}`);
  }
  const qtype = type === "A" ? TYPE_A : TYPE_AAAA;
  return Uint8Array.from([...header(id, 0x0100, 0), ...encodeName(name), 0, qtype, 0, CLASS_IN]);
}

/**
 * A response (recursion available, no error) to the query for `name`: one A
 * record per 4-byte address and one AAAA record per 16-byte one, each with
 * `ttl` seconds. With `cname`, a CNAME record `name` → `cname` comes first and
 * the addresses are `cname`'s. The question's type is that of the first
 * address (A when there are none). Names in answers are compressed.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const a = dnsAnswer(7, "www.netflix.com", [Uint8Array.of(203, 0, 113, 9)], 300);
 * assertEquals(a[7], 1); // one answer
 * ```
 */
export function dnsAnswer(
  id: number,
  name: string,
  addresses: Uint8Array[],
  ttl: number,
  cname?: string,
): Uint8Array {
  checkId(id);
  checkHostname(name, "name");
  if (cname !== undefined) checkHostname(cname, "cname");
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > 0x7fffffff) {
    throw new RangeError(`ttl must be an integer in 0-2147483647, got ${ttl}`);
  }
  if (!Array.isArray(addresses)) throw new TypeError("addresses must be an array of addresses");
  addresses.forEach((a, i) => {
    if (!(a instanceof Uint8Array) || (a.length !== 4 && a.length !== 16)) {
      throw new RangeError(`addresses[${i}] must be 4 or 16 bytes, got ${a?.length}`);
    }
  });
  const count = addresses.length + (cname === undefined ? 0 : 1);
  if (count > 65535) throw new RangeError(`addresses must hold at most 65534 entries`);
  const qtype = addresses.length > 0 && addresses[0].length === 16 ? TYPE_AAAA : TYPE_A;
  const out = [...header(id, 0x8180, count), ...encodeName(name), 0, qtype, 0, CLASS_IN];
  const ttlBytes = [ttl >>> 24, (ttl >>> 16) & 255, (ttl >>> 8) & 255, ttl & 255];
  let owner = [0xc0, 12]; // the question's name
  if (cname !== undefined) {
    const target = encodeName(cname);
    out.push(...owner, 0, TYPE_CNAME, 0, CLASS_IN, ...ttlBytes, 0, target.length);
    const at = out.length;
    out.push(...target);
    owner = [0xc0 | (at >>> 8), at & 255]; // the CNAME target, as just written
  }
  for (const address of addresses) {
    const type = address.length === 4 ? TYPE_A : TYPE_AAAA;
    out.push(...owner, 0, type, 0, CLASS_IN, ...ttlBytes, 0, address.length, ...address);
  }
  if (out.length > 65535) throw new RangeError(`the answer is ${out.length} bytes (at most 65535)`);
  return Uint8Array.from(out);
}
