// deno task bench:sim — how fast `sluice sim` runs its scenarios through the
// real engine, policy and dry-run shaper: the wall time of the whole
// `sluice sim SCENARIO --until D --json` process for the family home (24 h),
// the small office (24 h) and stress (10 min), simulated seconds per wall second
// and packets per second, and the goal (24 h of family in under 10 s). A
// benchmark, not a test.
//
// Side by side, in the same run, the same packets written once with --pcap
// and read back by `sluice replay FILE --json` (the engine alone, no
// simulation cost) and, when ndpiReader is on PATH, by `ndpiReader -i FILE`
// (the reference DPI reader): their wall time on those packets.
//
// Each time is the median of N runs (the first counts too; the --pcap run
// before them warms Deno's module cache), rounds interleaved so that a
// noisy neighbour hurts every contender alike. Each scenario's runs must
// give the same hash: a run that does not is reported.
//
// Usage: deno task bench:sim [--runs N]   (N default 3)

const args = Deno.args;
const runs = args.includes("--runs") ? Number(args[args.indexOf("--runs") + 1]) : 3;
if (!Number.isInteger(runs) || runs < 1) {
  console.error("bench:sim: --runs must be a whole number of at least 1");
  Deno.exit(2);
}
const root = new URL("../../", import.meta.url).pathname;
const SCENARIOS = [
  { name: "family", label: "family home", until: "24h", seconds: 86_400 },
  { name: "office", label: "small office", until: "24h", seconds: 86_400 },
  { name: "stress", label: "stress", until: "10m", seconds: 600 },
];
/** The goal: this scenario's 24 h within this many wall seconds. */
const GOAL = { scenario: "family", seconds: 10 };

interface Timed {
  ms: number;
  stdout: string;
}

/** Runs a process to its end from the project root; its wall time and stdout. */
async function run(cmd: string, cmdArgs: string[]): Promise<Timed> {
  const start = performance.now();
  const out = await new Deno.Command(cmd, {
    args: cmdArgs,
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = performance.now() - start;
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).slice(0, 400);
    throw new Error(`${cmd} ${cmdArgs.join(" ")} failed: ${err}`);
  }
  return { ms, stdout: new TextDecoder().decode(out.stdout) };
}

/** `sluice COMMAND ...` with the permissions that command needs, and no more. */
function sluice(permissions: string[], ...rest: string[]): [string, string[]] {
  return [Deno.execPath(), ["run", ...permissions, `${root}main.ts`, ...rest]];
}
const SIM = ["--allow-read", "--allow-write"];
const REPLAY = ["--allow-ffi", "--allow-read", "--allow-env"];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Where `tool` is on PATH, or null. */
async function onPath(tool: string): Promise<string | null> {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":").filter(Boolean)) {
    const stat = await Deno.stat(`${dir}/${tool}`).catch(() => null);
    if (stat?.isFile) return `${dir}/${tool}`;
  }
  return null;
}

/** The first `"field":N` of a JSON document, without parsing megabytes of flows. */
function numberField(json: string, field: string): number {
  const m = new RegExp(`"${field}"\\s*:\\s*(\\d+)`).exec(json);
  return m ? Number(m[1]) : NaN;
}

interface Row {
  name: string;
  label: string;
  until: string;
  seconds: number;
  packets: number;
  hash: string;
  sim: number[];
  replay: number[];
  ndpi: number[];
  /** Packets ndpiReader counted as IP, of all it read. */
  ndpiIp: string;
  notes: string[];
}

