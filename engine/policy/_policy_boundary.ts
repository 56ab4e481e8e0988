// When a policy's verdicts can change with no traffic at all: a schedule
// opens or closes, a manual override starts or expires, a quota period or
// a budget's day ends. PolicyEngine re-evaluates every device then.
import type { PolicyConfig } from "./policy_types.ts";
import { nextScheduleChange } from "./schedule.ts";
import { periodEnd } from "./zoned_time.ts";

/** The first such time after `timeMs` (epoch ms); Infinity when none comes. */
export function nextBoundary(policy: PolicyConfig, timeMs: number): number {
  const tz = policy.timeZone;
  let next = Infinity;
  for (const rule of policy.rules) {
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
