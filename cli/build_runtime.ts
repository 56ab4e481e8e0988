/**
 * Checks a file named by DENORT_BIN before `deno compile` gets it: compile
 * itself accepts any executable (it appends the program to /bin/true and
 * calls that a success) and uses it whatever `--target` says, so the build
 * looks first: which platform the file is for, whether it is a Deno runtime
 * at all, and whether it is this Deno's version.
 *
 * @module
 */

/** The platforms Sluice is built for, as `deno compile --target` names them. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const;

/** One of TARGETS. */
export type Target = typeof TARGETS[number];

/**
 * The target an executable is for, from its header (ELF, Mach-O or PE and
 * the machine), or null when it is none of TARGETS.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const elf = new Uint8Array(64);
 * elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1]);
 * elf[18] = 0xb7; // EM_AARCH64
 * assertEquals(runtimeTarget(elf), "aarch64-unknown-linux-gnu");
 * ```
 */
export function runtimeTarget(bytes: Uint8Array): Target | null {
  if (bytes.length < 64) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) === 0x7f454c46 && bytes[4] === 2 && bytes[5] === 1) {
    const machine = view.getUint16(18, true);
    if (machine === 62) return "x86_64-unknown-linux-gnu";
    if (machine === 183) return "aarch64-unknown-linux-gnu";
    return null;
  }
  if (view.getUint32(0, true) === 0xfeedfacf) {
    const cpu = view.getUint32(4, true);
    if (cpu === 0x01000007) return "x86_64-apple-darwin";
    if (cpu === 0x0100000c) return "aarch64-apple-darwin";
    return null;
  }
  if (bytes[0] === 0x4d && bytes[1] === 0x5a) {
    const pe = view.getUint32(0x3c, true);
    if (pe + 6 > bytes.length || view.getUint32(pe) !== 0x50450000) return null;
    return view.getUint16(pe + 4, true) === 0x8664 ? "x86_64-pc-windows-msvc" : null;
  }
  return null;
}

/**
 * Why `bytes` cannot serve as DENORT_BIN for Deno `version` (a phrase to
 * follow the variable's value), or null when it can.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const text = new TextEncoder().encode("#!/bin/sh\necho hello\n");
 * assertEquals(problemWithRuntime(text, "2.9.6"), "is not an executable for any target Sluice builds, so not denort");
 * ```
 */
export function problemWithRuntime(bytes: Uint8Array, version: string): string | null {
  if (
    bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset).getUint32(0) === 0x504b0304
  ) {
    return "is a zip archive: unzip it and point DENORT_BIN at the denort inside";
  }
  if (!runtimeTarget(bytes)) {
    return "is not an executable for any target Sluice builds, so not denort";
  }
  // Latin-1 keeps one character per byte, so the markers are found as written.
  const text = new TextDecoder("latin1").decode(bytes);
  // deno compile writes the program into a section of this name; only Deno builds know it.
  if (!text.includes("d3n0l4nd")) return "is not a Deno runtime (denort)";
  // Only denort reads that section back at start; the deno CLI writes it but never runs it.
  if (!text.includes("standalone binary section")) {
    return "is a Deno build but not its runtime denort (the deno CLI itself?)";
  }
  const versions = new Set([...text.matchAll(/Deno\/(\d+\.\d+\.\d+)/g)].map((m) => m[1]));
  if (versions.size > 0 && !versions.has(version)) {
    const theirs = [...versions].filter((v) => Number(v.split(".")[0]) >= 2).sort().pop();
    if (theirs) {
      return `is the runtime of Deno ${theirs}, but this is Deno ${version}: they must match`;
    }
  }
  return null;
}
