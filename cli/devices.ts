import type { Device } from "../engine/devices/mod.ts";
import { calendarRange, DeviceStore, UsageHistory } from "../engine/history/mod.ts";
import { parseArgs, type ParsedArgs } from "./args.ts";
import { openStore } from "./data_store.ts";
import { formatBytes } from "./flow_text.ts";
import { DEFAULT_DATA } from "./report.ts";
import { deviceIdArgument, timeOption, utcOffsetOption } from "./options.ts";
import { UsageError } from "./usage_error.ts";

// DeviceStore's own limit, checked here too so that a bad label is refused
// before the store (and the data directory) is opened.
const MAX_LABEL = 100;

/** What `sluice devices --help` prints. */
export const DEVICES_HELP = `sluice devices [options]
sluice devices label ID NAME [--data DIR]
sluice devices unlabel ID [--data DIR]
sluice devices forget ID [--data DIR]

Lists the devices history knows, most recently seen first: id, name (your
label, else the name heard on the network), vendor, addresses, first and last
seen (UTC), whether it was online when last recorded, and its internet usage
(up + down) on the day holding --at.

  label ID NAME   gives a device your own name (also before it is first seen);
                  a running "sluice run" picks it up within a minute
  unlabel ID      removes your name
  forget ID       deletes the device's record and label (its usage history
                  stays; a running "sluice run" records it again if it is seen)

ID is "mac:aa:bb:cc:dd:ee:ff" or "ip:ADDRESS", or a bare MAC or IP address.

Options:
  --data DIR          the data directory (default ${DEFAULT_DATA}) or a KV URL
  --format F          table (default) or json
  --at TIME           the day whose usage is shown (default: now)
  --utc-offset MIN    minutes east of UTC that days follow, whole hours
                      (default 0: UTC)
  --all               also list ids that have a label but were never seen
  -h, --help          this help

Exit status: 0 on success, 2 for a wrong option or ID, a label that is empty
or longer than ${MAX_LABEL} characters, forgetting an unknown device, or a store that
cannot be opened.`;

/** What each action takes after its name. */
const ACTIONS: Record<string, string[]> = {
  label: ["ID", "NAME"],
  unlabel: ["ID"],
  forget: ["ID"],
};

/** One row of `sluice devices`: what `--format json` prints, as an array. */
export interface DeviceListRow {
  id: string;
  /** The label, else the name the record holds; null when neither. */
  name: string | null;
  label: string | null;
  vendor: string | null;
  addresses: string[];
  /** ISO 8601, UTC; null for an id that only has a label. */
  firstSeen: string | null;
  lastSeen: string | null;
  online: boolean;
  /** Internet bytes (up + down) on the day holding --at. */
  todayBytes: number;
}

/** `sluice devices`: returns the exit code. */
export async function devicesCommand(argv: string[]): Promise<number> {
  const command = "sluice devices";
  const args = parseArgs(argv, {
    command,
    flags: ["all"],
    options: ["data", "format", "at", "utc-offset"],
    positionals: { min: 0, max: 3, names: "ACTION" },
  });
  const [action, ...rest] = args.positionals;
  if (action === undefined) return await listDevices(args);
  const wants = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (!wants) {
    throw new UsageError(
      `${command}: unknown action "${action}": label, unlabel or forget (see ${command} --help)`,
    );
  }
  const listOnly = [...args.options.keys()].find((o) => o !== "data") ?? [...args.flags][0];
  if (listOnly) throw new UsageError(`${command}: --${listOnly} is for listing, not ${action}`);
  if (rest.length !== wants.length) {
    throw new UsageError(`${command}: ${action} takes ${wants.join(" ")} (see ${command} --help)`);
  }
  const id = deviceIdArgument(rest[0], "ID", command);
  const label = action === "label" ? labelArgument(rest[1], command) : null;
  // Everything is checked before the store is opened: a wrong command writes nothing.
  const kv = await openStore(args.options.get("data") ?? DEFAULT_DATA, command);
  try {
    const store = new DeviceStore<Device>(kv);
    const entry = await store.get(id);
    if (action === "label") {
      await store.setLabel(id, label);
      console.log(`${id} is labelled ${JSON.stringify(label)}`);
      if (!entry?.device) {
        console.error(
          `${command}: note: ${id} has not been seen yet; the label waits for it` +
            (await ownerHint(store, id)),
        );
      }
    } else if (action === "unlabel") {
      if (entry?.label == null) console.error(`${command}: note: ${id} has no label`);
      else {
        await store.setLabel(id, null);
        console.log(`${id} is no longer labelled ${JSON.stringify(entry.label)}`);
      }
    } else {
      if (entry === null) {
        throw new UsageError(`${command}: no device ${id} is known${await ownerHint(store, id)}`);
      }
      await store.delete(id);
      console.log(`forgot ${id}${entry.label ? ` (${JSON.stringify(entry.label)})` : ""}`);
    }
  } finally {
    kv.close();
  }
  return 0;
}

