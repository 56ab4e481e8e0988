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
import { stateDecisions } from "./decisions.ts";
import { type DeviceFacts, evaluateDevice, PreparedPolicy } from "./evaluate.ts";
import type { Decision, DeviceState, PolicyConfig, Rule } from "./policy_types.ts";
import { nextScheduleChange } from "./schedule.ts";
import { localTime, periodEnd, periodStart } from "./zoned_time.ts";

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
}

/** What one second changed. */
export interface PolicyStep {
  decisions: Decision[];
  alerts: AlertEvent[];
}

interface Counter {
  /** Start of the period counted (epoch ms). */
  period: number;
  used: number;
}

/** Per-device state the engine keeps besides the meters. */
interface Known {
  index: number;
  id: string;
  name: string;
  labelled: boolean;
  quota: Map<string, Counter>;
  budget: Map<string, Counter>;
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
  readonly #prepared: PreparedPolicy;
  readonly #policy: PolicyConfig;
  readonly #auto: AutoPriority | null;
  readonly #spikes: Baseline | null;
  readonly #alerts: AlertTracker;
  readonly #known = new Map<string, Known>();
  readonly #byIndex: (Known | undefined)[] = [];
  readonly #dirty = new Set<Known>();
  #nextBoundary = -Infinity;

  constructor(policy: PolicyConfig) {
    this.#policy = policy;
    this.#prepared = new PreparedPolicy(policy);
    this.#auto = policy.auto.enabled ? new AutoPriority(policy.auto) : null;
    this.#spikes = policy.alerts.spike ? new Baseline({ sigma: policy.alerts.spike.sigma }) : null;
    this.#alerts = new AlertTracker(policy.alerts);
  }

  /** The policy in force. */
  get policy(): PolicyConfig {
    return this.#policy;
  }

