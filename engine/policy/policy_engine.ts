/**
 * The policy engine: fed each closed second of every device's traffic, it
 * keeps automatic priorities, quotas, time budgets and alerts, and turns
 * them with the rules into each device's desired state. A change of state is
 * a {@linkcode Decision} with its reason; the desired states are what the
 * shaper enforces. Time comes only from the seconds it is given.
 *
 * Work is proportional to what changes: a device is evaluated again when its
 * automatic class changes, a quota or budget of it is used up, it is new, or
 * a rule's schedule, expiry or a quota period boundary is passed (then all).
 *
 * @module
 */
import { type AlertEvent, AlertTracker } from "./alert_tracker.ts";
import { AutoPriority } from "./auto_priority.ts";
import { Baseline } from "./baseline.ts";
import { sameState, stateDecisions } from "./decisions.ts";
import { type DeviceFacts, evaluateDevice, PreparedPolicy } from "./evaluate.ts";
import type { Decision, DesiredState, DeviceState, PolicyConfig, Rule } from "./policy_types.ts";
import { withOverrides } from "./override.ts";
import type { ConfigIssue } from "./policy_config.ts";
import { nextBoundary } from "./_policy_boundary.ts";
import { clockText } from "./zoned_time.ts";
import {
  type AppSecond,
  type Counter,
  counterPeriod,
  countSecond,
  isCounting,
  usedNow,
} from "./_usage_counters.ts";

export type { AppSecond, Counter };

/** One device's traffic in the second just closed. */
export interface DeviceSecond {
  /** The device's index in the monitor (stable while it is known). */
  index: number;
  id: string;
  /** Its display name, for alerts. */
  name: string;
  /** Has a user label. */
  labelled: boolean;
  /** Bytes in the second, each way (internet traffic; local is not counted). */
  down: number;
  up: number;
  /**
   * The same bytes by app (catalogue id) and category: needed when
   * {@linkcode PolicyEngine.needsApps}, for quotas and time budgets of
   * some apps or categories.
   */
  apps?: readonly AppSecond[];
}

/** What one second changed. */
export interface PolicyStep {
  decisions: Decision[];
  alerts: AlertEvent[];
  /** Devices whose desired state changed in any way (its reason too), as they are now. */
  states: DeviceState[];
}

/** Per-device state the engine keeps besides the meters. */
interface Known {
  index: number;
  id: string;
  name: string;
  labelled: boolean;
  /** Quota bytes and budget seconds by rule id. */
  counters: Map<string, Counter>;
  state: DeviceState | undefined;
}

/**
 * Decides, second by second.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parsePolicy } from "./policy_config.ts";
 * const engine = new PolicyEngine(parsePolicy({
 *   link: { down: "100Mbit", up: "20Mbit" },
 *   auto: { enabled: false },
 *   rules: [{ id: "cap", devices: { all: true }, action: { kind: "limit", down: "8Mbit" } }],
 * }));
 * const tv = { index: 0, id: "mac:02:00:00:00:00:07", name: "TV", labelled: true, down: 5e5, up: 1e4 };
 * const step = engine.second(1_700_000_001_000, [tv]);
 * assertEquals(step.decisions.map((d) => [d.kind, d.to]), [["limit", "8 Mbit/s down"]]);
 * assertEquals(engine.state(tv.id)?.down, 1_000_000);
 * ```
 */
export class PolicyEngine {
  #needsApps: boolean;
  /** The policy as configured; #policy adds the manual overrides to it. */
  #base: PolicyConfig;
  /** The manual overrides last set, kept over a new base by reconfigure(). */
  #overrides: readonly Rule[] = [];
  #prepared: PreparedPolicy;
  #policy: PolicyConfig;
  #auto: AutoPriority | null;
  #spikes: Baseline | null;
  #alerts: AlertTracker;
  readonly #known = new Map<string, Known>();
  readonly #byIndex: (Known | undefined)[] = [];
  readonly #dirty = new Set<Known>();
  /** Devices seen before (another run, or forgotten since): no new_device alert. */
  readonly #familiar = new Set<string>();
  /** Counters seeded for devices not seen yet, by device id. */
  readonly #seeds = new Map<string, Map<string, Counter>>();
  #nextBoundary = -Infinity;
  #revision = 0;

  constructor(policy: PolicyConfig) {
    this.#base = this.#policy = policy;
    this.#prepared = new PreparedPolicy(policy);
    this.#auto = policy.auto.enabled ? new AutoPriority(policy.auto) : null;
    this.#spikes = policy.alerts.spike ? new Baseline({ sigma: policy.alerts.spike.sigma }) : null;
    this.#alerts = new AlertTracker(policy.alerts);
    this.#needsApps = needsApps(policy);
  }

  /** Whether seconds must come with their bytes by app: a quota or budget counts some apps only. */
  get needsApps(): boolean {
    return this.#needsApps;
  }

  /** The policy in force: as configured, then the manual overrides that fit it. */
  get policy(): PolicyConfig {
    return this.#policy;
  }

