// Runs `sluice replay` as a user does, for the tests in this folder.
import { assert, assertEquals, assertStringIncludes } from "@std/assert";

const ROOT = new URL("../../", import.meta.url).pathname;

/** The bundled demo capture, relative to the repository root. */
export const SAMPLE = "sim/samples/sample.pcap";

/** What a run left behind. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `main.ts replay ...args` the way the README says to. */
export function sluice(...args: string[]): Promise<Run> {
  return sluiceWith(["--allow-ffi", "--allow-read", "--allow-env"], ["replay", ...args]);
}

/** Runs any `main.ts` command with the permissions of `deno task sluice` that files need. */
export function sluiceCommand(...args: string[]): Promise<Run> {
  return sluiceWith(
    ["--allow-ffi", "--allow-read", "--allow-write", "--allow-env", "--allow-sys=uid,osRelease"],
    args,
  );
}

async function sluiceWith(permissions: string[], args: string[]): Promise<Run> {
  const command = new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, "main.ts", ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await command.output();
  const text = new TextDecoder();
  return { code, stdout: text.decode(stdout), stderr: text.decode(stderr) };
}

/** Exit 2, nothing on stdout, one `sluice:` line on stderr and no stack trace. */
export function assertUserError(
  result: Run,
  includes: string,
): void {
  const what = `stderr was ${JSON.stringify(result.stderr)}`;
  assertEquals(result.code, 2, what);
  assertEquals(result.stdout, "");
  const lines = result.stderr.trimEnd().split("\n");
  assertEquals(lines.length, 1, what);
  assert(/^sluice( [a-z]+)?: /.test(lines[0]), what);
  assertStringIncludes(lines[0], includes);
  assert(!/\bat .*:\d+:\d+|Uncaught|internal error/.test(result.stderr), what);
}
