/**
 * The evaluator: what one device should get, as a pure function of the
 * policy, what is known of the device, and the time.
 *
 * Precedence, highest first: a manual override, then a block, then the
 * standing and scheduled rules (limit, priority), then quotas and time
 * budgets that are used up, then the automatic priority, then the default
 * (not limited, Normal). Each setting (blocked, download limit, upload
 * limit, priority) is decided by the highest level with a rule in force
 * that sets it; rules at the same level combine strictly (a block wins, the
 * lower limit wins, the first-listed priority wins), except overrides: the
 * latest decides. Rules limited to apps or categories decide only for that
 * part of the device's traffic.
 *
 * @module
 */
import type {
  DeviceState,
  Enforcement,
  Level,
  PolicyConfig,
  Priority,
  Rule,
  RuleAction,
  ScopedState,
} from "./policy_types.ts";
import { describeSchedule, scheduleActive } from "./schedule.ts";
import { formatDuration, formatRate, formatSize } from "./units.ts";

/** What is known of one device at the time of evaluation. */
export interface DeviceFacts {
  id: string;
  /** Has a user label: registered, so not "unknown". */
  labelled: boolean;
  /** Bytes counted so far in each quota rule's current period, by rule id. */
  quotaUsed?: Readonly<Record<string, number>>;
  /** Seconds online today counted by each time-budget rule, by rule id. */
  budgetUsed?: Readonly<Record<string, number>>;
  /** The automatic class and why, when auto mode is on. */
  auto?: { priority: Priority; reason: string };
}

/** A policy made ready for evaluation: group membership looked up once. */
export class PreparedPolicy {
  readonly policy: PolicyConfig;
  readonly #groups = new Map<string, string[]>();

  constructor(policy: PolicyConfig) {
    this.policy = policy;
    for (const [group, ids] of Object.entries(policy.groups)) {
      for (const id of ids) {
        const list = this.#groups.get(id);
        if (list) list.push(group);
        else this.#groups.set(id, [group]);
      }
    }
  }

  /** The groups a device is in. */
  groupsOf(id: string): readonly string[] {
    return this.#groups.get(id) ?? [];
  }

  /** Whether the rule is about this device. */
  matches(rule: Rule, device: DeviceFacts): boolean {
    const d = rule.devices;
    if ("device" in d) return d.device === device.id;
    if ("group" in d) return this.groupsOf(device.id).includes(d.group);
    if ("all" in d) return true;
    return !device.labelled && this.groupsOf(device.id).length === 0;
  }

  /** Whether the rule is enabled, unexpired and inside its schedule at `nowMs`. */
  inForce(rule: Rule, nowMs: number): boolean {
    if (rule.enabled === false) return false;
    if (rule.manual && (nowMs < rule.manual.at || (rule.manual.until ?? Infinity) <= nowMs)) {
      return false;
    }
    return !rule.schedule || scheduleActive(rule.schedule, nowMs, this.policy.timeZone);
  }
}

/** A rule's effect now: its level, what it sets and why. */
interface Effect {
  level: Level;
  rule: Rule;
  action: RuleAction;
  reason: string;
}

const LEVEL_RANK: Record<Level, number> = {
  manual: 0,
  block: 1,
  schedule: 2,
  quota: 3,
  auto: 4,
  default: 5,
};

/**
 * The desired state of one device at `nowMs`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parsePolicy } from "./policy_config.ts";
 * const policy = new PreparedPolicy(parsePolicy({
 *   link: { down: "100Mbit", up: "20Mbit" },
 *   rules: [{ id: "cap", devices: { all: true }, action: { kind: "limit", down: "8Mbit" } }],
 * }));
 * const state = evaluateDevice(policy, { id: "mac:02:00:00:00:00:07", labelled: false }, 0);
 * assertEquals([state.down, state.up, state.level, state.ruleId], [1_000_000, null, "schedule", "cap"]);
 * ```
 */
