// deno task bench:shaper — how fast a limit is in force and how closely the
// achieved rate holds it, for Sluice's shaper and for a hand-written
// `tc qdisc replace ... root tbf` (the peer), in one run. Root only; a
// benchmark, not a test.
//
// The lab (tests/shaper/_lab.ts): a LAN device, the gateway and a server in
// three namespaces. For each limit (5, 20, 100 Mbit/s) and direction, one
// iperf3 TCP stream runs unshaped, then the limit is set:
// - Sluice: a desired-state change (one device limited) through
//   shapePlan() and Shaper.apply() with the Linux renderer, as `sluice run`
//   does at the end of an engine second;
// - the peer: tbf at the gateway's egress towards the receiver (lan0 for
//   download, wan0 for upload), with the same burst (2 ms) as Sluice's HTB.
// Measured at the receiver's interface counter, sampled every 10 ms:
// - set: from the change to the commands done (the kernel enforces from then);
// - held: from the change to the first 200 ms window at or under the limit +5%;
// - wire: the received rate from 1 s after the change to the end, in frame
//   bytes (Ethernet header included, as tc counts); goodput: what iperf3's
//   receiving side counted over the same intervals. Segmentation offload is off in the lab so that
//   each frame is counted as the wire would carry it.
//
// Usage: deno task bench:shaper [--seconds 6]
import { detectLeaf } from "../../cli/live_shaper.ts";
import type { DesiredState } from "../../engine/policy/mod.ts";
import {
  LinuxRenderer,
  NamespacedRunner,
  shapePlan,
  Shaper,
  type ShaperState,
} from "../../shaper/mod.ts";
import { LAB, Lab, sh } from "../shaper/_lab.ts";

type Direction = "down" | "up";
interface Contender {
  name: string;
  limit(mbit: number, direction: Direction): Promise<void>;
  clear(direction: Direction): Promise<void>;
}
interface Trial {
  setMs: number;
  heldMs: number | null;
  wire: number;
  goodput: number;
  /** Before the limit. */
  free: number;
}

const args = Deno.args;
const seconds = Number(args[args.indexOf("--seconds") + 1]) || 6;
if (Deno.uid() !== 0) {
  console.error("bench:shaper: needs root (network namespaces and tc)");
  Deno.exit(1);
}
for (const tool of ["ip", "tc", "nft", "iperf3"]) {
  const found = await new Deno.Command("sh", { args: ["-c", `command -v ${tool}`] }).output();
  if (!found.success) {
    console.error(`bench:shaper: ${tool} is not installed`);
    Deno.exit(1);
  }
}
const SAMPLER = new URL("./_rx_sampler.ts", import.meta.url).pathname;
const now = () => performance.timeOrigin + performance.now();
const lab = new Lab(`b${Deno.pid % 10000}`);

function sluice(leaf: "fq_codel" | "pfifo"): Contender & { shaper: Shaper } {
  let state: ShaperState | null = null;
  const shaper = new Shaper({
    renderer: new LinuxRenderer({ lan: LAB.lan, leaf }),
    runner: new NamespacedRunner(lab.gateway),
    store: { load: () => Promise.resolve(state), save: (s) => Promise.resolve(void (state = s)) },
  });
  const apply = async (down: number | null, up: number | null) => {
    const desired: DesiredState = {
      link: { down: 125e6, up: 125e6 },
      shares: { high: 0.5, normal: 0.35, low: 0.15 },
      latencySensitive: [],
      devices: [{
        id: `mac:${LAB.mac}`,
        blocked: false,
        down,
        up,
        priority: "normal",
        level: "manual",
        ruleId: "bench",
        reason: "bench",
        scoped: [],
      }],
    };
    const { plan } = shapePlan(desired, () => ({ mac: LAB.mac, addresses: [LAB.device] }));
    const result = await shaper.apply(plan, Date.now());
    if (result.failed) throw new Error("Sluice's shaper failed an operation");
  };
  return {
    name: `sluice (htb+${leaf})`,
    shaper,
    limit: (mbit, d) => apply(d === "down" ? mbit * 125e3 : null, d === "up" ? mbit * 125e3 : null),
    clear: () => apply(null, null),
  };
}

const tbf: Contender = {
  name: "tc tbf (peer)",
  async limit(mbit, d) {
    const burst = Math.max(3028, Math.round(mbit * 125e3 * 0.002));
    const dev = d === "down" ? LAB.lan : LAB.wan;
    await lab.in(
      lab.gateway,
      ...`tc qdisc replace dev ${dev} root tbf rate ${mbit}mbit burst ${burst} latency 50ms`
        .split(" "),
    );
  },
  async clear(d) {
    await lab.in(
      lab.gateway,
      "tc",
      "qdisc",
      "del",
      "dev",
      d === "down" ? LAB.lan : LAB.wan,
      "root",
    );
  },
};

