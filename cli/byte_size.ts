// Byte sizes as people write them ("50GB", "2 GiB", "500kb"), for quotas on
// the command line now and in policies later. Decimal units are 1000-based
// as on a disk's box or an ISP's bill; binary ones (KiB...) 1024-based.

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

const SIZE = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)$/i;

/**
 * Reads a byte size: a number (decimals allowed), optionally followed by a
 * unit, B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of
 * 1024), in any case, with or without a space. A bare number is bytes.
 * The result is rounded to a whole byte.
 *
 * Throws a TypeError when `text` is not a string or not a size at all
 * (`"fast"`, `"-5GB"`, `"5 XB"`), and a RangeError when it is a size too
 * large to count exactly in bytes (past 2^53 - 1, about 9 PB).
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * assertEquals(parseByteSize("50GB"), 50_000_000_000);
 * assertEquals(parseByteSize("2 GiB"), 2 * 1024 ** 3);
 * assertEquals(parseByteSize("1.5kb"), 1500);
 * assertThrows(() => parseByteSize("50 GBs"), TypeError);
 * ```
 */
export function parseByteSize(text: string): number {
  if (typeof text !== "string") {
    throw new TypeError(`a byte size must be a string, got ${typeof text}`);
  }
  const match = SIZE.exec(text.trim());
  const unit = match ? UNITS[(match[2] || "b").toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new TypeError(
      `${
        JSON.stringify(text)
      } is not a byte size (a number and B, KB, MB, GB, TB, KiB, MiB, GiB or TiB)`,
    );
  }
  const bytes = Math.round(Number(match[1]) * unit);
  if (!Number.isSafeInteger(bytes)) {
    throw new RangeError(`${JSON.stringify(text)} is too large a byte size`);
  }
  return bytes;
}
