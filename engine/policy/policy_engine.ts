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
import type { AutoPriority } from "./auto_priority.ts";
import type { Baseline } from "./baseline.ts";
import { sameState, stateDecisions } from "./decisions.ts";
import { type DeviceFacts, evaluateDevice, PreparedPolicy } from "./evaluate.ts";
import type { Decision, DesiredState, DeviceState, PolicyConfig, Rule } from "./policy_types.ts";
import { withOverrides } from "./override.ts";
import type { ConfigIssue } from "./policy_config.ts";
import { nextBoundary } from "./_policy_boundary.ts";
import { type AppSecond, type Counter, countSecond } from "./_usage_counters.ts";
import { autoFor, needsApps, sameJson, seedCounter, spikesFor } from "./_engine_config.ts";
import { DeviceBook, deviceFacts, type Known } from "./_engine_devices.ts";

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
  readonly #devices = new DeviceBook();
  #nextBoundary = -Infinity;
  #revision = 0;

  constructor(policy: PolicyConfig) {
    this.#base = this.#policy = policy;
    this.#prepared = new PreparedPolicy(policy);
    this.#auto = autoFor(policy);
    this.#spikes = spikesFor(policy);
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
    if (!sameJson(old.auto, policy.auto)) this.#auto = autoFor(policy);
    if (!sameJson(old.alerts, policy.alerts)) {
      // Active alerts are forgotten with their settings: the new ones decide afresh.
      this.#alerts = new AlertTracker(policy.alerts);
      this.#spikes = spikesFor(policy);
    }
    this.#needsApps = needsApps(policy);
    this.#devices.prune(new Set(policy.rules.map((r) => r.id)));
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
    const known = this.#devices.known.get(deviceId);
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
    this.#devices.touchAll();
    this.#nextBoundary = -Infinity;
    return refused;
  }

  /**
   * Counts `used` bytes of a quota rule, or seconds of a time budget,
   * already used in the rule's period holding `nowMs` (from history, after
   * a restart mid-period). A device not seen yet gets it when it is.
   */
  seed(deviceId: string, ruleId: string, used: number, nowMs: number): void {
    this.#devices.seed(deviceId, ruleId, seedCounter(this.#policy, ruleId, used, nowMs));
  }

  /** A device seen before this engine started (it is in history): it is not new when it appears. */
  familiar(deviceId: string): void {
    this.#devices.familiar.add(deviceId);
  }

  /** A seen device's counters by rule id (quota bytes, budget seconds), for saving. */
  counters(deviceId: string): ReadonlyMap<string, Readonly<Counter>> {
    return this.#devices.known.get(deviceId)?.counters ?? new Map();
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
      const known = this.#devices.learn(
        d,
        (old) => this.#forget(old, timeMs, push),
        () => push(this.#alerts.newDevice(d.id, d.name, timeMs)),
      );
      const rate = d.down + d.up;
      if (this.#auto && this.#auto.sample(d.index, d.down, d.up, timeMs) !== null) {
        this.#devices.dirty.add(known);
      }
      const spike = this.#spikes ? this.#spikes.add(d.index, rate) : false;
      push(this.#alerts.rate(d.id, d.name, rate, spike, timeMs));
      if (countSecond(this.#prepared, known.counters, d, timeMs, this.#alerts, push)) {
        this.#devices.dirty.add(known);
      }
    }
    if (this.#auto) {
      const changes = this.#auto.tick(timeMs);
      for (let i = 0; i < changes; i++) {
        const known = this.#devices.byIndex[this.#auto.changed(i)];
        if (known) this.#devices.dirty.add(known);
      }
    }
    push(this.#alerts.tick(timeMs));
    if (timeMs >= this.#nextBoundary) {
      this.#devices.touchAll();
      this.#nextBoundary = nextBoundary(this.#policy, timeMs);
    }
    const decisions: Decision[] = [], states: DeviceState[] = [];
    for (const known of this.#devices.dirty) {
      const state = evaluateDevice(this.#prepared, this.#facts(known, timeMs), timeMs);
      for (const d of stateDecisions(known.state, state, timeMs)) decisions.push(d);
      if (!known.state || !sameState(known.state, state)) states.push(state);
      known.state = state;
    }
    this.#devices.dirty.clear();
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
    return this.#devices.known.get(deviceId)?.state;
  }

  /** Every seen device's desired state. */
  states(): DeviceState[] {
    const out: DeviceState[] = [];
    for (const known of this.#devices.known.values()) if (known.state) out.push(known.state);
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
    const name = deviceId === null ? "" : this.#devices.known.get(deviceId)?.name ?? deviceId;
    return this.#alerts.shaperFailed(deviceId, name, error, timeMs);
  }

  #forget(known: Known, timeMs: number, push: (e: readonly AlertEvent[]) => void): void {
    if (this.#devices.known.delete(known.id) && known.state) this.#revision++;
    this.#devices.familiar.add(known.id);
    this.#auto?.forget(known.index);
    this.#spikes?.reset(known.index);
    push(this.#alerts.forget(known.id, timeMs));
  }

  #facts(known: Known, timeMs: number): DeviceFacts {
    return deviceFacts(this.#prepared, this.#auto, this.#policy.timeZone, known, timeMs);
  }
}
