/**
 * The policy document in Deno KV: the policy as a policy file has it (rates
 * as "20Mbit" text, as written) and where it came from, versioned by
 * {@linkcode ConfigStore}. The web UI edits it; a running Sluice applies each
 * new revision. At start, the policy file (or scenario) is adopted: saved as
 * a new revision unless the stored one came from the same content, so edits
 * made on the web survive restarts until the file itself changes.
 *
 * @module
 */
import { parsePolicy, type PolicyConfig } from "../policy/mod.ts";
import { type ConfigRevision, ConfigStore, type ConfigStoreOptions } from "./config_store.ts";

/** What is stored: the raw policy and its origin ("file /etc/sluice/policy.json sha256:…"). */
export interface PolicyDocument {
  policy: unknown;
  origin: string;
}

/** A stored revision, checked. */
export interface PolicyRevision {
  revision: number;
  savedAt: number;
  note?: string;
  origin: string;
  /** As written. */
  raw: unknown;
  /** As parsePolicy made it. */
  policy: PolicyConfig;
}

/** What {@linkcode PolicyDocumentStore.adopt} did. */
export interface Adopted extends PolicyRevision {
  /** True when the stored revision was kept (maybe edited since); false when `raw` was saved. */
  kept: boolean;
}

/**
 * The policy document under the config store's keys (`["config", ...]`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const kv = await Deno.openKv(":memory:");
 * const docs = new PolicyDocumentStore(kv);
 * const file = { link: { down: "100Mbit", up: "20Mbit" } };
 * const first = await docs.adopt(file, "file home.json sha256:ab", 1000);
 * const raw = { ...file, rules: [{ id: "tv", devices: { all: true }, action: { kind: "block" } }] };
 * await docs.save(raw, { basedOn: first.revision, nowMs: 2000, note: "rule tv added by ann" });
 * // The same file at the next start: the edited revision stays.
 * const again = await docs.adopt(file, "file home.json sha256:ab", 3000);
 * assertEquals([again.kept, again.revision, again.policy.rules.length], [true, 2, 1]);
 * kv.close();
 * ```
 */
export class PolicyDocumentStore {
  readonly #config: ConfigStore<PolicyDocument>;

  constructor(kv: Deno.Kv, options: ConfigStoreOptions = {}) {
    this.#config = new ConfigStore<PolicyDocument>(kv, options);
  }

  /** The stored revision number (0 before the first save): one KV read. */
  async revision(): Promise<number> {
    return (await this.#config.get())?.revision ?? 0;
  }

  /**
   * The current revision, checked; null before the first save. Throws
   * `PolicyConfigError` if it no longer passes parsePolicy.
   */
  async current(): Promise<PolicyRevision | null> {
    const stored = await this.#config.get();
    return stored && checked(stored);
  }

  /**
   * Saves `raw` as the next revision if the current one is still `basedOn`;
   * null when someone saved in between. Throws `PolicyConfigError` (nothing
   * saved) if `raw` has any problem. The origin stays the current one's
   * unless given, so that an edit survives a restart from the same file.
   */
  async save(
    raw: unknown,
    options: { basedOn: number; nowMs: number; note?: string; origin?: string },
  ): Promise<PolicyRevision | null> {
    const policy = parsePolicy(raw);
    const origin = options.origin ?? (await this.#config.get())?.value.origin ?? "web";
    const saved = await this.#config.save({ policy: structuredClone(raw), origin }, {
      basedOn: options.basedOn,
      nowMs: options.nowMs,
      note: options.note,
    });
    return saved && { ...meta(saved), raw: saved.value.policy, policy };
  }

  /**
   * At start: the stored policy if it came from `origin` (and still
   * passes), else `raw` saved as a new revision. Throws `PolicyConfigError`
   * if `raw` is needed and has a problem.
   */
  async adopt(raw: unknown, origin: string, nowMs: number): Promise<Adopted> {
    if (typeof origin !== "string" || origin === "") {
      throw new TypeError("origin must be a non-empty string");
    }
    for (let attempt = 0; attempt < 10; attempt++) {
      const stored = await this.#config.get();
      if (stored?.value.origin === origin) {
        try {
          return { ...checked(stored), kept: true };
        } catch { /* stored under an older Sluice and no longer valid: the file wins */ }
      }
      const saved = await this.save(raw, {
        basedOn: stored?.revision ?? 0,
        nowMs,
        origin,
        note: `from ${origin}`,
      });
      if (saved) return { ...saved, kept: false };
    }
    throw new Error("policy document: another writer kept saving; try again");
  }
}

function meta(stored: ConfigRevision<PolicyDocument>) {
  const out: { revision: number; savedAt: number; note?: string; origin: string } = {
    revision: stored.revision,
    savedAt: stored.savedAt,
    origin: stored.value.origin,
  };
  if (stored.note !== undefined) out.note = stored.note;
  return out;
}

function checked(stored: ConfigRevision<PolicyDocument>): PolicyRevision {
  return { ...meta(stored), raw: stored.value.policy, policy: parsePolicy(stored.value.policy) };
}
