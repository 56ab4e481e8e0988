// deno task bench:memory — the engine's memory under flow churn. A benchmark,
// not a test. Each part runs in a process of its own, so its RSS starts clean.
//
// 1. Bytes per flow: 1,000,000 concurrent flows (a table of exactly that
//    capacity, filled; none idle long enough to expire) through
//    a. FlowTracker alone: the typed-array flow table and the decoder;
//    b. the peer: the same packets through the same decoder into a
//       Map<string, object> flow table (tests/bench/_memory_peer.ts);
//    c. the whole Monitor (catalogue, OUI table): flows, their names, TCP
//       quality, devices and the meter, as `sluice run` has them.
//    Bytes per flow = (RSS at 1M flows - RSS before the table was made) / 1M,
//    so capacity allocated up front counts; the V8 heap's share is beside it.
// 2. Churn: millions of short flows (see _memory_churn.ts) from 200,000 LAN
//    devices, 5,000 active at a time, into the Monitor as `sluice run` makes
//    it (262,144 flows, 65,536 devices), alternating 20,000 new flows a
//    second (the table fills: eviction) and 500 (idle expiry), sampling RSS
//    and the V8 heap after a full GC.
//
// Usage: deno task bench:memory [--flows N] [--fill N] [--max-flows N]
import { defaultCatalogue } from "../../engine/catalogue/default.ts";
import { defaultOui, LanSubnets } from "../../engine/devices/mod.ts";
import { FlowTracker } from "../../engine/flow_tracker.ts";
import { Monitor } from "../../engine/monitor.ts";
import { Churn } from "./_memory_churn.ts";
import { NaiveFlowTable } from "./_memory_peer.ts";

const args = Deno.args;
const option = (name: string, fallback: number) =>
  args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
const FLOWS = option("--flows", 6_000_000);
const FILL = option("--fill", 1_000_000);
const MAX_FLOWS = option("--max-flows", 262_144);
const START = Date.UTC(2024, 5, 1) / 1000;
const MB = 1024 * 1024;

interface Sample {
  rss: number;
  heap: number;
}

