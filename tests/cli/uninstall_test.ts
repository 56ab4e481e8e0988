// `sluice uninstall` on a fake machine after `sluice install`: the service
// stopped and disabled, Sluice's shaping swept from the configured interface
// (tc and nft through the runner), the binary and unit removed, the data
// kept unless --purge; --dry-run touching nothing; refusals in one line.
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { installCommand } from "../../cli/install.ts";
import type { InstallSystem } from "../../cli/install_system.ts";
import { uninstallCommand } from "../../cli/uninstall.ts";
import { UsageError } from "../../cli/usage_error.ts";
import { KvShaperStore, LinuxRenderer, type ShapePlan, Shaper } from "../../shaper/mod.ts";
import { type FakeMachine, INSTALLED_TREE, withMachine } from "./_install_root.ts";

/** Everything but the sweep's commands, which tests/cli/shaper_command_test.ts checks. */
const isSweep = (argv: string[]) => argv[0] === "tc" || argv[0] === "nft" || argv[0] === "ip";

const KEPT_TREE = INSTALLED_TREE.filter((p) =>
  !p.startsWith("/etc/systemd/system/sluice.service") && !p.startsWith("/usr/local/bin/sluice ")
);

async function installed(m: FakeMachine, argv = ["--iface", "eth1"]): Promise<void> {
  assertEquals(await installCommand(argv, m.system), 0);
  m.ran.length = 0;
  m.printed.length = 0;
}

Deno.test("uninstallCommand() stops the service, sweeps the interface, removes binary and unit", async () => {
  await withMachine(async (m) => {
    await installed(m);
    assertEquals(await uninstallCommand([], m.system), 0);
    assertEquals(await m.tree(), KEPT_TREE);
    assertEquals(m.ran.filter((argv) => !isSweep(argv)), [
      ["systemctl", "disable", "--now", "sluice.service"],
      ["systemctl", "daemon-reload"],
    ]);
    const sweep = m.ran.filter(isSweep).map((argv) => argv.join(" "));
    assertEquals(sweep.includes("nft delete table inet sluice"), true);
    assertEquals(sweep.includes("tc qdisc del dev eth1 root handle 51ce: htb"), true);
    assertEquals(m.errors, []);
    assertEquals(m.printed.at(-1), "kept /var/lib/sluice (--purge removes it)");
  });
});

Deno.test("uninstallCommand() removes what the data directory records as applied", async () => {
  await withMachine(async (m) => {
    await installed(m);
    const plan: ShapePlan = {
      link: { down: 12_500_000, up: 2_500_000 },
      shares: { high: 0.5, normal: 0.35, low: 0.15 },
      devices: [],
    };
    const kv = await Deno.openKv(`${m.root}/var/lib/sluice/sluice.kv`);
    try {
      const shaper = new Shaper({
        renderer: new LinuxRenderer({ lan: "eth1" }),
        runner: { run: () => Promise.resolve({ code: 0, stdout: "", stderr: "" }) },
        store: new KvShaperStore(kv, "eth1"),
      });
      await shaper.start();
      await shaper.apply(plan, 1000);
    } finally {
      kv.close();
    }
    assertEquals(await uninstallCommand([], m.system), 0);
    const ran = m.ran.map((argv) => argv.join(" "));
    assertEquals(ran.some((c) => c.startsWith("tc class del dev eth1")), true);
    const kept = await Deno.openKv(`${m.root}/var/lib/sluice/sluice.kv`);
    try {
      assertEquals((await new KvShaperStore(kept, "eth1").load())?.objects ?? [], []);
    } finally {
      kept.close();
    }
  });
});

Deno.test("uninstallCommand() --purge removes the data directory too", async () => {
  await withMachine(async (m) => {
    await installed(m);
    assertEquals(await uninstallCommand(["--purge"], m.system), 0);
    assertEquals(await m.tree(), KEPT_TREE.filter((p) => !p.startsWith("/var/lib/sluice")));
    assertEquals(m.printed.includes("removed /var/lib/sluice"), true);
  });
});

Deno.test("uninstallCommand() leaves a binary it did not copy", async () => {
  await withMachine(async (m) => {
    // Installed from /usr/local/bin/sluice itself: nothing was copied.
    await Deno.mkdir(`${m.root}/usr/local/bin`, { recursive: true });
    await Deno.writeTextFile(`${m.root}/usr/local/bin/sluice`, "own\n");
    const own = { ...m.system, execPath: `${m.root}/usr/local/bin/sluice` };
    assertEquals(await installCommand(["--iface", "eth1"], own), 0);
    assertEquals(await uninstallCommand([], m.system), 0);
    assertEquals(await Deno.readTextFile(`${m.root}/usr/local/bin/sluice`), "own\n");
  });
});

Deno.test("uninstallCommand() carries on when systemctl fails, and returns 1", async () => {
  await withMachine(async (m) => {
    await installed(m);
    assertEquals(await uninstallCommand([], m.system), 1);
    assertEquals(await m.tree(), KEPT_TREE);
    assertEquals(m.errors, [
      "sluice uninstall: systemctl disable --now sluice.service failed: Unit not loaded",
    ]);
  }, {
    answer: (argv) =>
      argv[1] === "disable" ? { code: 5, stdout: "", stderr: "Unit not loaded\n" } : undefined,
  });
});

Deno.test("uninstallCommand() --dry-run prints the steps and touches nothing", async () => {
  await withMachine(async (m) => {
    await installed(m);
    const before = await m.tree();
    assertEquals(await uninstallCommand(["--dry-run", "--purge"], { ...m.system, uid: 1000 }), 0);
    assertEquals(await m.tree(), before);
    assertEquals(m.ran, []);
    assertEquals(m.printed, [
      "systemctl disable --now sluice.service",
      "sluice shaper reset --iface eth1 --data /var/lib/sluice",
      "rm /usr/local/bin/sluice",
      "rm -r /var/lib/sluice",
      "rm /etc/systemd/system/sluice.service",
      "systemctl daemon-reload",
    ]);
  });
});

async function refused(
  argv: string[],
  expected: string,
  prepare: (m: FakeMachine) => Promise<void> = installed,
  system: Partial<InstallSystem> = {},
): Promise<void> {
  await withMachine(async (m) => {
    await prepare(m);
    const before = await m.tree();
    const err = await assertRejects(() => uninstallCommand(argv, { ...m.system, ...system }));
    assertEquals((err as Error).constructor, UsageError);
    assertStringIncludes((err as Error).message, expected);
    assertEquals(await m.tree(), before);
    assertEquals(m.ran, []);
  });
}

Deno.test("uninstallCommand() refuses in one line, touching nothing", async () => {
  await refused([], "sluice uninstall: Sluice is not installed", () => Promise.resolve());
  await refused([], "was not written by sluice install", async (m) => {
    await Deno.mkdir(`${m.root}/etc/systemd/system`, { recursive: true });
    await Deno.writeTextFile(`${m.root}/etc/systemd/system/sluice.service`, "[Unit]\n");
  });
  await refused([], "needs root", undefined, { uid: 1000 });
  await refused([], "works on Linux with systemd only", undefined, { os: "darwin" });
  await refused(["--purge", "--keep-data"], "--purge and --keep-data do not go together");
});
