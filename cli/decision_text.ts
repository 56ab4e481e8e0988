// Decisions, alerts, overrides and their times in words: one wording for
// what `sluice run` and `sluice replay` print, what the event log keeps and
// what `sluice explain` and `sluice override` show.
import { type AlertEvent, type Decision, describe, type Rule } from "../engine/policy/mod.ts";

/** "2024-01-10 20:00:00 UTC", or "2024-01-10 21:00:00 +01:00" at another offset. */
export function timeText(ms: number, offsetMinutes = 0): string {
  const text = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19).replace("T", " ");
  if (offsetMinutes === 0) return `${text} UTC`;
  const abs = Math.abs(offsetMinutes), two = (n: number) => String(n).padStart(2, "0");
  return `${text} ${offsetMinutes < 0 ? "-" : "+"}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/** "limit (Gaming): none → 8 Mbit/s down". */
export function decisionText(d: Decision): string {
  const scope = [...d.apps ?? [], ...d.categories ?? []];
  const part = scope.length > 0 ? ` (${scope.join(", ")})` : "";
  return `${d.kind}${part}: ${d.from} → ${d.to}`;
}

/** "quota_reached started: …". */
export function alertText(e: AlertEvent): string {
  return `${e.alert.kind} ${e.type}: ${e.alert.message}`;
}

/** "2024-01-10 20:00:00 UTC mac:… limit: none → 8 Mbit/s down — limited to … (rule cap)". */
export function decisionLine(d: Decision): string {
  return `${timeText(d.time)} ${d.device} ${decisionText(d)} — ${d.reason}`;
}

/** "2024-01-10 20:00:00 UTC alert quota_reached started: …". */
export function alertLine(e: AlertEvent, timeMs: number): string {
  return `${timeText(timeMs)} alert ${alertText(e)}`;
}

/** "manual-3: TV (mac:…) blocked (youtube), from … until …, by alice". */
export function overrideText(rule: Rule, offset: number, label?: string | null): string {
  const d = rule.devices;
  const who = "device" in d ? (label ? `${label} (${d.device})` : d.device) : JSON.stringify(d);
  const scope = [...rule.apps ?? [], ...rule.categories ?? []];
  const m = rule.manual!;
  return `${rule.id}: ${who} ${describe(rule.action)}` +
    (scope.length ? ` (${scope.join(", ")})` : "") +
    `, from ${timeText(m.at, offset)} ${
      m.until === undefined ? "until cleared" : `until ${timeText(m.until, offset)}`
    }` +
    (m.by ? `, by ${m.by}` : "");
}
