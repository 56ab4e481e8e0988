/**
 * Rules as the rules view shows and edits them: one-line summaries of what
 * a rule selects, does and when, and the flat draft the form edits, to and
 * from a rule as the policy file writes it (rates stay text: "20Mbit").
 *
 * @module
 */
import { figureText, figureValue, rateText } from "./field.js";

/** Schedule days, Monday first, as the policy names them. */
export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** The action kinds a policy rule may have ("allow" is for manual overrides only). */
export const ACTION_KINDS = [
  ["limit", "Limit"],
  ["block", "Block"],
  ["priority", "Priority"],
  ["quota", "Quota"],
  ["timeBudget", "Time budget"],
];

const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/** Which devices: "Group kids", "All devices", or a device's name (from `names`) or id. */
export function selectorText(devices, names = {}) {
  if (!devices) return "–";
  if (devices.all) return "All devices";
  if (devices.unknown) return "Unknown devices";
  if (devices.group != null) return `Group ${devices.group}`;
  if (devices.device != null) return names[devices.device] ?? devices.device;
  return JSON.stringify(devices);
}

function limitText(a) {
  const parts = [];
  if (a.down != null) parts.push(`↓ ${rateText(a.down)}`);
  if (a.up != null) parts.push(`↑ ${rateText(a.up)}`);
  return `limit ${parts.join(" ")}`.trim();
}

function thenText(t) {
  if (!t) return "";
  return t.kind === "block" ? "block" : limitText(t);
}

/**
 * What a rule does, in a line: "Limit ↓ 25Mbit", "Quota 2GB a day, then block".
 *
 * @example
 * ```js
 * actionText({ kind: "quota", bytes: "2GB", period: "day", then: { kind: "block" } });
 * // "Quota 2GB a day, then block"
 * ```
 */
export function actionText(a) {
  if (!a) return "–";
  switch (a.kind) {
    case "limit":
      return cap(limitText(a));
    case "block":
      return "Block";
    case "allow":
      return "Allow";
    case "priority":
      return `Priority ${a.priority}`;
    case "quota": {
      const dir = a.direction && a.direction !== "both" ? ` (${a.direction})` : "";
      return `Quota ${figureText(a.bytes)}${dir} a ${a.period}, then ${thenText(a.then)}`;
    }
    case "timeBudget":
      return `Time budget ${figureText(a.seconds)} a day, then ${thenText(a.then)}`;
    default:
      return a.kind ?? "–";
  }
}

/** Days as ranges: ["mon","tue","wed","fri"] → "Mon–Wed, Fri". */
export function daysText(days) {
  const idx = DAYS.map((d) => days.includes(d));
  const out = [];
  for (let i = 0; i < 7; i++) {
    if (!idx[i]) continue;
    let j = i;
    while (j + 1 < 7 && idx[j + 1]) j++;
    out.push(
      j - i >= 2 ? `${cap(DAYS[i])}–${cap(DAYS[j])}` : DAYS.slice(i, j + 1).map(cap).join(", "),
    );
    i = j;
  }
  return out.length === 1 && out[0] === "Mon–Sun" ? "Every day" : out.join(", ");
}

/** When a rule is in force: "Always", or its windows. */
export function scheduleText(schedule) {
  if (!schedule?.length) return "Always";
  return schedule.map((w) => `${daysText(w.days ?? [])} ${w.from}–${w.to}`).join("; ");
}

/** An empty draft for "New rule". */
export function emptyDraft() {
  return {
    id: "",
    name: "",
    enabled: true,
    sel: "all",
    device: "",
    kind: "limit",
    down: "",
    up: "",
    priority: "low",
    bytes: "",
    period: "day",
    direction: "both",
    seconds: "",
    thenKind: "block",
    thenDown: "",
    thenUp: "",
    apps: "",
    categories: "",
    schedule: [],
  };
}

/** A rule as the form edits it: flat, every figure as text. */
export function ruleToDraft(rule) {
  const d = emptyDraft();
  const a = rule.action ?? {};
  const s = rule.devices ?? {};
  const then = a.then ?? {};
  return {
    ...d,
    id: rule.id ?? "",
    name: rule.name ?? "",
    enabled: rule.enabled !== false,
    sel: s.all ? "all" : s.unknown ? "unknown" : s.group != null ? `group:${s.group}` : "device",
    device: s.device ?? "",
    kind: a.kind ?? "limit",
    down: a.kind === "limit" ? rateText(a.down) : "",
    up: a.kind === "limit" ? rateText(a.up) : "",
    priority: a.priority ?? d.priority,
    bytes: figureText(a.bytes),
    period: a.period ?? d.period,
    direction: a.direction ?? d.direction,
    seconds: figureText(a.seconds),
    thenKind: then.kind ?? d.thenKind,
    thenDown: rateText(then.down),
    thenUp: rateText(then.up),
    apps: (rule.apps ?? []).join(", "),
    categories: (rule.categories ?? []).join(", "),
    schedule: (rule.schedule ?? []).map((w) => ({
      days: [...(w.days ?? [])],
      from: w.from,
      to: w.to,
    })),
  };
}

function list(text) {
  const items = text.split(",").map((s) => s.trim()).filter(Boolean);
  return items.length ? items : undefined;
}

function limit(down, up) {
  const a = { kind: "limit" };
  const d = figureValue(down), u = figureValue(up);
  if (d !== undefined) a.down = d;
  if (u !== undefined) a.up = u;
  return a;
}

/**
 * The rule a draft describes, as the API takes it. Empty optional fields
 * are left out, so the server's defaults apply and its messages name them.
 */
export function draftToRule(d) {
  const rule = { id: d.id.trim() };
  if (d.name.trim()) rule.name = d.name.trim();
  if (!d.enabled) rule.enabled = false;
  if (d.sel === "all") rule.devices = { all: true };
  else if (d.sel === "unknown") rule.devices = { unknown: true };
  else if (d.sel === "device") rule.devices = { device: d.device.trim() };
  else rule.devices = { group: d.sel.slice("group:".length) };
  const apps = list(d.apps), categories = list(d.categories);
  if (apps) rule.apps = apps;
  if (categories) rule.categories = categories;
  if (d.schedule.length) {
    rule.schedule = d.schedule.map((w) => ({
      days: DAYS.filter((day) => w.days.includes(day)),
      from: w.from,
      to: w.to,
    }));
  }
  const then = d.thenKind === "block" ? { kind: "block" } : limit(d.thenDown, d.thenUp);
  switch (d.kind) {
    case "limit":
      rule.action = limit(d.down, d.up);
      break;
    case "priority":
      rule.action = { kind: "priority", priority: d.priority };
      break;
    case "quota":
      rule.action = { kind: "quota", bytes: figureValue(d.bytes), period: d.period, then };
      if (d.direction !== "both") rule.action.direction = d.direction;
      break;
    case "timeBudget":
      rule.action = { kind: "timeBudget", seconds: figureValue(d.seconds), then };
      break;
    default:
      rule.action = { kind: d.kind };
  }
  return rule;
}
