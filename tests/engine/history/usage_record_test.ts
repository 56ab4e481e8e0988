// Usage records: adding up, checking samples, capping apps, size estimates.
import { assert, assertEquals, assertThrows } from "@std/assert";
import { serialize } from "node:v8";
import {
  addUsage,
  checkSample,
  emptyUsage,
  sumUsage,
  type UsageRecord,
} from "../../../engine/history/mod.ts";
import {
  capApps,
  fitRecord,
  MAX_RECORD_SIZE,
  usageSize,
} from "../../../engine/history/usage_record.ts";
import { sample } from "./_helpers.ts";

Deno.test("sumUsage() adds every field and app, and copies what it adds", () => {
  const a: UsageRecord = { up: 1, down: 2, local: 3, apps: { x: [1, 2] } };
  const total = sumUsage([a, a]);
  assertEquals(total, { up: 2, down: 4, local: 6, apps: { x: [2, 4] } });
  assertEquals(a.apps.x, [1, 2], "the first record's pairs are not shared");
  assertEquals(addUsage(emptyUsage(), emptyUsage()), emptyUsage());
});

Deno.test("checkSample() names the field that is wrong", () => {
  const good = sample(1, 1);
  assertThrows(() => checkSample(null as unknown as typeof good), TypeError, "object");
  assertThrows(() => checkSample({ ...good, up: 1.5 }), RangeError, "sample.up");
  assertThrows(() => checkSample({ ...good, local: NaN }), RangeError, "sample.local");
  assertThrows(() => checkSample({ ...good, deviceId: "__proto__" }), TypeError, "deviceId");
  assertThrows(
    () => checkSample({ ...good, apps: [] as unknown as typeof good.apps }),
    TypeError,
    "apps",
  );
  assertThrows(
    () => checkSample({ ...good, apps: { x: [1] as unknown as [number, number] } }),
    TypeError,
    '"x"',
  );
  assertThrows(() => checkSample({ ...good, apps: { x: [1, -2] } }), RangeError, '["x"][1]');
  assertThrows(
    () => checkSample({ ...good, apps: JSON.parse('{"__proto__": [1, 2]}') }),
    TypeError,
    "__proto__",
  );
});

Deno.test("capApps() folds the smallest apps into unknown, keeping the totals", () => {
  const apps: Record<string, [number, number]> = { unknown: [1, 1] };
  for (let i = 0; i < 10; i++) apps[`app${i}`] = [i, i];
  const record = capApps({ up: 46, down: 46, local: 0, apps }, 4);
  assertEquals(record.apps, { app9: [9, 9], app8: [8, 8], app7: [7, 7], unknown: [22, 22] });
});

Deno.test("usageSize() is an upper bound on the V8-serialized size Deno KV stores", () => {
  for (const apps of [0, 1, 5, 50, 500]) {
    const record: UsageRecord = { up: 2 ** 40, down: 2 ** 45, local: 2 ** 33, apps: {} };
    for (let i = 0; i < apps; i++) record.apps[`some-app-id-${i}`] = [2 ** 41 + i, 2 ** 42 + i];
    const actual = serialize({ ...record, g: 123456 }).length;
    assert(usageSize(record) >= actual, `${apps} apps: estimate ${usageSize(record)} < ${actual}`);
  }
});

Deno.test("addUsage() and checkSample() take app ids that Object.prototype also has", () => {
  const apps: Record<string, [number, number]> = JSON.parse(
    '{"constructor": [1, 1], "toString": [2, 2]}',
  );
  const checked = checkSample({ deviceId: "mac:a", up: 3, down: 3, local: 0, apps });
  assertEquals(checked.apps, apps);
  const total = addUsage(emptyUsage(), checked);
  assertEquals(total.apps["constructor"], [1, 1]);
  assertEquals(addUsage(total, checked).apps["toString"], [4, 4]);
});

Deno.test("fitRecord() keeps a record of very long app ids under the size KV takes", () => {
  const record: UsageRecord = { up: 0, down: 0, local: 0, apps: {} };
  for (let i = 0; i < 400; i++) record.apps[`${"x".repeat(200)}${i}`] = [i, i];
  fitRecord(record, 500);
  assert(usageSize(record) <= MAX_RECORD_SIZE);
  assert(Object.keys(record.apps).length > 10);
});
