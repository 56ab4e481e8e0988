import { EventLog } from "../engine/history/mod.ts";
import { KvShaperStore, Shaper, type ShaperEvent, type ShaperStore } from "../shaper/mod.ts";
import { parseArgs } from "./args.ts";
import { CONFIG_FILE } from "./config.ts";
import { KV_FILE } from "./data_store.ts";
import {
  checkMachine,
  firstLine,
  type InstallSystem,
  onDisk,
  readIfThere,
  realSystem,
  removeIfThere,
  runStep,
} from "./install_system.ts";
import { rendererFor, shaperLogEntry } from "./live_shaper.ts";
import { readInstallRecord, UNIT_NAME, UNIT_PATH } from "./systemd_unit.ts";
import { UsageError } from "./usage_error.ts";

/** `sluice uninstall --help`. */
export const UNINSTALL_HELP = `sluice uninstall [--purge] [--dry-run]

Removes what "sluice install" did: stops and disables ${UNIT_NAME}, removes
Sluice's shaping from the interface in its config file (as "sluice shaper
reset" does), the binary it copied and ${UNIT_PATH}, then
"systemctl daemon-reload". The data directory (history, users, the config
file) and the system user stay, so a later install carries on.

Options:
  --purge             also remove the data directory
  --keep-data         keep it (the default)
  --dry-run           print what it would do; do nothing
  -h, --help          this help

Exit status: 0 when all is removed, 1 when a step failed (the rest is done
all the same; rerun it), 2 when Sluice is not installed, not root, not Linux
or no systemd.`;

/** `sluice uninstall`: returns the exit code. */
export async function uninstallCommand(
  argv: string[],
  system: InstallSystem = realSystem(),
): Promise<number> {
  const command = "sluice uninstall";
  const args = parseArgs(argv, { command, flags: ["purge", "keep-data", "dry-run"] });
  if (args.flags.has("purge") && args.flags.has("keep-data")) {
    throw new UsageError(`${command}: --purge and --keep-data do not go together`);
  }
  const dryRun = args.flags.has("dry-run"), purge = args.flags.has("purge");
  await checkMachine(system, command, dryRun);
  const unitPath = onDisk(system, UNIT_PATH);
  const unit = await readIfThere(unitPath, command);
  if (unit === null) throw new UsageError(`${command}: Sluice is not installed (no ${UNIT_PATH})`);
  const record = readInstallRecord(unit);
  if (record === null) {
    throw new UsageError(
      `${command}: ${UNIT_PATH} was not written by sluice install (or its sluice-install line is damaged); remove it by hand`,
    );
  }
  const iface = await configuredIface(onDisk(system, `${record.data}/${CONFIG_FILE}`));
  const stop = ["systemctl", "disable", "--now", UNIT_NAME];
  const reload = ["systemctl", "daemon-reload"];
  if (dryRun) {
    system.print(stop.join(" "));
    system.print(
      iface === null
        ? "# no interface in the config file: no shaping to remove"
        : `sluice shaper reset --iface ${iface} --data ${record.data}`,
    );
    if (record.copied) system.print(`rm ${record.bin}`);
    system.print(purge ? `rm -r ${record.data}` : `# keeping ${record.data}`);
    system.print(`rm ${UNIT_PATH}`);
    system.print(reload.join(" "));
    return 0;
  }

  let failed = 0;
  const fail = (line: string) => {
    system.error(`${command}: ${line}`);
    failed++;
  };
  const stopped = await runStep(system, stop);
  if (stopped) fail(stopped); // carry on: what can be removed still should be
  else system.print(`stopped and disabled ${UNIT_NAME}`);
  if (iface !== null) {
    const resetFailed = await resetShaping(system, iface, record.data);
    if (resetFailed > 0) fail(`reset ${iface}: ${resetFailed} steps failed`);
    else system.print(`removed Sluice's shaping from ${iface}`);
  }
  const remove = async (path: string, recursive = false) => {
    try {
      if (await removeIfThere(onDisk(system, path), recursive)) system.print(`removed ${path}`);
    } catch (err) {
      fail(`cannot remove ${path}: ${firstLine(err)}`);
    }
  };
  if (record.copied) await remove(record.bin);
  if (purge) await remove(record.data, true);
  await remove(UNIT_PATH); // last: it is the record of what to remove, for a rerun
  const reloaded = await runStep(system, reload);
  if (reloaded) fail(reloaded);
  if (!purge && failed === 0) system.print(`kept ${record.data} (--purge removes it)`);
  return failed > 0 ? 1 : 0;
}

/** The config file's "iface", or null when it has none or cannot be read. */
async function configuredIface(path: string): Promise<string | null> {
  try {
    const value = JSON.parse(await Deno.readTextFile(path));
    return typeof value?.iface === "string" ? value.iface : null;
  } catch {
    return null;
  }
}

/**
 * What `sluice shaper reset` does on `iface`, through the system's runner:
 * removes what the data directory records as applied, then sweeps. Returns
 * how many steps failed.
 */
async function resetShaping(system: InstallSystem, iface: string, data: string): Promise<number> {
  const dir = onDisk(system, data);
  let kv: Deno.Kv | null = null;
  try {
    // No store (never ran, or purged): the sweep alone finds what is Sluice's.
    if (await isFile(`${dir}/${KV_FILE}`)) kv = await Deno.openKv(`${dir}/${KV_FILE}`);
  } catch (err) {
    system.error(`sluice uninstall: cannot open ${data}/${KV_FILE}: ${firstLine(err)}; sweeping`);
  }
  try {
    const renderer = rendererFor("linux", iface);
    const store: ShaperStore = kv
      ? new KvShaperStore(kv, iface)
      : { load: () => Promise.resolve(null), save: () => Promise.resolve() };
    const done: ShaperEvent[] = [];
    const shaper = new Shaper({
      renderer,
      runner: system.runner,
      store,
      onEvent: (e) => done.push(e),
    });
    try {
      await shaper.start();
    } catch (err) {
      system.error(`sluice uninstall: ${firstLine(err)}; sweeping instead`);
    }
    const failed = await shaper.reset(Date.now());
    const events = kv && new EventLog(kv);
    for (const e of done) {
      if (!e.ok) system.error(`sluice uninstall: ${e.summary}: ${e.error}`);
      await events?.append(shaperLogEntry(e));
    }
    return failed;
  } catch (err) {
    system.error(`sluice uninstall: cannot reset ${iface}: ${firstLine(err)}`);
    return 1;
  } finally {
    kv?.close();
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}
