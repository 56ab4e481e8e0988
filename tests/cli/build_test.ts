// `deno task build`: the compile command per target, the permissions taken
// from the `sluice` task, and the one line when Deno's runtime cannot be had.
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import {
  compileArgs,
  type DenoConfig,
  isRuntimeDownloadFailure,
  noRuntimeLine,
  outputName,
  sluiceRunFlags,
  TARGETS,
  workerModules,
} from "../../cli/build.ts";

const ROOT = new URL("../../", import.meta.url);
const CONFIG: DenoConfig = {
  tasks: {
    sluice: "deno run --allow-ffi --allow-read --allow-net --allow-sys=uid,osRelease main.ts",
  },
  unstable: ["kv", "raw-imports"],
};

/** The real deno.json, as the build reads it. */
async function denoJson(): Promise<DenoConfig> {
  return JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
}

/** Runs cli/build.ts as `deno task build` does, but writing under `out`. */
async function runBuild(args: string[], env: Record<string, string>, out: string) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      `--allow-write=${out}`,
      "--allow-run",
      "--allow-env",
      "cli/build.ts",
      "--out",
      out,
      ...args,
    ],
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code, stdout: dec.decode(stdout), stderr: dec.decode(stderr) };
}

Deno.test("compileArgs() gives each target the sluice task's flags, the unstable features and the workers", () => {
  assertEquals(compileArgs(CONFIG, "x86_64-unknown-linux-gnu", ["capture/_live_worker.ts"]), [
    "compile",
    "--allow-ffi",
    "--allow-read",
    "--allow-net",
    "--allow-sys=uid,osRelease",
    "--unstable-kv",
    "--unstable-raw-imports",
    "--exclude-unused-npm",
    "--app-name",
    "sluice",
    "--include",
    "capture/_live_worker.ts",
    "--target",
    "x86_64-unknown-linux-gnu",
    "--output",
    "dist/sluice-x86_64-unknown-linux-gnu",
    "main.ts",
  ]);
  const outputs = TARGETS.map((t) => {
    const args = compileArgs(CONFIG, t, [], "/tmp/out");
    assertEquals(args[args.indexOf("--target") + 1], t);
    return args[args.indexOf("--output") + 1];
  });
  assertEquals(outputs, [
    "/tmp/out/sluice-x86_64-unknown-linux-gnu",
    "/tmp/out/sluice-aarch64-unknown-linux-gnu",
    "/tmp/out/sluice-x86_64-apple-darwin",
    "/tmp/out/sluice-aarch64-apple-darwin",
    "/tmp/out/sluice-x86_64-pc-windows-msvc.exe",
  ]);
  assertEquals(outputName("aarch64-apple-darwin"), "dist/sluice-aarch64-apple-darwin");
});

Deno.test("sluiceRunFlags() reads the one permission list from deno.json's sluice task, never -A", async () => {
  const real = await denoJson();
  const flags = sluiceRunFlags(real);
  assertEquals(
    `deno run ${flags.join(" ")} main.ts`,
    (real.tasks!.sluice as string).trim().replace(/\s+/g, " "),
  );
  for (const needed of ["--allow-ffi", "--allow-net", "--allow-run", "--allow-write"]) {
    assert(flags.some((f) => f === needed || f.startsWith(`${needed}=`)), needed);
  }
  assert(!flags.some((f) => f === "-A" || f === "--allow-all"));
  assertEquals(sluiceRunFlags({ tasks: { sluice: { command: "deno run --allow-net main.ts" } } }), [
    "--allow-net",
  ]);
  const bad: [DenoConfig, string][] = [
    [{}, "tasks.sluice is missing"],
    [{ tasks: { sluice: "deno run -A main.ts" } }, '"-A" is not a plain --flag'],
    [{ tasks: { sluice: "deno run --allow-all main.ts" } }, "--allow-all; name the permissions"],
    [{ tasks: { sluice: "deno run --allow-net cli/other.ts" } }, "must be"],
    [{ tasks: { sluice: "deno run --allow-env=$HOME main.ts" } }, "not a plain --flag"],
  ];
  for (const [config, message] of bad) {
    const e = assertThrows(() => sluiceRunFlags(config), TypeError) as TypeError;
    assertStringIncludes(e.message, message);
  }
});

Deno.test("workerModules() finds the capture worker that compile must be told to include", async () => {
  const workers = await workerModules();
  assert(workers.length > 0, "at least the live capture worker");
  for (const w of workers) {
    assert(/^(capture|cli|engine|shaper|sim|web)\/[\w/.-]+\.ts$/.test(w), w);
    await Deno.stat(new URL(w, ROOT)); // exists
  }
});

