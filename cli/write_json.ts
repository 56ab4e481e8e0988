// Writes a large JSON document (a replay report with thousands of flows) in
// pieces. One JSON.stringify of the whole holds it as one multi-megabyte
// string, and a single name outside Latin-1 (a Chinese NetBIOS name, say)
// makes that string, and its encoding for output, two bytes a character.

/** Where {@linkcode writeJson} writes: `Deno.stdout`, or a test's collector. */
export interface SyncWriter {
  writeSync(p: Uint8Array): number;
}

/** Elements of a long array stringified together. */
const CHUNK = 256;
const encoder = new TextEncoder();

/**
 * Writes `JSON.stringify(value)` and a newline to `out`, byte for byte, with
 * the object's long arrays stringified a chunk of elements at a time.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const parts: Uint8Array[] = [];
 * const out = { writeSync: (p: Uint8Array) => (parts.push(p.slice()), p.length) };
 * writeJson(out, { n: 1, list: [1, 2, 3] });
 * const text = parts.map((p) => new TextDecoder().decode(p)).join("");
 * assertEquals(text, '{"n":1,"list":[1,2,3]}\n');
 * ```
 */
export function writeJson(
  out: SyncWriter,
  value: object,
  chunk: number = CHUNK,
): void {
  let pending = "{";
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    const json = Array.isArray(item) && item.length > chunk ? null : JSON.stringify(item);
    if (json === undefined) continue; // JSON.stringify leaves such members out
    pending += `${first ? "" : ","}${JSON.stringify(key)}:`;
    first = false;
    if (json !== null) {
      pending += json;
      continue;
    }
    const list = item as unknown[];
    pending += "[";
    for (let at = 0; at < list.length; at += chunk) {
      writeAll(out, pending + JSON.stringify(list.slice(at, at + chunk)).slice(1, -1));
      pending = at + chunk < list.length ? "," : "";
    }
    pending += "]";
  }
  writeAll(out, `${pending}}\n`);
}

function writeAll(out: SyncWriter, text: string): void {
  const bytes = encoder.encode(text);
  for (let done = 0; done < bytes.length;) done += out.writeSync(bytes.subarray(done));
}
