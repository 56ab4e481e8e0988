// Interner: strings to dense ids, 0 for unknown.
import { assertEquals, assertThrows } from "@std/assert";
import { Interner } from "../../../engine/meter/interner.ts";

Deno.test("Interner gives ids 1, 2, ... in order of first use and keeps them", () => {
  const names = new Interner();
  assertEquals(names.id("a"), 1);
  assertEquals(names.id("b"), 2);
  assertEquals(names.id("a"), 1);
  assertEquals(names.size, 3);
  assertEquals(names.names(), ["", "a", "b"]);
  assertEquals(names.name(2), "b");
});

Deno.test("Interner maps null, undefined, empty and the unknown name to id 0", () => {
  const apps = new Interner("unknown");
  assertEquals(apps.id(null), 0);
  assertEquals(apps.id(undefined), 0);
  assertEquals(apps.id(""), 0);
  assertEquals(apps.id("unknown"), 0);
  assertEquals(apps.name(0), "unknown");
  assertEquals(apps.size, 1);
});

Deno.test("Interner.find() looks up without adding", () => {
  const apps = new Interner();
  apps.id("x");
  assertEquals(apps.find("x"), 1);
  assertEquals(apps.find("y"), -1);
  assertEquals(apps.find(null), 0);
  assertEquals(apps.size, 2);
});

Deno.test("Interner refuses ids it never gave and names that are not strings", () => {
  const apps = new Interner();
  assertThrows(() => apps.name(1), RangeError);
  assertThrows(() => apps.name(-1), RangeError);
  assertThrows(() => apps.name(0.5), RangeError);
  assertThrows(() => apps.id(5 as unknown as string), TypeError);
  assertThrows(() => new Interner(1 as unknown as string), TypeError);
});

Deno.test("Interner.names() is a copy", () => {
  const apps = new Interner();
  apps.names().push("z");
  assertEquals(apps.size, 1);
});
