// Starts a policy engine where the last run left off: devices already in
// history are not "new", quotas count what history says was used in their
// current period, and time budgets what the last run saved.
import {
  DeviceStore,
  MINUTE_MS,
  PolicyStateStore,
  type UsageHistory,
  type UsageRecord,
} from "../engine/history/mod.ts";
import { periodStart, type PolicyEngine, PreparedPolicy, type Rule } from "../engine/policy/mod.ts";

/** What seeding found, for the start-up line. */
export interface SeedSummary {
  familiar: number;
  quotas: number;
  budgets: number;
}

/**
 * Seeds `engine` at `nowMs` from the KV store: `history` must be open.
 * `categoryOf` maps an app id to its category, for quotas of some categories.
 */
export async function seedPolicy(
  engine: PolicyEngine,
  kv: Deno.Kv,
  history: UsageHistory,
  nowMs: number,
  categoryOf: (app: string) => string | null,
): Promise<SeedSummary> {
  const summary: SeedSummary = { familiar: 0, quotas: 0, budgets: 0 };
  const known = await new DeviceStore(kv).list();
  for (const id of known.keys()) {
    engine.familiar(id);
    summary.familiar++;
  }
  // Only the devices a rule is about: as it will match them (labels decide "unknown").
  const prepared = new PreparedPolicy(engine.policy);
  const about = (rule: Rule, id: string) =>
    prepared.matches(rule, { id, labelled: (known.get(id)?.label ?? null) !== null });
  const tz = engine.policy.timeZone, toMs = nowMs - (nowMs % MINUTE_MS);
  for (const rule of engine.policy.rules) {
    const a = rule.action;
    if (a.kind !== "quota" || rule.enabled === false) continue;
    const fromMs = periodStart(a.period, nowMs, tz);
    if (fromMs % MINUTE_MS !== 0 || fromMs >= toMs) continue; // the period has just begun
    const usage = await history.usage(fromMs, toMs);
    for (const [deviceId, record] of Object.entries(usage.devices)) {
      if (!about(rule, deviceId)) continue;
      const used = quotaBytes(rule, record, categoryOf);
      if (used > 0) engine.seed(deviceId, rule.id, used, nowMs), summary.quotas++;
    }
  }
  const budgets = new Map(
    engine.policy.rules.filter((r) => r.action.kind === "timeBudget" && r.enabled !== false)
      .map((r) => [r.id, r]),
  );
  const today = periodStart("day", nowMs, tz);
  for (const [deviceId, stored] of await new PolicyStateStore(kv).counters()) {
    for (const [ruleId, c] of Object.entries(stored.counters)) {
      const rule = budgets.get(ruleId);
      if (!rule || c.period !== today || !about(rule, deviceId)) continue;
      if (!(c.used >= 0) || c.used === Infinity) continue; // a damaged record counts nothing
      engine.seed(deviceId, ruleId, c.used, nowMs);
      summary.budgets++;
    }
  }
  return summary;
}

/** The bytes of a device's record that a quota rule counts. */
function quotaBytes(
  rule: Rule,
  record: UsageRecord,
  categoryOf: (app: string) => string | null,
): number {
  const a = rule.action;
  if (a.kind !== "quota") return 0;
  let up = record.up, down = record.down;
  if (rule.apps || rule.categories) {
    up = down = 0;
    for (const [app, [u, d]] of Object.entries(record.apps)) {
      const category = categoryOf(app);
      if (rule.apps?.includes(app) || (category !== null && rule.categories?.includes(category))) {
        up += u, down += d;
      }
    }
  }
  return a.direction === "down" ? down : a.direction === "up" ? up : up + down;
}
