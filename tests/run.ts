// deno task test — runs every test with the permissions they need, then prints
// the one summary line CI reads: "tests: N passed, M failed, K skipped".
// Extra arguments are passed to `deno test` (a file or folder narrows the run).
//
// The browser tests run apart with --allow-all: playwright-core probes
// /proc/sys/fs/binfmt_misc when it loads, which Deno grants only to -A.

const permissions = [
  "--allow-ffi",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-run",
  "--allow-sys",
  "--allow-net",
];
const BROWSER = "tests/browser/";
const runs: string[][] = Deno.args.length > 0
  ? [[
    ...(Deno.args.some((a) => a.startsWith(BROWSER)) ? ["--allow-all"] : permissions),
    ...Deno.args,
  ]]
  : [[...permissions, `--ignore=${BROWSER}`, "tests/"], ["--allow-all", BROWSER]];

let passed = 0, failed = 0, ignored = 0, ok = true;
for (const args of runs) {
  const result = await denoTest(args);
  passed += result.passed;
  failed += result.failed;
  ignored += result.ignored;
  ok &&= result.ok;
}
console.log(`tests: ${passed} passed, ${failed} failed, ${ignored} skipped`);
Deno.exit(ok && failed === 0 ? 0 : 1);

/** One `deno test` run, its output passed through; its counts from Deno's closing line. */
async function denoTest(args: string[]) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", ...args],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let passed = 0, failed = 0, ignored = 0, summary = false;
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of child.stdout) {
    await Deno.stdout.write(chunk);
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      // Deno's closing line: "ok | 12 passed | 0 failed | 2 ignored (3s)".
      const m =
        /^(?:ok|FAILED) \| (\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed(?: \(\d+ steps?\))?(?: \| (\d+) ignored)?/
          .exec(line);
      if (m) {
        passed = Number(m[1]);
        failed = Number(m[2]);
        ignored = Number(m[3] ?? 0);
        summary = true;
      }
    }
  }
  const status = await child.status;
  if (!summary) failed = Math.max(failed, 1); // the runner itself failed (type error, crash)
  return { passed, failed, ignored, ok: status.success };
}
