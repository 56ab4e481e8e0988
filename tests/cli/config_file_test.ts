// cli/config_file.ts: the config read from disk and the environment, and
// `sluice run` refusing a bad one before it opens anything.
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { parseArgs } from "../../cli/args.ts";
import { RUN_SPEC } from "../../cli/config.ts";
import { configEnv, loadRunConfig, readConfigText } from "../../cli/config_file.ts";
import { UsageError } from "../../cli/usage_error.ts";
import { assertUserError, type Run } from "./_replay.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** `main.ts run ...args` with the given SLUICE_* variables and nothing else from this environment. */
async function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const permissions = ["--allow-ffi", "--allow-read", "--allow-write", "--allow-env"];
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, "--allow-sys=uid,osRelease", "main.ts", "run", ...args],
    cwd: ROOT,
    clearEnv: true,
    env: {
      NO_COLOR: "1",
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "",
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code, stdout: text.decode(stdout), stderr: text.decode(stderr) };
}

Deno.test("configEnv() picks only the config's variables", () => {
  const env = configEnv((name) => ({ SLUICE_IFACE: "eth1", SLUICE_DEBUG: "1" })[name]);
  assertEquals(env, { SLUICE_IFACE: "eth1" });
});

Deno.test("readConfigText() gives null for no file and refuses a directory", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice-config-" });
  try {
    assertEquals(await readConfigText(`${dir}/sluice.json`, "sluice run"), null);
    await Deno.writeTextFile(`${dir}/sluice.json`, "{}");
    assertEquals(await readConfigText(`${dir}/sluice.json`, "sluice run"), "{}");
    const err = await assertRejects(() => readConfigText(dir, "sluice run"), UsageError) as Error;
    assertStringIncludes(err.message, `sluice run: config ${dir}: `);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadRunConfig() reads the file in the data directory SLUICE_DATA names", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice-config-" });
  try {
    await Deno.writeTextFile(`${dir}/sluice.json`, '{"iface": "eth1", "no-lookups": true}');
    const config = await loadRunConfig(parseArgs([], RUN_SPEC), "sluice run", "sluice-data", {
      SLUICE_DATA: dir,
    });
    assertEquals(config.args.options.get("iface"), "eth1");
    assertEquals(config.args.flags.has("no-lookups"), true);
    assertEquals(config.file, { path: `${dir}/sluice.json`, found: true });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sluice run refuses a bad config in one line, before opening anything", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice-config-" });
  try {
    await Deno.writeTextFile(`${dir}/sluice.json`, '{"iface": "lo", "shaper": "tc"}');
    assertUserError(
      await run(["--data", dir]),
      `config ${dir}/sluice.json: "shaper": must be one of auto, linux`,
    );
    await Deno.writeTextFile(`${dir}/sluice.json`, '{"ifac": "lo"}');
    assertUserError(await run([], { SLUICE_DATA: dir }), `unknown key "ifac"`);
    assertUserError(
      await run(["--data", `${dir}/other`], { SLUICE_NO_WEB: "yes" }),
      "SLUICE_NO_WEB must be",
    );
    assertUserError(await run(["--config", `${dir}/none.json`]), "no such file");
    // Nothing was opened: no KV store in the data directory.
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["sluice.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sluice run --print-config shows the settings and where they came from", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice-config-" });
  try {
    await Deno.writeTextFile(`${dir}/sluice.json`, '{"iface": "lo", "lan": ["10.9.0.0/24"]}');
    const { code, stdout, stderr } = await run(["--print-config", "--shaper", "off"], {
      SLUICE_DATA: dir,
      SLUICE_NO_WEB: "1",
    });
    assertEquals([code, stderr], [0, ""]);
    const rows = Object.fromEntries(
      stdout.trimEnd().split("\n").filter((l) => !l.startsWith("#")).map((l) => {
        const [key, value, ...from] = l.split(/\s+/);
        return [key, `${value} ${from.join(" ")}`];
      }),
    );
    assertEquals(rows.iface, "lo file");
    assertEquals(rows.lan, "10.9.0.0/24 file");
    assertEquals(rows.data, `${dir} env SLUICE_DATA`);
    assertEquals(rows["no-web"], "true env SLUICE_NO_WEB");
    assertEquals(rows.shaper, "off flag");
    assertEquals([...Deno.readDirSync(dir)].length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
