import { END_OF_CAPTURE, openFile } from "../capture/mod.ts";
import type { UserRule } from "../engine/app_catalogue.ts";
import { type AppTotals, appTotals, type CategoryTotals } from "../engine/app_totals.ts";
import { defaultCatalogue } from "../engine/catalogue/default.ts";
import type { DeviceHint } from "../engine/device_hints.ts";
import { type DecodeCounters, type FlowRecord, FlowTracker, linkTypeName } from "../engine/mod.ts";
import { intOption, parseArgs } from "./args.ts";
import { formatFlowTable } from "./flow_text.ts";
import { readRulesFile } from "./rules_file.ts";
import { writeJson } from "./write_json.ts";
import type { PacketSink } from "../capture/mod.ts";
import { defaultOui, LanSubnets } from "../engine/devices/mod.ts";
import { Monitor } from "../engine/monitor.ts";
import { openStore } from "./data_store.ts";
import { HistoryRecorder } from "./history_recorder.ts";
import { UsageError } from "./usage_error.ts";
import {
  type AlertEvent,
  type Decision,
  type DeviceState,
  type PolicyConfig,
  PolicyEngine,
  PolicyFeed,
} from "../engine/policy/mod.ts";
import { readPolicyFile } from "./policy_file.ts";
import { decisionLine } from "./decision_text.ts";
import { PolicyRecorder } from "./policy_recorder.ts";

export const REPLAY_HELP = `sluice replay FILE [options]

Reads a pcap or pcapng capture through libpcap and reports its flows, the
apps and categories they belong to, and what devices said about themselves.

Options:
  --json              print one JSON document on stdout instead of tables
  --rules FILE        user rules (JSON) that win over the shipped catalogue:
                        { "rules": [ { "domain": "example.com", "app": "my-app",
                          "category": "Streaming", "name": "My App" },
                          { "port": 25565, "protocol": "TCP", ... },
                          { "cidr": "10.9.0.0/16", ... } ] }
                      each rule has exactly one of domain, port or cidr; see
                      sim/samples/rules.example.json
  --no-classify       count flows only: no hostnames, apps, categories or
                      device hints (the packet path alone, for comparison)
  --data DIR          also load the capture into history at its own timestamps:
                      LAN devices and their usage per minute (hours and days
                      rolled up) go to the KV store DIR/sluice.kv, or to a
                      remote KV given as an https:// URL; see "sluice report"
  --lan CIDR,...      the LAN's subnets, for --data (default: the private
                      ranges 10/8, 172.16/12, 192.168/16, fc00::/7, link-local)
  --policy FILE       also run the policy engine (JSON; see "Policy files" in
                      README.md) at the capture's own timestamps: its
                      decisions, alerts and final desired states are reported,
                      and with --data written to the event log
  --filter BPF        only packets matching a BPF filter (tcpdump syntax)
  --top N             flows and apps shown in the tables (default 20)
  --max-flows N       flows held at once before the oldest is evicted (default 262144)
  --idle-timeout S    end a flow after S seconds without a packet; by default a
                      capture's flows never end early (captures jump in time)
  -h, --help          this help

JSON fields (--json):
  file, linkType, packets, bytes   the capture and its totals (wire bytes)
  flows[]             protocol, client, server, vlan, c2s and s2c {packets, bytes},
                      firstSeen, lastSeen (epoch seconds), and:
    hostname          the name the flow went to, or null
    hostnameSource    where it came from: sni (TLS), quic, http (Host), dns
                      (the flow's question or an earlier answer), dhcp, netbios,
                      payload (STUN realm, banners, ...); null without a name
    app, appName      the app's catalogue id and display name, or null
    category          Streaming, Gaming, VideoCalls, Browsing, Social, Messaging,
                      Downloads, Cloud, P2P, VPN, Network or Other
  apps[]              per app: app, name, category, flows, packets, bytes (both
                      directions), largest first; no app is app null, "Unknown"
  categories[]        per category: category, flows, packets, bytes, largest first
  devices[]           device hints: key (mac:... or ip:...), ip, dhcpHostname,
                      dhcpVendorClass, dhcpFingerprint, mdnsName, netbiosName,
                      ssdpServer, userAgent, lastSeen (only the fields heard)
  decode              packets not in a flow, by reason, and flowsEvicted
  history             with --data: minutes written and LAN devices seen
  policy              with --policy: decisions[] (time, device, kind, from, to,
                      ruleId, reason), alerts[] (type started/updated/ended and
                      the alert: kind, severity, device, figures, message,
                      start, end) and states[] (each device's desired state)

Exit status: 0 on success, 2 when the file is missing, not a capture or
truncated, or the rules file is missing or wrong (one line names the field).`;