async function listDevices(args: ParsedArgs): Promise<number> {
  const command = "sluice devices";
  const format = args.options.get("format") ?? "table";
  if (format !== "table" && format !== "json") {
    throw new UsageError(`${command}: --format must be one of table, json, got "${format}"`);
  }
  const offset = utcOffsetOption(args, command);
  const at = args.options.has("at") ? timeOption(args.options.get("at")!, "--at", command) : (
    Date.now()
  );
  const day = calendarRange("day", at, offset);
  const kv = await openStore(args.options.get("data") ?? DEFAULT_DATA, command);
  const rows: DeviceListRow[] = [];
  try {
    const entries = await new DeviceStore<Device>(kv).list();
    // At the writer's UTC days (sluice run and replay keep no other), read-only
    // as in report: listing must not close the running monitor's hour or day.
    const history = new UsageHistory(kv);
    await history.open(day.toMs, { readOnly: true });
    for (const [id, { device, label }] of entries) {
      if (device === null && !args.flags.has("all")) continue;
      // Summed from hours, which serve a day at any --utc-offset exactly;
      // usage() over a day at another offset than the writer's loses hours.
      let todayBytes = 0;
      for (const hour of await history.series(id, "hour", day.fromMs, day.toMs)) {
        todayBytes += hour.up + hour.down;
      }
      rows.push({
        id,
        name: label ?? device?.name ?? null,
        label,
        vendor: device?.vendor ?? null,
        addresses: Array.isArray(device?.addresses) ? device.addresses : [],
        firstSeen: isoSeconds(device?.firstSeen),
        lastSeen: isoSeconds(device?.lastSeen),
        online: device?.online === true,
        todayBytes,
      });
    }
  } finally {
    kv.close();
  }
  // Newest first; ids never seen (null) last. ISO strings in UTC sort as times.
  rows.sort((a, b) => (b.lastSeen ?? "").localeCompare(a.lastSeen ?? "") || (a.id < b.id ? -1 : 1));
  if (format === "json") console.log(JSON.stringify(rows, null, 2));
  else console.log(devicesTable(rows));
  return 0;
}

function devicesTable(rows: DeviceListRow[]): string {
  if (rows.length === 0) return "no devices in history yet";
  const seen = (iso: string | null) => iso?.replace(/\.\d+Z$/, "Z") ?? "-";
  return columns(
    ["ID", "NAME", "VENDOR", "ADDRESSES", "FIRST SEEN", "LAST SEEN", "ONLINE", "TODAY"],
    rows.map((r) => [
      r.id,
      r.name ?? "-",
      r.vendor ?? "-",
      r.addresses.join(",") || "-",
      seen(r.firstSeen),
      seen(r.lastSeen),
      r.online ? "yes" : "no",
      formatBytes(r.todayBytes),
    ]),
    new Set([7]),
  );
}

/**
 * For an "ip:" id nothing was recorded under: which device holds that address
 * now, if any. A device seen with its MAC is known by it, not by its IP.
 */
async function ownerHint(store: DeviceStore<Device>, id: string): Promise<string> {
  if (!id.startsWith("ip:")) return "";
  const address = id.slice(3);
  for (const [owner, { device }] of await store.list()) {
    if (owner !== id && device?.addresses?.includes(address)) {
      return ` (${address} is an address of ${owner}: use that id)`;
    }
  }
  return "";
}

/** Rows under a header in columns two spaces apart; `right` columns (numbers) right-aligned. */
function columns(header: string[], rows: string[][], right: ReadonlySet<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])).join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** A record's time (epoch seconds, as the device table keeps them) as ISO 8601, or null. */
function isoSeconds(seconds: unknown): string | null {
  return typeof seconds === "number" && Number.isFinite(seconds)
    ? new Date(Math.round(seconds * 1000)).toISOString()
    : null;
}

function labelArgument(text: string, command: string): string {
  const label = text.trim();
  if (label === "") throw new UsageError(`${command}: the label is empty`);
  if (label.length > MAX_LABEL) {
    throw new UsageError(
      `${command}: a label is at most ${MAX_LABEL} characters, got ${label.length}`,
    );
  }
  // Labels are shown in one-line table cells and reports.
  if (/\p{Cc}/u.test(label)) throw new UsageError(`${command}: a label is one line of text`);
  return label;
}
