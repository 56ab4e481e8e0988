// parseByteSize: the sizes quotas (and later policies) are written in.
import { assertEquals, assertThrows } from "@std/assert";
import { parseByteSize } from "../../cli/byte_size.ts";

Deno.test("parseByteSize reads decimal units as powers of 1000 and binary ones as powers of 1024", () => {
  const cases: [string, number][] = [
    ["0", 0],
    ["512", 512],
    ["512B", 512],
    ["1KB", 1_000],
    ["500MB", 500_000_000],
    ["50GB", 50_000_000_000],
    ["2TB", 2_000_000_000_000],
    ["1KiB", 1_024],
    ["3MiB", 3 * 1024 ** 2],
    ["2GiB", 2 * 1024 ** 3],
    ["1TiB", 1024 ** 4],
  ];
  for (const [text, bytes] of cases) assertEquals(parseByteSize(text), bytes, text);
});

Deno.test("parseByteSize takes decimals, any case and a space, and rounds to a whole byte", () => {
  assertEquals(parseByteSize("1.5GB"), 1_500_000_000);
  assertEquals(parseByteSize(".5 KiB"), 512);
  assertEquals(parseByteSize("  2 gib "), 2 * 1024 ** 3);
  assertEquals(parseByteSize("10kB"), 10_000);
  assertEquals(parseByteSize("1.0006KB"), 1_001); // 1000.6 bytes, rounded
});

Deno.test("parseByteSize refuses what is not a size with a TypeError", () => {
  for (const text of ["", "GB", "fast", "-5GB", "5 XB", "5 GBs", "5PB", "1e9", "5,000", "1.GB"]) {
    assertThrows(() => parseByteSize(text), TypeError, "is not a byte size");
  }
  assertThrows(() => parseByteSize(5 as unknown as string), TypeError, "must be a string");
});

Deno.test("parseByteSize refuses a size too large to count exactly with a RangeError", () => {
  assertEquals(parseByteSize("8000TB"), 8e15);
  assertThrows(() => parseByteSize("10000TB"), RangeError, "too large");
  assertThrows(() => parseByteSize("9".repeat(400)), RangeError, "too large");
});