/** The JSON document that `sluice replay --json` prints. */
export interface ReplayReport {
  file: string;
  linkType: string;
  packets: number;
  bytes: number;
  flows: FlowRecord[];
  /** Totals per app and per category, both directions, largest first. */
  apps: AppTotals[];
  categories: CategoryTotals[];
  /** What devices said about themselves (DHCP, mDNS, NetBIOS, SSDP, User-Agent). */
  devices: DeviceHint[];
  decode: DecodeCounters & { flowsEvicted: number };
  /** With --data: the minutes of usage written to history, and the LAN devices seen. */
  history?: { minutes: number; devices: number };
  /** With --policy: what the policy engine decided, raised and wants at the end. */
  policy?: { decisions: Decision[]; alerts: AlertEvent[]; states: DeviceState[] };
}

/** Options for {@linkcode replayFile}. */
export interface ReplayOptions {
  /** BPF filter expression. */
  filter?: string;
  /** Flows held at once (default 262,144). */
  maxFlows?: number;
  /** Seconds without a packet before a flow ends (default: never). */
  idleTimeout?: number;
  /** User rules, already checked; they win over the shipped catalogue. */
  userRules?: readonly UserRule[];
  /** False to count flows without naming or classifying them (default true). */
  classify?: boolean;
  /** Where the capture's minutes, devices and session go (`--data`). */
  recorder?: HistoryRecorder;
  /** The LAN's subnets (default: the private ranges). */
  lan?: LanSubnets;
  /** Runs the policy engine over the capture (`--policy`). */
  policy?: PolicyConfig;
  /** Where its decisions, alerts and states go (`--policy` with `--data`). */
  policyRecorder?: PolicyRecorder;
}

/** Replays a capture file through the engine and returns its report. */
export async function replayFile(path: string, options: ReplayOptions = {}): Promise<ReplayReport> {
  const source = openFile(path, { filter: options.filter });
  const flows: FlowRecord[] = [];
  const catalogue = options.classify === false ? undefined : defaultCatalogue(options.userRules);
  const maxFlows = options.maxFlows ?? 262_144;
  const idleTimeout = options.idleTimeout ?? Infinity;
  const recorder = options.recorder, policyRecorder = options.policyRecorder;
  const decided: ReplayReport["policy"] = { decisions: [], alerts: [], states: [] };
  const feed = options.policy === undefined ? undefined : new PolicyFeed(
    new PolicyEngine(options.policy),
    {
      onStep: (timeMs, step) => {
        decided.decisions.push(...step.decisions);
        decided.alerts.push(...step.alerts);
        policyRecorder?.step(timeMs, step);
      },
    },
  );
  let tracker: FlowTracker, sink: PacketSink, monitor: Monitor | undefined;
  if (recorder || feed) {
    // Into history: devices and their minutes, at the capture's own timestamps.
    monitor = new Monitor({
      linkType: source.linkType,
      lan: options.lan ?? LanSubnets.privateRanges(),
      catalogue,
      oui: defaultOui(),
      maxFlows,
      idleTimeout,
      onFlowEnd: (record) => flows.push(record),
      onMinute: recorder && ((start, usage) => recorder.minute(monitor!, start, usage)),
      onSecond: feed && ((second) => feed.second(monitor!, second)),
    });
    tracker = monitor.tracker;
    sink = monitor;
  } else {
    tracker = new FlowTracker({
      linkType: source.linkType,
      maxFlows,
      idleTimeout,
      catalogue,
      onEnd: (flow) => flows.push(tracker.record(flow)),
    });
    sink = tracker;
  }
  let started = false;
  try {
    while ((await source.read(sink)) !== END_OF_CAPTURE) {
      await policyRecorder?.flush();
      if (!recorder || recorder.firstQueued === undefined) continue;
      if (!started) {
        await recorder.start(recorder.firstQueued, { note: `replay ${path}` });
        started = true;
      }
      await recorder.flush();
    }
  } finally {
    source.close();
  }
  if (monitor) monitor.finish();
  if (monitor && recorder) {
    const end = (monitor.meter.second || 0) * 1000;
    if (!started) await recorder.start(recorder.firstQueued ?? end, { note: `replay ${path}` });
    await recorder.stop(monitor, end, tracker.namer?.deviceHints);
  } else if (!monitor) tracker.table.flush();
  await policyRecorder?.flush();
  flows.sort((a, b) => a.firstSeen - b.firstSeen);
  const c = tracker.counters;
  const report: ReplayReport = {
    file: path,
    linkType: linkTypeName(source.linkType),
    packets: c.packets,
    bytes: c.bytes,
    flows,
    ...appTotals(flows),
    devices: tracker.namer?.deviceHints.list() ?? [],
    decode: { ...c, flowsEvicted: tracker.table.evicted },
  };
  if (feed) report.policy = { ...decided, states: feed.engine.desired().devices };
  if (monitor && recorder) {
    report.history = { minutes: recorder.minutesWritten, devices: monitor.devices.size };
  }
  return report;
}

