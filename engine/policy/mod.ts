/**
 * The policy engine: rules, automatic priorities, quotas, time budgets,
 * schedules and alerts turned into each device's desired state, every
 * change a {@linkcode Decision} with its reason in figures. Pure: time comes
 * only from the seconds it is fed.
 *
 * - {@linkcode parsePolicy} checks a policy file's JSON field by field.
 * - {@linkcode PolicyEngine} decides second by second; {@linkcode PolicyFeed}
 *   feeds it from a `Monitor`; {@linkcode PolicyEngine.setOverrides} takes
 *   manual overrides ({@linkcode parseOverride}) while it runs.
 * - {@linkcode evaluateDevice} is the pure evaluator (precedence: manual >
 *   block > schedule > quota > auto > default).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parsePolicy, PolicyEngine } from "./mod.ts";
 * const engine = new PolicyEngine(parsePolicy({
 *   link: { down: "100Mbit", up: "20Mbit" }, auto: { enabled: false },
 *   rules: [{ id: "night", devices: { all: true }, action: { kind: "block" } }],
 * }));
 * const phone = { index: 0, id: "mac:02:00:00:00:00:05", name: "phone", labelled: false, down: 1, up: 1 };
 * assertEquals(engine.second(1000, [phone]).decisions[0].kind, "block");
 * ```
 *
 * @module
 */
export { type ConfigIssue, parsePolicy, PolicyConfigError } from "./policy_config.ts";
export * from "./policy_types.ts";
export {
  OVERRIDE_ID_PREFIX,
  OVERRIDE_KINDS,
  parseOverride,
  type WithOverrides,
  withOverrides,
} from "./override.ts";
export {
  type AppSecond,
  type Counter,
  type DeviceSecond,
  PolicyEngine,
  type PolicyStep,
} from "./policy_engine.ts";
export { PolicyFeed, type PolicyFeedOptions } from "./policy_feed.ts";
export { type Alert, type AlertEvent, AlertTracker } from "./alert_tracker.ts";
export {
  describe,
  type DeviceFacts,
  evaluateDevice,
  limitText,
  PreparedPolicy,
  priorityText,
} from "./evaluate.ts";
export { stateDecisions } from "./decisions.ts";
export {
  formatDuration,
  formatRate,
  formatSize,
  parseDuration,
  parseRate,
  parseSize,
} from "./units.ts";
export { periodEnd, periodStart } from "./zoned_time.ts";
