// Carries the policy engine's steps out of the packet path: decisions and
// alert events to the event log, changed desired states to KV, alert events
// to the webhooks, and (once a minute) the quota and budget counters. The
// feed hands steps over synchronously; the recorder queues them and writes
// between capture batches, like the history recorder.
import { EventLog, type HistoryEvent, PolicyStateStore } from "../engine/history/mod.ts";
import type { AlertEvent, Decision, PolicyEngine, PolicyStep } from "../engine/policy/mod.ts";
import type { WebhookSender } from "./webhook_sender.ts";
import { alertText, decisionText } from "./decision_text.ts";

/** A decision as an event: "limit: none → 8 Mbit/s down". */
export function decisionEvent(d: Decision): HistoryEvent {
  return {
    time: d.time,
    kind: "policy",
    device: d.device,
    message: decisionText(d),
    reason: d.reason,
    data: d,
  };
}

/** An alert event as an event: "alert started: ...". */
export function alertEvent(e: AlertEvent, timeMs: number): HistoryEvent {
  const event: HistoryEvent = {
    time: timeMs,
    kind: "alert",
    message: alertText(e),
    data: e,
  };
  if (e.alert.device !== null) event.device = e.alert.device;
  return event;
}

/** Writes a policy engine's steps into one KV store, and alerts to webhooks. */
export class PolicyRecorder {
  readonly events: EventLog;
  readonly states: PolicyStateStore;
  /** Decisions and alert events written so far. */
  decisionsWritten = 0;
  alertsWritten = 0;
  readonly #webhooks: WebhookSender | undefined;
  readonly #pending: { timeMs: number; step: PolicyStep }[] = [];

  constructor(kv: Deno.Kv, options: { webhooks?: WebhookSender } = {}) {
    this.events = new EventLog(kv);
    this.states = new PolicyStateStore(kv);
    this.#webhooks = options.webhooks;
  }

  /** The feed's `onStep`: queues the step; alert events go to the webhooks at once (they queue too). */
  step(timeMs: number, step: PolicyStep): void {
    this.#pending.push({ timeMs, step });
    for (const e of step.alerts) this.#webhooks?.send(e);
  }

  /** Writes the queued steps, oldest first. */
  async flush(): Promise<void> {
    while (this.#pending.length > 0) {
      const { timeMs, step } = this.#pending[0];
      for (const d of step.decisions) await this.events.append(decisionEvent(d));
      for (const e of step.alerts) await this.events.append(alertEvent(e, timeMs));
      if (step.states.length > 0) await this.states.putStates(step.states, timeMs);
      this.#pending.shift();
      this.decisionsWritten += step.decisions.length;
      this.alertsWritten += step.alerts.length;
    }
  }

  /** Saves the counters of every device the engine counts for. */
  async saveCounters(
    engine: PolicyEngine,
    deviceIds: Iterable<string>,
    timeMs: number,
  ): Promise<void> {
    const all = new Map<string, ReadonlyMap<string, { period: number; used: number }>>();
    for (const id of deviceIds) {
      const counters = engine.counters(id);
      if (counters.size > 0) all.set(id, counters);
    }
    if (all.size > 0) await this.states.putCounters(all, timeMs);
  }
}
