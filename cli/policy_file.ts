// Reads a policy file (JSON) for a command: every problem is one line
// naming the file and the field, and a policy with any problem is refused.
import { parsePolicy, type PolicyConfig, PolicyConfigError } from "../engine/policy/mod.ts";
import { UsageError } from "./usage_error.ts";
import { readUserFile } from "./user_file.ts";

/**
 * Reads and checks `path`; a {@linkcode UsageError} of one line:
 * `sluice run: policy home.json: rules[1].action.down: "fast" is not a rate ... (and 2 more)`.
 */
export async function readPolicyFile(path: string, command: string): Promise<PolicyConfig> {
  return (await readPolicyDocument(path, command)).policy;
}

/**
 * As {@linkcode readPolicyFile}, also giving the JSON as written (`raw`),
 * which the web's rules editor keeps and edits, and the file's absolute
 * path, which names where the stored document came from.
 */
export async function readPolicyDocument(
  path: string,
  command: string,
): Promise<{ policy: PolicyConfig; raw: unknown; absolute: string }> {
  const fail = (problem: string) => new UsageError(`${command}: policy ${path}: ${problem}`);
  const text = await readUserFile(path, fail);
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    throw fail(`not JSON (${(err as Error).message.replace(/\s*\n\s*/g, " ")})`);
  }
  let policy: PolicyConfig;
  try {
    policy = parsePolicy(value);
  } catch (err) {
    if (err instanceof PolicyConfigError) throw fail(err.message);
    throw err;
  }
  return { policy, raw: value, absolute: await Deno.realPath(path) };
}