/** The receiver's counter every 10 ms while `during` runs. */
async function sampled<T>(ns: string, during: (samples: number[][]) => Promise<T>) {
  const child = new Deno.Command("ip", {
    args: ["netns", "exec", ns, Deno.execPath(), "run", "-A", SAMPLER, "eth0"],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const samples: number[][] = [];
  const reading = (async () => {
    let rest = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop()!;
      for (const line of lines) samples.push(line.split(" ").map(Number));
    }
  })();
  let ended = false;
  child.status.then(() => ended = true);
  try {
    while (samples.length === 0) {
      if (ended) throw new Error("the counter sampler ended");
      await pause(10);
    }
    return { result: await during(samples), samples };
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await reading;
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Mbit/s over the samples from `from` to `to` (epoch ms). */
function rate(samples: number[][], from: number, to: number): number {
  const a = samples.find((s) => s[0] >= from), b = samples.findLast((s) => s[0] <= to);
  if (!a || !b || b[0] <= a[0]) return NaN;
  return (b[1] - a[1]) * 8 / (b[0] - a[0]) / 1e3;
}

interface Interval {
  sum: { start: number; end: number; bits_per_second: number };
}
/** The client's intervals, and the server's: each side's are what it sent or received. */
interface Report {
  intervals: Interval[];
  server_output_json: { intervals: Interval[] };
}

async function trial(c: Contender, mbit: number, d: Direction): Promise<Trial> {
  const ns = d === "down" ? lab.device : lab.server;
  let t0 = 0, t1 = 0;
  const { result: report, samples } = await sampled(ns, async (samples) => {
    let done = false;
    const running = lab.iperf(d, seconds, ["-i", "0.1", "--get-server-output"]).finally(() =>
      done = true
    );
    // Unshaped first: waits for a full second of traffic over the limit.
    let start = 0;
    for (;;) {
      await pause(20);
      if (done) throw new Error(`iperf3 ended before the ${mbit} Mbit/s limit was set`);
      const last = samples.at(-1)![0];
      if (rate(samples, last - 100, last) > 1.5 * mbit) start ||= last;
      else start = 0;
      if (start && last - start >= 1000) break;
    }
    t0 = now();
    await c.limit(mbit, d);
    t1 = now();
    return (await running) as unknown as Report;
  });
  await c.clear(d);
  const end = samples.at(-1)![0];
  let heldMs: number | null = null;
  for (const [t] of samples) {
    if (t < t0 || t + 200 > end) continue;
    if (rate(samples, t, t + 200) <= mbit * 1.05) {
      heldMs = t - t0;
      break;
    }
  }
  // iperf3's clock starts with the first data: the first sample that moved.
  const first = samples.find((s, i) => i > 0 && s[1] - samples[0][1] > 100_000)![0];
  const from = (t1 + 1000 - first) / 1000;
  const received = d === "down" ? report.intervals : report.server_output_json.intervals;
  const steady = received.filter((i) => i.sum.start >= from && i.sum.end <= seconds);
  const goodput =
    steady.reduce((s, i) => s + i.sum.bits_per_second * (i.sum.end - i.sum.start), 0) /
    steady.reduce((s, i) => s + i.sum.end - i.sum.start, 0) / 1e6;
  const free = rate(samples, first, t0);
  return { setMs: t1 - t0, heldMs, wire: rate(samples, t1 + 1000, end), goodput, free };
}

try {
  await lab.create();
  // Each frame on its own, as a gateway's wire carries them.
  for (const ns of [lab.device, lab.server]) {
    await sh("ip", "-n", ns, "link", "set", "dev", "eth0", "gso_max_segs", "1");
  }
  const leaf = await detectLeaf();
  const ours = sluice(leaf);
  await ours.shaper.start();
  const baseStart = now();
  await ours.clear("down");
  const baseMs = now() - baseStart;
  const results: { c: string; mbit: number; d: Direction; t: Trial }[] = [];
  for (const c of [ours, tbf]) {
    if (c === tbf) await ours.shaper.reset(Date.now()); // tbf takes the root Sluice used
    for (const mbit of [5, 20, 100]) {
      for (const d of ["down", "up"] as const) {
        results.push({ c: c.name, mbit, d, t: await trial(c, mbit, d) });
      }
    }
  }
  console.log(
    `bench:shaper, kernel ${Deno.osRelease()}, iperf3 TCP ${seconds} s per trial, ` +
      `Sluice's base objects installed in ${baseMs.toFixed(0)} ms`,
  );
  const row = (cells: string[]) =>
    console.log(cells.map((c, i) => i < 3 ? c.padEnd([10, 4, 19][i]) : c.padStart(9)).join("  "));
  row(["limit", "dir", "shaper", "set ms", "held ms", "wire", "vs limit", "goodput", "unshaped"]);
  for (const { c, mbit, d, t } of results) {
    const off = (t.wire / mbit - 1) * 100;
    row([
      `${mbit} Mbit/s`,
      d,
      c,
      t.setMs.toFixed(0),
      t.heldMs === null ? "never" : t.heldMs.toFixed(0),
      t.wire.toFixed(2),
      `${off >= 0 ? "+" : ""}${off.toFixed(1)}%`,
      t.goodput.toFixed(2),
      t.free.toFixed(0),
    ]);
  }
  console.log("(rates in Mbit/s; wire counts whole frames, as tc does; goodput is iperf3's)");
} finally {
  await lab.destroy();
}
