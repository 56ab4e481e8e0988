import { assertEquals, assertMatch, assertRejects } from "@std/assert";
import {
  type CommandRunner,
  NamespacedRunner,
  NOT_FOUND,
  SystemCommandRunner,
  TIMED_OUT,
} from "../../shaper/mod.ts";

const runner = new SystemCommandRunner();

Deno.test("SystemCommandRunner.run() returns the exit code and both outputs", async () => {
  const out = await runner.run(["sh", "-c", "echo out; echo err >&2; exit 3"]);
  assertEquals(out, { code: 3, stdout: "out\n", stderr: "err\n" });
});

Deno.test("SystemCommandRunner.run() writes stdin, with no shell interpolation of arguments", async () => {
  assertEquals(
    (await runner.run(["cat"], { stdin: "table inet sluice {}\n" })).stdout,
    "table inet sluice {}\n",
  );
  assertEquals((await runner.run(["echo", "$HOME;", "`id`"])).stdout, "$HOME; `id`\n");
});

Deno.test("SystemCommandRunner.run() reports a missing program as 127 and a timeout as 124", async () => {
  const missing = await runner.run(["sluice-no-such-program"]);
  assertEquals(missing.code, NOT_FOUND);
  assertMatch(missing.stderr, /sluice-no-such-program: program not found/);
  const slow = await runner.run(["sleep", "30"], { timeoutMs: 100 });
  assertEquals(slow.code, TIMED_OUT);
  assertMatch(slow.stderr, /timed out after 100 ms/);
});

Deno.test("SystemCommandRunner.run() refuses an empty argv and a bad timeout", async () => {
  await assertRejects(() => runner.run([]), TypeError, "non-empty array");
  await assertRejects(() => runner.run(["true"], { timeoutMs: 0 }), RangeError, "timeoutMs");
});

Deno.test("NamespacedRunner runs each program through `ip netns exec`", async () => {
  const seen: string[][] = [];
  const fake: CommandRunner = {
    run: (argv) => {
      seen.push([...argv]);
      return Promise.resolve({ code: 0, stdout: "", stderr: "" });
    },
  };
  await new NamespacedRunner("sluice-t1", fake).run(["tc", "qdisc", "show"]);
  assertEquals(seen, [["ip", "netns", "exec", "sluice-t1", "tc", "qdisc", "show"]]);
  let error: unknown;
  try {
    new NamespacedRunner("a b;rm", fake);
  } catch (err) {
    error = err;
  }
  assertEquals(error instanceof TypeError, true);
});
