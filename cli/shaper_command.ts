import { EventLog } from "../engine/history/mod.ts";
import {
  KvShaperStore,
  Shaper,
  type ShaperEvent,
  type ShaperRenderer,
  SystemCommandRunner,
} from "../shaper/mod.ts";
import { parseArgs } from "./args.ts";
import { openStore } from "./data_store.ts";
import { DEFAULT_DATA } from "./report.ts";
import { UsageError } from "./usage_error.ts";
import { rendererFor, shaperLogEntry } from "./live_shaper.ts";
import { writeJson } from "./write_json.ts";

export const SHAPER_HELP = `sluice shaper status --iface IFACE [--data DIR] [--json]
sluice shaper reset --iface IFACE [--data DIR] [--dry-run]

  status   what "sluice run --policy" has applied on IFACE (as kept in the
           data directory): each qdisc, class, filter and block, in order
  reset    removes all of it, then anything else of Sluice's on IFACE (its
           root qdisc with handle 51ce:, its IFB device, its ingress
           redirect, the nftables table "inet sluice"; on Windows its
           QoS policies named Sluice-* and firewall rules in group
           "Sluice"), and nothing else; --dry-run prints the commands
           without running them

Options:
  --iface IFACE       the LAN interface "sluice run" shaped
  --data DIR          the data directory (default ${DEFAULT_DATA}) or a KV URL
  --json              status as JSON: {"objects": [{key, summary, remove}]}
  --dry-run           with reset: print, do not run
  -h, --help          this help

Needs root to reset (it runs tc, ip and nft; on Windows, PowerShell as
administrator). Stop "sluice run" first: it would apply its policy again.
Exit status: 0 on success, 1 when a reset command failed or the applied
state cannot be read (reset sweeps all the same), 2 for a wrong option or a
store that cannot be opened.`;

/** `sluice shaper`: returns the exit code. */
export async function shaperCommand(argv: string[]): Promise<number> {
  const command = "sluice shaper";
  const args = parseArgs(argv, {
    command,
    flags: ["json", "dry-run"],
    options: ["iface", "data"],
    positionals: { min: 1, max: 1, names: "status or reset" },
  });
  const action = args.positionals[0];
  if (action !== "status" && action !== "reset") {
    throw new UsageError(`${command}: the action must be status or reset, got "${action}"`);
  }
  const iface = args.options.get("iface");
  if (!iface) throw new UsageError(`${command}: --iface IFACE is required`);
  let renderer: ShaperRenderer;
  try {
    renderer = rendererFor(Deno.build.os === "windows" ? "windows" : "linux", iface);
  } catch (err) {
    throw new UsageError(`${command}: --iface: ${(err as Error).message}`);
  }
  const kv = await openStore(args.options.get("data") ?? DEFAULT_DATA, command);
  try {
    const store = new KvShaperStore(kv, iface);
    if (action === "status") {
      let objects;
      try {
        objects = (await store.load())?.objects ?? [];
      } catch (err) {
        console.error(`${command}: ${(err as Error).message}`);
        return 1;
      }
      if (args.flags.has("json")) {
        writeJson(Deno.stdout, {
          objects: objects.map((o) => ({ key: o.key, summary: o.summary, remove: o.remove })),
        });
      } else if (objects.length === 0) {
        console.log(`Nothing applied on ${iface}.`);
      } else {
        for (const o of objects) console.log(`${o.key}  ${o.summary}`);
      }
      return 0;
    }
    const events = new EventLog(kv);
    const done: ShaperEvent[] = [];
    const dryRun = args.flags.has("dry-run");
    const shaper = new Shaper({
      renderer,
      runner: new SystemCommandRunner(),
      // A dry run forgets nothing: what is applied stays recorded.
      store: dryRun ? { load: () => store.load(), save: () => Promise.resolve() } : store,
      dryRun,
      onEvent: (e) => done.push(e),
    });
    try {
      await shaper.start();
    } catch (err) {
      // An unreadable record: the sweep still finds everything of Sluice's.
      console.error(`sluice shaper: ${(err as Error).message}; sweeping instead`);
    }
    const failed = await shaper.reset(Date.now());
    for (const e of done) {
      if (e.dryRun) { for (const c of e.commands) console.log(c); }
      else if (!e.ok) console.error(`sluice shaper: ${e.summary}: ${e.error}`);
      await events.append(shaperLogEntry(e));
    }
    if (!dryRun) {
      console.log(`reset ${iface}: ${done.length - failed} steps done, ${failed} failed`);
    }
    return failed > 0 ? 1 : 0;
  } finally {
    kv.close();
  }
}