/** `sluice replay`: returns the exit code. */
export async function replayCommand(argv: string[]): Promise<number> {
  const command = "sluice replay";
  const args = parseArgs(argv, {
    command,
    flags: ["json", "no-classify"],
    options: ["filter", "top", "max-flows", "idle-timeout", "rules", "data", "lan", "policy"],
    positionals: { min: 1, max: 1, names: "FILE" },
  });
  const maxFlows = intOption(args, "max-flows", 262_144, 1, 50_000_000, command);
  const top = intOption(args, "top", 20, 1, 1_000_000, command);
  const idleTimeout = args.options.has("idle-timeout")
    ? intOption(args, "idle-timeout", 0, 1, 86_400 * 365, command)
    : undefined;
  const rulesPath = args.options.get("rules");
  const userRules = rulesPath === undefined ? [] : await readRulesFile(rulesPath, command);
  const lan = lanOption(args.options.get("lan"), command);
  const policyPath = args.options.get("policy");
  const policy = policyPath === undefined ? undefined : await readPolicyFile(policyPath, command);
  const data = args.options.get("data");
  const kv = data === undefined ? undefined : await openStore(data, command);
  let report: ReplayReport;
  try {
    report = await replayFile(args.positionals[0], {
      filter: args.options.get("filter"),
      maxFlows,
      idleTimeout,
      userRules,
      classify: !args.flags.has("no-classify"),
      recorder: kv ? new HistoryRecorder(kv) : undefined,
      lan,
      policy,
      policyRecorder: kv && policy ? new PolicyRecorder(kv) : undefined,
    });
  } finally {
    kv?.close();
  }
  if (args.flags.has("json")) {
    writeJson(Deno.stdout, report);
  } else {
    console.log(formatFlowTable(report, top));
    if (report.policy) {
      const { decisions, states } = report.policy;
      console.log(`\nPolicy: ${decisions.length} decisions, ${states.length} devices decided`);
      for (const d of decisions) console.log(`  ${decisionLine(d)}`);
    }
  }
  return 0;
}

/** `--lan CIDR[,CIDR...]`: the LAN's subnets; a UsageError names a bad one. */
export function lanOption(value: string | undefined, command: string): LanSubnets | undefined {
  if (value === undefined) return undefined;
  try {
    return new LanSubnets(value.split(",").map((c) => c.trim()).filter((c) => c !== ""));
  } catch (err) {
    throw new UsageError(`${command}: --lan: ${(err as Error).message}`);
  }
}
