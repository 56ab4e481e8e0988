import { parseDuration } from "../engine/policy/mod.ts";
import { loadScenario, type Scenario } from "../sim/scenario.ts";
import { intOption, parseArgs, type ParsedArgs } from "./args.ts";
import { openStore } from "./data_store.ts";
import { PcapWriter } from "./pcap_writer.ts";
import { runSimulation, type SimSummary } from "./sim_run.ts";
import { UsageError } from "./usage_error.ts";
import { writeJson } from "./write_json.ts";

export const SIM_HELP =
  `sluice sim SCENARIO [--until DURATION] [--seed N] [--json] [--pcap FILE] [--data DIR]

Runs a simulated network through the real engine as fast as it can: the
scenario's devices run their traffic profiles on a virtual clock, the
scenario's policy decides, and the dry-run shaper's limits and blocks hold
the simulated devices (a throttled download slows, a blocked device falls
silent). The same scenario and seed give the same packets, decisions and
hash.

SCENARIO is family (a family home, ~20 devices), office (a small office,
~50), stress (thousands of devices), or a scenario file (JSON; see "Simulator"
in the README).

Options:
  --until DURATION    simulated time from the scenario's start (default 24h)
  --seed N            another seed than the scenario's (0 to 4294967295)
  --json              print only a summary as JSON: packets, bytes, per-device
                      totals, counts of events, and "hash", the SHA-256 of the
                      event log
  --pcap FILE         also write every packet to FILE (pcap), for replay
                      through libpcap ("sluice replay FILE")
  --data DIR          keep history, decisions and shaper log in DIR (default:
                      in memory, gone at exit)
  -h, --help          this help

Exit status: 0 when the run completes, 2 for a wrong option or scenario.`;

/** `sluice sim`: returns the exit code. */
export async function simCommand(argv: string[]): Promise<number> {
  const command = "sluice sim";
  const args = parseArgs(argv, {
    command,
    flags: ["json"],
    options: ["until", "seed", "pcap", "data"],
    positionals: { min: 1, max: 1, names: "SCENARIO" },
  });
  const scenario = await scenarioArgument(args.positionals[0], command);
  const until = untilOption(args, command);
  const seed = seedOption(args, command);
  const data = args.options.get("data");
  const kv = data === undefined ? await Deno.openKv(":memory:") : await openStore(data, command);
  const pcapPath = args.options.get("pcap");
  let pcap: PcapWriter | undefined;
  try {
    if (pcapPath !== undefined) {
      try {
        pcap = PcapWriter.open(pcapPath, 1);
      } catch (err) {
        throw new UsageError(
          `${command}: --pcap: cannot write ${pcapPath}: ${(err as Error).message}`,
        );
      }
    }
    const json = args.flags.has("json");
    const summary = await runSimulation({
      scenario,
      until,
      seed,
      kv,
      tap: pcap,
      print: json ? undefined : (line) => console.log(line),
    });
    pcap?.close();
    pcap = undefined;
    if (json) writeJson(Deno.stdout, summary);
    else console.log(summaryText(summary));
    return 0;
  } finally {
    pcap?.abort();
    kv.close();
  }
}

/** A shipped scenario's name or a file; refused in one line. */
export async function scenarioArgument(text: string, command: string): Promise<Scenario> {
  try {
    return await loadScenario(text, (path) => Deno.readTextFile(path));
  } catch (err) {
    const e = err as Error;
    const why = e instanceof Deno.errors.NotFound ? "no such scenario or file" : e.message;
    throw new UsageError(`${command}: scenario ${text}: ${why}`);
  }
}

/** --until: simulated time from the start, more than 0 (default 24 h). */
export function untilOption(args: ParsedArgs, command: string): number {
  let until: number;
  try {
    until = parseDuration(args.options.get("until") ?? "24h");
  } catch (err) {
    throw new UsageError(`${command}: --until: ${(err as Error).message}`);
  }
  if (!(until > 0)) throw new UsageError(`${command}: --until must be more than 0 s`);
  return until;
}

/** --seed: another seed than the scenario's, or undefined. */
export function seedOption(args: ParsedArgs, command: string): number | undefined {
  return args.options.has("seed") ? intOption(args, "seed", 0, 0, 0xffffffff, command) : undefined;
}

/** The closing lines of a run: what it sent, decided and shaped, and its hash. */
export function summaryText(s: SimSummary): string {
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  const top = s.devices.filter((d) => d.down + d.up > 0)
    .sort((a, b) => b.down + b.up - a.down - a.up).slice(0, 5)
    .map((d) => `${d.name} ${mb(d.down)}↓ ${mb(d.up)}↑`);
  return `\n${s.scenario} (seed ${s.seed}), ${s.from} to ${s.to}: ${s.packets} packets, ` +
    `${mb(s.bytes)}; ${s.decisions} decision and alert lines, ${s.shaperOperations} shaper ` +
    `operations (dry-run)\ntop: ${top.join(", ") || "none"}\nhash ${s.hash}`;
}
