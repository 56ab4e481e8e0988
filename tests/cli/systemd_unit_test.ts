// The unit `sluice install` writes, line for line; systemd's own verifier
// over it (with ExecStart pointing at a real executable, as verify needs);
// the install record read back; and the paths a service may name.
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import {
  readInstallRecord,
  servicePath,
  systemdUnit,
  type UnitSettings,
} from "../../cli/systemd_unit.ts";
import { UsageError } from "../../cli/usage_error.ts";
import { hasCommand, requireSystem, skipUnless } from "../_system.ts";

const DEFAULT: UnitSettings = {
  bin: "/usr/local/bin/sluice",
  copied: true,
  data: "/var/lib/sluice",
  user: "sluice",
  version: "0.1.0",
};

const EXPECTED = `# Written by "sluice install" (Sluice 0.1.0); "sluice uninstall" removes it.
# sluice-install: bin=/usr/local/bin/sluice copied=yes data=/var/lib/sluice user=sluice
[Unit]
Description=Sluice network bandwidth monitor
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
ExecStart=/usr/local/bin/sluice run --data /var/lib/sluice
User=sluice
AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN
CapabilityBoundingSet=CAP_NET_RAW CAP_NET_ADMIN
StateDirectory=sluice
StateDirectoryMode=0750
ReadWritePaths=/var/lib/sluice
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
Restart=on-failure
RestartSec=10s

[Install]
WantedBy=multi-user.target
`;

Deno.test("systemdUnit() writes the default unit: a dedicated user with two capabilities", () => {
  assertEquals(systemdUnit(DEFAULT), EXPECTED);
});

Deno.test("systemdUnit() with user null runs as root: no User= and no capability limits", () => {
  const unit = systemdUnit({ ...DEFAULT, user: null });
  assertEquals(
    unit,
    EXPECTED
      .replace("user=sluice", "user=root")
      .replace(
        /User=sluice\n.*\n.*\n/,
        "# --root: full root, for kernels or tools where capabilities do not suffice.\n",
      ),
  );
});

Deno.test("systemdUnit() adds CAP_NET_BIND_SERVICE for a port under 1024", () => {
  const unit = systemdUnit({ ...DEFAULT, lowPort: true });
  const caps = "CAP_NET_RAW CAP_NET_ADMIN CAP_NET_BIND_SERVICE\n";
  assertStringIncludes(unit, `\nAmbientCapabilities=${caps}`);
  assertStringIncludes(unit, `\nCapabilityBoundingSet=${caps}`);
});

Deno.test("systemdUnit() outside /var/lib has no StateDirectory, only ReadWritePaths", () => {
  const unit = systemdUnit({ ...DEFAULT, data: "/srv/sluice" });
  assertEquals(unit.includes("StateDirectory"), false);
  assertStringIncludes(unit, "\nExecStart=/usr/local/bin/sluice run --data /srv/sluice\n");
  assertStringIncludes(unit, "\nReadWritePaths=/srv/sluice\n");
});

const hasAnalyze = hasCommand("systemd-analyze");

Deno.test({
  name: "systemdUnit() passes systemd-analyze verify, as a user and as root",
  ignore: skipUnless(hasAnalyze, "systemd-analyze (Debian package systemd)"),
  fn: async () => {
    requireSystem(hasAnalyze, "systemd-analyze (Debian package systemd)");
    const dir = await Deno.makeTempDir({ prefix: "sluice-unit-" });
    try {
      const bin = `${dir}/sluice`;
      await Deno.writeTextFile(bin, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
      await Deno.chmod(bin, 0o755);
      for (
        const settings of [{ ...DEFAULT, bin }, { ...DEFAULT, bin, user: null, lowPort: true }]
      ) {
        await Deno.mkdir(`${dir}/unit`, { recursive: true });
        await Deno.writeTextFile(`${dir}/unit/sluice.service`, systemdUnit(settings));
        const out = await new Deno.Command("systemd-analyze", {
          args: ["verify", `${dir}/unit/sluice.service`],
          stdout: "piped",
          stderr: "piped",
        }).output();
        const said = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
        assertEquals({ code: out.code, said: said.trim() }, { code: 0, said: "" });
      }
      // The check has teeth: a wrong key is reported.
      await Deno.writeTextFile(
        `${dir}/unit/sluice.service`,
        systemdUnit({ ...DEFAULT, bin }).replace("ProtectHome=yes", "ProtectHome=maybe"),
      );
      const out = await new Deno.Command("systemd-analyze", {
        args: ["verify", `${dir}/unit/sluice.service`],
        stderr: "piped",
      }).output();
      assertStringIncludes(new TextDecoder().decode(out.stderr), "protect home value");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("readInstallRecord() reads back what systemdUnit() recorded", () => {
  assertEquals(readInstallRecord(systemdUnit(DEFAULT)), {
    bin: "/usr/local/bin/sluice",
    copied: true,
    data: "/var/lib/sluice",
    user: "sluice",
  });
  assertEquals(readInstallRecord(systemdUnit({ ...DEFAULT, copied: false, user: null })), {
    bin: "/usr/local/bin/sluice",
    copied: false,
    data: "/var/lib/sluice",
    user: null,
  });
});

Deno.test("readInstallRecord() is null for a unit of someone else's or a damaged record", () => {
  assertEquals(readInstallRecord("[Unit]\nDescription=x\n"), null);
  const damaged = (from: string, to: string) =>
    readInstallRecord(systemdUnit(DEFAULT).replace(from, to));
  assertEquals(damaged("copied=yes", "copied=maybe"), null);
  assertEquals(damaged("data=/var/lib/sluice", "data=/"), null);
  assertEquals(damaged("data=/var/lib/sluice", "data=/var/lib/../etc"), null);
  assertEquals(damaged("user=sluice", "user=Bad$"), null);
  assertEquals(damaged(" bin=/usr/local/bin/sluice", ""), null);
});

Deno.test("servicePath() resolves against the directory and normalises", () => {
  const path = (text: string) => servicePath(text, "/etc/sluice", "--policy", "sluice install");
  assertEquals(path("policy.json"), "/etc/sluice/policy.json");
  assertEquals(path("./a/../policy.json"), "/etc/sluice/policy.json");
  assertEquals(path("/srv//x/"), "/srv/x");
});

Deno.test("servicePath() refuses characters a unit line would need quoted, and hidden places", () => {
  const refused = (text: string) =>
    (assertThrows(
      () => servicePath(text, "/etc", "--data", "sluice install"),
      UsageError,
    ) as Error).message;
  assertStringIncludes(refused("/srv/my data"), "--data must be a path of letters");
  assertStringIncludes(refused("/srv/%h"), "--data must be a path of letters");
  assertStringIncludes(refused("/srv/$HOME"), "--data must be a path of letters");
  assertEquals(
    refused("/home/ann/sluice"),
    "sluice install: --data /home/ann/sluice is under /home, which the service cannot see " +
      "(ProtectHome, PrivateTmp); use a path such as /etc/sluice or /var/lib/sluice",
  );
  assertStringIncludes(refused("/tmp/x"), "is under /tmp");
  assertStringIncludes(refused("/root"), "is under /root");
});
