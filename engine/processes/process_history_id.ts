/**
 * How per-process history is keyed: by process name, under its own KV key
 * space, apart from device history.
 *
 * @module
 */

/** The `UsageHistory` key space of per-process history. */
export const PROCESS_HISTORY_SPACE = "proc-usage";

/**
 * The history id of a process name: `proc:` and the name with control
 * characters dropped, trimmed, capped at 200 characters (history ids are at
 * most 256); an empty name is "unknown".
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(processHistoryId("curl"), "proc:curl");
 * assertEquals(processHistoryId(" \u0007 "), "proc:unknown");
 * ```
 */
export function processHistoryId(name: string): string {
  if (typeof name !== "string") throw new TypeError("name must be a string");
  // deno-lint-ignore no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 200);
  return `proc:${clean === "" ? "unknown" : clean}`;
}
