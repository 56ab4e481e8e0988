/**
 * The policy engine's vocabulary, as plain data: rules and what they match,
 * the configuration they live in, what is measured of each device, and the
 * desired state and decisions that come out. Rates are bytes per second,
 * sizes bytes, times epoch milliseconds unless a name says otherwise.
 *
 * @module
 */

/** Priority classes, highest first. */
export const PRIORITIES = ["high", "normal", "low"] as const;
/** A priority class. */
export type Priority = typeof PRIORITIES[number];

/** Days of the week as schedules name them, Monday first (ISO 8601). */
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
/** A day of the week. */
export type Weekday = typeof WEEKDAYS[number];

/** Calendar periods a quota counts over, in the configured time zone. */
export const QUOTA_PERIODS = ["hour", "day", "week", "month"] as const;
/** A quota period. */
export type QuotaPeriod = typeof QUOTA_PERIODS[number];

/**
 * Which devices a rule is about: one device by id, a named group, every
 * device, or the unknown ones (no label and in no group: new, unregistered
 * devices).
 */
export type DeviceSelector =
  | { device: string }
  | { group: string }
  | { all: true }
  | { unknown: true };

/**
 * When a rule is in force: on these days, from `from` until `to` (local
 * "HH:MM" in the configured time zone). A window whose `to` is not after its
 * `from` runs past midnight into the next day, and belongs to the day it starts.
 */
export interface ScheduleWindow {
  days: Weekday[];
  from: string;
  to: string;
}

/** Rate limits, each way; an absent side is not limited. */
export interface LimitAction {
  kind: "limit";
  down?: number;
  up?: number;
}

/** No traffic at all. */
export interface BlockAction {
  kind: "block";
}

/** A priority class for the device's (or the matched apps') traffic. */
export interface PriorityAction {
  kind: "priority";
  priority: Priority;
}

/** Lifts every limit and block: for manual overrides ("let this device through"). */
export interface AllowAction {
  kind: "allow";
}

/** After `bytes` in the period, `then` applies until the period resets. */
export interface QuotaAction {
  kind: "quota";
  bytes: number;
  period: QuotaPeriod;
  /** Which bytes count (default both ways). */
  direction?: "both" | "down" | "up";
  then: LimitAction | BlockAction;
}

/** After `seconds` online in a local day, `then` applies until midnight. */
export interface TimeBudgetAction {
  kind: "timeBudget";
  seconds: number;
  then: LimitAction | BlockAction;
}

/** What a rule does. */
export type RuleAction =
  | LimitAction
  | BlockAction
  | PriorityAction
  | AllowAction
  | QuotaAction
  | TimeBudgetAction;

/** A manual override's origin and optional expiry (epoch ms). */
export interface ManualInfo {
  at: number;
  until?: number;
  by?: string;
}

/** One rule. */
export interface Rule {
  /** Unique within the configuration: events and explanations name it. */
  id: string;
  name?: string;
  /** Default true. */
  enabled?: boolean;
  devices: DeviceSelector;
  /** Only these apps' traffic (catalogue ids), or these categories'. */
  apps?: string[];
  categories?: string[];
  /** In force only within these windows; always when absent. */
  schedule?: ScheduleWindow[];
  action: RuleAction;
  /** Set for manual overrides (from the UI or CLI): they outrank every other rule. */
  manual?: ManualInfo;
}

/** Automatic priorities from each device's recent usage. */
export interface AutoConfig {
  enabled: boolean;
  /** Samples in the sliding window (one sample a second); default 10. */
  window: number;
  /** A device whose window average (down + up) is above this is Low. */
  lowAbove: number;
  /** ... and below this is High; between the two, Normal. */
  highBelow: number;
  /** Consecutive samples that must agree before a class changes; default 3. */
  confirm: number;
  /**
   * Hysteresis band, a fraction of each threshold (default 0.2): Low holds
   * until the average falls to (1 - band) x lowAbove, High until it rises to
   * (1 + band) x highBelow. Without it, an average hovering at a threshold
   * flaps even with `confirm` samples (overlapping windows agree easily).
   */
  band: number;
  /** A sample above mean + `spikeSigma` standard deviations of the device's baseline is a spike. */
  spikeSigma: number;
  /** Categories whose traffic keeps High priority whatever the device's class. */
  latencySensitive: string[];
}

