// `sluice replay` as a user runs it: a child process, its exit code, and what
// it prints on stdout and stderr.
import { assert, assertEquals, assertLessOrEqual, assertStringIncludes } from "@std/assert";
import type { ReplayReport } from "../../cli/replay.ts";
import { CORPUS_DIR, hasCorpus, hasLibpcap, requireSystem, skipUnless } from "../_system.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CORPUS = "the shared nDPI corpus (../shared/pcap) with libpcap";
const withCorpus = hasCorpus() && hasLibpcap();

/** Runs `main.ts replay ...args` the way the README says to. */
async function sluice(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const command = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-ffi", "--allow-read", "--allow-env", "main.ts", "replay", ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await command.output();
  const text = new TextDecoder();
  return { code, stdout: text.decode(stdout), stderr: text.decode(stderr) };
}

/** Exit 2, nothing on stdout, one `sluice:` line on stderr and no stack trace. */
function assertUserError(
  result: { code: number; stdout: string; stderr: string },
  includes: string,
): void {
  const what = `stderr was ${JSON.stringify(result.stderr)}`;
  assertEquals(result.code, 2, what);
  assertEquals(result.stdout, "");
  const lines = result.stderr.trimEnd().split("\n");
  assertEquals(lines.length, 1, what);
  assert(/^sluice( [a-z]+)?: /.test(lines[0]), what);
  assertStringIncludes(lines[0], includes);
  assert(!/\bat .*:\d+:\d+|Uncaught|internal error/.test(result.stderr), what);
}

/**
 * The corpus captures the JSON test reads: every packet in a flow (Linux
 * cooked), IP fragments, and a fuzzed capture with non-IP, malformed and
 * orphan-fragment packets beside its flows.
 */
const JSON_CAPTURES = ["KakaoTalk_chat.pcap", "dns_fragmented.pcap", "fuzz-2006-06-26-2594.pcap"];

Deno.test({
  name: "sluice replay --json prints one JSON document with every flow",
  ignore: skipUnless(withCorpus, CORPUS),
  async fn() {
    requireSystem(withCorpus, CORPUS);
    for (const name of JSON_CAPTURES) {
      const path = `${CORPUS_DIR}ndpi/${name}`;
      const { code, stdout, stderr } = await sluice(path, "--json");
      assertEquals([code, stderr], [0, ""], name);
      assert(stdout.endsWith("}\n") && !stdout.trimEnd().includes("\n"), `${name}: one line`);
      const report: ReplayReport = JSON.parse(stdout);
      assertEquals(report.file, path);
      for (const key of ["file", "linkType", "packets", "bytes", "flows"]) {
        assert(key in report, `${name}: no ${key}`);
      }
      assertEquals(typeof report.linkType, "string");
      assert(report.flows.length > 0, `${name}: no flows`);
      for (const f of report.flows) {
        assertEquals(
          [typeof f.protocol, typeof f.client, typeof f.server],
          ["string", "string", "string"],
        );
        for (const totals of [f.c2s, f.s2c]) {
          assertEquals(Object.keys(totals).sort(), ["bytes", "packets"]);
        }
        assertLessOrEqual(f.firstSeen, f.lastSeen);
        assert(f.hostname === null || typeof f.hostname === "string", `${name}: hostname`);
        assert(
          [null, "sni", "quic", "http", "dns", "dhcp", "netbios", "payload"].includes(
            f.hostnameSource,
          ),
          `${name}: hostnameSource ${f.hostnameSource}`,
        );
        assertEquals(f.hostnameSource === null, f.hostname === null, `${name}: name and source`);
        assert(f.app === null || typeof f.app === "string", `${name}: app`);
        assertEquals(typeof f.category, "string", `${name}: category`);
      }
      const flowPackets = report.flows.reduce((n, f) => n + f.c2s.packets + f.s2c.packets, 0);
      const flowBytes = report.flows.reduce((n, f) => n + f.c2s.bytes + f.s2c.bytes, 0);
      assertEquals(flowPackets, report.decode.flowPackets, name);
      // Packets outside every flow account for the rest of the bytes.
      if (flowPackets === report.packets) assertEquals(flowBytes, report.bytes, name);
      else assertLessOrEqual(flowBytes, report.bytes, name);
    }
  },
});

