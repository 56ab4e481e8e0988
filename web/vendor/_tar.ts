/**
 * A small reader for the tar archives npm packs (ustar, with the pax and GNU
 * long-name extensions), so vendoring needs no tar binary and no npm client.
 * It reads an archive already in memory: npm tarballs are a few hundred KB.
 *
 * @module
 */

/** One member of an archive. */
export interface TarEntry {
  /** The member's path, as stored ("package/dist/preact.module.js"). */
  name: string;
  type: "file" | "directory" | "other";
  /** The member's bytes (empty for directories and other types). */
  data: Uint8Array;
}

const BLOCK = 512;
const decoder = new TextDecoder();

/**
 * The members of a tar archive, in order. Checks each header's checksum and
 * refuses a truncated archive with a RangeError naming the member.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { readTar } from "./_tar.ts";
 * // an npm tarball, un-gzipped: readTar(tar) → [{ name: "package/LICENSE", ... }, ...]
 * assertEquals(readTar(new Uint8Array(1024)), []); // just the end-of-archive marker
 * ```
 */
export function readTar(bytes: Uint8Array): TarEntry[] {
  const out: TarEntry[] = [];
  let offset = 0;
  let longName: string | null = null; // from a GNU "L" or pax "x" member, for the next one
  while (offset + BLOCK <= bytes.length) {
    const header = bytes.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    const name0 = text(header, 0, 100);
    if (octal(header, 148, 8, name0) !== checksum(header)) {
      throw new RangeError(`tar: bad header checksum at ${name0 || `offset ${offset}`}`);
    }
    const size = octal(header, 124, 12, name0);
    const flag = String.fromCharCode(header[156]);
    const start = offset + BLOCK;
    if (start + size > bytes.length) throw new RangeError(`tar: truncated member ${name0}`);
    const data = bytes.subarray(start, start + size);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;

    if (flag === "L") {
      longName = decoder.decode(data).replace(/\0.*$/s, "");
      continue;
    }
    if (flag === "x") {
      longName = paxPath(data) ?? longName;
      continue;
    }
    if (flag === "g") continue; // global pax header: nothing npm relies on
    const magic = text(header, 257, 6);
    const prefix = magic.startsWith("ustar") ? text(header, 345, 155) : "";
    const name = longName ?? (prefix ? `${prefix}/${name0}` : name0);
    longName = null;
    const type = flag === "0" || flag === "\0" || flag === "7"
      ? "file"
      : flag === "5"
      ? "directory"
      : "other";
    out.push({ name, type, data: type === "file" ? data.slice() : new Uint8Array() });
  }
  return out;
}

/** A NUL-terminated string field. */
function text(h: Uint8Array, at: number, len: number): string {
  const field = h.subarray(at, at + len);
  const end = field.indexOf(0);
  return decoder.decode(end < 0 ? field : field.subarray(0, end));
}

/** A numeric field: octal text, or GNU base-256 when the high bit is set. */
function octal(h: Uint8Array, at: number, len: number, member: string): number {
  if (h[at] & 0x80) {
    let n = h[at] & 0x7f;
    for (let i = at + 1; i < at + len; i++) n = n * 256 + h[i];
    return n;
  }
  const s = text(h, at, len).trim();
  if (s === "") return 0;
  if (!/^[0-7]+$/.test(s)) throw new RangeError(`tar: bad number field in ${member || "header"}`);
  return parseInt(s, 8);
}

/** The header's checksum: the sum of its bytes, with the checksum field read as spaces. */
function checksum(h: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
  return sum;
}

/** The "path" record of a pax extended header ("<len> path=<value>\n"; len counts bytes). */
function paxPath(data: Uint8Array): string | null {
  let path: string | null = null;
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    const len = space < 0 ? NaN : parseInt(decoder.decode(data.subarray(i, space)), 10);
    if (!(len > 0)) break;
    const record = decoder.decode(data.subarray(space + 1, i + len - 1)); // drops the "\n"
    const eq = record.indexOf("=");
    if (record.slice(0, eq) === "path") path = record.slice(eq + 1);
    i += len;
  }
  return path;
}
