// Replays every capture of nDPI's test corpus and compares each expected flow's
// packets and bytes per direction with Sluice's. Differences we accept on
// purpose are listed, per capture, in DIFFERENCES.md beside this file.
import { assertEquals, assertGreaterOrEqual } from "@std/assert";
import { replayFile } from "../../cli/replay.ts";
import { CaptureError } from "../../capture/mod.ts";
import type { FlowRecord } from "../../engine/mod.ts";
import { CORPUS_DIR, hasCorpus, hasLibpcap, requireSystem, skipUnless } from "../_system.ts";
import { type ExpectedFlow, parseExpected } from "./_ndpi_expected.ts";

const TARGET = 0.995;
/** The classification issue's targets: hostnames and (mapped) categories agreeing with nDPI. */
const HOSTNAME_TARGET = 0.97;
const CATEGORY_TARGET = 0.8;
const available = hasCorpus() && hasLibpcap();

/** Captures named in DIFFERENCES.md's table (first column, in backticks). */
function listedDifferences(): Set<string> {
  const text = Deno.readTextFileSync(new URL("./DIFFERENCES.md", import.meta.url));
  return new Set([...text.matchAll(/^\| `([^`]+)` +\|/gm)].map((m) => m[1]));
}

/**
 * An endpoint in one canonical text: nDPI prints IPv6 with its own formatter
 * (it shortens a single zero group, which RFC 5952 forbids), so compare parsed
 * addresses, not text. A form that cannot be parsed stays as it is.
 */
function canonicalEndpoint(endpoint: string): string {
  const m = /^\[(.*)\]:(\d+)$/.exec(endpoint);
  if (!m) return endpoint;
  const halves = m[1].split("::");
  if (halves.length > 2) return endpoint;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const zeros = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array(Math.max(0, zeros)).fill("0"), ...tail];
  if (groups.length !== 8) return endpoint;
  return `[${groups.map((g) => parseInt(g, 16).toString(16)).join(":")}]:${m[2]}`;
}

function tupleKey(protocol: string, a: string, b: string): string {
  a = canonicalEndpoint(a);
  b = canonicalEndpoint(b);
  return a < b ? `${protocol} ${a} ${b}` : `${protocol} ${b} ${a}`;
}

/** Pairs expected flows with ours by protocol and endpoints, in order of appearance. */
function compare(expected: ExpectedFlow[], ours: FlowRecord[]) {
  const pool = new Map<string, FlowRecord[]>();
  for (const f of ours) {
    const key = tupleKey(f.protocol, f.client, f.server);
    pool.set(key, [...(pool.get(key) ?? []), f]);
  }
  const mismatches: string[] = [];
  const pairs: [ExpectedFlow, FlowRecord][] = [];
  let exact = 0;
  for (const e of expected) {
    const candidates = pool.get(tupleKey(e.protocol, e.client, e.server)) ?? [];
    const index = candidates.findIndex((f) => sameCounts(e, f));
    if (index >= 0) {
      pairs.push([e, candidates.splice(index, 1)[0]]);
      exact++;
      continue;
    }
    const near = candidates.shift();
    if (near) pairs.push([e, near]);
    mismatches.push(
      `${e.protocol} ${e.client} <-> ${e.server} expected ${counts(e.c2s, e.s2c)}, got ${
        near ? counts(...aligned(e, near)) : "no flow"
      }`,
    );
  }
  return { exact, mismatches, pairs };
}

/** nDPI categories with a Sluice counterpart of the same meaning. */
const CATEGORY_MAP: Record<string, string> = {
  Media: "Streaming",
  Video: "Streaming",
  Streaming: "Streaming",
  Music: "Streaming",
  Game: "Gaming",
  VoIP: "VideoCalls",
  SocialNetwork: "Social",
  Chat: "Messaging",
  VPN: "VPN",
  Network: "Network",
};

type Totals = { packets: number; bytes: number };

/**
 * A hostname as nDPI prints it: lowercase, each byte outside printable ASCII
 * (so each byte of a UTF-8 character) as "?". Presentation only, like IPv6.
 */
function shownAsNdpi(name: string): string {
  let shown = "";
  for (const b of new TextEncoder().encode(name.toLowerCase())) {
    shown += b < 0x20 || b > 0x7e ? "?" : String.fromCharCode(b);
  }
  return shown;
}

/**
 * Sluice's counts each way, in the expected flow's orientation. nDPI drops
 * non-first IP fragments while Sluice counts them in their flow (see
 * DIFFERENCES.md); Sluice reports how many those were, so they are taken out.
 */
function aligned(e: ExpectedFlow, f: FlowRecord): [Totals, Totals] {
  const less = (t: Totals, frag?: Totals) =>
    frag ? { packets: t.packets - frag.packets, bytes: t.bytes - frag.bytes } : t;
  const c2s = less(f.c2s, f.fragments?.c2s), s2c = less(f.s2c, f.fragments?.s2c);
  return canonicalEndpoint(f.client) === canonicalEndpoint(e.client) ? [c2s, s2c] : [s2c, c2s];
}

function sameCounts(e: ExpectedFlow, f: FlowRecord): boolean {
  const [c2s, s2c] = aligned(e, f);
  return c2s.packets === e.c2s.packets && c2s.bytes === e.c2s.bytes &&
    s2c.packets === e.s2c.packets && s2c.bytes === e.s2c.bytes;
}

function counts(c2s: Totals, s2c: Totals): string {
  return `${c2s.packets}/${c2s.bytes} <-> ${s2c.packets}/${s2c.bytes}`;
}

Deno.test({
  name: "replayFile() agrees with nDPI's flows, hostnames and categories on the corpus",
  ignore: skipUnless(available, "the shared nDPI corpus (../shared/pcap) with libpcap"),
  async fn() {
    requireSystem(available, "the shared nDPI corpus (../shared/pcap) with libpcap");
    const dir = `${CORPUS_DIR}ndpi`;
    const listed = listedDifferences();
    let total = 0, exact = 0;
    let named = 0, sameName = 0, categorized = 0, sameCategory = 0;
    const nameMisses: string[] = [];
    const categoryMisses: string[] = [];
    const unlisted: string[] = [];
    const perCapture: string[] = [];
    for (const entry of [...Deno.readDirSync(dir)].sort((a, b) => a.name.localeCompare(b.name))) {
      const expectedPath = `${CORPUS_DIR}ndpi-expected/${entry.name}.out`;
      let expected: ExpectedFlow[];
      try {
        expected = parseExpected(Deno.readTextFileSync(expectedPath));
      } catch {
        continue;
      }
      let flows: FlowRecord[] = [];
      try {
        flows = (await replayFile(`${dir}/${entry.name}`)).flows;
      } catch (err) {
        // A capture libpcap refuses, or that ends truncated, counts its flows as missed.
        if (!(err instanceof CaptureError)) throw err;
      }
      const result = compare(expected, flows);
      for (const [e, f] of result.pairs) {
        if (e.hostname) {
          named++;
          if (f.hostname && shownAsNdpi(f.hostname) === e.hostname.toLowerCase()) sameName++;
          else {
            nameMisses.push(
              `${entry.name}: ${e.protocol} ${e.server} "${e.hostname}" got "${f.hostname}"`,
            );
          }
        }
        const mapped = e.category ? CATEGORY_MAP[e.category] : undefined;
        if (mapped) {
          categorized++;
          if (f.category === mapped) sameCategory++;
          else if (Deno.env.get("SLUICE_CATEGORY_MISSES")) {
            categoryMisses.push(
              `CAT ${entry.name} ${e.category}->${mapped} got ${f.category} (${f.app}) ${e.protocol} ${e.server} ${
                e.hostname ?? ""
              }`,
            );
          }
        }
      }
      total += expected.length;
      exact += result.exact;
      if (result.mismatches.length > 0) {
        perCapture.push(
          `${entry.name}: ${result.mismatches.length} of ${expected.length} flows differ`,
        );
        for (const m of result.mismatches.slice(0, 3)) perCapture.push(`    ${m}`);
        if (!listed.has(entry.name)) unlisted.push(entry.name);
      }
    }
    const share = exact / total;
    console.log(perCapture.join("\n"));
    console.log(
      `flow conformance: ${exact} of ${total} flows exact (${(share * 100).toFixed(2)}%), target ${
        TARGET * 100
      }%`,
    );
    if (Deno.env.get("SLUICE_NAME_MISSES")) console.log(nameMisses.join("\n"));
    if (Deno.env.get("SLUICE_CATEGORY_MISSES")) console.log(categoryMisses.join("\n"));
    const pct = (a: number, b: number) => `${(100 * a / b).toFixed(1)}%`;
    console.log(
      `hostnames: ${sameName} of ${named} agree with nDPI (${pct(sameName, named)}), target ${
        HOSTNAME_TARGET * 100
      }%`,
    );
    console.log(
      `categories: ${sameCategory} of ${categorized} agree with nDPI (${
        pct(sameCategory, categorized)
      }), target ${CATEGORY_TARGET * 100}%`,
    );
    assertGreaterOrEqual(share, TARGET, `only ${(share * 100).toFixed(2)}% of flows exact`);
    assertEquals(unlisted, [], "captures that differ but are not listed in DIFFERENCES.md");
    assertGreaterOrEqual(sameName / named, HOSTNAME_TARGET, "hostname agreement below target");
    assertGreaterOrEqual(
      sameCategory / categorized,
      CATEGORY_TARGET,
      "category agreement below target",
    );
  },
});
