import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  formatDuration,
  formatRate,
  formatSize,
  parseDuration,
  parseRate,
  parseSize,
} from "../../../engine/policy/units.ts";

// deno-lint-ignore no-explicit-any
type ErrorClass = new (...args: any[]) => Error;

function checkTable<T>(parse: (v: T) => number, table: [T, number][]): void {
  for (const [input, expected] of table) {
    assertEquals(parse(input), expected, `${JSON.stringify(input)}`);
  }
}

function checkErrors<T>(parse: (v: T) => number, table: [T, ErrorClass, string][]): void {
  for (const [input, kind, message] of table) {
    assertThrows(() => parse(input), kind, message);
  }
}

Deno.test("parseRate() reads bits and bytes per second in their usual spellings", () => {
  checkTable(parseRate, [
    [1500, 1500],
    [0.5, 0.5],
    ["1000", 1000],
    // bits: b, bit, bits, bps, with or without /s, any prefix case
    ["25Mbit", 3_125_000],
    ["25 Mbit/s", 3_125_000],
    ["25Mbps", 3_125_000],
    ["25 mbps", 3_125_000],
    ["25Mb/s", 3_125_000],
    ["25 MBit/s", 3_125_000],
    ["25 Mbits/sec", 3_125_000],
    ["  25Mbit  ", 3_125_000],
    ["512kbit", 64_000],
    ["512 Kbps", 64_000],
    ["1Gbit/s", 125_000_000],
    ["1.5 Gbps", 187_500_000],
    ["1.1Mbit", 137_500],
    ["100 bit/s", 12.5],
    ["100bps", 12.5],
    ["2 Mibit/s", 262_144],
    // bytes: B, Bps, byte(s)
    ["3MB/s", 3_000_000],
    ["3 MiB/s", 3_145_728],
    ["3 MIB/s", 3_145_728],
    ["3MBps", 3_000_000],
    ["3 MB", 3_000_000],
    ["500KB/s", 500_000],
    ["500 kB/s", 500_000],
    [".5MB/s", 500_000],
    ["1.5 GB/s", 1_500_000_000],
    ["100 B/s", 100],
    ["2 bytes/s", 2],
    ["1 MB/sec", 1_000_000],
  ]);
});

Deno.test("parseRate() names the text and the accepted forms when it refuses", () => {
  checkErrors<string | number>(parseRate, [
    ["fast", TypeError, 'rate "fast" not understood: write bits as "25Mbit"'],
    ["", TypeError, 'rate "" not understood'],
    ["25 Mbit/hour", TypeError, '"3MB/s"'],
    ["25 Xbit", TypeError, "not understood"],
    ["1,5Mbit", TypeError, "not understood"],
    ["25M", TypeError, 'rate "25M" has no unit: "25Mbit" is bits, "25MB/s" bytes'],
    ["0Mbit", RangeError, "use the block action"],
    [0, RangeError, "rate 0 is zero: to stop traffic, use the block action"],
    ["-5Mbit", RangeError, 'rate "-5Mbit" is negative'],
    [-1, RangeError, "negative"],
    [NaN, RangeError, "finite"],
    [Infinity, RangeError, "finite"],
    [true as unknown as number, TypeError, "got boolean"],
  ]);
});

Deno.test("parseSize() reads decimal and binary byte sizes", () => {
  checkTable(parseSize, [
    [1024, 1024],
    [0, 0],
    ["0", 0],
    ["4096", 4096],
    ["50GB", 50_000_000_000],
    ["2 GiB", 2_147_483_648],
    ["500MB", 500_000_000],
    ["500mb", 500_000_000],
    ["1.5TB", 1_500_000_000_000],
    ["10 KiB", 10_240],
    ["10KIB", 10_240],
    ["1.5 KiB", 1536],
    ["1kB", 1000],
    ["1 PB", 1e15],
    ["1 byte", 1],
    ["100 bytes", 100],
    ["0.4B", 0], // whole bytes
    [2.6, 3],
  ]);
});

Deno.test("parseSize() refuses bits, bare prefixes and figures out of range", () => {
  checkErrors<string | number>(parseSize, [
    ["50Gbit", TypeError, 'size "50Gbit" is in bits: sizes are bytes'],
    ["50G", TypeError, 'size "50G" has no unit: write "50GB" or "50GiB"'],
    ["50 GBs", TypeError, 'size "50 GBs" not understood: write "500MB"'],
    ["lots", TypeError, "not understood"],
    ["1e20", TypeError, "not understood"],
    ["-1GB", RangeError, "negative"],
    ["20 PB", RangeError, "too large"],
    [1e20, RangeError, "too large"],
    [NaN, RangeError, "finite"],
    [null as unknown as number, TypeError, "size must be text"],
  ]);
});