/** RSS and V8 heap after a full collection (with --expose-gc). */
function settle(): Sample {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const m = Deno.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

interface FillResult {
  phase: string;
  before: Sample;
  empty: Sample;
  full: Sample;
  live: number;
  seconds: number;
}

/** Part 1, in a child: fills a table of FILL flows. */
function fill(phase: string): FillResult {
  const lan = new LanSubnets(["10.0.0.0/8"]);
  const catalogue = phase === "monitor" ? defaultCatalogue() : undefined;
  const oui = phase === "monitor" ? defaultOui() : undefined;
  const before = settle();
  let sink: { packet: Monitor["packet"] }, size: () => number;
  if (phase === "table") {
    const tracker = new FlowTracker({ linkType: 1, maxFlows: FILL, idleTimeout: 300 });
    sink = tracker;
    size = () => tracker.table.size;
  } else if (phase === "peer") {
    const peer = new NaiveFlowTable(FILL, 300);
    sink = peer;
    size = () => peer.size;
  } else {
    const monitor = new Monitor({ linkType: 1, lan, catalogue, oui, maxFlows: FILL });
    sink = monitor;
    size = () => monitor.tracker.table.size;
  }
  const empty = settle();
  // 20,000 new flows a second: the million opens in 50 s, within the 300 s idle timeout.
  const churn = new Churn({
    devices: 10_000,
    active: 10_000,
    rotateEvery: Infinity,
    rate: 20_000,
    start: START,
  });
  const t0 = performance.now();
  for (let i = 0; i < FILL; i++) churn.flow(i, sink);
  const seconds = (performance.now() - t0) / 1000;
  const full = settle();
  return { phase, before, empty, full, live: size(), seconds };
}

interface ChurnRow {
  opened: number;
  live: number;
  evicted: number;
  expired: number;
  devices: number;
  forgotten: number;
  simulated: number;
  sample: Sample;
}

/** Part 2, in a child: churns FLOWS flows through a Monitor, sampling as it goes. */
function churn(): { before: Sample; rows: ChurnRow[]; packets: number; seconds: number } {
  const monitor = new Monitor({
    linkType: 1,
    lan: new LanSubnets(["10.0.0.0/8"]),
    catalogue: defaultCatalogue(),
    oui: defaultOui(),
    maxFlows: MAX_FLOWS,
  });
  const before = settle();
  const every = Math.max(1, Math.round(FLOWS / 24));
  const generator = new Churn({
    devices: 200_000,
    active: 5_000,
    rotateEvery: Math.max(1, Math.round(FLOWS / 40)),
    rate: 20_000,
    start: START,
  });
  const table = monitor.tracker.table, rows: ChurnRow[] = [];
  const t0 = performance.now();
  for (let i = 0; i < FLOWS;) {
    // A million flows at a time fast (the table fills and evicts), then slow (flows go idle).
    generator.setRate(Math.floor(i / 1_000_000) % 2 === 0 ? 20_000 : 500);
    const end = Math.min(FLOWS, i + every);
    for (; i < end; i++) generator.flow(i, monitor);
    rows.push({
      opened: i,
      live: table.size,
      evicted: table.evicted,
      expired: table.expired,
      devices: monitor.devices.size,
      forgotten: monitor.devices.forgotten,
      simulated: generator.time - START,
      sample: settle(),
    });
    console.error(`  churn: ${i.toLocaleString("en")} flows`);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { before, rows, packets: generator.packets, seconds };
}

/** Runs this file again as `--phase NAME` and reads its result. */
async function child<T>(phase: string): Promise<T> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--v8-flags=--expose-gc,--max-old-space-size=8192",
      import.meta.filename!,
      "--phase",
      phase,
      ...args,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error(`bench:memory: the ${phase} part failed`);
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

const mb = (bytes: number) => (bytes / MB).toFixed(1);
const thousands = (n: number) => Math.round(n).toLocaleString("en");

if (args.includes("--phase")) {
  const phase = args[args.indexOf("--phase") + 1];
  console.log(JSON.stringify(phase === "churn" ? churn() : fill(phase)));
} else {
  console.log(`bench:memory — ${thousands(FILL)} concurrent flows, then churn\n`);
  const parts: [string, string][] = [
    ["table", "FlowTable (typed arrays) + decoder"],
    ["peer", "peer: Map<string, object> + decoder"],
    ["monitor", "Monitor (flows, names, devices, meter)"],
  ];
  console.log(
    `${"engine".padEnd(40)} ${"live flows".padStart(10)} ${"RSS before".padStart(10)} ${
      "RSS full".padStart(9)
    } ${"B/flow".padStart(7)} ${"heap B/flow".padStart(11)} ${"fill s".padStart(7)}`,
  );
  for (const [phase, name] of parts) {
    const r = await child<FillResult>(phase);
    const perFlow = (r.full.rss - r.before.rss) / r.live;
    const heapPerFlow = (r.full.heap - r.before.heap) / r.live;
    console.log(
      `${name.padEnd(40)} ${thousands(r.live).padStart(10)} ${
        `${mb(r.before.rss)} MB`.padStart(10)
      } ${`${mb(r.full.rss)} MB`.padStart(9)} ${perFlow.toFixed(0).padStart(7)} ${
        heapPerFlow.toFixed(0).padStart(11)
      } ${r.seconds.toFixed(1).padStart(7)}`,
    );
  }
  if (FLOWS > 0) await churnPart();
}

async function churnPart(): Promise<void> {
  console.log(
    `\nchurn: ${thousands(FLOWS)} flows into a Monitor of ${thousands(MAX_FLOWS)} flows, ` +
      "65,536 devices (200,000 devices over the run, 5,000 at a time)",
  );
  const c = await child<ReturnType<typeof churn>>("churn");
  console.log(
    `${"flows opened".padStart(12)} ${"sim s".padStart(7)} ${"live".padStart(8)} ${
      "evicted".padStart(9)
    } ${"expired".padStart(9)} ${"devices".padStart(7)} ${"forgotten".padStart(9)} ${
      "RSS MB".padStart(7)
    } ${"heap MB".padStart(7)}`,
  );
  console.log(
    `${"0".padStart(12)} ${"0".padStart(7)} ${"0".padStart(8)} ${"0".padStart(9)} ${
      "0".padStart(9)
    } ${"0".padStart(7)} ${"0".padStart(9)} ${mb(c.before.rss).padStart(7)} ${
      mb(c.before.heap).padStart(7)
    }`,
  );
  for (const r of c.rows) {
    console.log(
      `${thousands(r.opened).padStart(12)} ${thousands(r.simulated).padStart(7)} ${
        thousands(r.live).padStart(8)
      } ${thousands(r.evicted).padStart(9)} ${thousands(r.expired).padStart(9)} ${
        thousands(r.devices).padStart(7)
      } ${thousands(r.forgotten).padStart(9)} ${mb(r.sample.rss).padStart(7)} ${
        mb(r.sample.heap).padStart(7)
      }`,
    );
  }
  const half = c.rows[Math.floor(c.rows.length / 2)], last = c.rows[c.rows.length - 1];
  const peak = Math.max(...c.rows.map((r) => r.sample.rss));
  console.log(
    `\n${thousands(c.packets)} packets in ${c.seconds.toFixed(1)} s; RSS from half way ` +
      `(${thousands(half.opened)} flows) to the end: ${mb(half.sample.rss)} -> ` +
      `${mb(last.sample.rss)} MB; peak ${mb(peak)} MB`,
  );
}
