// Alerts as plain data, and as the tracker keeps them while active (mutable,
// figures refreshed in place). Snapshots are copied out for events, so an
// event already queued for a webhook never changes after.
import type { AlertKind, Severity } from "./policy_types.ts";
import { alertMessage } from "./_alert_text.ts";

/** An alert, as plain data. Rates are bytes per second, sizes bytes, times epoch ms. */
export interface Alert {
  /** `kind/device/start`; `kind/device/rule/start` for quotas and budgets; "link" for no device. */
  id: string;
  kind: AlertKind;
  severity: Severity;
  /** The device's id; null for the link as a whole. */
  device: string | null;
  /** The device's display name when the alert started ("" for the link). */
  name: string;
  /** The quota or time-budget rule; null for other kinds. */
  ruleId: string | null;
  /** Figures by kind: see `AlertTracker`. */
  figures: Record<string, number | string>;
  /** One line in words and figures. */
  message: string;
  start: number;
  /** Null while active; instant alerts (new_device, device_back) end as they start. */
  end: number | null;
  /** Occurrences merged into it, 1 at start. */
  count: number;
  /** Occurrences held back by the cooldown before it started. */
  suppressed: number;
}

/** An alert starting, changing or ending; `alert` is a copy that never changes after. */
export interface AlertEvent {
  type: "started" | "updated" | "ended";
  alert: Alert;
}

/** The severity of each kind. */
export const ALERT_SEVERITY: Readonly<Record<AlertKind, Severity>> = Object.freeze({
  sustained_rate: "warning",
  spike: "info",
  quota_warning: "warning",
  quota_reached: "critical",
  time_budget_used: "warning",
  new_device: "info",
  device_offline: "info",
  device_back: "info",
  shaper_failed: "critical",
});

/** A tracked alert: the public fields, less the message, plus bookkeeping. */
export interface AlertState extends Omit<Alert, "message"> {
  /** The device's slot and the kind's index, to find its tables again. */
  slot: number;
  k: number;
  /** When the last event about it was emitted, for throttling "updated". */
  lastEmit: number;
}

/** A copy of `s` with its message, safe to hand out. */
export function snapshot(s: AlertState): Alert {
  return {
    id: s.id,
    kind: s.kind,
    severity: s.severity,
    device: s.device,
    name: s.name,
    ruleId: s.ruleId,
    figures: { ...s.figures },
    message: alertMessage(s.kind, s.name, s.ruleId, s.figures, s.count),
    start: s.start,
    end: s.end,
    count: s.count,
    suppressed: s.suppressed,
  };
}

/**
 * `kind/device/start` or `kind/device/rule/start`, "link" for no device.
 * Device ids never hold "/", so the id reads back unambiguously.
 */
export function alertId(
  kind: AlertKind,
  device: string | null,
  ruleId: string | null,
  start: number,
): string {
  return ruleId === null
    ? `${kind}/${device ?? "link"}/${start}`
    : `${kind}/${device ?? "link"}/${ruleId}/${start}`;
}

/** Quota and time-budget alerts of one device and rule, each once per period. */
export interface RuleState {
  quotaPeriod: number;
  warnRaised: boolean;
  reachedRaised: boolean;
  warning: AlertState | null;
  reached: AlertState | null;
  budgetPeriod: number;
  budgetRaised: boolean;
  budget: AlertState | null;
}

/** A fresh rule state, no period seen yet. */
export function newRuleState(): RuleState {
  return {
    quotaPeriod: NaN,
    warnRaised: false,
    reachedRaised: false,
    warning: null,
    reached: null,
    budgetPeriod: NaN,
    budgetRaised: false,
    budget: null,
  };
}
