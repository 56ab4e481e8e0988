// The devices' allocation-free hash map, against a plain Map under random churn.
import { assertEquals } from "@std/assert";
import { KeyMap } from "../../../engine/devices/_key_map.ts";

/** Random set/delete/get steps over `keys` distinct keys, checked against a Map. */
function churn(keys: number, steps: number): void {
  const map = new KeyMap(8), model = new Map<string, number>();
  let seed = keys;
  const random = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
  for (let step = 0; step < steps; step++) {
    const tag = random(2) === 0 ? 4 : 6, a = random(keys) * 0x01000193;
    const b = tag === 6 ? 0xffffffff : 0, key = `${tag}/${a}/${b}`, op = random(3);
    if (op === 0) {
      map.set(tag, a, b, 0, 1, step);
      model.set(key, step);
    } else if (op === 1) {
      map.delete(tag, a, b, 0, 1);
      model.delete(key);
    } else assertEquals(map.get(tag, a, b, 0, 1), model.get(key) ?? -1, `step ${step}`);
  }
  assertEquals(map.size, model.size);
  for (const [key, value] of model) {
    const [tag, a, b] = key.split("/").map(Number);
    assertEquals(map.get(tag, a, b, 0, 1), value);
  }
}

Deno.test("KeyMap agrees with a Map through inserts, updates, deletes and growth", () => {
  // Few keys keep the table small, so probe runs wrap around its end and get holes punched in.
  for (let keys = 2; keys <= 12; keys++) churn(keys, 5_000);
  churn(300, 20_000);
  churn(5_000, 50_000);
});

Deno.test("KeyMap.delete() with a value removes the key only while it maps to that value", () => {
  const map = new KeyMap();
  map.set(4, 0xc0a80107, 0, 0, 0, 3);
  map.delete(4, 0xc0a80107, 0, 0, 0, 5);
  assertEquals(map.get(4, 0xc0a80107, 0, 0, 0), 3);
  map.delete(4, 0xc0a80107, 0, 0, 0, 3);
  assertEquals([map.get(4, 0xc0a80107, 0, 0, 0), map.size], [-1, 0]);
});
