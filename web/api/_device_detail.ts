/**
 * What the device page shows beside the live view: the policy rules that
 * select a device and how, its manual overrides, and its usage over a range
 * (a history series with the quiet periods as zeros, and its apps).
 *
 * @module
 */
import { DAY_MS, HOUR_MS, type Level, OverrideStore } from "../../engine/history/mod.ts";
import { PreparedPolicy } from "../../engine/policy/evaluate.ts";
import type { PolicyConfig, Rule } from "../../engine/policy/mod.ts";
import { periodCeil } from "../../engine/history/periods.ts";
import { appNamer } from "../live/app_names.ts";
import type { WebContext } from "../web_context.ts";

/** How a rule selects the device. */
export type RuleVia = "device" | "group" | "all" | "unknown";

/** A policy rule that selects a device, as the device page lists it. */
export type RuleView = Rule & {
  via: RuleVia;
  /** Enabled, unexpired and inside its schedule now. */
  inForce: boolean;
  /** The rule the device's state came from now. */
  deciding: boolean;
};

/** Whether `rule` selects the device, and how; null when it does not. */
function via(
  prepared: PreparedPolicy | null,
  rule: Rule,
  id: string,
  labelled: boolean,
): RuleVia | null {
  const d = rule.devices;
  if (prepared === null) return "device" in d && d.device === id ? "device" : null;
  if (!prepared.matches(rule, { id, labelled })) return null;
  return "device" in d ? "device" : "group" in d ? "group" : "all" in d ? "all" : "unknown";
}

/**
 * The policy's own rules that select the device (in the policy's order),
 * and the manual overrides stored for it (those the policy took and those
 * it has not yet).
 *
 * @example
 * ```ts ignore
 * const { rules, overrides } = await deviceRules(ctx, "mac:f4:00:00:00:00:01", false);
 * ```
 */
export async function deviceRules(
  ctx: WebContext,
  id: string,
  labelled: boolean,
): Promise<{ rules: RuleView[]; overrides: Rule[] }> {
  const engine = ctx.policy();
  const policy: PolicyConfig | null = engine?.policy ?? null;
  const prepared = policy ? new PreparedPolicy(policy) : null;
  const now = ctx.now();
  const decidedBy = engine?.state(id)?.ruleId ?? null;
  const rules: RuleView[] = [];
  for (const rule of policy?.rules ?? []) {
    if (rule.manual) continue;
    const how = via(prepared, rule, id, labelled);
    if (how === null) continue;
    rules.push({
      ...rule,
      via: how,
      inForce: prepared!.inForce(rule, now),
      deciding: rule.id === decidedBy,
    });
  }
  const overrides = (await new OverrideStore(ctx.kv).list())
    .filter((o) => via(prepared, o, id, labelled) !== null);
  return { rules, overrides };
}

/** The device page's ranges. */
export type UsageRange = "24h" | "7d" | "30d";

/** A range's level and its bounds: whole periods, the current one last. */
export interface UsageWindow {
  level: Level;
  from: number;
  to: number;
}

/**
 * The window of `range` ending with the period that holds `now`: 24 hours
 * or 7 days of hours, 30 days of days (days as the history rolls them up).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const now = Date.UTC(2024, 1, 14, 12, 30);
 * assertEquals(usageWindow("24h", now, 0), {
 *   level: "hour", from: Date.UTC(2024, 1, 13, 13), to: Date.UTC(2024, 1, 14, 13),
 * });
 * ```
 */
export function usageWindow(range: UsageRange, now: number, utcOffsetMinutes: number): UsageWindow {
  const level: Level = range === "30d" ? "day" : "hour";
  // periodCeil of a boundary is itself: the period starting at `now` is the current one.
  const to = periodCeil(level, now + 1, utcOffsetMinutes);
  const span = range === "24h" ? DAY_MS : range === "7d" ? 7 * DAY_MS : 30 * DAY_MS;
  return { level, from: to - span, to };
}

/** One point of a device's history. */
export interface HistoryPoint {
  time: number;
  up: number;
  down: number;
}

/**
 * The device's usage per period of the window, oldest first, a zero for
 * each period it used nothing in (from as far back as the level keeps, up
 * to the period holding now).
 */
export async function historyPoints(
  ctx: WebContext,
  id: string,
  window: UsageWindow,
): Promise<HistoryPoint[]> {
  const history = ctx.history, now = ctx.now();
  const step = window.level === "day" ? DAY_MS : HOUR_MS;
  const series = await history.series(id, window.level, window.from, window.to);
  const byStart = new Map(series.map((p) => [p.start, p]));
  const kept = now - history.retention[window.level];
  const out: HistoryPoint[] = [];
  for (let t = window.from; t < window.to && t <= now; t += step) {
    const p = byStart.get(t);
    if (p) byStart.delete(t);
    if (p || t + step > kept) out.push({ time: t, up: p?.up ?? 0, down: p?.down ?? 0 });
  }
  // Points off the grid (a store rolled up at another offset): kept as they are.
  for (const p of byStart.values()) out.push({ time: p.start, up: p.up, down: p.down });
  return byStart.size > 0 ? out.sort((a, b) => a.time - b.time) : out;
}

/** One app of a device's usage. */
export interface AppView {
  id: string;
  name: string;
  category: string | null;
  up: number;
  down: number;
}

let names: ((app: string) => string) | undefined;

/** The device's apps over the window, largest first. */
export async function deviceApps(
  ctx: WebContext,
  id: string,
  window: UsageWindow,
): Promise<AppView[]> {
  const usage = await ctx.history.usage(window.from, window.to);
  const record = usage.devices[id];
  if (!record) return [];
  const name = names ??= appNamer();
  return Object.entries(record.apps)
    .map(([app, [up, down]]) => ({
      id: app,
      name: name(app),
      category: ctx.catalogue.categoryOf(app),
      up,
      down,
    }))
    .filter((a) => a.up + a.down > 0)
    .sort((a, b) => b.up + b.down - a.up - a.down || (a.id < b.id ? -1 : 1));
}
