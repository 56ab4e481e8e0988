/**
 * Manual overrides in Deno KV, where `sluice override` and the web UI put
 * them and a running `sluice run --policy` picks them up: each is a rule
 * with its origin and expiry (see {@linkcode parseOverride}), named
 * `manual-1`, `manual-2`, ... in the order they were set.
 *
 * @module
 */
import { OVERRIDE_ID_PREFIX, parseOverride, type Rule } from "../policy/mod.ts";

/** An override as set: a rule without its id, which the store gives it. */
export type NewOverride = Omit<Rule, "id" | "manual"> & { manual: NonNullable<Rule["manual"]> };

const RULES = ["overrides", "rules"] as const;
const NEXT: Deno.KvKey = ["overrides", "next"];
/** Rewritten by every change: its versionstamp tells a running engine to reload. */
const VERSION: Deno.KvKey = ["overrides", "version"];
/** Stored overrides, expired ones included until pruned. */
export const MAX_OVERRIDES = 500;

/**
 * Overrides under `["overrides", "rules", id]`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const kv = await Deno.openKv(":memory:");
 * const overrides = new OverrideStore(kv);
 * const pause = await overrides.add({
 *   devices: { device: "mac:02:00:00:00:00:07" }, action: { kind: "block" },
 *   manual: { at: 1_700_000_000_000, until: 1_700_003_600_000, by: "alice" },
 * });
 * assertEquals(pause.id, "manual-1");
 * assertEquals((await overrides.list()).map((r) => r.id), ["manual-1"]);
 * kv.close();
 * ```
 */
export class OverrideStore {
  readonly #kv: Deno.Kv;

  constructor(kv: Deno.Kv) {
    this.#kv = kv;
  }

  /**
   * Stores an override under the next free id and returns it. Throws
   * `PolicyConfigError` for an invalid override, RangeError when
   * {@linkcode MAX_OVERRIDES} are stored.
   */
  async add(override: NewOverride): Promise<Rule> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const next = await this.#kv.get<number>(NEXT);
      const rule = parseOverride({
        ...override,
        id: `${OVERRIDE_ID_PREFIX}${(next.value ?? 0) + 1}`,
      });
      if ((await this.list()).length >= MAX_OVERRIDES) {
        throw new RangeError(`${MAX_OVERRIDES} overrides are stored: clear some first`);
      }
      const done = await this.#kv.atomic()
        .check(next)
        .set(NEXT, (next.value ?? 0) + 1)
        .set([...RULES, rule.id], rule)
        .set(VERSION, true)
        .commit();
      if (done.ok) return rule;
    }
    throw new Error("overrides: another writer kept changing the store; try again");
  }

  /** Removes overrides by id; returns the ids that were there. */
  async remove(ids: readonly string[]): Promise<string[]> {
    const found: string[] = [];
    for (const id of new Set(ids)) {
      if (typeof id !== "string") throw new TypeError(`override id must be a string, got ${id}`);
      if ((await this.#kv.get([...RULES, id])).versionstamp !== null) found.push(id);
    }
    if (found.length === 0) return found;
    const op = this.#kv.atomic();
    for (const id of found) op.delete([...RULES, id]);
    await op.set(VERSION, true).commit();
    return found;
  }

  /** Removes the overrides that expired at or before `beforeMs`; returns their ids. */
  async prune(beforeMs: number): Promise<string[]> {
    const old = (await this.list()).filter((r) => (r.manual?.until ?? Infinity) <= beforeMs);
    return await this.remove(old.map((r) => r.id));
  }

  /** Every stored override, in the order they were set; expired ones too. */
  async list(): Promise<Rule[]> {
    const out: Rule[] = [];
    for await (const { value } of this.#kv.list<Rule>({ prefix: RULES })) out.push(value);
    return out.sort((a, b) => idNumber(a.id) - idNumber(b.id));
  }

  /** Changes whenever an override is added or removed (null before the first). */
  async version(): Promise<string | null> {
    return (await this.#kv.get(VERSION)).versionstamp;
  }
}

function idNumber(id: string): number {
  return Number(id.slice(OVERRIDE_ID_PREFIX.length)) || 0;
}
