// Shared checks of the read-route tests: every route refuses the
// anonymous, and times in JSON are redacted for snapshot-style assertions.
import { assertEquals } from "@std/assert";
import { errorOf, type Harness } from "../_harness.ts";

/** Each path answers an anonymous GET with 401 and a viewer's with 200. */
export async function checkAccess(h: Harness, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const anonymous = await h.send("GET", `/api/v1${path}`);
    assertEquals([path, anonymous.status], [path, 401]);
    assertEquals((await errorOf(anonymous)).message, "sign in first");
    const viewer = await h.send("GET", `/api/v1${path}`, h.viewer);
    assertEquals([path, viewer.status], [path, 200]);
    await viewer.body?.cancel();
  }
}

/** A GET as the viewer: status and JSON body. */
export async function getJson(
  h: Harness,
  path: string,
  // deno-lint-ignore no-explicit-any
): Promise<{ status: number; body: any }> {
  const res = await h.send("GET", `/api/v1${path}`, h.viewer);
  return { status: res.status, body: await res.json() };
}

/** A 400's field errors (asserting it is one). */
export async function fieldsOf(h: Harness, path: string): Promise<Record<string, string>> {
  const res = await h.send("GET", `/api/v1${path}`, h.viewer);
  const error = await errorOf(res);
  assertEquals([path, res.status], [path, 400], error.message);
  return error.fields ?? {};
}

const TIME_KEYS = new Set([
  "time",
  "since",
  "firstSeen",
  "lastSeen",
  "at",
  "until",
  "start",
  "end",
]);

/** A copy of JSON with epoch-ms fields (by name) as "<time>". */
export function redactTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactTimes);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map((
      [k, v],
    ) => [k, TIME_KEYS.has(k) && typeof v === "number" ? "<time>" : redactTimes(v)]),
  );
}

/** A path's device id part. */
export const enc = encodeURIComponent;
