// cli/config.ts: flags, SLUICE_* variables and sluice.json merged without the disk.
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { parseArgs } from "../../cli/args.ts";
import {
  configEnvNames,
  configLocation,
  configText,
  envName,
  mergeConfig,
  RUN_SPEC,
  type RunConfig,
} from "../../cli/config.ts";
import { UsageError } from "../../cli/usage_error.ts";

const merge = (
  argv: string[],
  env: Record<string, string> = {},
  file: unknown = null,
): RunConfig =>
  mergeConfig(
    parseArgs(argv, RUN_SPEC),
    env,
    file === null ? null : typeof file === "string" ? file : JSON.stringify(file),
    { command: "sluice run", defaultData: "sluice-data" },
  );

const refusal = (argv: string[], env: Record<string, string>, file: unknown): string => {
  const err = assertThrows(() => merge(argv, env, file), UsageError) as Error;
  assertEquals(err.message.includes("\n"), false, err.message);
  return err.message;
};

Deno.test("envName() spells a key as its SLUICE_ variable", () => {
  assertEquals(envName("iface"), "SLUICE_IFACE");
  assertEquals(envName("no-web"), "SLUICE_NO_WEB");
  assertEquals(envName("tls-cert"), "SLUICE_TLS_CERT");
  assertEquals(configEnvNames().includes("SLUICE_CONFIG"), true);
});

Deno.test("configLocation() takes --data from the flag, then SLUICE_DATA, then the default", () => {
  const at = (argv: string[], env: Record<string, string>) =>
    configLocation(parseArgs(argv, RUN_SPEC), env, "sluice-data");
  assertEquals(at([], {}).path, "sluice-data/sluice.json");
  assertEquals(at([], {}).data, { value: "sluice-data", source: "default" });
  assertEquals(at([], { SLUICE_DATA: "/var/lib/sluice/" }).path, "/var/lib/sluice/sluice.json");
  assertEquals(at(["--data", "/d"], { SLUICE_DATA: "/e" }).data.source, "flag");
  assertEquals(at(["--data", "https://kv.example/x"], {}).path, null);
  assertEquals(at(["--config", "/etc/s.json"], { SLUICE_CONFIG: "/x" }), {
    data: { value: "sluice-data", source: "default" },
    path: "/etc/s.json",
    explicit: true,
  });
  assertEquals(at([], { SLUICE_CONFIG: "/x.json" }).path, "/x.json");
});

Deno.test("mergeConfig() ranks a flag over a variable over the file over the default", () => {
  const config = merge(
    ["--iface", "eth1"],
    { SLUICE_IFACE: "eth2", SLUICE_FILTER: "tcp", SLUICE_DATA: "/d" },
    { iface: "eth3", filter: "udp", lan: "10.0.0.0/8", "no-lookups": true },
  );
  assertEquals(config.args.options.get("iface"), "eth1");
  assertEquals(config.args.options.get("filter"), "tcp");
  assertEquals(config.args.options.get("lan"), "10.0.0.0/8");
  assertEquals(config.args.options.get("data"), "/d");
  assertEquals(config.args.flags.has("no-lookups"), true);
  assertEquals(config.settings.get("iface"), { value: "eth1", source: "flag" });
  assertEquals(config.settings.get("filter"), {
    value: "tcp",
    source: "env",
    origin: "SLUICE_FILTER",
  });
  assertEquals(config.settings.get("lan"), {
    value: "10.0.0.0/8",
    source: "file",
    origin: "/d/sluice.json",
  });
  assertEquals(config.file, { path: "/d/sluice.json", found: true });
  assertEquals(config.args.options.has("shaper"), false); // defaults stay run's own
});

Deno.test("mergeConfig() reads flags from the environment as 1/true/0/false", () => {
  assertEquals(merge([], { SLUICE_NO_WEB: "1" }).args.flags.has("no-web"), true);
  assertEquals(merge([], { SLUICE_NO_WEB: "TRUE" }).args.flags.has("no-web"), true);
  const off = merge([], { SLUICE_NO_LOOKUPS: "false" }, { "no-lookups": true });
  assertEquals(off.args.flags.has("no-lookups"), false);
  assertEquals(off.settings.get("no-lookups")?.source, "env");
  assertEquals(
    merge(["--no-lookups"], { SLUICE_NO_LOOKUPS: "0" }).args.flags.has("no-lookups"),
    true,
  );
  assertEquals(merge([], { SLUICE_IFACE: "" }).args.options.has("iface"), false);
  assertStringIncludes(
    refusal([], { SLUICE_NO_WEB: "yes" }, null),
    'sluice run: SLUICE_NO_WEB must be 1, true, 0 or false, got "yes"',
  );
});

Deno.test("mergeConfig() refuses a bad file in one line naming the file and the key", () => {
  const file = "sluice-data/sluice.json";
  assertEquals(
    refusal([], {}, { ifac: "eth0" }).startsWith(`sluice run: config ${file}: unknown key "ifac"`),
    true,
  );
  assertStringIncludes(
    refusal([], {}, { iface: 3 }),
    `config ${file}: "iface" must be a string, got 3`,
  );
  assertStringIncludes(refusal([], {}, { "no-web": "yes" }), `"no-web" must be true or false`);
  assertStringIncludes(
    refusal([], {}, { lan: [1] }),
    `"lan" must be a string or a list of strings`,
  );
  assertStringIncludes(refusal([], {}, { iface: " " }), `"iface" must not be empty`);
  assertStringIncludes(refusal([], {}, { data: "/x" }), `"data" cannot be set in the file`);
  assertStringIncludes(refusal([], {}, "{iface:"), `config ${file}: not JSON`);
  assertStringIncludes(refusal([], {}, "[]"), `config ${file}: must be a JSON object`);
});

