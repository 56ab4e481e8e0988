// The policy engine in a live run: fed by the monitor each second, its
// decisions and alerts printed and written to KV, alerts to webhooks,
// counters saved once a minute, seeded at start from what the store
// remembers, and manual overrides picked up from the store as they are set.
import type { AppCatalogue } from "../engine/app_catalogue.ts";
import { OverrideStore, type UsageHistory } from "../engine/history/mod.ts";
import {
  type AlertEvent,
  OVERRIDE_ID_PREFIX,
  type PolicyConfig,
  PolicyEngine,
  PolicyFeed,
} from "../engine/policy/mod.ts";
import { alertLine, decisionLine } from "./decision_text.ts";
import { PolicyRecorder } from "./policy_recorder.ts";
import { seedPolicy } from "./policy_seed.ts";
import { WebhookSender } from "./webhook_sender.ts";

/** One run's policy: engine, feed, recorder and webhooks. */
export class LivePolicy {
  readonly engine: PolicyEngine;
  readonly feed: PolicyFeed;
  readonly recorder: PolicyRecorder;
  readonly webhooks: WebhookSender | undefined;
  readonly #kv: Deno.Kv;
  readonly #overrides: OverrideStore;
  readonly #print: (line: string) => void;
  /** The overrides' version last loaded; undefined before the first load. */
  #overridesVersion: string | null | undefined = undefined;

  constructor(kv: Deno.Kv, policy: PolicyConfig, print: (line: string) => void = console.log) {
    this.#kv = kv;
    this.#overrides = new OverrideStore(kv);
    this.#print = print;
    this.engine = new PolicyEngine(policy);
    this.webhooks = policy.webhooks.length > 0 ? new WebhookSender(policy.webhooks) : undefined;
    this.recorder = new PolicyRecorder(kv, { webhooks: this.webhooks });
    this.feed = new PolicyFeed(this.engine, {
      onStep: (timeMs, step) => {
        this.recorder.step(timeMs, step);
        for (const d of step.decisions) print(decisionLine(d));
        for (const e of step.alerts) if (e.type !== "updated") print(alertLine(e, timeMs));
      },
    });
  }

  /**
   * Clears the last run's desired states (they are decided again as devices
   * appear) and seeds the engine; returns a line saying what was found.
   */
  async start(history: UsageHistory, nowMs: number, catalogue: AppCatalogue): Promise<string> {
    await this.recorder.states.clearStates();
    const s = await seedPolicy(
      this.engine,
      this.#kv,
      history,
      nowMs,
      (app) => catalogue.categoryOf(app),
    );
    const overrides = await this.checkOverrides();
    return `${this.engine.policy.rules.length - overrides} rules and ${overrides} overrides; ` +
      `${s.familiar} known devices, ` +
      `${s.quotas} quota counts from history, ${s.budgets} time budgets from the last run`;
  }

  /**
   * Loads the manual overrides again if they changed since the last look
   * (one KV read when they did not); they apply from the engine's next
   * second. Returns how many are in force or waiting to be.
   */
  async checkOverrides(): Promise<number> {
    const version = await this.#overrides.version();
    if (version !== this.#overridesVersion) {
      this.#overridesVersion = version;
      const refused = this.engine.setOverrides(await this.#overrides.list());
      for (const r of refused) this.#print(`override ${r.path}: ${r.message}; not applied`);
    }
    return this.engine.policy.rules.filter((r) => r.id.startsWith(OVERRIDE_ID_PREFIX)).length;
  }

  /** Alerts from outside the engine's seconds (the shaper's failures): printed, logged, sent. */
  alerts(events: readonly AlertEvent[], timeMs: number): void {
    if (events.length === 0) return;
    this.recorder.step(timeMs, { decisions: [], alerts: [...events], states: [] });
    for (const e of events) if (e.type !== "updated") this.#print(alertLine(e, timeMs));
  }

  /** Writes what the feed queued. */
  async flush(): Promise<void> {
    await this.recorder.flush();
  }

  /** Saves every decided device's counters. */
  async saveCounters(nowMs: number): Promise<void> {
    await this.recorder.saveCounters(this.engine, this.engine.states().map((s) => s.id), nowMs);
  }

  /** Writes the rest, saves counters, delivers or gives up on webhooks; a status line or "". */
  async stop(nowMs: number): Promise<string> {
    await this.flush();
    await this.saveCounters(nowMs);
    if (!this.webhooks) return "";
    await this.webhooks.close();
    return this.webhooks.status().map((w) =>
      `webhook ${w.url}: ${w.delivered} delivered, ${w.failed} failed, ${w.dropped} dropped` +
      (w.lastError ? ` (last error: ${w.lastError})` : "")
    ).join("; ");
  }
}
