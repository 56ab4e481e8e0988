/**
 * Text helpers for `sluice top`: rates, byte counts and cells cut or padded
 * to a width (counted in code points: no terminfo, no wide-glyph tables).
 *
 * @module
 */
import { formatBytes } from "../flow_text.ts";

/**
 * A byte count, SI units as elsewhere in Sluice: "12.5 MB", "900 B".
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(bytesText(12_514_794), "12.5 MB");
 * ```
 */
export function bytesText(bytes: number): string {
  return formatBytes(Math.max(0, Math.round(bytes)));
}

/**
 * A rate in bytes per second: "12.5 MB/s".
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(rateText(512_000), "512.0 kB/s");
 * ```
 */
export function rateText(bytesPerSecond: number): string {
  return `${bytesText(bytesPerSecond)}/s`;
}

/**
 * A threshold as the status line shows it: "512 kB/s", "1 MB/s".
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(thresholdText(2_000_000), "2 MB/s");
 * ```
 */
export function thresholdText(bytesPerSecond: number): string {
  return bytesPerSecond >= 1e6 ? `${bytesPerSecond / 1e6} MB/s` : `${bytesPerSecond / 1e3} kB/s`;
}

/** How many columns `text` takes: its code points. */
export function widthOf(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * `text` cut to `width` (ending in "…" when cut) and padded to it; `right`
 * pads on the left, for numbers.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(cell("desktop-1", 6), "deskt…");
 * assertEquals(cell("7", 3, true), "  7");
 * ```
 */
export function cell(text: string, width: number, right = false): string {
  if (width <= 0) return "";
  const chars = [...text];
  if (chars.length > width) return chars.slice(0, width - 1).join("") + "…";
  const pad = " ".repeat(width - chars.length);
  return right ? pad + text : text + pad;
}

/** Control characters (a device's name is what it said about itself) made harmless. */
export function printable(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, " ");
}

/**
 * "HH:MM:SS" of epoch ms in `timeZone` (default: this machine's).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(clockText(1_795_201_215_000, "UTC"), "19:00:15");
 * ```
 */
export function clockText(ms: number, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).format(ms);
}
