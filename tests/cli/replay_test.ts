// `sluice replay` as a user runs it: a child process, its exit code, and what
// it prints on stdout and stderr.
import { assert, assertEquals, assertLessOrEqual, assertStringIncludes } from "@std/assert";
import type { ReplayReport } from "../../cli/replay.ts";
import { CORPUS_DIR, hasCorpus, hasLibpcap, requireSystem, skipUnless } from "../_system.ts";
import { assertUserError, SAMPLE, sluice } from "./_replay.ts";

const CORPUS = "the shared nDPI corpus (../shared/pcap) with libpcap";
const LIBPCAP = "libpcap";
const withCorpus = hasCorpus() && hasLibpcap();

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

/** Flows, packets and bytes (both directions) of a list of totals or of flows. */
function sums(list: { flows: number; packets: number; bytes: number }[]): number[] {
  return list.reduce((t, x) => [t[0] + x.flows, t[1] + x.packets, t[2] + x.bytes], [0, 0, 0]);
}
function flowSums(report: ReplayReport): number[] {
  return sums(report.flows.map((f) => ({
    flows: 1,
    packets: f.c2s.packets + f.s2c.packets,
    bytes: f.c2s.bytes + f.s2c.bytes,
  })));
}

Deno.test({
  name: "sluice replay --json adds apps, categories and devices that add up to the flows",
  ignore: skipUnless(hasLibpcap(), LIBPCAP),
  async fn() {
    requireSystem(hasLibpcap(), LIBPCAP);
    const captures = [
      SAMPLE,
      ...(withCorpus ? JSON_CAPTURES.map((n) => `${CORPUS_DIR}ndpi/${n}`) : []),
    ];
    for (const path of captures) {
      const { code, stdout, stderr } = await sluice(path, "--json");
      assertEquals([code, stderr], [0, ""], path);
      const report: ReplayReport = JSON.parse(stdout);
      const keys = Object.keys(report);
      assertEquals(keys.slice(keys.indexOf("flows")), [
        "flows",
        "apps",
        "categories",
        "devices",
        "decode",
      ]);
      assertEquals(sums(report.apps), flowSums(report), `${path}: apps`);
      assertEquals(sums(report.categories), flowSums(report), `${path}: categories`);
      for (const list of [report.apps, report.categories]) {
        for (let i = 1; i < list.length; i++) {
          assertLessOrEqual(list[i].bytes, list[i - 1].bytes, `${path}: sorted by bytes`);
        }
      }
      for (const a of report.apps) {
        assertEquals(a.name === "Unknown", a.app === null, `${path}: ${a.name}`);
        const flows = report.flows.filter((f) => f.app === a.app && f.category === a.category);
        assertEquals(flows.length, a.flows, `${path}: ${a.app} ${a.category}`);
        if (a.app !== null) assertEquals(flows[0].appName, a.name);
      }
      assert(Array.isArray(report.devices), `${path}: devices`);
      for (const d of report.devices) assert(/^(mac|ip):/.test(d.key), `${path}: ${d.key}`);
    }
  },
});

Deno.test({
  name: "sluice replay --json gives the sample capture's apps, categories and devices",
  ignore: skipUnless(hasLibpcap(), LIBPCAP),
  async fn() {
    requireSystem(hasLibpcap(), LIBPCAP);
    const report: ReplayReport = JSON.parse((await sluice(SAMPLE, "--json")).stdout);
    const devices = report.devices.map((d) => ({ ...d, lastSeen: "(redacted)" }));
    assertEquals({ apps: report.apps, categories: report.categories, devices }, {
      apps: [
        { app: null, name: "Unknown", category: "Other", flows: 5, packets: 60, bytes: 8620 },
        { app: "icmp", name: "ICMP", category: "Network", flows: 1, packets: 11, bytes: 1018 },
        { app: "icmpv6", name: "ICMPv6", category: "Network", flows: 1, packets: 8, bytes: 944 },
        {
          app: "league-of-legends",
          name: "League of Legends",
          category: "Gaming",
          flows: 2,
          packets: 2,
          bytes: 100,
        },
        { app: "llmnr", name: "LLMNR", category: "Network", flows: 1, packets: 1, bytes: 50 },
      ],
      categories: [
        { category: "Other", flows: 5, packets: 60, bytes: 8620 },
        { category: "Network", flows: 3, packets: 20, bytes: 2012 },
        { category: "Gaming", flows: 2, packets: 2, bytes: 100 },
      ],
      devices: [
        { key: "mac:00:00:00:00:00:00", lastSeen: "(redacted)", userAgent: "Deno/2.9.6" },
      ],
    });
  },
});

Deno.test({
  name: "sluice replay prints the top apps and the categories after the flows",
  ignore: skipUnless(hasLibpcap(), LIBPCAP),
  async fn() {
    requireSystem(hasLibpcap(), LIBPCAP);
    const { code, stdout, stderr } = await sluice(SAMPLE, "--top", "2");
    assertEquals([code, stderr], [0, ""]);
    const lines = stdout.split("\n");
    const apps = lines.indexOf("top 2 apps by bytes (of 5):");
    const categories = lines.indexOf("categories by bytes:");
    assert(lines.indexOf("top 2 flows by bytes:") < apps && apps < categories, stdout);
    assertEquals(lines[apps + 1].split(/\s{2,}/), [
      "APP",
      "CATEGORY",
      "FLOWS",
      "PKTS / BYTES",
      "SHARE",
    ]);
    assertEquals(lines[apps + 2].split(/\s{2,}/), [
      "Unknown",
      "Other",
      "5",
      "60 / 8.6 kB",
      "80.3%",
    ]);
    assertEquals(lines[apps + 3].split(/\s{2,}/), ["ICMP", "Network", "1", "11 / 1.0 kB", "9.5%"]);
    assertEquals(lines[apps + 4], "");
    assertEquals(lines.slice(categories + 1).map((l) => l.split(/\s{2,}/)), [
      ["CATEGORY", "FLOWS", "PKTS / BYTES", "SHARE"],
      ["Other", "5", "60 / 8.6 kB", "80.3%"],
      ["Network", "3", "20 / 2.0 kB", "18.7%"],
      ["Gaming", "2", "2 / 100 B", "0.9%"],
      [""],
    ]);
  },
});

Deno.test({
  name: "sluice replay --no-classify counts the same flows without naming them",
  ignore: skipUnless(hasLibpcap(), "libpcap"),
  async fn() {
    requireSystem(hasLibpcap(), "libpcap");
    const named: ReplayReport = JSON.parse((await sluice(SAMPLE, "--json")).stdout);
    const bare: ReplayReport = JSON.parse((await sluice(SAMPLE, "--json", "--no-classify")).stdout);
    const counts = (r: ReplayReport) => r.flows.map((f) => [f.client, f.server, f.c2s, f.s2c]);
    assertEquals(counts(bare), counts(named));
    assert(named.flows.some((f) => f.hostname !== null));
    assertEquals(bare.flows.filter((f) => f.hostname !== null || f.app !== null), []);
    assertEquals(bare.devices, []);
  },
});