Deno.test({
  name: "sluice replay --json reports evicted flows as well as the ones left at the end",
  ignore: skipUnless(withCorpus, CORPUS),
  async fn() {
    requireSystem(withCorpus, CORPUS);
    const path = `${CORPUS_DIR}ndpi/KakaoTalk_chat.pcap`;
    const all: ReplayReport = JSON.parse((await sluice(path, "--json")).stdout);
    const few: ReplayReport = JSON.parse((await sluice(path, "--json", "--max-flows", "2")).stdout);
    assert(few.decode.flowsEvicted > 0);
    const packets = (r: ReplayReport) =>
      r.flows.reduce((n, f) => n + f.c2s.packets + f.s2c.packets, 0);
    assertEquals(packets(few), packets(all));
    assertLessOrEqual(all.flows.length, few.flows.length);
  },
});

Deno.test("sluice replay exits 2 with one line for a missing file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assertUserError(await sluice(`${dir}/nothing-here.pcap`), "nothing-here.pcap");
    assertUserError(await sluice(`${dir}/nothing-here.pcap`, "--json"), "no such file");
    assertUserError(await sluice(dir), "not a file");
  } finally {
    await Deno.remove(dir);
  }
});

Deno.test({
  name: "sluice replay exits 2 with one line for a file that is not a capture",
  ignore: skipUnless(hasLibpcap(), "libpcap"),
  async fn() {
    requireSystem(hasLibpcap(), "libpcap");
    const path = await Deno.makeTempFile({ suffix: ".pcap" });
    try {
      await Deno.writeTextFile(path, "these are not the packets you are looking for\n".repeat(20));
      assertUserError(await sluice(path, "--json"), path);
      await Deno.writeTextFile(path, "");
      assertUserError(await sluice(path), path);
    } finally {
      await Deno.remove(path);
    }
  },
});

Deno.test({
  name: "sluice replay exits 2 with one line for a truncated capture",
  ignore: skipUnless(withCorpus, CORPUS),
  async fn() {
    requireSystem(withCorpus, CORPUS);
    const whole = await Deno.readFile(`${CORPUS_DIR}ndpi/KakaoTalk_chat.pcap`);
    // Walk the (little-endian pcap) records to where the sixth one starts.
    const records = new DataView(whole.buffer);
    let sixth = 24;
    for (let i = 0; i < 5; i++) sixth += 16 + records.getUint32(sixth + 8, true);
    const path = await Deno.makeTempFile({ suffix: ".pcap" });
    try {
      // Cut inside the sixth packet's data, then inside its record header.
      for (const length of [sixth + 16 + 10, sixth + 8]) {
        await Deno.writeFile(path, whole.subarray(0, length));
        assertUserError(await sluice(path, "--json"), "truncated");
      }
    } finally {
      await Deno.remove(path);
    }
  },
});

Deno.test("sluice replay exits 2 with one line for an unknown option", async () => {
  assertUserError(await sluice("x.pcap", "--bogus"), "--bogus");
  assertUserError(await sluice("x.pcap", "--max-flows", "zero"), "--max-flows");
  assertUserError(await sluice("x.pcap", "--json=yes"), "--json");
  assertUserError(await sluice(), "FILE");
});

Deno.test("sluice replay --help prints the help and exits 0", async () => {
  for (const flag of ["--help", "-h"]) {
    const { code, stdout, stderr } = await sluice(flag);
    assertEquals([code, stderr], [0, ""]);
    assert(stdout.startsWith("sluice replay FILE"), stdout);
    assertStringIncludes(stdout, "--json");
  }
});
