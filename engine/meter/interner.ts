/**
 * Small integer ids for strings (app ids, category names), so hot paths can
 * carry and compare numbers. Id 0 always stands for "unknown".
 *
 * @module
 */

/**
 * Maps strings to dense ids 1, 2, 3, ... in order of first use; id 0 is the
 * unknown name given to the constructor, and `null`, `undefined` and `""`
 * intern to it too. Ids are never reused, so they stay valid for the life of
 * the interner. Intern once per flow (when it is classified), not per packet:
 * {@linkcode id} is a `Map` lookup.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const apps = new Interner("unknown");
 * assertEquals(apps.id("youtube"), 1);
 * assertEquals(apps.id("netflix"), 2);
 * assertEquals(apps.id("youtube"), 1);
 * assertEquals(apps.id(null), 0);
 * assertEquals(apps.name(2), "netflix");
 * assertEquals(apps.name(0), "unknown");
 * assertEquals(apps.find("steam"), -1);
 * assertEquals(apps.size, 3);
 * ```
 */
export class Interner {
  readonly #ids = new Map<string, number>();
  readonly #names: string[];

  /** `unknown` is the name of id 0 (default `""`). */
  constructor(unknown = "") {
    if (typeof unknown !== "string") {
      throw new TypeError(`the unknown name must be a string, got ${typeof unknown}`);
    }
    this.#names = [unknown];
    this.#ids.set(unknown, 0);
  }

  /** How many ids are in use, id 0 included. */
  get size(): number {
    return this.#names.length;
  }

  /** The id of `name`, given a new one on first use; 0 for the unknown name, null, undefined or "". */
  id(name: string | null | undefined): number {
    if (name === null || name === undefined || name === "") return 0;
    if (typeof name !== "string") throw new TypeError(`expected a string, got ${typeof name}`);
    let id = this.#ids.get(name);
    if (id === undefined) {
      id = this.#names.length;
      this.#names.push(name);
      this.#ids.set(name, id);
    }
    return id;
  }

  /** The id of `name` if it has one, else -1; never adds. */
  find(name: string | null | undefined): number {
    if (name === null || name === undefined || name === "") return 0;
    return this.#ids.get(name) ?? -1;
  }

  /** The name of an id; RangeError for an id never given. */
  name(id: number): string {
    const name = this.#names[id];
    if (name === undefined || !Number.isInteger(id)) {
      throw new RangeError(`no name has id ${id} (ids run 0..${this.#names.length - 1})`);
    }
    return name;
  }

  /** Every name, by id (a copy). */
  names(): string[] {
    return this.#names.slice();
  }
}
