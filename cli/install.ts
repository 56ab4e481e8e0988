import { parseArgs } from "./args.ts";
import { CONFIG_FILE } from "./config.ts";
import {
  checkMachine,
  copyAtomic,
  firstLine,
  type InstallSystem,
  isDirectory,
  onDisk,
  readIfThere,
  realSystem,
  runStep,
  writeAtomic,
} from "./install_system.ts";
import { commandLine } from "../shaper/mod.ts";
import { readPolicyDocument } from "./policy_file.ts";
import {
  DEFAULT_BIN,
  DEFAULT_USER,
  type InstallRecord,
  isSystemDirectory,
  readInstallRecord,
  SERVICE_DATA,
  servicePath,
  systemdUnit,
  UNIT_NAME,
  UNIT_PATH,
  USER_NAME,
} from "./systemd_unit.ts";
import { UsageError } from "./usage_error.ts";
import { VERSION } from "./version.ts";
import { listenOption } from "./web_server.ts";

export { UNINSTALL_HELP, uninstallCommand } from "./uninstall.ts";

/** `sluice install --help`. */
export const INSTALL_HELP =
  `sluice install [--iface IFACE] [--policy FILE] [--listen HOST:PORT] [options]

Installs Sluice as a systemd service (Linux, as root): copies this binary to
${DEFAULT_BIN}, writes the options given into the config file
${SERVICE_DATA}/${CONFIG_FILE} (merged into what is there), writes
${UNIT_PATH}, which runs
"sluice run --data ${SERVICE_DATA}" at boot, then "systemctl daemon-reload"
and "systemctl enable --now ${UNIT_NAME}".

The service runs as the system user "${DEFAULT_USER}" (made if missing) with only
CAP_NET_RAW and CAP_NET_ADMIN (capture and shaping; CAP_NET_BIND_SERVICE too
for a --listen port under 1024), in a read-only system (ProtectSystem=strict,
ProtectHome, PrivateTmp, NoNewPrivileges) where only the data directory is
writable. Run it again to change options: it merges, restarts, and keeps the
data. "sluice uninstall" removes it.

Options:
  --iface IFACE       the LAN interface to capture on and shape (required
                      unless the config file already names one)
  --policy FILE       the policy file (kept where it is: not under /home,
                      /root or /tmp, which the service cannot see)
  --listen HOST:PORT  where the web UI listens (default 127.0.0.1:8080)
  --data DIR          the data directory (default ${SERVICE_DATA})
  --bin PATH          where to put the binary (default ${DEFAULT_BIN})
  --user NAME         run as this user (default ${DEFAULT_USER}; made with useradd)
  --root              run as root instead, where capabilities do not suffice
  --dry-run           print the unit, the config file and the commands; touch
                      nothing (needs neither root nor systemd)
  -h, --help          this help

Run the compiled binary ("deno task build", then dist/sluice-<target>
install): a service does not run Sluice from its source.
Exit status: 0 when installed and started, 1 when a step failed (the files
written stay whole: rerun it), 2 for a wrong option, not root, not Linux or
no systemd (nothing written).`;

