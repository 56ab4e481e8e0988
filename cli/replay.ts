import { END_OF_CAPTURE, openFile } from "../capture/mod.ts";
import { defaultCatalogue } from "../engine/catalogue/default.ts";
import { type DecodeCounters, type FlowRecord, FlowTracker, linkTypeName } from "../engine/mod.ts";
import { intOption, parseArgs } from "./args.ts";
import { formatFlowTable } from "./flow_text.ts";

export const REPLAY_HELP = `sluice replay FILE [options]

Reads a pcap or pcapng capture through libpcap and reports its flows.

Options:
  --json              print one JSON document on stdout instead of a table
  --filter BPF        only packets matching a BPF filter (tcpdump syntax)
  --top N             flows shown in the table (default 20)
  --max-flows N       flows held at once before the oldest is evicted (default 262144)
  --idle-timeout S    end a flow after S seconds without a packet; by default a
                      capture's flows never end early (captures jump in time)
  -h, --help          this help

Exit status: 0 on success, 2 when the file is missing, not a capture or truncated.`;

/** The JSON document that `sluice replay --json` prints. */
export interface ReplayReport {
  file: string;
  linkType: string;
  packets: number;
  bytes: number;
  flows: FlowRecord[];
  decode: DecodeCounters & { flowsEvicted: number };
}

/** Options for {@linkcode replayFile}. */
export interface ReplayOptions {
  /** BPF filter expression. */
  filter?: string;
  /** Flows held at once (default 262,144). */
  maxFlows?: number;
  /** Seconds without a packet before a flow ends (default: never). */
  idleTimeout?: number;
}

/** Replays a capture file through the engine and returns its report. */
export async function replayFile(path: string, options: ReplayOptions = {}): Promise<ReplayReport> {
  const source = openFile(path, { filter: options.filter });
  const flows: FlowRecord[] = [];
  const tracker = new FlowTracker({
    linkType: source.linkType,
    maxFlows: options.maxFlows ?? 262_144,
    idleTimeout: options.idleTimeout ?? Infinity,
    catalogue: defaultCatalogue(),
    onEnd: (flow) => flows.push(tracker.record(flow)),
  });
  try {
    while ((await source.read(tracker)) !== END_OF_CAPTURE) { /* the tracker counts */ }
  } finally {
    source.close();
  }
  tracker.table.flush();
  flows.sort((a, b) => a.firstSeen - b.firstSeen);
  const c = tracker.counters;
  return {
    file: path,
    linkType: linkTypeName(source.linkType),
    packets: c.packets,
    bytes: c.bytes,
    flows,
    decode: { ...c, flowsEvicted: tracker.table.evicted },
  };
}

/** `sluice replay`: returns the exit code. */
export async function replayCommand(argv: string[]): Promise<number> {
  const command = "sluice replay";
  const args = parseArgs(argv, {
    command,
    flags: ["json"],
    options: ["filter", "top", "max-flows", "idle-timeout"],
    positionals: { min: 1, max: 1, names: "FILE" },
  });
  const report = await replayFile(args.positionals[0], {
    filter: args.options.get("filter"),
    maxFlows: intOption(args, "max-flows", 262_144, 1, 50_000_000, command),
    idleTimeout: args.options.has("idle-timeout")
      ? intOption(args, "idle-timeout", 0, 1, 86_400 * 365, command)
      : undefined,
  });
  if (args.flags.has("json")) {
    console.log(JSON.stringify(report));
  } else {
    console.log(formatFlowTable(report, intOption(args, "top", 20, 1, 1_000_000, command)));
  }
  return 0;
}