Deno.test("isRuntimeDownloadFailure() tells deno compile's download failure from other errors", () => {
  const download = "error: Writing deno compile executable to temporary file 'x'\n\nCaused by:\n" +
    "    0: Setting up base binary.\n    1: error sending request for url " +
    "(https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip): dns error";
  assert(isRuntimeDownloadFailure(download));
  assert(!isRuntimeDownloadFailure("error: TS2322 [ERROR]: Type 'string' is not assignable"));
  const line = noRuntimeLine("aarch64-apple-darwin", "2.9.6");
  assert(!line.includes("\n"));
  assertStringIncludes(line, "DENORT_BIN");
  assertStringIncludes(line, "denort-aarch64-apple-darwin.zip");
});

Deno.test("deno task build with DENORT_BIN missing, or not a runtime, says so in one line and exits 1", async () => {
  const out = await Deno.makeTempDir({ prefix: "sluice-build-test-" });
  try {
    const notRuntime = `${out}/denort`;
    await Deno.writeTextFile(notRuntime, "#!/bin/sh\necho not a runtime\n");
    const cases: [string, string][] = [
      ["/nonexistent", "sluice build: DENORT_BIN=/nonexistent: no such file"],
      [notRuntime, "is not an executable for any target Sluice builds, so not denort"],
      [Deno.execPath(), "is a Deno build but not its runtime denort"],
      ["", "DENORT_BIN is set but empty"],
    ];
    for (const [denort, message] of cases) {
      const { code, stdout, stderr } = await runBuild([], { DENORT_BIN: denort }, out);
      assertEquals(code, 1, denort);
      assertEquals(stderr.trimEnd().split("\n").length, 1, stderr);
      assertStringIncludes(stderr, message);
      assertEquals(stdout, "");
    }
    const e = await runBuild(["--target", "mips"], {}, out);
    assertEquals(e.code, 2);
    assertStringIncludes(e.stderr, "--target must be one of x86_64-unknown-linux-gnu, ");
    assertEquals([...Deno.readDirSync(out)].map((d) => d.name), ["denort"], "nothing built");
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("deno task build without DENORT_BIN, where dl.deno.land cannot be reached, is one line and exit 1", async () => {
  const target = "aarch64-unknown-linux-gnu";
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
  })
    .output();
  const denoDir = JSON.parse(new TextDecoder().decode(info.stdout)).denoDir as string;
  const cached = `${denoDir}/dl/release/v${Deno.version.deno}/denort-${target}.zip`;
  if (await Deno.stat(cached).then(() => true, () => false)) {
    console.log(`skipped: ${cached} is cached, so the build needs no network`);
    return;
  }
  const out = await Deno.makeTempDir({ prefix: "sluice-build-test-" });
  try {
    // A proxy that refuses: the download fails here and on a machine with a network alike.
    const env = { HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "http://127.0.0.1:9" };
    const { code, stdout, stderr } = await runBuild(["--target", target], env, out);
    assertEquals(code, 1, stderr);
    assertEquals(stderr.trimEnd().split("\n"), [noRuntimeLine(target)]);
    assertStringIncludes(stdout, `sluice-${target} …`);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("deno compile with the build's arguments embeds the UI and the data files, not the tests", async () => {
  // A stand-in runtime: compile then writes its listing of what it embedded without
  // downloading denort (the result does not run, and is not meant to).
  const out = await Deno.makeTempDir({ prefix: "sluice-build-test-" });
  try {
    const host = TARGETS.find((t) =>
      t.startsWith(Deno.build.arch) && t.includes(Deno.build.os.replace("darwin", "apple"))
    ) ?? "x86_64-unknown-linux-gnu";
    const args = compileArgs(await denoJson(), host, await workerModules(), out);
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: ROOT,
      env: { DENORT_BIN: Deno.execPath(), NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const listing = new TextDecoder().decode(stderr);
    assertEquals(code, 0, listing);
    for (
      const entry of [
        "ui/* (",
        "ui_files.ts",
        "preact.mjs",
        "uplot.css",
        "oui.json",
        "catalogue/* (",
        "scenarios/* (",
        "hono/",
      ]
    ) {
      assertStringIncludes(listing, entry);
    }
    assert(!listing.includes("playwright"), "test-only npm packages stay out");
    assert(!/tests\//.test(listing), "no tests");
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