/** `sluice install`: returns the exit code. */
export async function installCommand(
  argv: string[],
  system: InstallSystem = realSystem(),
): Promise<number> {
  const command = "sluice install";
  const args = parseArgs(argv, {
    command,
    options: ["iface", "policy", "listen", "data", "bin", "user"],
    flags: ["root", "dry-run"],
  });
  const dryRun = args.flags.has("dry-run");
  await checkMachine(system, command, dryRun);
  if (args.flags.has("root") && args.options.has("user")) {
    throw new UsageError(`${command}: --root and --user do not go together`);
  }
  const user = args.flags.has("root") ? null : args.options.get("user") ?? DEFAULT_USER;
  if (user !== null && !USER_NAME.test(user)) {
    throw new UsageError(`${command}: --user must be a system user name like "sluice"`);
  }
  const data = servicePath(args.options.get("data") ?? SERVICE_DATA, system.cwd, "--data", command);
  if (isSystemDirectory(data)) {
    throw new UsageError(`${command}: --data ${data} is a system directory; give one of Sluice's`);
  }
  const bin = servicePath(args.options.get("bin") ?? DEFAULT_BIN, system.cwd, "--bin", command);
  if (!system.compiled && !dryRun) {
    throw new UsageError(
      `${command}: run the compiled binary, not deno (deno task build, then sudo dist/sluice-<target> install)`,
    );
  }
  if (await isDirectory(onDisk(system, bin))) {
    throw new UsageError(`${command}: --bin ${bin} is a directory; give the file's path`);
  }
  const given = await givenOptions(args.options, system, command);

  const unitPath = onDisk(system, UNIT_PATH);
  const unitText = await readIfThere(unitPath, command);
  const previous = unitText === null ? null : readInstallRecord(unitText);
  if (unitText !== null && previous === null) {
    throw new UsageError(
      `${command}: ${UNIT_PATH} exists and was not written by sluice install; move it away first`,
    );
  }
  const configPath = onDisk(system, `${data}/${CONFIG_FILE}`);
  const before = await readConfig(configPath, command);
  const config: Record<string, unknown> = { ...before, ...given };
  if (typeof config.iface !== "string") {
    throw new UsageError(`${command}: --iface IFACE is required (the interface to capture on)`);
  }
  // As a non-root user "auto" would only pretend: name the shaper outright.
  if (config.policy !== undefined && config.shaper === undefined && user !== null) {
    config.shaper = "linux";
  }
  const listen = typeof config.listen === "string"
    ? listenOption(config.listen, command)
    : undefined;
  // From source (a dry run only), show what the compiled binary would do: copy itself.
  const copy = !system.compiled || !(await sameFile(system.execPath, onDisk(system, bin)));
  const record: InstallRecord = {
    bin,
    data,
    user,
    copied: copy || (previous?.bin === bin && previous.copied),
  };
  const unit = systemdUnit({ ...record, lowPort: (listen?.port ?? 8080) < 1024, version: VERSION });
  const configText = JSON.stringify(config, null, 2) + "\n";
  const configChanged = before === null || JSON.stringify(before) !== JSON.stringify(config);
  const start = previous === null
    ? [["systemctl", "enable", "--now", UNIT_NAME]]
    : [["systemctl", "enable", UNIT_NAME], ["systemctl", "restart", UNIT_NAME]];
  const chown = user === null ? null : ["chown", "-R", `${user}:`, onDisk(system, data)];

  if (dryRun) {
    system.print(`# ${UNIT_PATH}`);
    system.print(unit);
    system.print(`# ${data}/${CONFIG_FILE}${configChanged ? "" : " (unchanged)"}`);
    system.print(configText);
    system.print("# then:");
    if (user !== null) {
      system.print(`${commandLine({ argv: useradd(user, data) })}   # unless there is one`);
    }
    if (!system.compiled) system.print(`# from source: a real install copies the compiled binary`);
    else if (copy) system.print(`cp ${system.execPath} ${bin}`);
    if (chown) system.print(chown.join(" "));
    for (const argv of [["systemctl", "daemon-reload"], ...start]) system.print(argv.join(" "));
    return 0;
  }

  const fail = (line: string) => {
    system.error(`${command}: ${line}`);
    return 1;
  };
  if (user !== null) {
    const problem = await ensureUser(system, user, data);
    if (problem) return fail(problem);
  }
  try {
    if (copy) {
      await Deno.mkdir(onDisk(system, bin.replace(/\/[^/]*$/, "")) || "/", { recursive: true });
      await copyAtomic(system.execPath, onDisk(system, bin), 0o755);
      system.print(`copied ${system.execPath} to ${bin}`);
    }
    await Deno.mkdir(onDisk(system, data), { recursive: true, mode: 0o750 });
    if (configChanged) {
      await writeAtomic(configPath, configText, 0o644);
      system.print(`wrote ${data}/${CONFIG_FILE}`);
    }
  } catch (err) {
    return fail(`cannot write: ${firstLine(err)}`);
  }
  // The service's user must own what root just wrote (a KV file, the config).
  const owned = chown && await runStep(system, chown);
  if (owned) return fail(owned);
  try {
    await Deno.mkdir(onDisk(system, "/etc/systemd/system"), { recursive: true });
    await writeAtomic(unitPath, unit, 0o644);
    system.print(`wrote ${UNIT_PATH}`);
  } catch (err) {
    return fail(`cannot write ${UNIT_PATH}: ${firstLine(err)}`);
  }
  if (previous?.copied && previous.bin !== bin) {
    // Moved with --bin: the copy made last time is no longer the service's.
    await Deno.remove(onDisk(system, previous.bin)).catch(() => {});
  }
  for (const argv of [["systemctl", "daemon-reload"], ...start]) {
    const problem = await runStep(system, argv);
    if (problem) return fail(problem);
  }
  system.print(
    `Sluice runs as ${user ?? "root"} on ${config.iface}: "systemctl status sluice" to check, ` +
      `"journalctl -u sluice" for its log (the first admin password is printed there once)`,
  );
  return 0;
}

/** The run options given on the command line, checked, as config keys. */
async function givenOptions(
  options: Map<string, string>,
  system: InstallSystem,
  command: string,
): Promise<Record<string, string>> {
  const given: Record<string, string> = {};
  const iface = options.get("iface");
  if (iface !== undefined) {
    if (!/^[A-Za-z0-9_.:@-]{1,15}$/.test(iface)) {
      throw new UsageError(
        `${command}: --iface must be an interface name like eth1, got "${iface}"`,
      );
    }
    given.iface = iface;
  }
  const policy = options.get("policy");
  if (policy !== undefined) {
    given.policy = servicePath(policy, system.cwd, "--policy", command);
    await readPolicyDocument(onDisk(system, given.policy), command); // refused now, not at boot
  }
  const listen = options.get("listen");
  if (listen !== undefined) {
    listenOption(listen, command);
    given.listen = listen;
  }
  return given;
}

/** The config file as an object, or null when there is none. */
async function readConfig(path: string, command: string): Promise<Record<string, unknown> | null> {
  const text = await readIfThere(path, command);
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`${command}: ${path} is not a JSON object; fix it or move it away`);
  }
  return value as Record<string, unknown>;
}

/** Makes the system user if it is missing; a failure as one line. */
async function ensureUser(
  system: InstallSystem,
  user: string,
  home: string,
): Promise<string | null> {
  const found = await system.runner.run(["getent", "passwd", user], { timeoutMs: 10_000 });
  if (found.code === 0) return null;
  return await runStep(system, useradd(user, home));
}

/** A system user with its own group, no login and no home made (the data directory is). */
function useradd(user: string, home: string): string[] {
  return [
    "useradd",
    "--system",
    "--user-group",
    "--home-dir",
    home,
    "--no-create-home",
    "--shell",
    "/usr/sbin/nologin",
    "--comment",
    "Sluice bandwidth monitor",
    user,
  ];
}

async function sameFile(a: string, b: string): Promise<boolean> {
  try {
    return (await Deno.realPath(a)) === (await Deno.realPath(b));
  } catch {
    return false;
  }
}
