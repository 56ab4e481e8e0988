/**
 * The configuration document in Deno KV, versioned: every save gets the next
 * revision number, the last revisions are kept for looking back (and rolling
 * back), and a save names the revision it was based on, so two editors
 * cannot silently overwrite each other.
 *
 * @module
 */
import { checkTime } from "./periods.ts";

/** One saved revision of the document. */
export interface ConfigRevision<T> {
  /** 1 for the first save, then 2, 3, ... */
  revision: number;
  /** When it was saved, epoch ms (as the caller said). */
  savedAt: number;
  /** Who or what saved it, or why, if said. */
  note?: string;
  value: T;
}

/** Options for {@linkcode ConfigStore}. */
export interface ConfigStoreOptions {
  /** Revisions kept, the current one included (default 20). */
  keep?: number;
}

const CURRENT: Deno.KvKey = ["config", "current"];
const REVISIONS = ["config", "revisions"] as const;

/**
 * The config document under `["config", "current"]`, past revisions under
 * `["config", "revisions", n]`. The document must be plain data under Deno
 * KV's 64 KiB value limit.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const kv = await Deno.openKv(":memory:");
 * const config = new ConfigStore<{ interface: string }>(kv);
 * const first = await config.save({ interface: "eth0" }, { basedOn: 0, nowMs: 1000 });
 * assertEquals(first?.revision, 1);
 * // An editor still holding revision 0 is refused: it never saw revision 1.
 * assertEquals(await config.save({ interface: "wlan0" }, { basedOn: 0, nowMs: 2000 }), null);
 * assertEquals((await config.get())?.value, { interface: "eth0" });
 * kv.close();
 * ```
 */
export class ConfigStore<T> {
  readonly #kv: Deno.Kv;
  readonly #keep: number;

  constructor(kv: Deno.Kv, options: ConfigStoreOptions = {}) {
    this.#kv = kv;
    this.#keep = options.keep ?? 20;
    if (!Number.isInteger(this.#keep) || this.#keep < 1 || this.#keep > 1000) {
      throw new RangeError(`keep must be 1 to 1000, got ${this.#keep}`);
    }
  }

  /** The current revision, or null before the first save. */
  async get(): Promise<ConfigRevision<T> | null> {
    return (await this.#kv.get<ConfigRevision<T>>(CURRENT)).value;
  }

  /**
   * Saves `value` as the next revision if the current one is still `basedOn`
   * (0 when nothing was saved yet); returns the new revision, or null when
   * someone saved in between (get() the current one and try again).
   */
  async save(
    value: T,
    options: { basedOn: number; nowMs: number; note?: string },
  ): Promise<ConfigRevision<T> | null> {
    const { basedOn, nowMs, note } = options;
    if (!Number.isSafeInteger(basedOn) || basedOn < 0) {
      throw new RangeError(`basedOn must be a revision number or 0, got ${basedOn}`);
    }
    checkTime(nowMs, "nowMs");
    const current = await this.#kv.get<ConfigRevision<T>>(CURRENT);
    if ((current.value?.revision ?? 0) !== basedOn) return null;
    const saved: ConfigRevision<T> = { revision: basedOn + 1, savedAt: nowMs, value };
    if (note !== undefined) saved.note = String(note);
    const op = this.#kv.atomic().check(current)
      .set(CURRENT, saved)
      .set([...REVISIONS, saved.revision], saved);
    if (saved.revision > this.#keep) op.delete([...REVISIONS, saved.revision - this.#keep]);
    return (await op.commit()).ok ? saved : null;
  }

  /** One kept revision, or null if it was never saved or is no longer kept. */
  async revision(n: number): Promise<ConfigRevision<T> | null> {
    return (await this.#kv.get<ConfigRevision<T>>([...REVISIONS, n])).value;
  }

  /** The kept revisions, newest first. */
  async history(): Promise<ConfigRevision<T>[]> {
    const out: ConfigRevision<T>[] = [];
    for await (
      const { value } of this.#kv.list<ConfigRevision<T>>({ prefix: [...REVISIONS] }, {
        reverse: true,
      })
    ) {
      out.push(value);
    }
    return out;
  }

  /**
   * Saves a kept revision's value again as the next revision (a rollback
   * that stays in the history). Null as for {@linkcode save}.
   */
  async restore(
    n: number,
    options: { basedOn: number; nowMs: number; note?: string },
  ): Promise<ConfigRevision<T> | null> {
    const old = await this.revision(n);
    if (old === null) throw new RangeError(`config revision ${n} is not kept`);
    return await this.save(old.value, {
      ...options,
      note: options.note ?? `restored revision ${n}`,
    });
  }
}