const ndpiReader = await onPath("ndpiReader");
const tmp = await Deno.makeTempDir({ prefix: "sluice-bench-sim-" });
const rows: Row[] = [];
try {
  for (const s of SCENARIOS) {
    const pcap = `${tmp}/${s.name}.pcap`;
    const simArgs = ["sim", s.name, "--until", s.until, "--json"];
    console.error(`bench:sim: ${s.label}, ${s.until}: writing the packets to ${pcap}...`);
    const written = await run(...sluice(SIM, ...simArgs, "--pcap", pcap));
    const first = JSON.parse(written.stdout);
    const row: Row = {
      name: s.name,
      label: s.label,
      until: s.until,
      seconds: s.seconds,
      packets: first.packets,
      hash: first.hash,
      sim: [],
      replay: [],
      ndpi: [],
      ndpiIp: "",
      notes: [],
    };
    for (let i = 0; i < runs; i++) {
      console.error(`bench:sim: ${s.label}, round ${i + 1} of ${runs}`);
      const sim = await run(...sluice(SIM, ...simArgs));
      row.sim.push(sim.ms);
      const hash = JSON.parse(sim.stdout).hash;
      if (hash !== row.hash) row.notes.push(`round ${i + 1} gave hash ${hash}, not ${row.hash}`);
      const replay = await run(...sluice(REPLAY, "replay", pcap, "--json"));
      row.replay.push(replay.ms);
      const replayed = numberField(replay.stdout, "packets");
      if (i === 0 && replayed !== row.packets) {
        row.notes.push(`sluice replay read ${replayed} packets of the ${row.packets} simulated`);
      }
      if (ndpiReader) {
        const ndpi = await run(ndpiReader, ["-i", pcap]);
        row.ndpi.push(ndpi.ms);
        const m = /IP packets:\s*(\d+)\s+of\s+(\d+)/.exec(ndpi.stdout);
        row.ndpiIp = m
          ? `${Number(m[1]).toLocaleString("en")} of ${Number(m[2]).toLocaleString("en")}`
          : "?";
      }
    }
    rows.push(row);
    await Deno.remove(pcap);
  }
} finally {
  await Deno.remove(tmp, { recursive: true });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const count = (n: number) => Math.round(n).toLocaleString("en");
const rate = (packets: number, ms: number) => count(packets / (ms / 1000));
console.log(
  `bench:sim: Deno ${Deno.version.deno}, ${Deno.build.os}/${Deno.build.arch}, ` +
    `median of ${runs} run${runs > 1 ? "s" : ""} each, whole process\n`,
);
const header = [
  "scenario",
  "simulated",
  "sluice sim",
  "sim s / wall s",
  "packets",
  "packets/s",
  "sluice replay",
  "packets/s",
  ...(ndpiReader ? ["ndpiReader -i", "packets/s"] : []),
];
console.log(`| ${header.join(" | ")} |`);
console.log(`|${header.map((_, i) => i < 2 ? " --- " : " ---: ").join("|")}|`);
for (const r of rows) {
  const sim = median(r.sim), replay = median(r.replay);
  const cells = [
    r.label,
    r.until,
    seconds(sim),
    `${Math.round(r.seconds / (sim / 1000)).toLocaleString("en")}×`,
    count(r.packets),
    rate(r.packets, sim),
    seconds(replay),
    rate(r.packets, replay),
  ];
  if (ndpiReader) {
    const ndpi = median(r.ndpi);
    cells.push(seconds(ndpi), rate(r.packets, ndpi));
  }
  console.log(`| ${cells.join(" | ")} |`);
}
console.log();
const goalMs = median(rows.find((r) => r.name === GOAL.scenario)!.sim);
console.log(
  `24 h of ${GOAL.scenario} in under ${GOAL.seconds} s: ` +
    `${goalMs < GOAL.seconds * 1000 ? "met" : "not met"} (${seconds(goalMs)})`,
);
console.log(
  "sluice replay and ndpiReader read the same packets from a pcap the simulation wrote " +
    "once (--pcap); their packets/s count every packet in the file.",
);
if (ndpiReader) {
  console.log(
    `ndpiReader's IP packets, of all it read: ${
      rows.map((r) => `${r.label} ${r.ndpiIp}`).join("; ")
    }.`,
  );
} else {
  console.log("ndpiReader is not on PATH: no reference DPI column.");
}
for (const r of rows) for (const note of r.notes) console.log(`${r.label}: ${note}`);