export function evaluateDevice(
  prepared: PreparedPolicy,
  device: DeviceFacts,
  nowMs: number,
): DeviceState {
  const effects: Effect[] = [];
  const scoped: ScopedState[] = [];
  for (const rule of prepared.policy.rules) {
    if (!prepared.matches(rule, device) || !prepared.inForce(rule, nowMs)) continue;
    const effect = effectOf(rule, device);
    if (!effect) continue;
    if (rule.apps || rule.categories) scoped.push(scopedState(effect));
    else effects.push(effect);
  }
  // Manual overrides: the latest first. Otherwise config order within a level.
  effects.sort((a, b) =>
    LEVEL_RANK[a.level] - LEVEL_RANK[b.level] ||
    (a.level === "manual" ? (b.rule.manual?.at ?? 0) - (a.rule.manual?.at ?? 0) : 0)
  );
  const state = decide(latestOverrides(effects), device);
  state.scoped = state.blocked ? [] : scoped;
  return state;
}

/**
 * Of a device's overrides (sorted latest first) only the latest decides its
 * access (block, allow or limit) and the latest priority one its priority:
 * a newer override replaces an older, which shows again when it ends.
 */
function latestOverrides(effects: Effect[]): Effect[] {
  let access = false, priority = false;
  return effects.filter((e) => {
    if (e.level !== "manual") return true;
    const forPriority = e.action.kind === "priority";
    if (forPriority ? priority : access) return false;
    if (forPriority) priority = true;
    else access = true;
    return true;
  });
}

function effectOf(rule: Rule, device: DeviceFacts): Effect | null {
  const a = rule.action;
  const where = rule.schedule ? ` (${describeSchedule(rule.schedule)})` : "";
  if (rule.manual) {
    const until = rule.manual.until === undefined ? "" : ` until ${isoMinute(rule.manual.until)}`;
    const by = rule.manual.by ? ` by ${rule.manual.by}` : "";
    return { level: "manual", rule, action: a, reason: `manual ${describe(a)}${by}${until}` };
  }
  if (a.kind === "block") return { level: "block", rule, action: a, reason: `blocked${where}` };
  if (a.kind === "limit" || a.kind === "priority") {
    return { level: "schedule", rule, action: a, reason: `${describe(a)}${where}` };
  }
  if (a.kind === "quota") {
    const used = device.quotaUsed?.[rule.id] ?? 0;
    if (used < a.bytes) return null;
    const which = a.direction && a.direction !== "both" ? ` ${a.direction}` : "";
    return {
      level: "quota",
      rule,
      action: a.then,
      reason: `${describe(a.then)}: quota used, ${formatSize(used)} of ${formatSize(a.bytes)}` +
        `${which} this ${a.period}`,
    };
  }
  if (a.kind === "timeBudget") {
    const used = device.budgetUsed?.[rule.id] ?? 0;
    if (used < a.seconds) return null;
    return {
      level: "quota",
      rule,
      action: a.then,
      reason: `${describe(a.then)}: time budget used, ${formatDuration(used)} of ` +
        `${formatDuration(a.seconds)} online today`,
    };
  }
  return null; // "allow" outside a manual override is refused by parsePolicy
}

