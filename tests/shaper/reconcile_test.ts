import { assertEquals } from "@std/assert";
import { appliedOf, reconcile } from "../../shaper/reconcile.ts";
import type { ShaperObject, ShaperOperation } from "../../shaper/shaper_types.ts";

/** An object whose commands name it, so the order of operations shows in their argv. */
function object(
  key: string,
  options: { spec?: string; identity?: string; needs?: string[]; update?: boolean } = {},
): ShaperObject {
  const { spec = "s", identity = key, needs = [], update = true } = options;
  return {
    key,
    identity,
    spec,
    needs,
    create: [{ argv: ["add", key, spec] }],
    ...(update ? { update: [{ argv: ["change", key, spec] }] } : {}),
    remove: [{ argv: ["del", key], mayFail: true }],
    summary: key,
  };
}

const steps = (ops: ShaperOperation[]) => ops.map((o) => `${o.action} ${o.object.key}`);

// root <- cls <- leaf, and cls <- filter; other is independent.
const tree = (changes: Record<string, Parameters<typeof object>[1]> = {}) => [
  object("root", changes.root),
  object("cls", { needs: ["root"], ...changes.cls }),
  object("leaf", { needs: ["cls"], ...changes.leaf }),
  object("filter", { needs: ["cls"], ...changes.filter }),
  object("other", changes.other),
];

Deno.test("reconcile() creates everything in desired order when nothing is applied", () => {
  const desired = [object("b"), object("a", { needs: ["b"] }), object("c")];
  const ops = reconcile([], desired);
  assertEquals(steps(ops), ["create b", "create a", "create c"]);
  assertEquals(ops.map((o) => o.commands), desired.map((d) => d.create));
});

Deno.test("reconcile() returns no operations when nothing changed", () => {
  assertEquals(reconcile(tree().map(appliedOf), tree()), []);
});

Deno.test("reconcile() removes unwanted objects in reverse applied order, with their commands", () => {
  const applied = tree().map(appliedOf);
  const ops = reconcile(applied, [object("other")]);
  assertEquals(steps(ops), ["remove filter", "remove leaf", "remove cls", "remove root"]);
  assertEquals(ops[0].commands, [{ argv: ["del", "filter"], mayFail: true }]);
});

Deno.test("reconcile() turns a changed spec with an update into one update", () => {
  const ops = reconcile(tree().map(appliedOf), tree({ cls: { spec: "8" } }));
  assertEquals(steps(ops), ["update cls"]);
  assertEquals(ops[0].commands, [{ argv: ["change", "cls", "8"] }]);
});

Deno.test("reconcile() removes and creates an object whose identity changed, and what needs it", () => {
  const ops = reconcile(tree().map(appliedOf), tree({ cls: { identity: "moved" } }));
  assertEquals(steps(ops), [
    "remove filter",
    "remove leaf",
    "remove cls",
    "create cls",
    "create leaf",
    "create filter",
  ]);
});

Deno.test("reconcile() removes and creates an object whose spec changed with no update", () => {
  const ops = reconcile(tree().map(appliedOf), tree({ leaf: { spec: "pfifo", update: false } }));
  assertEquals(steps(ops), ["remove leaf", "create leaf"]);
});

Deno.test("reconcile() follows needs transitively: recreating the root recreates the whole tree", () => {
  const ops = reconcile(tree().map(appliedOf), tree({ root: { identity: "eth2" } }));
  assertEquals(steps(ops), [
    "remove filter",
    "remove leaf",
    "remove cls",
    "remove root",
    "create root",
    "create cls",
    "create leaf",
    "create filter",
  ]);
});

Deno.test("reconcile() recreates what needs an object that is no longer wanted at all", () => {
  const applied = [object("a"), object("b", { needs: ["a"] })].map(appliedOf);
  // "b" no longer needs "a" in the new rendering, but the applied "b" does: it must go first.
  const ops = reconcile(applied, [object("b")]);
  assertEquals(steps(ops), ["remove b", "remove a", "create b"]);
});

Deno.test("reconcile() with a spec change and a dependency change prefers remove+create over update", () => {
  const ops = reconcile(
    tree().map(appliedOf),
    tree({ cls: { identity: "moved" }, filter: { spec: "new" } }),
  );
  assertEquals(steps(ops).filter((s) => s.endsWith("filter")), ["remove filter", "create filter"]);
});

Deno.test("reconcile() with recreate creates every wanted object and still removes unwanted ones", () => {
  const applied = [...tree(), object("gone", { needs: ["root"] })].map(appliedOf);
  const ops = reconcile(applied, tree({ cls: { spec: "8" } }), { recreate: true });
  assertEquals(steps(ops), [
    "remove gone",
    "create root",
    "create cls",
    "create leaf",
    "create filter",
    "create other",
  ]);
  assertEquals(ops[2].commands, [{ argv: ["add", "cls", "8"] }]);
});

Deno.test("reconcile() with recreate and nothing applied is a plain creation", () => {
  assertEquals(steps(reconcile([], [object("a")], { recreate: true })), ["create a"]);
});

Deno.test("appliedOf() keeps what comparing and removing need, not the create and update commands", () => {
  const o = object("cls", { needs: ["root"] });
  assertEquals(appliedOf(o), {
    key: "cls",
    identity: "cls",
    spec: "s",
    needs: ["root"],
    remove: o.remove,
    summary: "cls",
  });
});
