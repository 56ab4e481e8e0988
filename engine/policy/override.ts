/**
 * Manual overrides: rules a person sets while Sluice runs ("pause the
 * tablet for an hour", "let the TV through tonight"), from the command line
 * or the web UI. They are rules with `manual` set: they outrank every other
 * rule, may expire, and are block, limit, priority or allow.
 *
 * @module
 */
import { ruleSchema, schemaIssue } from "./_config_schema.ts";
import { checkRule } from "./_rule_check.ts";
import { type ConfigIssue, PolicyConfigError } from "./policy_config.ts";
import type { PolicyConfig, Rule } from "./policy_types.ts";

export { OVERRIDE_ID_PREFIX, OVERRIDE_KINDS } from "./_rule_check.ts";

/**
 * Checks one override as written (figures in units or numbers) and returns
 * it as a rule. Throws {@linkcode PolicyConfigError} naming each bad field.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * const pause = parseOverride({
 *   id: "manual-1", devices: { device: "mac:02:00:00:00:00:07" },
 *   action: { kind: "limit", down: "2Mbit" },
 *   manual: { at: 1_700_000_000_000, until: 1_700_003_600_000, by: "alice" },
 * });
 * assertEquals(pause.action, { kind: "limit", down: 250_000 });
 * const err = assertThrows(() => parseOverride({ ...pause, manual: undefined }), PolicyConfigError);
 * assertEquals(err.issues[0].path, "manual");
 * ```
 */
export function parseOverride(value: unknown): Rule {
  const parsed = ruleSchema.safeParse(value);
  if (!parsed.success) throw new PolicyConfigError(parsed.error.issues.map(schemaIssue));
  const rule = parsed.data;
  if (!rule.manual) {
    throw new PolicyConfigError([{ path: "manual", message: "is required for an override" }]);
  }
  // Groups are the policy's: withOverrides checks them against it.
  const issues = checkRule(rule, "");
  if (issues.length > 0) throw new PolicyConfigError(issues);
  return rule as Rule;
}

/** What {@linkcode withOverrides} gives: the policy with the overrides that fit, and why others did not. */
export interface WithOverrides {
  policy: PolicyConfig;
  /** Paths name the override by its id: `manual-3.devices.group`. */
  refused: ConfigIssue[];
}

/**
 * The policy's own rules followed by the overrides that fit it. An
 * override is refused whole (and named in `refused`) when it is not a
 * valid override, its id is taken by another rule, or it names a group the
 * policy lacks; the others apply.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parsePolicy } from "./policy_config.ts";
 * const policy = parsePolicy({ link: { down: "100Mbit", up: "20Mbit" } });
 * const pause = { id: "manual-1", devices: { group: "kids" }, action: { kind: "block" },
 *   manual: { at: 0 } } as const;
 * const { refused } = withOverrides(policy, [pause]);
 * assertEquals(refused, [{ path: "manual-1.devices.group", message: 'no group "kids"' }]);
 * ```
 */
export function withOverrides(policy: PolicyConfig, overrides: readonly Rule[]): WithOverrides {
  const ids = new Set(policy.rules.map((r) => r.id));
  const rules = [...policy.rules], refused: ConfigIssue[] = [];
  for (const override of overrides) {
    const name = typeof override?.id === "string" ? override.id : "override";
    let issues: ConfigIssue[];
    try {
      const rule = parseOverride(override);
      issues = [];
      if ("group" in rule.devices && !(rule.devices.group in policy.groups)) {
        issues.push({ path: "devices.group", message: `no group "${rule.devices.group}"` });
      }
      if (ids.has(rule.id)) issues.push({ path: "id", message: "is taken by another rule" });
      if (issues.length === 0) {
        ids.add(rule.id);
        rules.push(rule);
        continue;
      }
    } catch (err) {
      if (!(err instanceof PolicyConfigError)) throw err;
      issues = err.issues;
    }
    for (const i of issues) refused.push({ path: `${name}.${i.path}`, message: i.message });
  }
  return { policy: { ...policy, rules }, refused };
}