/** Each setting from the highest level that sets it. */
function decide(effects: readonly Effect[], device: DeviceFacts): DeviceState {
  const state: DeviceState = {
    id: device.id,
    blocked: false,
    down: null,
    up: null,
    priority: "normal",
    level: "default",
    ruleId: null,
    reason: "no rule applies",
    scoped: [],
  };
  let blockedAt = 9, downAt = 9, upAt = 9, priorityAt = 9;
  let decider: Effect | null = null, priorityRule: Effect | null = null;
  let deciderRank = 9;
  const consider = (e: Effect, weight: number) => {
    if (weight < deciderRank) [decider, deciderRank] = [e, weight];
  };
  for (const e of effects) {
    const rank = LEVEL_RANK[e.level], a = e.action;
    if (a.kind === "block" && rank <= blockedAt) {
      state.blocked = true, blockedAt = rank, consider(e, 0);
    } else if (a.kind === "allow") {
      if (rank < blockedAt) blockedAt = rank, consider(e, 0);
      if (rank < downAt) downAt = rank;
      if (rank < upAt) upAt = rank;
    } else if (a.kind === "limit") {
      if (a.down !== undefined && rank <= downAt) {
        state.down = rank === downAt && state.down !== null ? Math.min(state.down, a.down) : a.down;
        downAt = rank, consider(e, 1);
      }
      if (a.up !== undefined && rank <= upAt) {
        state.up = rank === upAt && state.up !== null ? Math.min(state.up, a.up) : a.up;
        upAt = rank, consider(e, 1);
      }
    } else if (a.kind === "priority" && rank < priorityAt) {
      state.priority = a.priority, priorityAt = rank, priorityRule = e, consider(e, 2);
    }
  }
  // A blocked device has no traffic to limit: its limits would only be noise in decisions.
  if (state.blocked) state.down = state.up = null;
  let priorityBy: DeviceState["priorityBy"] = undefined;
  if (device.auto && LEVEL_RANK.auto < priorityAt) {
    state.priority = device.auto.priority;
    if (deciderRank > 2) {
      return { ...state, level: "auto", reason: device.auto.reason };
    }
    priorityBy = { ruleId: null, reason: device.auto.reason };
  }
  const d = decider as Effect | null, p = priorityRule as Effect | null;
  if (d) {
    state.level = d.level, state.ruleId = d.rule.id;
    state.reason = ruleReason(d);
    if (p && p !== d) priorityBy = { ruleId: p.rule.id, reason: ruleReason(p) };
  }
  // The priority came from elsewhere than the rest: say where, for its decisions.
  if (priorityBy) state.priorityBy = priorityBy;
  return state;
}

/** "limited to 8 Mbit/s down (rule cap)". */
function ruleReason(e: Effect): string {
  return `${e.reason} (rule ${e.rule.id})`;
}

function scopedState(e: Effect): ScopedState {
  const one = decide([e], { id: "", labelled: true });
  const out: ScopedState = {
    blocked: one.blocked,
    down: one.down,
    up: one.up,
    priority: one.priority,
    level: e.level,
    ruleId: e.rule.id,
    reason: ruleReason(e),
  };
  if (e.rule.apps) out.apps = e.rule.apps;
  if (e.rule.categories) out.categories = e.rule.categories;
  return out;
}

/** An action in words: "limited to 8 Mbit/s down", "blocked", "Low priority". */
export function describe(a: RuleAction): string {
  switch (a.kind) {
    case "block":
      return "blocked";
    case "allow":
      return "allowed through";
    case "priority":
      return `${priorityText(a.priority)} priority`;
    case "limit":
      return `limited to ${limitText(a.down ?? null, a.up ?? null)}`;
    case "quota":
      return `quota of ${formatSize(a.bytes)} a ${a.period}`;
    case "timeBudget":
      return `time budget of ${formatDuration(a.seconds)} a day`;
  }
}

/** Limits in words: "8 Mbit/s down, 1 Mbit/s up", or "none". */
export function limitText(down: number | null, up: number | null): string {
  const sides = [
    down !== null ? `${formatRate(down)} down` : "",
    up !== null ? `${formatRate(up)} up` : "",
  ].filter(Boolean);
  return sides.length ? sides.join(", ") : "none";
}

/** A priority in words: "High", "Normal", "Low". */
export function priorityText(p: Priority): string {
  return p[0].toUpperCase() + p.slice(1);
}

/** Whether two enforcements are the same. */
export function sameEnforcement(a: Enforcement, b: Enforcement): boolean {
  return a.blocked === b.blocked && a.down === b.down && a.up === b.up &&
    a.priority === b.priority;
}

function isoMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}
