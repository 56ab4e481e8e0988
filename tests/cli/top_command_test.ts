// `sluice top` as a command: wrong input in one line with exit status 2, and
// --raw over a capture file replayed as fast as it reads.
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "@std/assert";
import { thresholdOption, topCommand } from "../../cli/top/top_command.ts";
import { UsageError } from "../../cli/usage_error.ts";
import { hasLibpcap, requireSystem, skipUnless } from "../_system.ts";
import { FLAT } from "../sim/_flat.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const noEnv = () => undefined;

Deno.test("topCommand() refuses wrong input in one line naming it", async () => {
  const cases: [string[], string][] = [
    [[], "give --url URL (or SLUICE_URL), --iface IFACE or --file FILE"],
    [["--url", "gw:8080", "--token", "t"], `--url must be http:// or https://, got "gw:8080"`],
    [["--url", "//gw", "--token", "t"], `--url "//gw" is not a URL`],
    [["--url", "http://127.0.0.1:8080/"], "--url needs an API token"],
    [["--url", "http://x/", "--file", "a.pcap"], "give one of --url, --iface and --file"],
    [["--iface", "no-such-if0"], `no interface "no-such-if0"`],
    [["--file", "/no/such/file.pcap"], `no capture file "/no/such/file.pcap"`],
    [["--url", "http://x/", "--fast"], "--fast goes with --file"],
    [["--file", "x.pcap", "--token", "t"], "--token goes with --url"],
    [
      ["--url", "http://x/", "--token", "t", "--lan", "10.0.0.0/8"],
      "--lan goes with --iface or --file",
    ],
    [["--view", "flows"], "--view must be devices, processes, apps"],
    [["--threshold", "3MB"], "--threshold must be 512kB, 1MB, 2MB, 5MB or 10MB"],
  ];
  for (const [argv, message] of cases) {
    const e = await assertRejects(() => topCommand(argv, { env: noEnv }), UsageError);
    assertStringIncludes((e as Error).message, `sluice top: ${message}`, argv.join(" "));
  }
});

Deno.test("thresholdOption() reads the five thresholds however written", () => {
  assertEquals(["512kB", "512 KB/s", "1MB", "2 MB", "5MB/s", "10MB"].map(thresholdOption), [
    0,
    0,
    1,
    2,
    3,
    4,
  ]);
  assertEquals(thresholdOption(undefined), 1);
});

Deno.test("sluice top exits 2 with one line for a refused token and a missing file", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => Response.json({ error: { status: 401, message: "sign in" } }, { status: 401 }),
  );
  try {
    const url = `http://127.0.0.1:${server.addr.port}/`;
    for (
      const [args, message] of [
        [["--url", url, "--token", "sluice_wrong"], `sluice top: ${url} refused the token (401)`],
        [["--file", "/no/such.pcap"], `sluice top: no capture file "/no/such.pcap"`],
      ]
    ) {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "main.ts", "top", ...args],
        cwd: ROOT,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assertEquals(out.code, 2, stderr);
      assertEquals(stderr.trimEnd().split("\n").length, 1, stderr);
      assertStringIncludes(stderr, message as string);
      assertEquals(out.stdout.length, 0);
    }
  } finally {
    await server.shutdown();
  }
});

Deno.test({
  name: "topCommand() --raw --file --fast prints every second of a capture, then ends",
  ignore: skipUnless(hasLibpcap(), "libpcap"),
  async fn() {
    requireSystem(hasLibpcap(), "libpcap");
    const tmp = await Deno.makeTempDir({ prefix: "sluice-top-raw-" });
    try {
      await Deno.writeTextFile(`${tmp}/flat.json`, JSON.stringify(FLAT));
      const sim = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "main.ts",
          "sim",
          `${tmp}/flat.json`,
          "--until",
          "10s",
          "--pcap",
          `${tmp}/flat.pcap`,
        ],
        cwd: ROOT,
        stdout: "null",
        stderr: "piped",
      }).output();
      assertEquals(sim.code, 0, new TextDecoder().decode(sim.stderr));
      const lines: string[] = [];
      const code = await topCommand([
        "--file",
        `${tmp}/flat.pcap`,
        "--fast",
        "--raw",
        "--view",
        "apps",
      ], {
        env: noEnv,
        out: (line) => lines.push(line),
      });
      assertEquals(code, 0);
      const links = lines.filter((l) => l.split("\t")[1] === "link");
      assert(links.length >= 10, `a line a second: ${links.length}`);
      for (const l of lines) assertEquals(l.split("\t").length, 8, l);
      const steam = lines.filter((l) => l.includes("\tsteam-downloads\tSteam Downloads\t"));
      assert(steam.length >= 9, "the download, every second");
      assertMatch(
        steam[3],
        /^\d{13}\tapps\tsteam-downloads\tSteam Downloads\t1[0-9]{7}\t\d+\t\d+\t\d+$/,
      );
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
