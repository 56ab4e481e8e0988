// The policy engine in a live run: fed by the monitor each second, its
// decisions and alerts printed and written to KV, alerts to webhooks,
// counters saved once a minute, seeded at start from what the store
// remembers, and manual overrides and policy edits (from the web) picked up
// from the store as they are made.
import type { AppCatalogue } from "../engine/app_catalogue.ts";
import {
  OverrideStore,
  PolicyDocumentStore,
  type PolicyRevision,
  type UsageHistory,
} from "../engine/history/mod.ts";
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

/** The policy as written, for the document store (see {@linkcode documentOrigin}). */
export interface PolicySource {
  /** The policy file's JSON (or the scenario's policy), before parsePolicy. */
  raw: unknown;
  /** Where it came from, with a hash of its content: "file home.json sha256:…". */
  origin: string;
  /** false: send no webhooks whatever the document says (a simulation's alerts are make-believe). */
  webhooks?: boolean;
}

/**
 * An origin for {@linkcode PolicySource}: `source` and a SHA-256 of the
 * policy's JSON, so a changed file is a new origin and an unchanged one is not.
 */
export async function documentOrigin(source: string, raw: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(raw) ?? "");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return `${source} sha256:${[...digest].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** One run's policy: engine, feed, recorder and webhooks. */
export class LivePolicy {
  readonly engine: PolicyEngine;
  readonly feed: PolicyFeed;
  readonly recorder: PolicyRecorder;
  readonly #kv: Deno.Kv;
  readonly #overrides: OverrideStore;
  readonly #print: (line: string) => void;
  /** The overrides' version last loaded; undefined before the first load. */
  #overridesVersion: string | null | undefined = undefined;
  readonly #source: PolicySource | undefined;
  readonly #documents: PolicyDocumentStore | undefined;
  /** The document's revision in force (0: none yet). */
  #documentRevision = 0;
  #webhooks: WebhookSender | undefined;
  /** Senders replaced by an edit, closing. */
  readonly #retired: Promise<void>[] = [];

  /**
   * With `source`, the policy is also the stored document's: start() adopts
   * it (a stored edit of the same file wins) and checkOverrides() applies
   * each new revision. `policy` is then `source.raw` parsed.
   */
  constructor(
    kv: Deno.Kv,
    policy: PolicyConfig,
    print: (line: string) => void = console.log,
    source?: PolicySource,
  ) {
    this.#kv = kv;
    this.#overrides = new OverrideStore(kv);
    this.#print = print;
    this.#source = source;
    this.#documents = source && new PolicyDocumentStore(kv);
    this.engine = new PolicyEngine(this.#usable(policy));
    this.#webhooks = this.#sender(this.engine.configured.webhooks);
    // Alerts go to the webhooks from here, not the recorder: the senders change with edits.
    this.recorder = new PolicyRecorder(kv);
    this.feed = new PolicyFeed(this.engine, {
      onStep: (timeMs, step) => {
        this.recorder.step(timeMs, step);
        for (const e of step.alerts) this.#webhooks?.send(e);
        for (const d of step.decisions) print(decisionLine(d));
        for (const e of step.alerts) if (e.type !== "updated") print(alertLine(e, timeMs));
      },
    });
  }

  /** The webhooks of the policy in force, if it has any. */
  get webhooks(): WebhookSender | undefined {
    return this.#webhooks;
  }

  /** The policy document's revision in force; 0 without a document. */
  get documentRevision(): number {
    return this.#documentRevision;
  }

  /**
   * Clears the last run's desired states (they are decided again as devices
   * appear) and seeds the engine; returns a line saying what was found.
   */
  async start(history: UsageHistory, nowMs: number, catalogue: AppCatalogue): Promise<string> {
    let edited = "";
    if (this.#source && this.#documents) {
      const adopted = await this.#documents.adopt(this.#source.raw, this.#source.origin, nowMs);
      if (JSON.stringify(adopted.raw) !== JSON.stringify(this.#source.raw)) {
        // The file is unchanged since it was stored, and edited on the web since.
        this.#apply(adopted);
        edited = ` (revision ${adopted.revision}, as edited on the web)`;
      }
      this.#documentRevision = adopted.revision;
    }
    await this.recorder.states.clearStates();
    const s = await seedPolicy(
      this.engine,
      this.#kv,
      history,
      nowMs,
      (app) => catalogue.categoryOf(app),
    );
    const overrides = await this.checkOverrides();
    return `${this.engine.policy.rules.length - overrides} rules${edited} and ` +
      `${overrides} overrides; ` +
      `${s.familiar} known devices, ` +
      `${s.quotas} quota counts from history, ${s.budgets} time budgets from the last run`;
  }

  /**
   * Loads the manual overrides again if they changed since the last look
   * (one KV read when they did not), and with a document, a new revision of
   * the policy (one more); they apply from the engine's next second.
   * Returns how many overrides are in force or waiting to be.
   */
  async checkOverrides(): Promise<number> {
    if (this.#documents && this.#documentRevision > 0) {
      const revision = await this.#documents.revision();
      if (revision !== this.#documentRevision) await this.#loadDocument();
    }
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
    await Promise.all(this.#retired);
    if (!this.#webhooks) return "";
    await this.#webhooks.close();
    return this.#webhooks.status().map((w) =>
      `webhook ${w.url}: ${w.delivered} delivered, ${w.failed} failed, ${w.dropped} dropped` +
      (w.lastError ? ` (last error: ${w.lastError})` : "")
    ).join("; ");
  }

  async #loadDocument(): Promise<void> {
    let current: PolicyRevision | null;
    try {
      current = await this.#documents!.current();
    } catch (err) {
      // Saves are checked: only a store written by another Sluice gets here.
      this.#print(`policy: the stored revision is not valid (${(err as Error).message}); ignored`);
      this.#documentRevision = await this.#documents!.revision();
      return;
    }
    if (!current) return;
    this.#apply(current);
    this.#documentRevision = current.revision;
    this.#print(
      `policy: revision ${current.revision} applied` + (current.note ? ` (${current.note})` : ""),
    );
  }

  /** Puts a revision in force: the engine's policy, and the webhooks if their list changed. */
  #apply(revision: PolicyRevision): void {
    const before = this.engine.configured.webhooks;
    const refused = this.engine.reconfigure(this.#usable(revision.policy));
    for (const r of refused) this.#print(`override ${r.path}: ${r.message}; not applied`);
    const after = this.engine.configured.webhooks;
    if (JSON.stringify(before) === JSON.stringify(after)) return;
    // Messages still queued for the old list are dropped with it.
    if (this.#webhooks) this.#retired.push(this.#webhooks.close());
    this.#webhooks = this.#sender(after);
  }

  #usable(policy: PolicyConfig): PolicyConfig {
    return this.#source?.webhooks === false ? { ...policy, webhooks: [] } : policy;
  }

  #sender(webhooks: PolicyConfig["webhooks"]): WebhookSender | undefined {
    return webhooks.length > 0 ? new WebhookSender(webhooks) : undefined;
  }
}
