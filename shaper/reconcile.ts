/**
 * Reconciling: what is applied and what is wanted in, the shortest list of
 * operations between them out. Pure.
 *
 * @module
 */
import type { AppliedObject, ShaperObject, ShaperOperation } from "./shaper_types.ts";

/** Options for {@linkcode reconcile}. */
export interface ReconcileOptions {
  /**
   * Create every wanted object again, even those applied as they are: after
   * a restart, when the store may not match the system (a reboot cleared
   * it). Creation commands are idempotent for this.
   */
  recreate?: boolean;
}

/**
 * The operations that turn `applied` into `desired`: removals first, in the
 * reverse of the order they were applied (what needs an object goes before
 * it), then creations and updates in `desired` order (what an object needs
 * comes first). An object whose identity changed, or whose spec changed
 * with no update, is removed and created again, and so is everything that
 * needs it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const object = (key: string, spec: string, needs: string[] = []) => ({
 *   key, identity: key, spec, needs, summary: key,
 *   create: [{ argv: ["add", key, spec] }], update: [{ argv: ["change", key, spec] }],
 *   remove: [{ argv: ["del", key] }],
 * });
 * const applied = [object("root", "100"), object("tv", "5", ["root"])];
 * const ops = reconcile(applied, [object("root", "100"), object("tv", "8", ["root"])]);
 * assertEquals(ops.map((o) => [o.action, o.object.key]), [["update", "tv"]]);
 * ```
 */
export function reconcile(
  applied: readonly AppliedObject[],
  desired: readonly ShaperObject[],
  options: ReconcileOptions = {},
): ShaperOperation[] {
  const wanted = new Map(desired.map((o) => [o.key, o]));
  const have = new Map(applied.map((o) => [o.key, o]));
  const gone = new Set<string>();
  for (const a of applied) {
    const d = wanted.get(a.key);
    if (!d || d.identity !== a.identity || (d.spec !== a.spec && !d.update)) gone.add(a.key);
  }
  // What needs a removed object cannot stay: it goes too (and comes back if wanted).
  for (let grew = gone.size > 0; grew;) {
    grew = false;
    for (const a of applied) {
      if (!gone.has(a.key) && a.needs.some((k) => gone.has(k))) {
        gone.add(a.key);
        grew = true;
      }
    }
  }
  const ops: ShaperOperation[] = [];
  for (let i = applied.length - 1; i >= 0; i--) {
    const a = applied[i];
    if (gone.has(a.key)) ops.push({ action: "remove", object: a, commands: a.remove });
  }
  for (const d of desired) {
    const a = have.get(d.key);
    if (!a || gone.has(d.key) || options.recreate) {
      ops.push({ action: "create", object: d, commands: d.create });
    } else if (a.spec !== d.spec) {
      ops.push({ action: "update", object: d, commands: d.update! });
    }
  }
  return ops;
}

/** The part of an object kept once applied. */
export function appliedOf(o: ShaperObject | AppliedObject): AppliedObject {
  return {
    key: o.key,
    identity: o.identity,
    spec: o.spec,
    needs: o.needs,
    remove: o.remove,
    summary: o.summary,
  };
}
