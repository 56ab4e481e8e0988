// deno task bench:live — live capture at line rate (root). trafgen offers 64-byte UDP
// frames at increasing paced rates over a veth pair between two namespaces this bench
// creates; at each rate Sluice's live capture (openLive and the Monitor, as `sluice
// run` uses them) and then `tcpdump -w /dev/null` capture the receiving end for N
// seconds. Printed side by side: the rate offered (the capture end's own receive
// counter), packets seen, kernel drops and Sluice's own drops, and the highest rate
// each sustained with none lost. A benchmark, not a test.
//
// Usage: deno task bench:live [--seconds 5] [--rates 100k,200k,300k,400k,max]
//   "max" is trafgen unpaced on every CPU: an overload on purpose.
// Or:    deno task bench:live --burst 3m [--runs 3] [--buffer-mib N] [--cold]
//   each capture's own ceiling: N frames sent to it paused, then timed draining
//   (tests/bench/_live_burst.ts); the kernel buffer is sized to hold the burst.
import { hasCommand, hasLibpcap, isRoot } from "../_system.ts";
import {
  FRAME_BYTES,
  offer,
  rxPackets,
  TRAFGEN_FRAME,
  type VethPair,
  vethPair,
} from "./_live_net.ts";
import { type Capture, type Counted, startSluice, startTcpdump } from "./_live_contenders.ts";
import { bufferFor, runBurst } from "./_live_burst.ts";

const args = Deno.args;
const option = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const seconds = Number(option("--seconds") ?? 5);
/** "300k", "1.5m", "2000000" → a count. */
const count = (text: string, name: string) => {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text);
  if (!m) throw new RangeError(`${name}: not a number: ${text}`);
  return Math.round(Number(m[1]) * ({ "": 1, k: 1e3, m: 1e6 }[m[2].toLowerCase()] ?? 1));
};
const rateList = (option("--rates") ?? "100k,200k,300k,400k,max").split(",");
const rates = rateList.map((text) => text === "max" ? 0 : count(text, "--rates"));
if (!(seconds >= 1)) throw new RangeError(`--seconds must be at least 1, got ${seconds}`);
const burstCount = option("--burst") === undefined ? 0 : count(option("--burst")!, "--burst");
const runs = Number(option("--runs") ?? 3);
if (!(Number.isInteger(runs) && runs >= 1)) throw new RangeError(`--runs must be 1 or more`);
const bufferMib = option("--buffer-mib");
const bufferBytes = bufferMib ? count(bufferMib, "--buffer-mib") * 2 ** 20 : bufferFor(burstCount);

const missing = [
  ...(isRoot() ? [] : ["root"]),
  ...(hasLibpcap() ? [] : ["libpcap"]),
  ...["ip", "trafgen", "tcpdump"].filter((c) => !hasCommand(c)),
];
if (missing.length > 0) {
  console.error(`bench:live needs ${missing.join(", ")} (trafgen: apt-get install netsniff-ng)`);
  Deno.exit(1);
}

/** One capture's outcome at one rate. */
interface Row extends Counted {
  pps: number;
  offered: number;
}

async function measure(
  pair: VethPair,
  config: string,
  pps: number,
  start: (pair: VethPair) => Promise<Capture>,
): Promise<Row> {
  const capture = await start(pair);
  try {
    const before = await rxPackets(pair);
    const sent = await offer(pair, config, pps, seconds);
    const offered = (await rxPackets(pair)) - before;
    const result = await capture.stop(offered);
    return { pps: Math.round(sent.sent / sent.seconds), offered, ...result };
  } finally {
    capture.kill();
  }
}

const load = () => Deno.loadavg().map((v) => v.toFixed(2)).join(" ");
const loadBefore = load();
const pair = await vethPair(`${Deno.pid % 100000}`);
const config = await Deno.makeTempFile({ prefix: "sluice-bench-live-", suffix: ".cfg" });
const rows: { sluice: Row; tcpdump: Row }[] = [];
// Ctrl-C mid-run still removes the namespaces (the captures inside die with them).
Deno.addSignalListener("SIGINT", () => {
  pair.close().finally(() => Deno.exit(130));
});
try {
  await Deno.writeTextFile(config, TRAFGEN_FRAME);
  if (burstCount > 0) {
    await runBurst(pair, config, burstCount, runs, bufferBytes, !args.includes("--cold"));
    rates.length = 0; // the rate sweep is the other mode
  }
  for (const pps of rates) {
    const sluice = await measure(pair, config, pps, startSluice);
    const tcpdump = await measure(pair, config, pps, startTcpdump);
    rows.push({ sluice, tcpdump });
    console.error(
      `  ${pps || "max"}: sluice ${JSON.stringify(sluice)} tcpdump ${JSON.stringify(tcpdump)}`,
    );
  }
} finally {
  await pair.close();
  await Deno.remove(config).catch(() => {});
}

if (burstCount > 0) Deno.exit(0);
const n = (v: number) => v.toLocaleString("en");
/** Nothing lost, and (Sluice) caught up within a second: its ring is not hiding a backlog. */
const kept = (r: Row) =>
  r.kernelDropped === 0 && r.ownDropped === 0 && r.seen >= r.offered && (r.behindSeconds ?? 0) < 1;
const perPacket = (r: Row) => `${Math.round((r.cpuSeconds / Math.max(1, r.seen)) * 1e9)}`;
const table: string[][] = [[
  "requested",
  "Sluice pps",
  "seen/offered",
  "kernel",
  "own",
  "behind s",
  "CPU ns/pkt",
  "|",
  "tcpdump pps",
  "seen/offered",
  "kernel",
  "CPU ns/pkt",
]];
for (const [i, { sluice, tcpdump }] of rows.entries()) {
  table.push([
    rates[i] ? n(rates[i]) : "max",
    n(sluice.pps) + (kept(sluice) ? "" : " ✗"),
    `${n(sluice.seen)}/${n(sluice.offered)}`,
    n(sluice.kernelDropped),
    n(sluice.ownDropped),
    (sluice.behindSeconds ?? 0).toFixed(2),
    perPacket(sluice),
    "|",
    n(tcpdump.pps) + (kept(tcpdump) ? "" : " ✗"),
    `${n(tcpdump.seen)}/${n(tcpdump.offered)}`,
    n(tcpdump.kernelDropped),
    perPacket(tcpdump),
  ]);
}
const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
console.log(
  `bench:live: ${FRAME_BYTES}-byte frames over a veth between namespaces, ${seconds} s a rate; ` +
    `load average before ${loadBefore}, after ${load()} (${navigator.hardwareConcurrency} CPUs)`,
);
for (const row of table) console.log(row.map((v, c) => v.padStart(widths[c])).join("  "));
const best = (pick: (r: { sluice: Row; tcpdump: Row }) => Row) =>
  Math.max(0, ...rows.map(pick).filter(kept).map((r) => r.pps));
console.log(
  `highest rate kept up with (nothing lost, caught up within 1 s; ✗ otherwise): Sluice ${
    n(best((r) => r.sluice))
  } pps, tcpdump ${n(best((r) => r.tcpdump))} pps`,
);
