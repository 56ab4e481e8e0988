import { type UserRule, validateUserRules } from "../engine/app_catalogue.ts";
import { UsageError } from "./usage_error.ts";
import { readUserFile } from "./user_file.ts";

/**
 * Reads a user rules file's text: `{ "rules": [ ... ] }`, each rule exactly
 * one of `domain`, `port` (with an optional `protocol`) or `cidr`, plus `app`,
 * `category` and an optional `name`. Throws a TypeError whose one-line
 * message names the field and the problem (`rules[0].category: "Video" is not
 * a category`).
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "@std/assert";
 * const rules = parseRulesFile(
 *   '{ "rules": [{ "port": 25565, "protocol": "tcp", "app": "minecraft", "category": "Gaming" }] }',
 * );
 * assertEquals(rules, [{ app: "minecraft", category: "Gaming", port: 25565, protocol: "TCP" }]);
 * assertThrows(() => parseRulesFile('{ "rules": [{ "port": 1 }] }'), TypeError, "rules[0].app");
 * ```
 */
export function parseRulesFile(text: string): UserRule[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    throw new TypeError(`not JSON (${oneLine((err as Error).message)})`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new TypeError(`expected an object with a "rules" array, got ${oneLine(show(data))}`);
  }
  for (const key of Object.keys(data)) {
    if (key !== "rules") throw new TypeError(`${key}: unknown field (expected only "rules")`);
  }
  try {
    return validateUserRules((data as { rules?: unknown }).rules);
  } catch (err) {
    // The engine names the list "userRules"; the file calls it "rules".
    throw new TypeError(oneLine((err as Error).message.replace(/^userRules/, "rules")));
  }
}

/**
 * Reads and checks a rules file for `command`; any problem (a missing file,
 * bad JSON, a bad rule) is a {@linkcode UsageError} of one line:
 * `sluice replay: rules FILE: rules[2].cidr: "10.0.0.0/33" is not a CIDR`.
 */
export async function readRulesFile(path: string, command: string): Promise<UserRule[]> {
  const fail = (problem: string) => new UsageError(`${command}: rules ${path}: ${problem}`);
  const text = await readUserFile(path, fail);
  try {
    return parseRulesFile(text);
  } catch (err) {
    throw fail((err as Error).message);
  }
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ");
}
