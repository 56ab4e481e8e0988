// Checks of one rule beyond its shape, shared by policy files and the
// manual overrides set while running.
import type { RuleInput } from "./_config_schema.ts";
import { checkSchedule } from "./schedule.ts";

/** What a manual override may do: what a person means by "pause" or "let through". */
export const OVERRIDE_KINDS = ["block", "limit", "priority", "allow"] as const;

/** Rule ids with this prefix are kept for overrides set while running. */
export const OVERRIDE_ID_PREFIX = "manual-";

/**
 * The rule's problems, with paths under `at` ("rules[2]", or "" for none).
 * `groups` are the policy's; without them, group names are not checked.
 */
export function checkRule(
  rule: RuleInput,
  at: string,
  groups?: Readonly<Record<string, unknown>>,
): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const field = (name: string) => at ? `${at}.${name}` : name;
  if (groups && "group" in rule.devices && !(rule.devices.group in groups)) {
    issues.push({ path: field("devices.group"), message: `no group "${rule.devices.group}"` });
  }
  if (rule.schedule) issues.push(...checkSchedule(rule.schedule, field("schedule")));
  if (rule.manual) {
    if (rule.manual.until !== undefined && rule.manual.until <= rule.manual.at) {
      issues.push({ path: field("manual.until"), message: "must be after manual.at" });
    }
    if (!(OVERRIDE_KINDS as readonly string[]).includes(rule.action.kind)) {
      issues.push({
        path: field("action.kind"),
        message: `a manual override is ${OVERRIDE_KINDS.join(", ")}; got "${rule.action.kind}"`,
      });
    }
  } else {
    if (rule.action.kind === "allow") {
      issues.push({ path: field("action.kind"), message: '"allow" is for manual overrides only' });
    }
    if (rule.id.startsWith(OVERRIDE_ID_PREFIX)) {
      issues.push({
        path: field("id"),
        message: `ids starting "${OVERRIDE_ID_PREFIX}" are kept for overrides set while running`,
      });
    }
  }
  return issues;
}
