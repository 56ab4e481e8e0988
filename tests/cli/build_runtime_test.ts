// The check of DENORT_BIN before deno compile gets it: platform from the
// header, a Deno runtime rather than any executable, the same Deno version.
import { assertEquals, assertStringIncludes } from "@std/assert";
import { problemWithRuntime, runtimeTarget, TARGETS } from "../../cli/build_runtime.ts";

const enc = new TextEncoder();

function elf(machine: number, klass = 2): Uint8Array {
  const b = new Uint8Array(128);
  b.set([0x7f, 0x45, 0x4c, 0x46, klass, 1]);
  new DataView(b.buffer).setUint16(18, machine, true);
  return b;
}

function macho(cpu: number): Uint8Array {
  const b = new Uint8Array(128);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0xfeedfacf, true);
  v.setUint32(4, cpu, true);
  return b;
}

function pe(machine: number): Uint8Array {
  const b = new Uint8Array(256);
  const v = new DataView(b.buffer);
  b.set([0x4d, 0x5a]);
  v.setUint32(0x3c, 0x80, true);
  v.setUint32(0x80, 0x50450000);
  v.setUint16(0x84, machine, true);
  return b;
}

/** `head` followed by `text`, as an executable with those strings in it. */
function withStrings(head: Uint8Array, text: string): Uint8Array {
  const t = enc.encode(text);
  const b = new Uint8Array(head.length + t.length);
  b.set(head);
  b.set(t, head.length);
  return b;
}

Deno.test("runtimeTarget() reads the platform from ELF, Mach-O and PE headers", () => {
  assertEquals(runtimeTarget(elf(62)), "x86_64-unknown-linux-gnu");
  assertEquals(runtimeTarget(elf(183)), "aarch64-unknown-linux-gnu");
  assertEquals(runtimeTarget(macho(0x01000007)), "x86_64-apple-darwin");
  assertEquals(runtimeTarget(macho(0x0100000c)), "aarch64-apple-darwin");
  assertEquals(runtimeTarget(pe(0x8664)), "x86_64-pc-windows-msvc");
  assertEquals(runtimeTarget(pe(0xaa64)), null, "Windows on ARM is not built");
  assertEquals(runtimeTarget(elf(62, 1)), null, "32-bit");
  assertEquals(runtimeTarget(elf(40)), null, "32-bit ARM");
  assertEquals(runtimeTarget(elf(62).slice(0, 20)), null, "truncated");
  assertEquals(runtimeTarget(enc.encode("#!/bin/sh\n".repeat(10))), null);
});

Deno.test("runtimeTarget() of this very deno is the host's target", async () => {
  const host = `${Deno.build.arch}-${Deno.build.os}`;
  const t = runtimeTarget(await Deno.readFile(Deno.execPath()));
  const expected = TARGETS.find((x) =>
    x.startsWith(Deno.build.arch) && x.includes(Deno.build.os.replace("darwin", "apple"))
  );
  assertEquals(t, expected ?? null, host);
});

Deno.test("problemWithRuntime() accepts denort of this version and says what else a file is", () => {
  const denort = "...d3n0l4nd...Could not find standalone binary section...Deno/2.9.6...";
  assertEquals(problemWithRuntime(withStrings(elf(183), denort), "2.9.6"), null);
  assertEquals(
    problemWithRuntime(withStrings(elf(62), denort.replace("2.9.6", "0.80.0")), "2.9.6"),
    null,
    "no version of ours to compare: not refused",
  );
  const cases: [Uint8Array, string][] = [
    [new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]), "is a zip archive: unzip it"],
    [enc.encode("#!/bin/sh\necho hi\n"), "is not an executable for any target"],
    [withStrings(elf(62), "just a program"), "is not a Deno runtime (denort)"],
    [withStrings(pe(0x8664), "d3n0l4nd Deno/2.9.6"), "is a Deno build but not its runtime denort"],
    [
      withStrings(macho(0x0100000c), denort.replace("2.9.6", "2.8.1")),
      "is the runtime of Deno 2.8.1, but this is Deno 2.9.6: they must match",
    ],
  ];
  for (const [bytes, message] of cases) {
    assertStringIncludes(problemWithRuntime(bytes, "2.9.6") ?? "(none)", message);
  }
});

Deno.test("problemWithRuntime() refuses the deno CLI itself", async () => {
  const problem = problemWithRuntime(await Deno.readFile(Deno.execPath()), Deno.version.deno);
  assertStringIncludes(problem ?? "(none)", "not its runtime denort");
});