  /**
   * Counts `bytes` already used in a quota rule's current period, or
   * `seconds` of a time budget, from history (a restart mid-period).
   */
  seed(deviceId: string, ruleId: string, used: number, nowMs: number): void {
    const rule = this.#policy.rules.find((r) => r.id === ruleId);
    if (!rule || (rule.action.kind !== "quota" && rule.action.kind !== "timeBudget")) {
      throw new RangeError(`no quota or time-budget rule "${ruleId}"`);
    }
    if (!(used >= 0)) throw new RangeError(`used must be >= 0, got ${used}`);
    const known = this.#known.get(deviceId);
    if (!known) throw new RangeError(`device ${deviceId} has not been seen yet`);
    const counters = rule.action.kind === "quota" ? known.quota : known.budget;
    const period = rule.action.kind === "quota" ? rule.action.period : "day";
    counters.set(ruleId, { period: periodStart(period, nowMs, this.#policy.timeZone), used });
    this.#dirty.add(known);
  }

  /**
   * The second ending at `timeMs` (epoch ms): `devices` had traffic in it
   * (devices without traffic need not be listed). Returns its decisions and
   * alert events.
   */
  second(timeMs: number, devices: readonly DeviceSecond[]): PolicyStep {
    if (!Number.isFinite(timeMs)) throw new RangeError(`timeMs must be finite, got ${timeMs}`);
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
      this.#count(known, d, timeMs, push);
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
      this.#nextBoundary = this.#boundaryAfter(timeMs);
    }
    const decisions: Decision[] = [];
    for (const known of this.#dirty) {
      const state = evaluateDevice(this.#prepared, this.#facts(known, timeMs), timeMs);
      for (const d of stateDecisions(known.state, state, timeMs)) decisions.push(d);
      known.state = state;
    }
    this.#dirty.clear();
    return { decisions, alerts };
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
        quota: new Map(),
        budget: new Map(),
        state: undefined,
      };
      this.#known.set(d.id, known);
      this.#byIndex[d.index] = known;
      this.#dirty.add(known);
      push(this.#alerts.newDevice(d.id, d.name, timeMs));
    } else if (known.labelled !== d.labelled || known.name !== d.name) {
      known.labelled = d.labelled, known.name = d.name;
      this.#dirty.add(known);
    }
    return known;
  }

  #forget(known: Known, timeMs: number, push: (e: readonly AlertEvent[]) => void): void {
    this.#known.delete(known.id);
    this.#auto?.forget(known.index);
    this.#spikes?.reset(known.index);
    push(this.#alerts.forget(known.id, timeMs));
  }

  /** Quota bytes and budget seconds of the second, for the rules about this device. */
  #count(known: Known, d: DeviceSecond, timeMs: number, push: (e: readonly AlertEvent[]) => void) {
    const tz = this.#policy.timeZone;
    for (const rule of this.#policy.rules) {
      const a = rule.action;
      if (a.kind !== "quota" && a.kind !== "timeBudget") continue;
      if (rule.apps || rule.categories) continue; // scoped counting needs per-app seconds
      // Matching needs only the id and label; building facts (and the auto reason) is for evaluation.
      if (rule.enabled === false || !this.#prepared.matches(rule, known)) {
        continue;
      }
      const quota = a.kind === "quota";
      const period = periodStart(quota ? a.period : "day", timeMs - 1, tz);
      const counters = quota ? known.quota : known.budget;
      let c = counters.get(rule.id);
      if (!c || c.period !== period) counters.set(rule.id, c = { period, used: 0 });
      const limit = quota ? a.bytes : a.seconds;
      const before = c.used;
      c.used += quota
        ? (a.direction === "down" ? d.down : a.direction === "up" ? d.up : d.down + d.up)
        : (d.down + d.up > 0 ? 1 : 0);
      if (before < limit && c.used >= limit) this.#dirty.add(known);
      push(
        quota
          ? this.#alerts.quota(known.id, known.name, rule.id, c.used, limit, period, timeMs)
          : this.#alerts.timeBudget(known.id, known.name, rule.id, c.used, limit, period, timeMs),
      );
    }
  }

  #facts(known: Known, timeMs: number): DeviceFacts {
    const quotaUsed: Record<string, number> = {}, budgetUsed: Record<string, number> = {};
    const tz = this.#policy.timeZone;
    for (const [id, c] of known.quota) {
      const rule = this.#rule(id);
      // From `timeMs` on, only the period holding it counts: at its start, a used-up quota lifts.
      if (
        rule?.action.kind === "quota" && c.period === periodStart(rule.action.period, timeMs, tz)
      ) {
        quotaUsed[id] = c.used;
      }
    }
    const today = periodStart("day", timeMs, tz);
    for (const [id, c] of known.budget) if (c.period === today) budgetUsed[id] = c.used;
    const facts: DeviceFacts = { id: known.id, labelled: known.labelled, quotaUsed, budgetUsed };
    if (this.#auto) {
      facts.auto = {
        priority: this.#auto.priority(known.index),
        reason: this.#auto.reason(known.index, (ms) => clockText(ms, tz)),
      };
    }
    return facts;
  }

  #rule(id: string): Rule | undefined {
    return this.#policy.rules.find((r) => r.id === id);
  }

  /** The next time any rule's schedule, manual window or quota period changes. */
  #boundaryAfter(timeMs: number): number {
    const tz = this.#policy.timeZone;
    let next = Infinity;
    for (const rule of this.#policy.rules) {
      if (rule.schedule) {
        next = Math.min(next, nextScheduleChange(rule.schedule, timeMs, tz) ?? Infinity);
      }
      for (const t of [rule.manual?.at, rule.manual?.until]) {
        if (t !== undefined && t > timeMs) next = Math.min(next, t);
      }
      if (rule.action.kind === "quota") {
        next = Math.min(next, periodEnd(rule.action.period, timeMs, tz));
      }
      if (rule.action.kind === "timeBudget") next = Math.min(next, periodEnd("day", timeMs, tz));
    }
    return next;
  }
}

/** "14:02:11" in the policy's time zone. */
function clockText(ms: number, tz: string): string {
  const t = localTime(ms, tz);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(t.hour)}:${two(t.minute)}:${two(t.second)}`;
}