/** Alert kinds. */
export const ALERT_KINDS = [
  "sustained_rate",
  "spike",
  "quota_warning",
  "quota_reached",
  "time_budget_used",
  "new_device",
  "device_offline",
  "device_back",
  "shaper_failed",
] as const;
/** An alert kind. */
export type AlertKind = typeof ALERT_KINDS[number];

/** Alert severities, most severe last. */
export const SEVERITIES = ["info", "warning", "critical"] as const;
/** An alert severity. */
export type Severity = typeof SEVERITIES[number];

/** Which alerts are raised, and how often. */
export interface AlertConfig {
  /** A device above `rate` (down + up) for `seconds` in a row; null: off. */
  sustained: { rate: number; seconds: number } | null;
  /** Spikes against the device's own baseline; also needs the sample above `minRate`. */
  spike: { sigma: number; minRate: number } | null;
  /** The fraction of a quota that warns (default 0.8). */
  quotaWarnAt: number;
  /** Seconds without traffic before a device is offline (default 300). */
  offlineAfter: number;
  /** Seconds after an alert ends before the same alert may start again (default 600). */
  cooldown: number;
}

/** A JSON POST to a user URL for some alert kinds. */
export interface WebhookConfig {
  url: string;
  /** Kinds sent; all when absent. */
  kinds?: AlertKind[];
  /** Signs each body: `X-Sluice-Signature: sha256=<hex HMAC-SHA256>`. */
  secret?: string;
}

/** The whole policy, validated. */
export interface PolicyConfig {
  /** IANA time zone for schedules, quota periods and budgets; default "UTC". */
  timeZone: string;
  /** Link capacity, bytes per second each way. */
  link: { down: number; up: number };
  /** Guaranteed share of the link per priority class (fractions summing to at most 1). */
  shares: Record<Priority, number>;
  /** Named groups of device ids. */
  groups: Record<string, string[]>;
  rules: Rule[];
  auto: AutoConfig;
  alerts: AlertConfig;
  webhooks: WebhookConfig[];
}

/** Where a device's state came from, in precedence order (first wins). */
export const LEVELS = ["manual", "block", "schedule", "quota", "auto", "default"] as const;
/** A precedence level. */
export type Level = typeof LEVELS[number];

/** What the shaper should enforce for one device (or one device's apps). */
export interface Enforcement {
  blocked: boolean;
  /** Bytes per second; null: not limited. */
  down: number | null;
  up: number | null;
  priority: Priority;
}

/** The desired state of one device, with where it came from. */
export interface DeviceState extends Enforcement {
  id: string;
  level: Level;
  /** The rule that decided it, if one did. */
  ruleId: string | null;
  /** In words and figures. */
  reason: string;
  /**
   * Where the priority came from, when not from what `ruleId` and `reason`
   * say (a limit rule decided the rest, the automatic class the priority);
   * absent otherwise.
   */
  priorityBy?: { ruleId: string | null; reason: string };
  /** Narrower states for some apps or categories of its traffic. */
  scoped: ScopedState[];
}

/** A state for part of a device's traffic. */
export interface ScopedState extends Enforcement {
  apps?: string[];
  categories?: string[];
  level: Level;
  ruleId: string | null;
  reason: string;
}

/** A change in a device's desired state, with its reason: an event. */
export interface Decision {
  /** Engine time, epoch ms. */
  time: number;
  device: string;
  kind: "priority" | "limit" | "unlimit" | "block" | "unblock";
  from: string;
  to: string;
  ruleId: string | null;
  reason: string;
  /** For a rule about some apps or categories: the part of the traffic decided. */
  apps?: string[];
  categories?: string[];
}

/**
 * What the shaper is to enforce: the link and its shares per class, every
 * decided device's state, and the traffic that keeps High priority whatever
 * its device's class (the shaper always adds DNS, NTP, SSH and ICMP).
 */
export interface DesiredState {
  link: { down: number; up: number };
  shares: Record<Priority, number>;
  /** Categories whose traffic stays in the High class (auto.latencySensitive). */
  latencySensitive: string[];
  devices: DeviceState[];
}
