// The compiled binary's code paths, run here: main.ts with exactly the flags
// `deno task build` compiles it with, while the source tree's UI and data
// files are denied to it. Everything must then come through the module graph
// (bytes and JSON imports), which is what deno compile embeds; a read from
// the disk instead fails with NotCapable and so fails these tests.
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { type DenoConfig, sluiceRunFlags, unstableFlags } from "../../cli/build.ts";
import { printedLogin, spawnDeno, webSession } from "../_web_login.ts";

const ROOT = new URL("../../", import.meta.url);
/** What the binary embeds; deno run may not read any of it from the disk. */
const EMBEDDED = ["web/ui", "web/vendor", "sim/scenarios", "engine/catalogue", "engine/devices"];

/** `deno run` with the binary's flags, the embedded folders denied. */
async function binaryFlags(): Promise<string[]> {
  const config: DenoConfig = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  const denied = EMBEDDED.map((d) => new URL(d, ROOT).pathname.replace(/\/$/, ""));
  return [
    "run",
    ...sluiceRunFlags(config),
    ...unstableFlags(config),
    `--deny-read=${denied.join(",")}`,
    "main.ts",
  ];
}

Deno.test("sluice demo, run as the binary with the source tree's UI denied, serves the embedded UI and API", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "sluice-embedded-test-" });
  const { child, stdout, stderr } = spawnDeno([
    ...await binaryFlags(),
    "demo",
    "--listen",
    "127.0.0.1:0",
    "--speed",
    "10",
  ], tmp);
  try {
    const { password, url } = await printedLogin(stderr);
    const disk = (path: string) => Deno.readFile(new URL(path, ROOT));

    const index = await fetch(url);
    assertEquals(index.status, 200);
    const html = await index.text();
    assertStringIncludes(html, "<title>");
    const version = /src="\/v\/([0-9a-f]{16})\/app\.js"/.exec(html)?.[1];
    assert(version, "index.html names the versioned app.js");

    const app = await fetch(`${url}v/${version}/app.js`);
    assertEquals(app.status, 200);
    assertEquals(app.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assertEquals(new Uint8Array(await app.arrayBuffer()), await disk("web/ui/app.js"));

    const preact = await fetch(`${url}vendor/preact.mjs`);
    assertEquals(preact.status, 200);
    assertEquals(preact.headers.get("content-type"), "text/javascript; charset=utf-8");
    assertEquals(new Uint8Array(await preact.arrayBuffer()), await disk("web/vendor/preact.mjs"));
    const uplot = await fetch(`${url}v/${version}/vendor/uplot.css`);
    assertEquals(uplot.status, 200);
    assertEquals(new Uint8Array(await uplot.arrayBuffer()), await disk("web/vendor/uplot.css"));

    const { cookie } = await webSession(url, password);
    const status = await fetch(`${url}api/v1/status`, { headers: { cookie } });
    assertEquals(status.status, 200);
    assertEquals(typeof (await status.json()), "object");

    child.kill("SIGINT");
    const exit = await child.status;
    await Promise.all([stdout.ended, stderr.ended]);
    assertEquals(exit.code, 0, stderr.text());
    assert(!/NotCapable|internal error/.test(stderr.text()), stderr.text());
    assertMatch(stdout.text(), /Family home \(seed 1\)/);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await child.status;
    await Promise.all([stdout.ended, stderr.ended]).catch(() => {});
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("sluice sim, run as the binary with the scenarios, catalogue and OUI table denied, runs", async () => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [...await binaryFlags(), "sim", "family", "--until", "1m"],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(stdout), err = new TextDecoder().decode(stderr);
  assertEquals(code, 0, err);
  assertMatch(out, /Family home \(seed 1\), .*: \d+ packets/);
  assertMatch(out, /\nhash [0-9a-f]{64}/);
});

Deno.test("the denial is real: reading an embedded folder from the disk under these flags fails", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "sluice-embedded-test-" });
  try {
    const probe = `${tmp}/probe.ts`;
    await Deno.writeTextFile(
      probe,
      "await Deno.readFile('web/ui/index.html').then(() => console.log('read'), " +
        "(e) => console.log(e.name));",
    );
    const flags = await binaryFlags();
    const { stdout } = await new Deno.Command(Deno.execPath(), {
      args: [...flags.slice(0, -1), probe], // the same flags, the probe instead of main.ts
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdout: "piped",
    }).output();
    assertEquals(new TextDecoder().decode(stdout).trim(), "NotCapable");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
