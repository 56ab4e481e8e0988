// `sluice install` on a fake machine (a temporary root, a runner that
// records): the files written and their modes, the programs run, merging
// into an existing config, reinstalling, --root, --dry-run touching
// nothing, and every refusal in one line with nothing written.
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { installCommand } from "../../cli/install.ts";
import type { InstallSystem } from "../../cli/install_system.ts";
import { readInstallRecord, systemdUnit } from "../../cli/systemd_unit.ts";
import { UsageError } from "../../cli/usage_error.ts";
import { VERSION } from "../../cli/version.ts";
import { type FakeMachine, INSTALLED_TREE, withMachine } from "./_install_root.ts";

const POLICY = new URL("../../sim/samples/policy.example.json", import.meta.url);

const USERADD = [
  "useradd",
  "--system",
  "--user-group",
  "--home-dir",
  "/var/lib/sluice",
  "--no-create-home",
  "--shell",
  "/usr/sbin/nologin",
  "--comment",
  "Sluice bandwidth monitor",
  "sluice",
];

const readJson = async (m: FakeMachine, path: string) =>
  JSON.parse(await Deno.readTextFile(`${m.root}${path}`));

Deno.test("installCommand() copies the binary, writes config and unit, makes the user, starts it", async () => {
  await withMachine(async (m) => {
    assertEquals(await installCommand(["--iface", "eth1"], m.system), 0);
    assertEquals(await m.tree(), INSTALLED_TREE);
    assertEquals(
      await Deno.readTextFile(`${m.root}/etc/systemd/system/sluice.service`),
      systemdUnit({
        bin: "/usr/local/bin/sluice",
        copied: true,
        data: "/var/lib/sluice",
        user: "sluice",
        version: VERSION,
      }),
    );
    assertEquals(
      await Deno.readTextFile(`${m.root}/usr/local/bin/sluice`),
      await Deno.readTextFile(m.system.execPath),
    );
    assertEquals(await readJson(m, "/var/lib/sluice/sluice.json"), { iface: "eth1" });
    assertEquals(m.ran, [
      ["getent", "passwd", "sluice"],
      USERADD,
      ["chown", "-R", "sluice:", `${m.root}/var/lib/sluice`],
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "--now", "sluice.service"],
    ]);
    assertStringIncludes(m.printed.at(-1)!, "systemctl status sluice");
  });
});

Deno.test("installCommand() merges the options into an existing config file", async () => {
  await withMachine(async (m) => {
    await Deno.mkdir(`${m.root}/var/lib/sluice`, { recursive: true });
    await Deno.mkdir(`${m.root}/etc/sluice`, { recursive: true });
    await Deno.copyFile(POLICY, `${m.root}/etc/sluice/policy.json`);
    await Deno.writeTextFile(
      `${m.root}/var/lib/sluice/sluice.json`,
      JSON.stringify({ iface: "eth0", lan: "192.168.1.0/24", "no-lookups": true }),
    );
    const argv = ["--iface", "eth1", "--policy", "policy.json", "--listen", "0.0.0.0:8080"];
    assertEquals(await installCommand(argv, m.system), 0);
    assertEquals(await readJson(m, "/var/lib/sluice/sluice.json"), {
      iface: "eth1",
      lan: "192.168.1.0/24",
      "no-lookups": true,
      policy: "/etc/sluice/policy.json", // relative to the working directory
      listen: "0.0.0.0:8080",
      shaper: "linux", // "auto" would only pretend when not root
    });
  });
});

Deno.test("installCommand() again restarts the service, keeps the config, makes no user", async () => {
  await withMachine(async (m) => {
    assertEquals(await installCommand(["--iface", "eth1", "--listen", "0.0.0.0:80"], m.system), 0);
    m.ran.length = 0;
    // Run from the installed binary itself: nothing to copy, still its to remove.
    const again = { ...m.system, execPath: `${m.root}/usr/local/bin/sluice` };
    const answer = { code: 0, stdout: "sluice:x:999:999::/var/lib/sluice:/usr/sbin/nologin\n" };
    const runner: InstallSystem["runner"] = {
      run: (argv) => (m.ran.push([...argv]), Promise.resolve({ ...answer, stderr: "" })),
    };
    assertEquals(await installCommand([], { ...again, runner }), 0);
    assertEquals(await readJson(m, "/var/lib/sluice/sluice.json"), {
      iface: "eth1",
      listen: "0.0.0.0:80",
    });
    const unit = await Deno.readTextFile(`${m.root}/etc/systemd/system/sluice.service`);
    assertEquals(readInstallRecord(unit)?.copied, true);
    assertStringIncludes(unit, "CAP_NET_ADMIN CAP_NET_BIND_SERVICE\n"); // port 80
    assertEquals(m.ran, [
      ["getent", "passwd", "sluice"],
      ["chown", "-R", "sluice:", `${m.root}/var/lib/sluice`],
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "sluice.service"],
      ["systemctl", "restart", "sluice.service"],
    ]);
  });
});

Deno.test("installCommand() with a new --bin removes the copy it made before", async () => {
  await withMachine(async (m) => {
    assertEquals(await installCommand(["--iface", "eth1"], m.system), 0);
    assertEquals(await installCommand(["--bin", "/opt/sluice"], m.system), 0);
    const tree = await m.tree();
    assertEquals(tree.includes("/opt/sluice 755"), true);
    assertEquals(tree.includes("/usr/local/bin/sluice 755"), false);
  });
});

