// cli/doctor.ts: every check against a faked machine (no root, any platform),
// and one real `sluice doctor` for the shape of its lines.
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import type { CaptureInterface } from "../../capture/mod.ts";
import { LibpcapUnavailableError } from "../../capture/mod.ts";
import {
  type CheckResult,
  doctorCommand,
  type DoctorSystem,
  doctorText,
  runChecks,
} from "../../cli/doctor.ts";
import type { CommandResult } from "../../shaper/mod.ts";
import { sluiceRunFlags, unstableFlags } from "../../cli/build.ts";

const ETH0: CaptureInterface = {
  name: "eth0",
  description: "",
  addresses: [{ family: "inet", address: "192.168.1.1", netmask: "255.255.255.0" }],
  loopback: false,
  up: true,
  running: true,
  wireless: false,
};

/** A Linux gateway where everything is in place, run as root; `over` breaks a part. */
function machine(
  over: Partial<DoctorSystem> = {},
  files: Record<string, string> = {},
  programs: Record<string, CommandResult> = {},
): DoctorSystem & { ran: string[][] } {
  const ran: string[][] = [];
  const found: Record<string, CommandResult> = {
    tc: { code: 0, stdout: "tc utility, iproute2-6.1.0\n", stderr: "" },
    nft: { code: 0, stdout: "nftables v1.0.6 (Lester Gooch #5)\n", stderr: "" },
    ...programs,
  };
  return {
    ran,
    os: "linux",
    env: {},
    libpcapVersion: () => "libpcap version 1.10.3",
    listInterfaces: () => [ETH0, { ...ETH0, name: "wlan0", up: false }],
    uid: () => 0,
    readTextFile: (path) => Promise.resolve(files[path] ?? null),
    runner: {
      run: (argv) => {
        ran.push([...argv]);
        return Promise.resolve(
          found[argv[0]] ?? { code: 127, stdout: "", stderr: `${argv[0]}: program not found` },
        );
      },
    },
    probeStore: (data) => Promise.resolve(`${data}/sluice.kv: wrote and deleted a probe key`),
    tryListen: () => Promise.resolve(),
    readPolicy: (path) => Promise.resolve(`${path}: valid, 2 rules`),
    ...over,
  };
}

const byName = (results: CheckResult[]) => Object.fromEntries(results.map((r) => [r.check, r]));

Deno.test("runChecks() passes a gateway that has everything, one result per check", async () => {
  const system = machine({}, { "/srv/sluice.json": '{"iface": "eth0", "policy": "p.json"}' });
  const results = byName(await runChecks(["--data", "/srv"], system));
  assertEquals(Object.keys(results), [
    "config",
    "libpcap",
    "capture",
    "iface",
    "tc",
    "nft",
    "netqos",
    "kv",
    "web",
    "policy",
  ]);
  assertEquals(results.config.detail, "/srv/sluice.json: valid, 2 settings");
  assertEquals(results.iface.detail, "eth0 is up; LAN 192.168.1.1/24");
  assertEquals(results.tc.detail, "tc utility, iproute2-6.1.0");
  assertEquals(results.netqos.status, "skip");
  assertEquals(results.policy.detail, "/srv/p.json: valid, 2 rules");
  assertEquals(results.web.detail, "http on 127.0.0.1:8080: free");
  assertEquals(
    Object.values(results).every((r) => r.status === "ok" || r.check === "netqos"),
    true,
  );
  assertEquals(system.ran, [["tc", "-V"], ["nft", "--version"]]);
});

Deno.test("runChecks() reads capture rights from CapEff when not root", async () => {
  const status = (capEff: string) => ({ "/proc/self/status": `Name:\tdeno\nCapEff:\t${capEff}\n` });
  const capture = async (capEff: string) =>
    byName(await runChecks([], machine({ uid: () => 1000 }, status(capEff)))).capture;
  assertEquals((await capture("0000000000003000")).status, "ok");
  const none = await capture("0000000000000000");
  assertEquals(none.status, "fail");
  assertEquals(none.detail, "not root, and without CAP_NET_RAW and CAP_NET_ADMIN");
  assertStringIncludes(none.fix!, "setcap cap_net_raw,cap_net_admin=ep");
  assertEquals((await capture("0000000000002000")).detail, "not root, and without CAP_NET_ADMIN");
});

