/**
 * Reading a policy: the JSON a user writes (or the API receives) checked
 * field by field, figures in units turned into numbers, and defaults filled
 * in. A policy with any problem is refused whole, with every problem named
 * by its path, so nothing is ever half-applied.
 *
 * @module
 */
import { policySchema, schemaIssue } from "./_config_schema.ts";
import type { PolicyConfig, Rule } from "./policy_types.ts";
import { checkRule } from "./_rule_check.ts";
import { checkTimeZone } from "./zoned_time.ts";

/** One problem: where (`rules[2].action.down`) and what. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/**
 * A policy that cannot be used; `issues` lists every problem, `message` is
 * the first in one line (callers show it, or all of them as field errors).
 */
export class PolicyConfigError extends Error {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
    super(`${first.path || "policy"}: ${first.message}${more}`);
    this.name = "PolicyConfigError";
    this.issues = issues;
  }
}

/**
 * Checks and converts a policy. Throws {@linkcode PolicyConfigError}.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * const policy = parsePolicy({
 *   link: { down: "100Mbit", up: "20Mbit" },
 *   rules: [{ id: "tv-cap", devices: { device: "mac:02:00:00:00:00:07" },
 *     action: { kind: "limit", down: "8Mbit" } }],
 * });
 * assertEquals(policy.link.down, 12_500_000);
 * assertEquals(policy.rules[0].action, { kind: "limit", down: 1_000_000 });
 * const err = assertThrows(() => parsePolicy({ link: { down: "fast", up: 1 } }), PolicyConfigError);
 * assertEquals(err.issues[0].path, "link.down");
 * ```
 */
export function parsePolicy(value: unknown): PolicyConfig {
  const parsed = policySchema.safeParse(value);
  if (!parsed.success) throw new PolicyConfigError(parsed.error.issues.map(schemaIssue));
  const input = parsed.data;
  const issues: ConfigIssue[] = [];
  try {
    checkTimeZone(input.timeZone);
  } catch (err) {
    issues.push({ path: "timeZone", message: (err as Error).message });
  }
  const shares = input.shares.high + input.shares.normal + input.shares.low;
  if (shares > 1 + 1e-9) {
    issues.push({ path: "shares", message: `must add up to at most 1, got ${round(shares)}` });
  }
  const down = input.link.down;
  const auto = {
    ...input.auto,
    lowAbove: input.auto.lowAbove ?? down * 0.3,
    highBelow: input.auto.highBelow ?? down * 0.02,
  };
  if (!(auto.highBelow < auto.lowAbove)) {
    issues.push({ path: "auto.highBelow", message: "must be below auto.lowAbove" });
  }
  const seen = new Map<string, number>();
  input.rules.forEach((rule, i) => {
    const at = `rules[${i}]`;
    const before = seen.get(rule.id);
    if (before !== undefined) {
      issues.push({ path: `${at}.id`, message: `"${rule.id}" is also the id of rules[${before}]` });
    }
    seen.set(rule.id, i);
    issues.push(...checkRule(rule, at, input.groups));
  });
  if (issues.length > 0) throw new PolicyConfigError(issues);
  const { sustained, spike } = input.alerts;
  return {
    timeZone: input.timeZone,
    link: input.link,
    shares: input.shares,
    groups: input.groups,
    rules: input.rules as Rule[],
    auto,
    alerts: {
      sustained: sustained === null
        ? null
        : sustained
        ? { rate: sustained.rate, seconds: sustained.for }
        : { rate: down * 0.8, seconds: 300 },
      spike: spike === null
        ? null
        : { sigma: spike?.sigma ?? 3, minRate: spike?.minRate ?? down * 0.1 },
      quotaWarnAt: input.alerts.quotaWarnAt,
      offlineAfter: input.alerts.offlineAfter,
      cooldown: input.alerts.cooldown,
    },
    webhooks: input.webhooks,
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
