// Quota bytes and time-budget seconds per device and rule, in the rule's
// current period: what PolicyEngine counts each second, seeds from history
// after a restart, and hands to evaluation as facts.
import type { AlertEvent, AlertTracker } from "./alert_tracker.ts";
import type { PreparedPolicy } from "./evaluate.ts";
import type { Rule } from "./policy_types.ts";
import { periodStart } from "./zoned_time.ts";

/** Counted in one rule's period. */
export interface Counter {
  /** Start of the period counted (epoch ms). */
  period: number;
  used: number;
}

/** One app's bytes in a second. */
export interface AppSecond {
  app: string;
  category: string;
  down: number;
  up: number;
}

/** What counting needs of a device and its second. */
export interface CountedSecond {
  id: string;
  name: string;
  labelled: boolean;
  down: number;
  up: number;
  apps?: readonly AppSecond[];
}

/** A quota or time-budget rule's period for `timeMs`. */
export function counterPeriod(rule: Rule, timeMs: number, timeZone: string): number {
  const a = rule.action;
  const period = a.kind === "quota" ? a.period : "day";
  // Every device asks the same each second (its end, and just before): a time zone's
  // calendar costs microseconds, thousands of times a second.
  const at = `${period} ${timeMs & 1}`, hit = RECENT.get(at);
  if (hit && hit.ms === timeMs && hit.timeZone === timeZone) return hit.start;
  const start = periodStart(period, timeMs, timeZone);
  RECENT.set(at, { ms: timeMs, timeZone, start });
  return start;
}

/** The last answers of counterPeriod(), by period and the low bit of the time. */
const RECENT = new Map<string, { ms: number; timeZone: string; start: number }>();

/** Whether the rule counts: a quota or a time budget. */
export function isCounting(rule: Rule): boolean {
  return rule.action.kind === "quota" || rule.action.kind === "timeBudget";
}

/**
 * Counts the second ending at `timeMs` into the device's counters (by rule
 * id), raising quota and budget alerts. Returns whether a counter reached
 * its limit in it (the device needs evaluating).
 */
export function countSecond(
  prepared: PreparedPolicy,
  counters: Map<string, Counter>,
  d: CountedSecond,
  timeMs: number,
  alerts: AlertTracker,
  push: (events: readonly AlertEvent[]) => void,
): boolean {
  const tz = prepared.policy.timeZone;
  let crossed = false;
  for (const rule of prepared.policy.rules) {
    const a = rule.action;
    if (a.kind !== "quota" && a.kind !== "timeBudget") continue;
    if (rule.enabled === false || !prepared.matches(rule, d)) continue;
    // The second ends at timeMs: it belongs to the period holding its start.
    const period = counterPeriod(rule, timeMs - 1, tz);
    let c = counters.get(rule.id);
    if (!c || c.period !== period) counters.set(rule.id, c = { period, used: 0 });
    let down = d.down, up = d.up;
    if (rule.apps || rule.categories) [down, up] = scopedBytes(rule, d.apps);
    const before = c.used;
    if (a.kind === "quota") {
      c.used += a.direction === "down" ? down : a.direction === "up" ? up : down + up;
      if (before < a.bytes && c.used >= a.bytes) crossed = true;
      push(alerts.quota(d.id, d.name, rule.id, c.used, a.bytes, period, timeMs));
    } else {
      c.used += down + up > 0 ? 1 : 0;
      if (before < a.seconds && c.used >= a.seconds) crossed = true;
      push(alerts.timeBudget(d.id, d.name, rule.id, c.used, a.seconds, period, timeMs));
    }
  }
  return crossed;
}

/** Counters still in the period holding `timeMs`, as facts for evaluation. */
export function usedNow(
  prepared: PreparedPolicy,
  counters: ReadonlyMap<string, Counter>,
  timeMs: number,
): { quotaUsed: Record<string, number>; budgetUsed: Record<string, number> } {
  const quotaUsed: Record<string, number> = {}, budgetUsed: Record<string, number> = {};
  const tz = prepared.policy.timeZone;
  for (const [id, c] of counters) {
    const rule = prepared.policy.rules.find((r) => r.id === id);
    // From `timeMs` on, only the period holding it counts: at its start, a used-up quota lifts.
    if (!rule || !isCounting(rule) || c.period !== counterPeriod(rule, timeMs, tz)) continue;
    if (rule.action.kind === "quota") quotaUsed[id] = c.used;
    else budgetUsed[id] = c.used;
  }
  return { quotaUsed, budgetUsed };
}

/** The bytes of the apps or categories a rule is about, each way. */
function scopedBytes(rule: Rule, apps: readonly AppSecond[] | undefined): [number, number] {
  let down = 0, up = 0;
  for (const a of apps ?? []) {
    if (rule.apps?.includes(a.app) || rule.categories?.includes(a.category)) {
      down += a.down, up += a.up;
    }
  }
  return [down, up];
}