Deno.test("runChecks() says how to get libpcap when it is missing", async () => {
  const missing = () => {
    throw new LibpcapUnavailableError("cannot load libpcap.so.1");
  };
  const results = byName(
    await runChecks([], machine({ libpcapVersion: missing, listInterfaces: missing })),
  );
  assertEquals(results.libpcap.status, "fail");
  assertStringIncludes(results.libpcap.fix!, "apt-get install libpcap0.8");
  assertEquals(results.iface.status, "warn");
  assertStringIncludes(results.iface.detail, "cannot list interfaces");
});

Deno.test("runChecks() finds a missing, down or addressless interface", async () => {
  const iface = async (argv: string[], over: Partial<DoctorSystem> = {}) =>
    byName(await runChecks(argv, machine(over))).iface;
  assertEquals((await iface([])).status, "warn"); // none set
  assertEquals((await iface([])).detail, "none set (up: eth0)");
  assertEquals((await iface(["--iface", "eth9"])).detail, 'no interface "eth9" (up: eth0)');
  assertEquals((await iface(["--iface", "wlan0"])).detail, "wlan0 is down");
  const bare = { listInterfaces: () => [{ ...ETH0, addresses: [] }] };
  assertEquals((await iface(["--iface", "eth0"], bare)).status, "fail");
  const withLan = { ...bare, env: { SLUICE_LAN: "10.0.0.0/8" } };
  assertEquals((await iface(["--iface", "eth0"], withLan)).detail, "eth0 is up; LAN 10.0.0.0/8");
});

Deno.test("runChecks() fails a missing tc or nft only when the settings would shape", async () => {
  const gone = { tc: { code: 127, stdout: "", stderr: "tc: program not found" } };
  const watch = byName(await runChecks([], machine({}, {}, gone))).tc;
  assertEquals(watch.status, "warn");
  assertStringIncludes(watch.fix!, "iproute2");
  const policy = { "p.json": "{}" };
  const shaping = byName(await runChecks(["--policy", "p.json"], machine({}, policy, gone))).tc;
  assertEquals(shaping.status, "fail");
  assertEquals(shaping.detail, "tc: not found");
});

Deno.test("runChecks() checks Npcap and NetQos on Windows instead of tc and nft", async () => {
  const powershell = (stdout: string) => ({ "powershell.exe": { code: 0, stdout, stderr: "" } });
  const windows = (stdout: string) =>
    machine({ os: "windows", uid: () => null }, {}, powershell(stdout));
  const good = byName(await runChecks([], windows("netqos\r\nTrue\r\n")));
  assertEquals([good.tc.status, good.nft.status, good.capture.status], ["skip", "skip", "skip"]);
  assertEquals(good.netqos.status, "ok");
  assertEquals(byName(await runChecks([], windows("netqos\r\nFalse\r\n"))).netqos.status, "warn");
  assertEquals(byName(await runChecks([], windows("False\r\n"))).netqos.status, "warn");
  const npcap = byName(
    await runChecks([], {
      ...windows(""),
      libpcapVersion: () => {
        throw new LibpcapUnavailableError("no wpcap.dll");
      },
    }),
  );
  assertStringIncludes(npcap.libpcap.fix!, "Npcap");
});

Deno.test("runChecks() fails a store it cannot write and a port in use", async () => {
  const results = byName(
    await runChecks(
      ["--listen", "0.0.0.0:80"],
      machine({
        probeStore: () => Promise.reject(new Deno.errors.PermissionDenied("Permission denied")),
        tryListen: () => Promise.reject(new Deno.errors.AddrInUse("Address in use")),
      }),
    ),
  );
  assertEquals(results.kv.status, "fail");
  assertEquals(results.kv.detail, "sluice-data: Permission denied");
  assertEquals(results.web.status, "fail");
  assertStringIncludes(results.web.detail, "cannot listen on 0.0.0.0:80: in use");
  assertStringIncludes(results.web.fix!, "SLUICE_LISTEN");
  const off = byName(await runChecks([], machine({ env: { SLUICE_NO_WEB: "1" } }))).web;
  assertEquals(off.status, "skip");
});

Deno.test("runChecks() checks the TLS files the web would serve", async () => {
  const env = { SLUICE_TLS_CERT: "c.pem", SLUICE_TLS_KEY: "k.pem" };
  const web = async (files: Record<string, string>) =>
    byName(await runChecks([], machine({ env }, files))).web;
  const cert = "-----BEGIN CERTIFICATE-----\n", key = "-----BEGIN PRIVATE KEY-----\n";
  assertEquals(
    (await web({ "c.pem": cert, "k.pem": key })).detail,
    "https on 127.0.0.1:8080: free",
  );
  assertEquals((await web({ "c.pem": cert })).detail, "k.pem: no such file");
  assertEquals((await web({ "c.pem": key, "k.pem": key })).detail, "c.pem: not a PEM certificate");
});