Deno.test("mergeConfig() checks values from the file and the environment as run does", () => {
  const file = "sluice-data/sluice.json";
  assertStringIncludes(
    refusal([], {}, { shaper: "tc" }),
    `config ${file}: "shaper": must be one of`,
  );
  assertStringIncludes(
    refusal([], { SLUICE_LISTEN: "8080" }, null),
    'sluice run: SLUICE_LISTEN: must be HOST:PORT (e.g. 127.0.0.1:8080 or [::1]:8080), got "8080"',
  );
  assertStringIncludes(refusal([], {}, { lan: "10.0.0.0/99" }), `config ${file}: "lan": `);
  assertStringIncludes(refusal([], { SLUICE_PROTECT: "nope" }, null), "SLUICE_PROTECT: must be");
  assertStringIncludes(
    refusal([], { SLUICE_MAX_FLOWS: "1e6" }, null),
    'SLUICE_MAX_FLOWS: must be a whole number from 1024 to 16777216, got "1e6"',
  );
  assertStringIncludes(
    refusal([], {}, { "max-devices": 8 }),
    `config ${file}: "max-devices": must be a whole number from 16 to 1048576`,
  );
  assertStringIncludes(
    refusal(["--max-flows", "12"], {}, null),
    'sluice run: --max-flows must be a whole number from 1024 to 16777216, got "12"',
  );
  // A flag's mistake keeps the flag's own message.
  assertStringIncludes(
    refusal(["--shaper", "tc"], {}, null),
    "sluice run: --shaper must be one of",
  );
});

Deno.test("mergeConfig() joins lists and reads paths in the file beside the file", () => {
  const config = merge(["--data", "/srv/sluice"], {}, {
    lan: ["10.0.0.0/8", "192.168.1.0/24"],
    protect: ["aa:bb:cc:dd:ee:ff"],
    policy: "policy.json",
    "tls-cert": "/etc/ssl/c.pem",
    "tls-key": "C:\\keys\\k.pem",
  });
  assertEquals(config.args.options.get("lan"), "10.0.0.0/8,192.168.1.0/24");
  assertEquals(config.args.options.get("protect"), "aa:bb:cc:dd:ee:ff");
  assertEquals(config.args.options.get("policy"), "/srv/sluice/policy.json");
  assertEquals(config.args.options.get("tls-cert"), "/etc/ssl/c.pem");
  assertEquals(config.args.options.get("tls-key"), "C:\\keys\\k.pem");
  assertEquals(merge(["--policy", "p.json"]).args.options.get("policy"), "p.json");
});

Deno.test("mergeConfig() lets the higher of --no-web and a web option win", () => {
  const quiet = merge([], { SLUICE_NO_WEB: "1" }, { listen: "0.0.0.0:8080" });
  assertEquals(quiet.args.flags.has("no-web"), true);
  assertEquals(quiet.args.options.has("listen"), false);
  const served = merge(["--listen", "127.0.0.1:9000"], {}, { "no-web": true });
  assertEquals(served.args.flags.has("no-web"), false);
  assertEquals(served.args.options.get("listen"), "127.0.0.1:9000");
  assertStringIncludes(
    refusal([], {}, { "no-web": true, listen: "0.0.0.0:8080" }),
    `"listen" and "no-web": one sets the web up, the other turns it off`,
  );
});

Deno.test("mergeConfig() wants a file named by --config, and not the default one", () => {
  assertEquals(merge([]).file, { path: "sluice-data/sluice.json", found: false });
  assertEquals(merge(["--data", "http://kv.example"]).file, null);
  assertEquals(
    refusal(["--config", "/etc/s.json"], {}, null),
    "sluice run: config /etc/s.json: no such file",
  );
});

Deno.test("configText() shows each setting and where it came from", () => {
  const text = configText(
    merge(["--iface", "eth1"], { SLUICE_NO_WEB: "1" }, { lan: "10.0.0.0/8" }),
  );
  const lines = text.split("\n");
  assertEquals(lines[1], "# config file sluice-data/sluice.json");
  assertEquals(lines.find((l) => l.startsWith("iface "))?.split(/\s+/), ["iface", "eth1", "flag"]);
  assertEquals(lines.find((l) => l.startsWith("no-web "))?.split(/\s+/), [
    "no-web",
    "true",
    "env",
    "SLUICE_NO_WEB",
  ]);
  assertEquals(lines.find((l) => l.startsWith("lan "))?.split(/\s+/), [
    "lan",
    "10.0.0.0/8",
    "file",
  ]);
  assertEquals(lines.find((l) => l.startsWith("shaper "))?.split(/\s+/), [
    "shaper",
    "auto",
    "default",
  ]);
  assertEquals(lines.find((l) => l.startsWith("data "))?.split(/\s+/), [
    "data",
    "sluice-data",
    "default",
  ]);
});
