// Decisions and alerts as lines for a terminal: `sluice replay` and
// `sluice run` print them as they come.
import type { AlertEvent, Decision } from "../engine/policy/mod.ts";

/** "2024-01-10 20:00:00 UTC" for epoch ms. */
export function utcText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "2024-01-10 20:00:00 UTC mac:… limit: none → 8 Mbit/s down — limited to … (rule cap)". */
export function decisionLine(d: Decision): string {
  const scope = [...d.apps ?? [], ...d.categories ?? []];
  const part = scope.length > 0 ? ` (${scope.join(", ")})` : "";
  return `${utcText(d.time)} ${d.device} ${d.kind}${part}: ${d.from} → ${d.to} — ${d.reason}`;
}

/** "2024-01-10 20:00:00 UTC alert quota_reached started: …". */
export function alertLine(e: AlertEvent, timeMs: number): string {
  return `${utcText(timeMs)} alert ${e.alert.kind} ${e.type}: ${e.alert.message}`;
}