  /** The policy as configured, without the manual overrides. */
  get configured(): PolicyConfig {
    return this.#base;
  }

  /**
   * Replaces the configured policy while running (an edit from the web UI):
   * the manual overrides last set apply over it, counters of rules whose ids
   * remain are kept (the others dropped), automatic priorities and alerts
   * start afresh only if their settings changed, and every device is
   * evaluated again at the next second. Returns why any override was
   * refused under the new policy (a group it names is gone).
   */
  reconfigure(policy: PolicyConfig): ConfigIssue[] {
    const old = this.#base;
    this.#base = policy;
    if (!sameJson(old.auto, policy.auto)) {
      this.#auto = policy.auto.enabled ? new AutoPriority(policy.auto) : null;
    }
    if (!sameJson(old.alerts, policy.alerts)) {
      // Active alerts are forgotten with their settings: the new ones decide afresh.
      this.#alerts = new AlertTracker(policy.alerts);
      this.#spikes = policy.alerts.spike
        ? new Baseline({ sigma: policy.alerts.spike.sigma })
        : null;
    }
    this.#needsApps = needsApps(policy);
    const ids = new Set(policy.rules.map((r) => r.id));
    const prune = (counters: Map<string, Counter>) => {
      for (const id of counters.keys()) if (!ids.has(id)) counters.delete(id);
    };
    for (const known of this.#known.values()) prune(known.counters);
    for (const seeds of this.#seeds.values()) prune(seeds);
    const refused = this.setOverrides(this.#overrides);
    // Link or shares may have changed with no device's state: the shaper plans again.
    this.#revision++;
    return refused;
  }

  /**
   * What a device's state would be now with `overrides` in place of the
   * manual overrides set (the configured policy otherwise as it is): lets a
   * caller see whether a rule still blocks or limits a device once its
   * overrides are cleared.
   */
  preview(deviceId: string, overrides: readonly Rule[], timeMs: number): DeviceState {
    const prepared = new PreparedPolicy(withOverrides(this.#base, overrides).policy);
    const known = this.#known.get(deviceId);
    const facts: DeviceFacts = known
      ? this.#facts(known, timeMs)
      : { id: deviceId, labelled: false };
    return evaluateDevice(prepared, facts, timeMs);
  }

  /**
   * Replaces the manual overrides (set while running, from the CLI or UI):
   * every device is evaluated again at the next second. Returns why any
   * override was refused; the others apply.
   */
  setOverrides(overrides: readonly Rule[]): ConfigIssue[] {
    this.#overrides = [...overrides];
    const { policy, refused } = withOverrides(this.#base, overrides);
    this.#policy = policy;
    this.#prepared = new PreparedPolicy(policy);
    for (const known of this.#known.values()) this.#dirty.add(known);
    this.#nextBoundary = -Infinity;
    return refused;
  }

  /**
   * Counts `used` bytes of a quota rule, or seconds of a time budget,
   * already used in the rule's period holding `nowMs` (from history, after
   * a restart mid-period). A device not seen yet gets it when it is.
   */
  seed(deviceId: string, ruleId: string, used: number, nowMs: number): void {
    const rule = this.#policy.rules.find((r) => r.id === ruleId);
    if (!rule || !isCounting(rule)) {
      throw new RangeError(`no quota or time-budget rule "${ruleId}"`);
    }
    if (!(used >= 0) || used === Infinity) {
      throw new RangeError(`used must be a number >= 0, got ${used}`);
    }
    const counter = { period: counterPeriod(rule, nowMs, this.#policy.timeZone), used };
    const known = this.#known.get(deviceId);
    if (known) {
      known.counters.set(ruleId, counter);
      this.#dirty.add(known);
    } else {
      const seeds = this.#seeds.get(deviceId) ?? new Map<string, Counter>();
      seeds.set(ruleId, counter);
      this.#seeds.set(deviceId, seeds);
    }
  }

  /** A device seen before this engine started (it is in history): it is not new when it appears. */
  familiar(deviceId: string): void {
    this.#familiar.add(deviceId);
  }

  /** A seen device's counters by rule id (quota bytes, budget seconds), for saving. */
  counters(deviceId: string): ReadonlyMap<string, Readonly<Counter>> {
    return this.#known.get(deviceId)?.counters ?? new Map();
  }

  /**
   * The second ending at `timeMs` (epoch ms): `devices` had traffic in it
   * (devices without traffic need not be listed). Returns its decisions and
   * alert events.
   */
  second(timeMs: number, devices: readonly DeviceSecond[]): PolicyStep {
    if (!Number.isFinite(timeMs)) throw new RangeError(`timeMs must be finite, got ${timeMs}`);
    if (this.needsApps && devices.some((d) => d.apps === undefined)) {
      throw new TypeError(
        "a quota or budget counts some apps: each device's second needs its apps",
      );
    }
    const alerts: AlertEvent[] = [];
    const push = (events: readonly AlertEvent[]) => {
      for (const e of events) alerts.push(e);
    };
    for (const d of devices) {
      const known = this.#learn(d, timeMs, push);
      const rate = d.down + d.up;
      if (this.#auto && this.#auto.sample(d.index, d.down, d.up, timeMs) !== null) {
        this.#dirty.add(known);
      }
      const spike = this.#spikes ? this.#spikes.add(d.index, rate) : false;
      push(this.#alerts.rate(d.id, d.name, rate, spike, timeMs));
      if (countSecond(this.#prepared, known.counters, d, timeMs, this.#alerts, push)) {
        this.#dirty.add(known);
      }
    }
    if (this.#auto) {
      const changes = this.#auto.tick(timeMs);
      for (let i = 0; i < changes; i++) {
        const known = this.#byIndex[this.#auto.changed(i)];
        if (known) this.#dirty.add(known);
      }
    }
    push(this.#alerts.tick(timeMs));
    if (timeMs >= this.#nextBoundary) {
      for (const known of this.#known.values()) this.#dirty.add(known);
      this.#nextBoundary = nextBoundary(this.#policy, timeMs);
    }
    const decisions: Decision[] = [], states: DeviceState[] = [];
    for (const known of this.#dirty) {
      const state = evaluateDevice(this.#prepared, this.#facts(known, timeMs), timeMs);
      for (const d of stateDecisions(known.state, state, timeMs)) decisions.push(d);
      if (!known.state || !sameState(known.state, state)) states.push(state);
      known.state = state;
    }
    this.#dirty.clear();
    if (states.length > 0) this.#revision++;
    return { decisions, alerts, states };
  }

  /**
   * Counts changes to {@linkcode states}: while it stays the same, so do
   * they (a shaper syncing each second skips planning).
   */
  get revision(): number {
    return this.#revision;
  }

  /** A device's desired state, if it has been seen. */
  state(deviceId: string): DeviceState | undefined {
    return this.#known.get(deviceId)?.state;
  }

  /** Every seen device's desired state. */
  states(): DeviceState[] {
    const out: DeviceState[] = [];
    for (const known of this.#known.values()) if (known.state) out.push(known.state);
    return out;
  }

  /** The desired shaper state: link, shares, latency-sensitive categories and every device's state. */
  desired(): DesiredState {
    const p = this.#policy;
    return {
      link: { ...p.link },
      shares: { ...p.shares },
      latencySensitive: [...p.auto.latencySensitive],
      devices: this.states().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    };
  }

  /** Active alerts. */
  activeAlerts(): ReturnType<AlertTracker["active"]> {
    return this.#alerts.active();
  }

  /** The shaper could not apply something: an alert. */
  shaperFailed(deviceId: string | null, error: string, timeMs: number): readonly AlertEvent[] {
    const name = deviceId === null ? "" : this.#known.get(deviceId)?.name ?? deviceId;
    return this.#alerts.shaperFailed(deviceId, name, error, timeMs);
  }

  #learn(d: DeviceSecond, timeMs: number, push: (e: readonly AlertEvent[]) => void): Known {
    let known = this.#known.get(d.id);
    if (!known) {
      const old = this.#byIndex[d.index];
      if (old && old.id !== d.id) this.#forget(old, timeMs, push);
      known = {
        index: d.index,
        id: d.id,
        name: d.name,
        labelled: d.labelled,
        counters: this.#seeds.get(d.id) ?? new Map(),
        state: undefined,
      };
      this.#seeds.delete(d.id);
      this.#known.set(d.id, known);
      this.#byIndex[d.index] = known;
      this.#dirty.add(known);
      if (!this.#familiar.has(d.id)) push(this.#alerts.newDevice(d.id, d.name, timeMs));
    } else if (known.labelled !== d.labelled || known.name !== d.name) {
      known.labelled = d.labelled, known.name = d.name;
      this.#dirty.add(known);
    }
    return known;
  }

  #forget(known: Known, timeMs: number, push: (e: readonly AlertEvent[]) => void): void {
    if (this.#known.delete(known.id) && known.state) this.#revision++;
    this.#familiar.add(known.id);
    this.#auto?.forget(known.index);
    this.#spikes?.reset(known.index);
    push(this.#alerts.forget(known.id, timeMs));
  }

  #facts(known: Known, timeMs: number): DeviceFacts {
    const tz = this.#policy.timeZone;
    const facts: DeviceFacts = {
      id: known.id,
      labelled: known.labelled,
      ...usedNow(this.#prepared, known.counters, timeMs),
    };
    if (this.#auto) {
      facts.auto = {
        priority: this.#auto.priority(known.index),
        reason: this.#auto.reason(known.index, (ms) => clockText(ms, tz)),
      };
    }
    return facts;
  }
}

function needsApps(policy: PolicyConfig): boolean {
  return policy.rules.some((r) =>
    (r.action.kind === "quota" || r.action.kind === "timeBudget") &&
    (r.apps !== undefined || r.categories !== undefined)
  );
}

/** Settings compare as their JSON: plain data, written in the same order by parsePolicy. */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
