// What PolicyEngine derives from a policy when it is set or replaced: kept
// apart so that the engine's constructor and reconfigure() build the same.
import { AutoPriority } from "./auto_priority.ts";
import { Baseline } from "./baseline.ts";
import type { PolicyConfig } from "./policy_types.ts";
import { type Counter, counterPeriod, isCounting } from "./_usage_counters.ts";

/** Automatic priorities, if the policy turns them on. */
export function autoFor(policy: PolicyConfig): AutoPriority | null {
  return policy.auto.enabled ? new AutoPriority(policy.auto) : null;
}

/** The traffic baseline spike alerts compare with, if the policy has them. */
export function spikesFor(policy: PolicyConfig): Baseline | null {
  return policy.alerts.spike ? new Baseline({ sigma: policy.alerts.spike.sigma }) : null;
}

/** Whether a quota or budget counts some apps only: seconds must then come with their apps. */
export function needsApps(policy: PolicyConfig): boolean {
  return policy.rules.some((r) =>
    (r.action.kind === "quota" || r.action.kind === "timeBudget") &&
    (r.apps !== undefined || r.categories !== undefined)
  );
}

/** Settings compare as their JSON: plain data, written in the same order by parsePolicy. */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The counter PolicyEngine.seed() sets: `used` in the period of `ruleId` holding `nowMs`. */
export function seedCounter(
  policy: PolicyConfig,
  ruleId: string,
  used: number,
  nowMs: number,
): Counter {
  const rule = policy.rules.find((r) => r.id === ruleId);
  if (!rule || !isCounting(rule)) {
    throw new RangeError(`no quota or time-budget rule "${ruleId}"`);
  }
  if (!(used >= 0) || used === Infinity) {
    throw new RangeError(`used must be a number >= 0, got ${used}`);
  }
  return { period: counterPeriod(rule, nowMs, policy.timeZone), used };
}
