// The shaper in a live run: after each batch of packets, the policy's
// desired state becomes a plan (devices' MACs and addresses from the
// monitor, the gateway and allowlisted devices left out), applied when it
// changed; failures retried, reported as shaper_failed alerts, and every
// operation logged in the event log (kind "shaper").
import type { AlertEvent, PolicyEngine } from "../engine/policy/mod.ts";
import { EventLog, type HistoryEvent } from "../engine/history/mod.ts";
import type { Monitor } from "../engine/monitor.ts";
import {
  KvShaperStore,
  type Leaf,
  LinuxRenderer,
  type Protected,
  type ShapePlan,
  shapePlan,
  Shaper,
  type ShaperEvent,
  type ShaperRenderer,
  SystemCommandRunner,
  WindowsRenderer,
} from "../shaper/mod.ts";

/**
 * Which backend: Linux tc and nft, Windows QoS policies and firewall rules,
 * or dry-run (the platform's commands, recorded, never run).
 */
export type ShaperMode = "linux" | "windows" | "dry-run";

/** Options for {@linkcode LiveShaper}. */
export interface LiveShaperOptions {
  mode: ShaperMode;
  /** The LAN interface. */
  iface: string;
  protect: Protected[];
  print: (line: string) => void;
  /** Alerts for failed operations (to the policy's recorder and webhooks). */
  alert: (events: readonly AlertEvent[], timeMs: number) => void;
  leaf?: Leaf;
  /** Whose commands a dry run records (default: this machine's). */
  os?: typeof Deno.build.os;
}

/** One run's shaper. */
export class LiveShaper {
  readonly shaper: Shaper;
  readonly #o: LiveShaperOptions;
  readonly #events: EventLog;
  #pending: ShaperEvent[] = [];
  #lastPlan = "";
  #engineRevision = -1;
  #revision = -1;
  #plan: ShapePlan | null = null;
  #failures = 0;

  constructor(kv: Deno.Kv, options: LiveShaperOptions) {
    this.#o = options;
    this.#events = new EventLog(kv);
    this.shaper = new Shaper({
      renderer: rendererFor(options.mode, options.iface, options.leaf, options.os),
      runner: new SystemCommandRunner(),
      store: new KvShaperStore(kv, options.iface),
      dryRun: options.mode === "dry-run",
      onEvent: (e) => this.#pending.push(e),
    });
  }

  /** The plan last applied (or, in dry-run, recorded); null before the first. */
  get plan(): ShapePlan | null {
    return this.#plan;
  }

  /** Operations that failed since start. */
  get failures(): number {
    return this.#failures;
  }

  /** The mode it runs in. */
  get mode(): ShaperMode {
    return this.#o.mode;
  }

  /** Loads what a previous run applied. */
  async start(): Promise<void> {
    await this.shaper.start();
  }

  /**
   * Applies the engine's desired state if it changed (or a retry is due),
   * at engine time `nowMs`; logs what was done.
   */
  async sync(engine: PolicyEngine, monitor: Monitor, nowMs: number): Promise<void> {
    // Nothing the plan is made of moved: only a retry may be due.
    if (engine.revision === this.#engineRevision && monitor.devices.revision === this.#revision) {
      await this.shaper.tick(nowMs);
      return await this.#flush(engine);
    }
    this.#engineRevision = engine.revision;
    this.#revision = monitor.devices.revision;
    const { plan, skipped } = shapePlan(engine.desired(), (id) => {
      const index = monitor.devices.indexOf(id);
      return index < 0 ? null : monitor.devices.addressesOf(index);
    }, this.#o.protect);
    const text = JSON.stringify(plan);
    if (text !== this.#lastPlan) {
      this.#lastPlan = text;
      this.#plan = plan;
      for (const s of skipped) this.#o.print(`shaper: ${s.id} left alone: ${s.why}`);
      await this.shaper.apply(plan, nowMs);
    } else {
      await this.shaper.tick(nowMs);
    }
    await this.#flush(engine);
  }

  async #flush(engine: PolicyEngine): Promise<void> {
    const events = this.#pending;
    this.#pending = [];
    for (const e of events) {
      const logged = shaperLogEntry(e);
      this.#o.print(logged.message);
      await this.#events.append(logged);
      if (!e.ok) {
        this.#failures++;
        const device = deviceOf(e.key);
        this.#o.alert(engine.shaperFailed(device, e.error ?? "failed", e.time), e.time);
      }
    }
  }
}

/** A shaper event as the event log keeps it (kind "shaper"); its message is the printed line. */
export function shaperLogEntry(e: ShaperEvent): HistoryEvent {
  const verb = e.dryRun ? "would" : e.ok ? "did" : "failed to";
  return {
    time: e.time,
    kind: "shaper",
    message: `shaper ${verb} ${e.action} ${e.summary}` + (e.error ? `: ${e.error}` : ""),
    data: { key: e.key, commands: e.commands, ok: e.ok, dryRun: e.dryRun },
  };
}

/**
 * The renderer for a mode: Linux or Windows, and in dry-run the one of `os`
 * (Windows on Windows, else Linux). Throws a TypeError for an interface name
 * tc cannot take.
 */
export function rendererFor(
  mode: ShaperMode,
  iface: string,
  leaf?: Leaf,
  os: typeof Deno.build.os = Deno.build.os,
): ShaperRenderer {
  const windows = mode === "windows" || (mode === "dry-run" && os === "windows");
  return windows ? new WindowsRenderer() : new LinuxRenderer({ lan: iface, leaf });
}

/** The device an object key names ("down/class/mac:…", "block/ip:…"), or null. */
function deviceOf(key: string): string | null {
  const m = /(?:^|\/)((?:mac|ip):[^/]+)/.exec(key);
  return m ? m[1] : null;
}

/**
 * fq_codel when the kernel has it (loaded, built in, or a module it can
 * load), else pfifo: some minimal kernels lack it.
 */
export async function detectLeaf(): Promise<Leaf> {
  try {
    await Deno.stat("/sys/module/sch_fq_codel");
    return "fq_codel";
  } catch { /* not loaded: look for it */ }
  for (const list of ["modules.builtin", "modules.dep"]) {
    try {
      const text = await Deno.readTextFile(`/lib/modules/${Deno.osRelease()}/${list}`);
      if (text.includes("sch_fq_codel.ko")) return "fq_codel";
    } catch { /* no such list */ }
  }
  return "pfifo";
}
