// A scenario run through the real engine: the simulator as the packet
// source, the monitor, the scenario's policy, the dry-run shaper whose plan
// the simulator obeys (closed loop), and history in the KV given. Shared by
// `sluice sim` (as fast as it can) and `sluice demo` (paced).
import { Monitor } from "../engine/monitor.ts";
import { defaultCatalogue } from "../engine/catalogue/default.ts";
import { defaultOui, LanSubnets } from "../engine/devices/mod.ts";
import { parsePolicy } from "../engine/policy/mod.ts";
import { END_OF_CAPTURE, type PacketSink } from "../capture/mod.ts";
import type { Scenario } from "../sim/scenario.ts";
import { SimSource } from "../sim/sim_source.ts";
import { HistoryRecorder } from "./history_recorder.ts";
import { documentOrigin, LivePolicy } from "./live_policy.ts";
import { LiveShaper } from "./live_shaper.ts";
import { timeText } from "./decision_text.ts";
import type { LiveWeb } from "./live_web.ts";

/** Options for {@linkcode runSimulation}. */
export interface SimRunOptions {
  scenario: Scenario;
  /** Simulated seconds. */
  until: number;
  seed?: number;
  kv: Deno.Kv;
  /** Each event line as it happens (timeline notes, decisions, alerts, shaper). */
  print?: (line: string) => void;
  /** Also gets every packet (a pcap writer). */
  tap?: PacketSink;
  /** Each second the engine closes, with the monitor (tests watch rates here). */
  onSecond?: (second: number, monitor: Monitor) => void;
  /** Each minute the engine closes (its start, epoch s), with the monitor. */
  onMinute?: (start: number, monitor: Monitor) => void;
  /** Called after each batch with the simulated time: `sluice demo` waits here. */
  pace?: (simTime: number) => Promise<void>;
  /** Ends the run early (Ctrl-C in `sluice demo`); the summary covers what ran. */
  signal?: AbortSignal;
  /** Gets the run's parts, minutes and seconds: `sluice demo` serves the web from it. */
  web?: Pick<LiveWeb, "start" | "minute" | "second">;
}

/** What a run did, for `--json` and tests. */
export interface SimSummary {
  scenario: string;
  seed: number;
  from: string;
  to: string;
  packets: number;
  bytes: number;
  devices: { id: string; name: string; down: number; up: number }[];
  events: number;
  decisions: number;
  shaperOperations: number;
  /** SHA-256 of the event lines, hex: the same scenario and seed give the same hash. */
  hash: string;
}

/** Runs the scenario; returns its summary. */
export async function runSimulation(o: SimRunOptions): Promise<SimSummary> {
  const { scenario, kv } = o;
  const lines: string[] = [];
  let decisions = 0, shaperOperations = 0;
  const emit = (line: string) => {
    lines.push(line);
    o.print?.(line);
  };
  const source = new SimSource(scenario, {
    until: o.until,
    seed: o.seed,
    onNote: (n) => emit(`${timeText(n.time * 1000)} ${n.device}: ${n.note}`),
  });
  // A simulation sends no webhooks: its alerts are make-believe.
  const policy = scenario.policy === undefined
    ? undefined
    : { ...parsePolicy(scenario.policy), webhooks: [] };
  const catalogue = defaultCatalogue();
  const recorder = new HistoryRecorder(kv);
  const deciding = policy && new LivePolicy(kv, policy, (line) => {
    decisions++;
    emit(line);
  }, {
    raw: scenario.policy,
    origin: await documentOrigin(`scenario ${scenario.name}`, scenario.policy),
    webhooks: false,
  });
  const shaping = deciding && new LiveShaper(kv, {
    mode: "dry-run",
    iface: "sim0",
    os: "linux",
    protect: [{ mac: scenario.gateway.mac, why: "the gateway itself" }],
    print: (line) => {
      shaperOperations++;
      emit(line);
    },
    alert: (events, timeMs) => deciding.alerts(events, timeMs),
  });
  const monitor: Monitor = new Monitor({
    linkType: source.linkType,
    lan: new LanSubnets([scenario.lan, ...(scenario.lan6 ? [scenario.lan6] : [])]),
    catalogue,
    oui: defaultOui(),
    onMinute: (start, usage) => {
      recorder.minute(monitor, start, usage);
      o.web?.minute(monitor, start, usage);
      o.onMinute?.(start, monitor);
    },
    onSecond: (second) => {
      deciding?.feed.second(monitor, second);
      o.web?.second(monitor, second);
      o.onSecond?.(second, monitor);
    },
  });
  const sink: PacketSink = o.tap
    ? {
      packet(data, offset, capLen, wireLen, sec, nsec) {
        o.tap!.packet(data, offset, capLen, wireLen, sec, nsec);
        monitor.packet(data, offset, capLen, wireLen, sec, nsec);
      },
    }
    : monitor;
  const startMs = source.start * 1000;
  await recorder.start(startMs, { note: `sim ${scenario.name}` });
  await deciding?.start(recorder.history, startMs, catalogue);
  await shaping?.start();
  await o.web?.start({
    monitor,
    history: recorder.history,
    stats: () => source.stats(),
    policy: deciding,
    shaper: shaping,
  }, startMs);
  let synced = NaN, checked = NaN, turn = performance.now();
  while (!o.signal?.aborted) {
    const got = await source.read(sink);
    if (got === END_OF_CAPTURE) break;
    // Served (a demo fast-forwarding), the web gets a turn every 50 ms.
    if (o.web && performance.now() - turn >= 50) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      turn = performance.now();
    }
    if (got === 0) monitor.advance(source.now());
    await recorder.flush();
    const decided = deciding?.feed.lastSecond ?? NaN;
    if (shaping && Number.isFinite(decided) && decided !== synced) {
      synced = decided;
      await shaping.sync(deciding!.engine, monitor, decided * 1000);
      obey(source, shaping.plan);
    }
    await deciding?.flush();
    // Served, the demo takes overrides set on the web: looked for each simulated second.
    if (o.web && deciding && Number.isFinite(decided) && decided !== checked) {
      checked = decided;
      await deciding.checkOverrides();
    }
    await o.pace?.(source.now());
  }
  monitor.finish();
  const end = o.signal?.aborted ? source.now() : source.end;
  await deciding?.stop(end * 1000);
  await recorder.stop(monitor, end * 1000, monitor.tracker.namer?.deviceHints);
  const devices = scenario.devices.map((d) => {
    const index = monitor.devices.indexOf(`mac:${d.mac.toLowerCase()}`);
    const totals = index < 0 ? null : monitor.meter.device(index).totals;
    return { id: d.id, name: d.name, down: totals?.down ?? 0, up: totals?.up ?? 0 };
  });
  const c = monitor.tracker.counters;
  return {
    scenario: scenario.name,
    seed: o.seed ?? scenario.seed,
    from: new Date(source.start * 1000).toISOString(),
    to: new Date(end * 1000).toISOString(),
    packets: c.packets,
    bytes: c.bytes,
    devices,
    events: lines.length,
    decisions,
    shaperOperations,
    hash: await sha256Hex(lines.join("\n") + "\n" + JSON.stringify(devices)),
  };
}

/** The simulator holds each device to the plan: limited, blocked, or free. */
function obey(source: SimSource, plan: LiveShaper["plan"]): void {
  const planned = new Map((plan?.devices ?? []).map((d) => [d.mac?.toLowerCase() ?? "", d]));
  for (const mac of source.macs()) {
    const d = planned.get(mac);
    source.enforce(mac, d ? { down: d.down, up: d.up, blocked: d.blocked } : null);
  }
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
