// The life of alerts once detected: opening, merging repeats, closing with a
// cooldown, and the events that say so. The tracker decides when; this keeps
// the records and the event list of the call in progress.
import { ALERT_KINDS } from "./policy_types.ts";
import {
  ALERT_SEVERITY,
  type AlertEvent,
  alertId,
  type AlertState,
  snapshot,
} from "./_alert_state.ts";
import { AlertSlots, KINDS } from "./_alert_slots.ts";

/** Returned when nothing happened: shared, never written to. */
const NO_EVENTS: readonly AlertEvent[] = Object.freeze([]);

/** Alert records and the events of the current call. */
export class AlertBook {
  readonly slots: AlertSlots = new AlertSlots();
  readonly #cooldownMs: number;
  readonly #updateMs: number;
  #out: AlertEvent[] | null = null;

  constructor(cooldownMs: number, updateMs: number) {
    // At least 1 ms, so two alerts of one kind and device never share a start, nor an id.
    this.#cooldownMs = Math.max(cooldownMs, 1);
    this.#updateMs = updateMs;
  }

  /** Whether kind `k` of slot `i` is in its cooldown at `timeMs`. */
  cooling(i: number, k: number, timeMs: number): boolean {
    return timeMs < this.slots.cooldownUntil[i * KINDS + k];
  }

  /** Starts kind `k` for slot `i` unless it is cooling down (then counts it as held back). */
  start(i: number, k: number, figures: Record<string, number | string>, timeMs: number): void {
    if (this.cooling(i, k, timeMs)) this.slots.suppressed[i * KINDS + k]++;
    else this.slots.active[i * KINDS + k] = this.open(i, k, null, figures, timeMs);
  }

  /** A new alert, "started" emitted; the caller keeps it. */
  open(
    i: number,
    k: number,
    ruleId: string | null,
    figures: Record<string, number | string>,
    timeMs: number,
    end: number | null = null,
  ): AlertState {
    const s = this.slots, at = i * KINDS + k;
    const kind = ALERT_KINDS[k], device = s.devices[i];
    const suppressed = s.suppressed[at];
    s.suppressed[at] = 0;
    const alert: AlertState = {
      id: alertId(kind, device, ruleId, timeMs),
      kind,
      severity: ALERT_SEVERITY[kind],
      device,
      name: s.names[i],
      ruleId,
      figures,
      start: timeMs,
      end,
      count: 1,
      suppressed,
      slot: i,
      k,
      lastEmit: timeMs,
    };
    this.#emit("started", alert, timeMs);
    return alert;
  }

  /** An alert that starts and ends at once, unless the cooldown holds it back. */
  instant(i: number, k: number, figures: Record<string, number>, timeMs: number): void {
    if (this.cooling(i, k, timeMs)) {
      this.slots.suppressed[i * KINDS + k]++;
      return;
    }
    this.open(i, k, null, figures, timeMs, timeMs);
    this.slots.cooldownUntil[i * KINDS + k] = timeMs + this.#cooldownMs;
  }

  /** A repeat of an active alert: counted; "updated" at most once per update interval. */
  merge(alert: AlertState, timeMs: number): void {
    alert.count++;
    if (timeMs - alert.lastEmit >= this.#updateMs) this.#emit("updated", alert, timeMs);
  }

  /** Ends `alert` if there is one ("ended"; cooldown from now, but not for rule kinds); null. */
  close(alert: AlertState | null, timeMs: number): null {
    if (alert === null) return null;
    alert.end = timeMs;
    this.#emit("ended", alert, timeMs);
    if (alert.ruleId === null) {
      this.slots.cooldownUntil[alert.slot * KINDS + alert.k] = timeMs + this.#cooldownMs;
    }
    return null;
  }

  /** The events since the last flush: {@linkcode NO_EVENTS} when none. */
  flush(): readonly AlertEvent[] {
    const out = this.#out;
    this.#out = null;
    return out ?? NO_EVENTS;
  }

  #emit(type: AlertEvent["type"], alert: AlertState, timeMs: number): void {
    alert.lastEmit = timeMs;
    (this.#out ??= []).push({ type, alert: snapshot(alert) });
  }
}