Deno.test("runChecks() reports a bad config and checks the rest without it", async () => {
  const bad = { "sluice-data/sluice.json": '{"iface": "eth0", "listen": 8080}' };
  const results = byName(await runChecks([], machine({ env: { SLUICE_IFACE: "eth0" } }, bad)));
  assertEquals(results.config.status, "fail");
  assertEquals(
    results.config.detail,
    'config sluice-data/sluice.json: "listen" must be a string, got 8080',
  );
  assertEquals(results.iface.detail, "eth0 is up; LAN 192.168.1.1/24"); // from SLUICE_IFACE
  const named = byName(await runChecks(["--config", "/etc/none.json"], machine())).config;
  assertEquals(named.detail, "config /etc/none.json: no such file");
  const env = byName(await runChecks([], machine({ env: { SLUICE_NO_WEB: "maybe" } }))).config;
  assertStringIncludes(env.detail, "SLUICE_NO_WEB must be 1, true, 0 or false");
});

Deno.test("runChecks() fails an invalid policy, and a check Deno refuses a permission", async () => {
  const results = byName(
    await runChecks(
      ["--policy", "home.json"],
      machine({
        readPolicy: () =>
          Promise.reject(new Error("sluice doctor: policy home.json: link: missing")),
        probeStore: () => {
          throw new Deno.errors.NotCapable("Requires write access");
        },
      }),
    ),
  );
  assertEquals(results.policy.detail, "policy home.json: link: missing");
  assertEquals(results.policy.status, "fail");
  assertEquals(results.kv, {
    check: "kv",
    status: "fail",
    detail: "Requires write access",
    fix: "run with Sluice's permissions (deno task sluice doctor, or the built binary)",
  });
});

Deno.test("doctorText() prints one aligned line per check, with the fix", () => {
  assertEquals(
    doctorText([
      { check: "tc", status: "ok", detail: "tc utility" },
      { check: "capture", status: "fail", detail: "not root", fix: "run as root" },
    ]),
    "ok   tc      tc utility\nfail capture not root; fix: run as root",
  );
});

Deno.test("doctorCommand() exits 1 when a check fails and prints JSON with --json", async () => {
  const out: string[] = [], log = console.log, error = console.error;
  console.log = (line: string) => out.push(line);
  console.error = () => {};
  try {
    assertEquals(await doctorCommand(["--iface", "eth0"], machine()), 0);
    assertEquals(await doctorCommand(["--iface", "eth9", "--json"], machine()), 1);
  } finally {
    console.log = log;
    console.error = error;
  }
  assertEquals(out[0].split("\n").length, 10);
  const json = JSON.parse(out[1]);
  assertEquals(json.ok, false);
  assertEquals(json.checks.find((c: CheckResult) => c.check === "iface").status, "fail");
});

Deno.test("sluice doctor checks this machine in one line per check", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice-doctor-" });
  try {
    const data = `${dir}/data`;
    // The binary's permissions: the sluice task's flags, as the build reads them.
    const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
    const permissions = [...sluiceRunFlags(config), ...unstableFlags(config)];
    const { code, stdout } = await new Deno.Command(Deno.execPath(), {
      args: ["run", ...permissions, "main.ts", "doctor", "--data", data, "--listen", "127.0.0.1:0"],
      cwd: new URL("../../", import.meta.url).pathname,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const lines = new TextDecoder().decode(stdout).trimEnd().split("\n");
    assert(code === 0 || code === 1, `exit ${code}`);
    assertEquals(lines.length, 10, lines.join("\n"));
    for (const line of lines) assert(/^(ok {2}|warn|fail|skip) [a-z]+ +\S/.test(line), line);
    assertEquals(
      lines.map((l) => l.split(/\s+/)[1]).join(" "),
      "config libpcap capture iface tc nft netqos kv web policy",
    );
    assert(lines.some((l) => /^ok {3}kv /.test(l)), lines.join("\n"));
    // The probe leaves no data directory behind.
    assertEquals(await Deno.stat(data).then(() => true, () => false), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
