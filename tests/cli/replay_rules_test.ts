// `sluice replay --rules FILE`: a user's rules, read from a JSON file, win
// over the shipped catalogue; a bad file is one line and exit 2.
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import type { ReplayReport } from "../../cli/replay.ts";
import { hasLibpcap, requireSystem, skipUnless } from "../_system.ts";
import { assertUserError, SAMPLE, sluice } from "./_replay.ts";

const LIBPCAP = "libpcap";

/** Writes `rules` (JSON unless a string) to a temporary file, runs `body`, removes the file. */
async function withRulesFile(
  rules: unknown,
  body: (path: string) => Promise<void>,
): Promise<void> {
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(path, typeof rules === "string" ? rules : JSON.stringify(rules));
    await body(path);
  } finally {
    await Deno.remove(path);
  }
}

Deno.test({
  name: "sluice replay --rules makes a user's rules win over the shipped catalogue",
  ignore: skipUnless(hasLibpcap(), LIBPCAP),
  async fn() {
    requireSystem(hasLibpcap(), LIBPCAP);
    const rules = {
      rules: [
        // Port 5354 is League of Legends in the shipped port rules.
        { port: 5354, protocol: "udp", app: "my-game", category: "Gaming", name: "My Game" },
        { port: 18080, protocol: "TCP", app: "sample-web", category: "Browsing", name: "Web" },
        { cidr: "::1/128", app: "loopback", category: "Cloud" },
      ],
    };
    await withRulesFile(rules, async (path) => {
      const { code, stdout, stderr } = await sluice(SAMPLE, "--json", "--rules", path);
      assertEquals([code, stderr], [0, ""]);
      const report: ReplayReport = JSON.parse(stdout);
      const byServer = (server: string) => report.flows.filter((f) => f.server === server);
      assertEquals(
        byServer("127.0.0.1:5354").map((f) => [f.app, f.appName, f.category]),
        [["my-game", "My Game", "Gaming"]],
      );
      // The other League of Legends port is untouched.
      assertEquals(byServer("127.0.0.1:5356").map((f) => f.app), ["league-of-legends"]);
      assertEquals(new Set(byServer("127.0.0.1:18080").map((f) => f.app)), new Set(["sample-web"]));
      assertEquals(report.apps[0], {
        app: "sample-web",
        name: "Web",
        category: "Browsing",
        flows: 5,
        packets: 60,
        bytes: 8620,
      });
      // ICMPv6 is the network's own plumbing: it decides before any address rule.
      assertEquals(byServer("[::1]:0").map((f) => f.app), ["icmpv6"]);
      assertEquals(report.categories.map((c) => c.category), ["Browsing", "Network", "Gaming"]);
    });
    const example = await sluice(SAMPLE, "--rules", "sim/samples/rules.example.json");
    assertEquals([example.code, example.stderr], [0, ""]);
    assertStringIncludes(example.stdout, "Sample web server");
  },
});

Deno.test("sluice replay --rules exits 2 with one line naming what is wrong", async () => {
  const bad: [unknown, string][] = [
    [{
      rules: [{ port: 1, app: "a", category: "Gaming" }, { port: 2, app: "b", category: "Video" }],
    }, `rules[1].category: "Video" is not a category`],
    [
      { rules: [{ domain: "example.com", port: 80, app: "a", category: "Gaming" }] },
      "rules[0]: needs exactly one of domain, port or cidr",
    ],
    [{ rules: [{ cidr: "10.0.0.0/33", app: "a", category: "VPN" }] }, "rules[0].cidr"],
    [{ rules: [{ port: 70000, app: "a", category: "VPN" }] }, "rules[0].port"],
    [{ rules: [{ domain: "example.com", category: "Cloud" }] }, "rules[0].app"],
    [{ rules: {} }, "rules: expected an array"],
    [{ rule: [] }, "rule: unknown field"],
    [[], `expected an object with a "rules" array`],
    ["{ rules: [] }", "not JSON ("],
    ["", "not JSON ("],
  ];
  for (const [rules, problem] of bad) {
    await withRulesFile(rules, async (path) => {
      // The rules are read first: even a capture that is not there is not opened.
      assertUserError(
        await sluice(SAMPLE, "--json", "--rules", path),
        `sluice replay: rules ${path}: ${problem}`,
      );
      assertUserError(await sluice("nothing-here.pcap", "--rules", path), problem);
    });
  }
  const dir = await Deno.makeTempDir();
  try {
    assertUserError(
      await sluice(SAMPLE, "--rules", `${dir}/none.json`),
      `sluice replay: rules ${dir}/none.json: no such file`,
    );
    assertUserError(
      await sluice(SAMPLE, "--rules", dir),
      `sluice replay: rules ${dir}: not a file`,
    );
  } finally {
    await Deno.remove(dir);
  }
});

Deno.test("sluice replay --help documents --rules and the JSON fields", async () => {
  const { code, stdout } = await sluice("--help");
  assertEquals(code, 0);
  for (
    const text of [
      "--rules FILE",
      "rules.example.json",
      "hostnameSource",
      "apps[]",
      "categories[]",
      "devices[]",
    ]
  ) {
    assertStringIncludes(stdout, text);
  }
  for (const source of ["sni", "quic", "http", "dns", "dhcp", "netbios", "payload"]) {
    assert(new RegExp(`\\b${source}\\b`).test(stdout), source);
  }
});
