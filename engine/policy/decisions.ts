/**
 * Decisions: the changes between a device's previous and new desired state,
 * each with the reason the new state gives. These are what the event log
 * records and `sluice explain` shows.
 *
 * @module
 */
import type { Decision, DeviceState, Enforcement, ScopedState } from "./policy_types.ts";
import { limitText, priorityText } from "./evaluate.ts";

const DEFAULT: Enforcement = {
  blocked: false,
  down: null,
  up: null,
  priority: "normal",
};

/**
 * The decisions that take a device from `before` (undefined: never decided,
 * so the default state) to `after`, at `timeMs`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const after = {
 *   id: "mac:02:00:00:00:00:07", blocked: false, down: 1_000_000, up: null,
 *   priority: "normal" as const, level: "schedule" as const, ruleId: "cap",
 *   reason: "limited to 8 Mbit/s down (rule cap)", scoped: [],
 * };
 * assertEquals(stateDecisions(undefined, after, 5000), [{
 *   time: 5000, device: "mac:02:00:00:00:00:07", kind: "limit", from: "none",
 *   to: "8 Mbit/s down", ruleId: "cap", reason: "limited to 8 Mbit/s down (rule cap)",
 * }]);
 * ```
 */
export function stateDecisions(
  before: DeviceState | undefined,
  after: DeviceState,
  timeMs: number,
): Decision[] {
  const out = changes(before ?? DEFAULT, after, after.id, timeMs);
  // Rules about some apps or categories: each scope's state changes on its own.
  const scopes = new Map<string, [ScopedState | undefined, ScopedState | undefined]>();
  for (const s of before?.scoped ?? []) scopes.set(scopeKey(s), [s, undefined]);
  for (const s of after.scoped) scopes.set(scopeKey(s), [scopes.get(scopeKey(s))?.[0], s]);
  for (const [was, now] of scopes.values()) {
    const scope = (now ?? was)!;
    const to: ScopedState = now ?? { ...DEFAULT, level: "default", ruleId: null, reason: "" };
    if (!now) to.reason = `rule ${scope.ruleId} no longer applies`;
    for (const d of changes(was ?? DEFAULT, to, after.id, timeMs)) {
      if (scope.apps) d.apps = scope.apps;
      if (scope.categories) d.categories = scope.categories;
      if (!now) d.ruleId = scope.ruleId;
      out.push(d);
    }
  }
  return out;
}

/** The decisions from one enforcement to another, with `after`'s rule and reason. */
function changes(
  was: Enforcement,
  after: Enforcement & Pick<DeviceState, "ruleId" | "reason" | "priorityBy">,
  device: string,
  timeMs: number,
): Decision[] {
  const out: Decision[] = [];
  const decision = (kind: Decision["kind"], from: string, to: string): Decision => ({
    time: timeMs,
    device,
    kind,
    from,
    to,
    ruleId: after.ruleId,
    reason: after.reason,
  });
  if (was.blocked !== after.blocked) {
    out.push(
      decision(
        after.blocked ? "block" : "unblock",
        blockText(was.blocked),
        blockText(after.blocked),
      ),
    );
  }
  // Blocking clears the limits; that is not a decision of its own.
  if (!after.blocked && (was.down !== after.down || was.up !== after.up)) {
    const to = limitText(after.down, after.up);
    out.push(decision(to === "none" ? "unlimit" : "limit", limitText(was.down, was.up), to));
  }
  if (was.priority !== after.priority) {
    const d = decision("priority", priorityText(was.priority), priorityText(after.priority));
    if (after.priorityBy) d.ruleId = after.priorityBy.ruleId, d.reason = after.priorityBy.reason;
    out.push(d);
  }
  return out;
}

/** A scoped state's identity: its rule and what it covers. */
function scopeKey(s: ScopedState): string {
  return `${s.ruleId}\u0000${s.apps?.join(",") ?? ""}\u0000${s.categories?.join(",") ?? ""}`;
}

function blockText(blocked: boolean): string {
  return blocked ? "blocked" : "allowed";
}

/** Whether two states are the same in every field. */
export function sameState(a: DeviceState, b: DeviceState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