Deno.test("parseDuration() reads seconds and parts from the largest unit down", () => {
  checkTable(parseDuration, [
    [90, 90],
    [1.5, 1.5],
    ["45", 45],
    ["0", 0],
    ["0s", 0],
    ["90s", 90],
    ["15m", 900],
    ["1h", 3600],
    ["1h30m", 5400],
    ["1h 30m", 5400],
    [" 5m ", 300],
    ["2d", 172_800],
    ["1w", 604_800],
    ["1.5h", 5400],
    ["1.1h", 3960],
    ["500ms", 0.5],
    ["10 min", 600],
    ["2 hours", 7200],
    ["1 day 2 hrs", 93_600],
    ["1d2h3m4s", 93_784],
    ["1H", 3600],
  ]);
  checkErrors<string | number>(parseDuration, [
    ["30m1h", TypeError, "units must go from largest to smallest, once each"],
    ["1h1h", TypeError, "largest to smallest"],
    ["5 fortnights", TypeError, 'unknown unit "fortnights"'],
    ["1M", TypeError, 'duration "1M" not understood (unknown unit "M")'],
    ["", TypeError, 'write "90s", "15m", "1h", "1h30m", "2d"'],
    ["h", TypeError, "not understood"],
    ["5m-", TypeError, "not understood"],
    ["-5m", RangeError, 'duration "-5m" is negative'],
    [-1, RangeError, "negative"],
    [NaN, RangeError, "finite"],
    [{} as unknown as number, TypeError, "got object"],
  ]);
});

Deno.test("formatRate() shows bits per second to three significant digits", () => {
  const table: [number, string][] = [
    [4_775_000, "38.2 Mbit/s"],
    [3_125_000, "25 Mbit/s"],
    [64_000, "512 kbit/s"],
    [187_500_000, "1.5 Gbit/s"],
    [12.5, "100 bit/s"],
    [1, "8 bit/s"],
    [0, "0 bit/s"],
    [124_999.9, "1 Mbit/s"], // 999.9992 kbit/s rounds into the next unit
    [1.25e12, "10 Tbit/s"],
    [1.25e15, "10000 Tbit/s"],
  ];
  for (const [rate, text] of table) assertEquals(formatRate(rate), text);
  assertThrows(() => formatRate(-1), RangeError, "-1");
  assertThrows(() => formatRate(NaN), RangeError, "NaN");
});

Deno.test("formatSize() shows decimal bytes to three significant digits", () => {
  const table: [number, string][] = [
    [1_250_000_000, "1.25 GB"],
    [512, "512 B"],
    [40_000_000, "40 MB"],
    [1234, "1.23 kB"],
    [1536, "1.54 kB"],
    [999_999, "1 MB"],
    [0, "0 B"],
    [1e15, "1 PB"],
  ];
  for (const [bytes, text] of table) assertEquals(formatSize(bytes), text);
  assertThrows(() => formatSize(-5), RangeError, "-5");
});

Deno.test("formatDuration() shows the two largest units", () => {
  const table: [number, string][] = [
    [5400, "1h 30m"],
    [3600, "1h"],
    [3725, "1h 2m"],
    [45, "45s"],
    [61, "1m 1s"],
    [59.6, "1m"],
    [0.4, "0s"],
    [0, "0s"],
    [90_061, "1d 1h"],
    [86_459, "1d"],
  ];
  for (const [seconds, text] of table) assertEquals(formatDuration(seconds), text);
  assertThrows(() => formatDuration(-1), RangeError, "-1");
  assertThrows(() => formatDuration(Infinity), RangeError, "Infinity");
});

Deno.test("formatted figures read back", () => {
  for (const text of ["25 Mbit/s", "38.2 Mbit/s", "512 kbit/s", "1.5 Gbit/s", "100 bit/s"]) {
    assertEquals(formatRate(parseRate(text)), text);
  }
  for (const text of ["1.25 GB", "40 MB", "512 B", "1.23 kB", "2 TB"]) {
    assertEquals(formatSize(parseSize(text)), text);
  }
  for (const text of ["1h 30m", "45s", "2d 3h", "1m 1s", "1h"]) {
    assertEquals(formatDuration(parseDuration(text)), text);
  }
  // Any figure comes back within the rounding to three significant digits.
  for (let x = 7; x < 1e13; x *= 3.7) {
    const rate = parseRate(formatRate(x));
    assert(Math.abs(rate - x) <= x * 0.005, `rate ${x} came back as ${rate}`);
    const size = parseSize(formatSize(x));
    assert(Math.abs(size - x) <= x * 0.005 + 0.5, `size ${x} came back as ${size}`);
  }
});
