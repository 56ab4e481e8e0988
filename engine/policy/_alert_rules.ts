// Quota and time-budget alerts: each raised once per period per device and
// rule, active while its condition holds, ended by a report naming a new
// period. No cooldown applies: the period is their limit.
import { ALERT_KINDS, type AlertKind } from "./policy_types.ts";
import type { AlertState, RuleState } from "./_alert_state.ts";
import type { AlertBook } from "./_alert_book.ts";

const kind = (k: AlertKind): number => ALERT_KINDS.indexOf(k);
const WARNING = kind("quota_warning"), REACHED = kind("quota_reached");
const BUDGET = kind("time_budget_used");

function quotaFigures(alert: AlertState, used: number, quota: number, fraction: number): void {
  alert.figures.used = used;
  alert.figures.quota = quota;
  alert.figures.fraction = fraction;
}

/** Quota progress of slot `i` under rule state `r`. */
export function quotaProgress(
  book: AlertBook,
  i: number,
  ruleId: string,
  r: RuleState,
  used: number,
  quota: number,
  warnAt: number,
  periodStartMs: number,
  timeMs: number,
): void {
  if (r.quotaPeriod !== periodStartMs) {
    r.warning = book.close(r.warning, timeMs);
    r.reached = book.close(r.reached, timeMs);
    r.warnRaised = r.reachedRaised = false;
    r.quotaPeriod = periodStartMs;
  }
  const fraction = used / quota;
  if (r.reached !== null) {
    quotaFigures(r.reached, used, quota, fraction);
    if (fraction < 1) r.reached = book.close(r.reached, timeMs);
  } else if (fraction >= 1 && !r.reachedRaised) {
    // Reaching the quota in one step raises only quota_reached: the warning would come too late.
    r.reachedRaised = r.warnRaised = true;
    r.reached = book.open(i, REACHED, ruleId, { used, quota, fraction }, timeMs);
  }
  if (r.warning !== null) {
    quotaFigures(r.warning, used, quota, fraction);
    if (fraction < warnAt) r.warning = book.close(r.warning, timeMs);
  } else if (fraction >= warnAt && !r.warnRaised) {
    r.warnRaised = true;
    r.warning = book.open(i, WARNING, ruleId, { used, quota, fraction }, timeMs);
  }
}

/** Time-budget use (seconds) of slot `i` under rule state `r`. */
export function budgetProgress(
  book: AlertBook,
  i: number,
  ruleId: string,
  r: RuleState,
  used: number,
  budget: number,
  periodStartMs: number,
  timeMs: number,
): void {
  if (r.budgetPeriod !== periodStartMs) {
    r.budget = book.close(r.budget, timeMs);
    r.budgetRaised = false;
    r.budgetPeriod = periodStartMs;
  }
  if (r.budget !== null) {
    r.budget.figures.used = used;
    r.budget.figures.budget = budget;
    if (used < budget) r.budget = book.close(r.budget, timeMs);
  } else if (used >= budget && !r.budgetRaised) {
    r.budgetRaised = true;
    r.budget = book.open(i, BUDGET, ruleId, { used, budget }, timeMs);
  }
}