Deno.test("installCommand() --root runs it as root: no user, no chown, no capability limits", async () => {
  await withMachine(async (m) => {
    const argv = ["--root", "--iface", "eth1", "--bin", "/opt/sluice/sluice", "--data", "/srv/sl"];
    assertEquals(await installCommand(argv, m.system), 0);
    const unit = await Deno.readTextFile(`${m.root}/etc/systemd/system/sluice.service`);
    assertEquals(readInstallRecord(unit), {
      bin: "/opt/sluice/sluice",
      copied: true,
      data: "/srv/sl",
      user: null,
    });
    assertEquals(unit.includes("User="), false);
    assertEquals(unit.includes("Capabilit"), false);
    assertStringIncludes(unit, "\nExecStart=/opt/sluice/sluice run --data /srv/sl\n");
    assertEquals(await readJson(m, "/srv/sl/sluice.json"), { iface: "eth1" });
    assertEquals((await Deno.stat(`${m.root}/opt/sluice/sluice`)).mode! & 0o777, 0o755);
    assertEquals(m.ran, [
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "--now", "sluice.service"],
    ]);
  });
});

Deno.test("installCommand() --dry-run prints the unit and config and touches nothing", async () => {
  await withMachine(async (m) => {
    const before = await m.tree();
    // Neither root nor compiled: a dry run needs neither.
    const system = { ...m.system, uid: 1000, compiled: false };
    assertEquals(await installCommand(["--iface", "eth1", "--dry-run"], system), 0);
    assertEquals(await m.tree(), before);
    assertEquals(m.ran, []);
    const printed = m.printed.join("\n");
    assertStringIncludes(printed, "# /etc/systemd/system/sluice.service\n# Written by");
    assertStringIncludes(printed, "ExecStart=/usr/local/bin/sluice run --data /var/lib/sluice\n");
    assertStringIncludes(printed, '# /var/lib/sluice/sluice.json\n{\n  "iface": "eth1"\n}\n');
    assertStringIncludes(printed, "systemctl enable --now sluice.service");
  });
});

Deno.test("installCommand() returns 1 when systemctl fails, the files written whole", async () => {
  await withMachine(async (m) => {
    assertEquals(await installCommand(["--iface", "eth1"], m.system), 1);
    assertEquals(await m.tree(), INSTALLED_TREE);
    assertEquals(m.ran.at(-1), ["systemctl", "enable", "--now", "sluice.service"]);
    assertEquals(m.errors, [
      "sluice install: systemctl enable --now sluice.service failed: Failed to enable",
    ]);
  }, {
    answer: (argv) =>
      argv[1] === "enable" ? { code: 1, stdout: "", stderr: "Failed to enable\n" } : undefined,
  });
});

/** Each refusal: one line naming the problem, nothing written, nothing run. */
async function refused(
  argv: string[],
  expected: string,
  prepare?: (m: FakeMachine) => Promise<void>,
  system: Partial<InstallSystem> = {},
): Promise<void> {
  await withMachine(async (m) => {
    await prepare?.(m);
    const before = await m.tree();
    const err = await assertRejects(() => installCommand(argv, { ...m.system, ...system }));
    assertEquals((err as Error).constructor, UsageError);
    assertStringIncludes((err as Error).message, expected);
    assertEquals((err as Error).message.includes("\n"), false);
    assertEquals(await m.tree(), before);
    assertEquals(m.ran, []);
  });
}

Deno.test("installCommand() refuses a machine it cannot install on", async () => {
  await refused(["--iface", "eth1"], "works on Linux with systemd only", undefined, {
    os: "windows",
  });
  await refused(["--iface", "eth1"], "sluice install: needs root (run it with sudo)", undefined, {
    uid: 1000,
  });
  await refused(
    ["--iface", "eth1"],
    "systemd is not running here (no /run/systemd/system)",
    (m) => Deno.remove(`${m.root}/run/systemd/system`),
  );
  await refused(["--iface", "eth1"], "run the compiled binary, not deno", undefined, {
    compiled: false,
  });
});

Deno.test("installCommand() refuses bad options in one line", async () => {
  await refused([], "--iface IFACE is required");
  await refused(["--iface", "eth 1"], "--iface must be an interface name");
  await refused(["--iface", "eth1", "--root", "--user", "x"], "--root and --user do not go");
  await refused(["--iface", "eth1", "--user", "Root!"], "--user must be a system user name");
  await refused(["--iface", "eth1", "--listen", "8080"], "--listen must be HOST:PORT");
  await refused(["--iface", "eth1", "--data", "/var/lib"], "--data /var/lib is a system directory");
  await refused(["--iface", "eth1", "--bin", "/home/ann/sluice"], "is under /home");
  await refused(["--iface", "eth1", "--policy", "/tmp/p.json"], "is under /tmp");
  await refused(["--iface", "eth1", "--policy", "missing.json"], "policy");
  await refused(["--iface", "eth1", "--bin", "/run/systemd"], "--bin /run/systemd is a directory");
  await refused(["--iface", "eth1", "--frobnicate"], "unknown option --frobnicate");
});

Deno.test("installCommand() refuses a unit of someone else's and a config that is not JSON", async () => {
  await refused(["--iface", "eth1"], "was not written by sluice install", async (m) => {
    await Deno.mkdir(`${m.root}/etc/systemd/system`, { recursive: true });
    await Deno.writeTextFile(`${m.root}/etc/systemd/system/sluice.service`, "[Unit]\n");
  });
  await refused(["--iface", "eth1"], "sluice.json is not a JSON object", async (m) => {
    await Deno.mkdir(`${m.root}/var/lib/sluice`, { recursive: true });
    await Deno.writeTextFile(`${m.root}/var/lib/sluice/sluice.json`, "iface = eth1\n");
  });
});
