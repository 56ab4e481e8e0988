import {
  END_OF_CAPTURE,
  type InterfaceAddress,
  listInterfaces,
  openLive,
  procReader,
} from "../capture/mod.ts";
import { defaultCatalogue } from "../engine/catalogue/default.ts";
import type { Clock } from "../engine/clock.ts";
import { defaultOui, LanSubnets } from "../engine/devices/mod.ts";
import { DeviceStore } from "../engine/history/mod.ts";
import { parseIp } from "../engine/ip_address.ts";
import { Monitor } from "../engine/monitor.ts";
import { ProcessTable } from "../engine/processes/mod.ts";
import { ProcessSockets } from "./process_sockets.ts";
import { parseArgs } from "./args.ts";
import { openStore } from "./data_store.ts";
import { DeviceLookups } from "./device_lookups.ts";
import { minuteLine } from "./minute_line.ts";
import { HistoryRecorder } from "./history_recorder.ts";
import { ProcessHistory } from "./process_history.ts";
import { DEFAULT_DATA } from "./report.ts";
import { lanOption } from "./replay.ts";
import { ReverseDnsNames } from "./reverse_dns.ts";
import { SystemCommandRunner } from "../shaper/mod.ts";
import { UsageError } from "./usage_error.ts";
import { readPolicyDocument } from "./policy_file.ts";
import { documentOrigin, LivePolicy } from "./live_policy.ts";
import { detectLeaf, LiveShaper, type ShaperMode } from "./live_shaper.ts";
import {
  choice,
  DEFAULT_MAX_DEVICES,
  DEFAULT_MAX_FLOWS,
  deviceIdArgument,
  tableSize,
} from "./options.ts";
import { LiveWeb } from "./live_web.ts";
import { CAP_NET_ADMIN, hasCapability } from "./capabilities.ts";
import { VERSION } from "./version.ts";
import { startWeb, WEB_OPTIONS_HELP, type WebServer, webSettings } from "./web_server.ts";
import { CONFIG_FILE, configText, RUN_SPEC } from "./config.ts";
import { loadRunConfig } from "./config_file.ts";

export const RUN_HELP = `sluice run --iface IFACE [options]

Monitors an interface live: every LAN device's upload, download and LAN
traffic by app, kept per minute in history (rolled up to hours and days)
until Ctrl-C. Prints a line a minute with the busiest devices.

Options:
  --iface IFACE       the interface to capture on (see "sluice interfaces")
  --filter BPF        only packets matching a BPF filter (tcpdump syntax)
  --data DIR          the data directory (default ${DEFAULT_DATA}) or a KV URL
  --lan CIDR,...      the LAN's subnets (default: the interface's own subnets)
  --no-lookups        do not read the neighbour table or ask reverse DNS
  --policy FILE       decide as well as watch: rules, automatic priorities,
                      quotas, time budgets, schedules and alerts (JSON; see
                      "Policy files" in README.md). Each decision and alert is
                      printed, logged in the data directory with its reason
                      (see "sluice explain DEVICE"), and alerts go to the
                      policy's webhooks. Quotas count what history holds for
                      their current period; time budgets what the last run
                      saved. Desired states are kept for the shaper.
                      Overrides set with "sluice override" (or the web UI)
                      apply within a second or two.
  --shaper MODE       with --policy, how decisions are enforced on IFACE (the
                      LAN side): linux (tc HTB shaping, an IFB device for
                      upload, nftables table "inet sluice" for blocks),
                      windows (as administrator: New-NetQosPolicy throttles
                      and priorities, firewall rules in group "Sluice" for
                      blocks), dry-run (print and log this platform's
                      commands, run nothing), off, or auto (default: linux
                      when root or with CAP_NET_ADMIN on Linux, else
                      dry-run). "sluice shaper reset" removes what it did.
  --protect ID,...    devices never shaped or blocked (besides the gateway's
                      own addresses on IFACE, which never are)
  --max-flows N       flows tracked at once (default 262144, about 450 bytes
                      each; the least recently seen is dropped when full)
  --max-devices N     devices kept at once (default 65536; the longest idle
                      is forgotten when full)
  --processes         host mode (Linux): meter each flow to this host's
                      process owning its socket (/proc), the rest to
                      "unknown"; in the API (/api/v1/processes) and the
                      live snapshot
${WEB_OPTIONS_HELP}
  --config FILE       read settings from FILE (default: DIR/${CONFIG_FILE}, if there)
  --print-config      print the settings in effect and where each came from; run nothing
  -h, --help          this help

Every option can also be set by an environment variable, SLUICE_ and its
name in capitals with _ for - (SLUICE_IFACE, SLUICE_NO_WEB=1), or in the
data directory's ${CONFIG_FILE} ({"iface": "eth1", "no-lookups": true}).
A flag beats a variable, which beats the file (see "Configuration" in
README.md). --data comes from the flag or SLUICE_DATA.

The web UI (and the API under /api/v1, /metrics for Prometheus) is served
at --listen. On the first start a user "admin" is made and its password
printed once; "sluice passwd" changes it or adds users (admin or viewer).

Devices are named from their own traffic (DHCP, mDNS, SSDP, NetBIOS), labels
set with "sluice devices label" (picked up within a minute while running),
reverse DNS of their addresses (the router's resolver knows its DHCP leases)
and the neighbour table ("ip neigh", or /proc/net/arp), read once a minute.

Needs capture rights (root, or CAP_NET_RAW and CAP_NET_ADMIN).
Exit status: 0 after Ctrl-C, 2 for a wrong option, a missing interface or no
capture permission.`;

/** The wall clock, for the live loop's quiet moments: the engine's only view of real time. */
const wallClock: Clock = { now: () => Date.now() / 1000 };

/** `sluice run`: returns the exit code. */
export async function runCommand(argv: string[]): Promise<number> {
  const command = "sluice run";
  // Flags, then SLUICE_* variables, then <data>/sluice.json: checked before anything opens.
  const given = parseArgs(argv, RUN_SPEC);
  const config = await loadRunConfig(given, command, DEFAULT_DATA);
  if (given.flags.has("print-config")) {
    console.log(configText(config));
    return 0;
  }
  const args = config.args;
  const iface = args.options.get("iface");
  if (!iface) {
    throw new UsageError(
      `${command}: --iface IFACE is required (or SLUICE_IFACE, or "iface" in ${CONFIG_FILE}; see sluice interfaces)`,
    );
  }
  const lan = lanOption(args.options.get("lan"), command) ?? interfaceLan(iface, command);
  const policyPath = args.options.get("policy");
  const document = policyPath === undefined
    ? undefined
    : await readPolicyDocument(policyPath, command);
  const policy = document?.policy;
  const mode = shaperMode(args.options.get("shaper") ?? "auto", policy !== undefined, command);
  const protect = mode === "off" ? [] : [
    ...gatewayProtection(iface),
    ...(args.options.get("protect")?.split(",") ?? []).map((text) => ({
      id: deviceIdArgument(text, "--protect", command),
      why: "allowlisted (--protect)",
    })),
  ];
  const web = await webSettings(args, command);
  const source = await openLive(iface, { filter: args.options.get("filter") });
  const data = args.options.get("data") ?? DEFAULT_DATA;
  const kv = await openStore(data, command);
  const recorder = new HistoryRecorder(kv);
  const catalogue = defaultCatalogue();
  // Rules edited on the web are kept as revisions of this document; they
  // stand until the file itself changes.
  const deciding = document && new LivePolicy(kv, document.policy, console.log, {
    raw: document.raw,
    origin: await documentOrigin(`file ${document.absolute}`, document.raw),
  });
  const shaping = deciding && mode !== "off"
    ? new LiveShaper(kv, {
      mode,
      iface,
      protect,
      leaf: mode === "linux" ? await detectLeaf() : undefined,
      print: (line) => console.log(line),
      alert: (events, timeMs) => deciding.alerts(events, timeMs),
    })
    : undefined;
  const live = web && new LiveWeb({
    kv,
    info: {
      version: VERSION,
      mode: "run",
      interface: iface,
      lan: [...lan.cidrs],
      startedAt: Date.now(),
      data,
      policySource: policyPath ?? null,
    },
    catalogue,
    now: Date.now,
    interfaces: () => listInterfaces(),
  });
  const processes = processesOption(args.flags.has("processes"), command);
  const processHistory = processes &&
    new ProcessHistory(kv, processes.table, (id) => processes.sockets.info(id));
  const monitor: Monitor = new Monitor({
    processes: processes && { table: processes.table, resolver: processes.sockets },
    linkType: source.linkType,
    lan,
    maxFlows: tableSize(
      "max-flows",
      args.options.get("max-flows") ?? `${DEFAULT_MAX_FLOWS}`,
      command,
    ),
    maxDevices: tableSize(
      "max-devices",
      args.options.get("max-devices") ?? `${DEFAULT_MAX_DEVICES}`,
      command,
    ),
    catalogue,
    oui: defaultOui(),
    onMinute: (start, usage) => {
      recorder.minute(monitor, start, usage);
      processHistory?.minute(start);
      live?.minute(monitor, start, usage);
      console.log(minuteLine(monitor, start));
    },
    onSecond: (deciding || live)
      ? (second) => {
        deciding?.feed.second(monitor, second);
        live?.second(monitor, second);
      }
      : undefined,
  });
  const lookups = args.flags.has("no-lookups") ? undefined : new DeviceLookups({
    labels: new DeviceStore(kv),
    neighbours: {
      os: Deno.build.os,
      runner: new SystemCommandRunner(),
      // /proc/net/arp (when `ip neigh` fails): Deno grants /proc only to --allow-all.
      readTextFile: async (path) => {
        const text = path.startsWith("/proc/") ? procReader()?.readText(path) : undefined;
        return text ?? await Deno.readTextFile(path);
      },
    },
    reverseDns: new ReverseDnsNames(),
    note: (line) => console.error(`sluice run: ${line}`),
  });
  let stopping = false, server: WebServer | undefined;
  const stop = () => {
    stopping = true;
  };
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
  try {
    await recorder.start(wallClock.now() * 1000, { interface: iface });
    await processHistory?.start(wallClock.now() * 1000);
    const seeded = await deciding?.start(recorder.history, wallClock.now() * 1000, catalogue);
    if (seeded) console.error(`sluice run: policy ${policyPath}: ${seeded}`);
    await shaping?.start();
    if (shaping) console.error(`sluice run: shaper ${mode} on ${iface}`);
    if (live) {
      await live.start({
        monitor,
        history: recorder.history,
        stats: () => source.stats(),
        policy: deciding,
        shaper: shaping,
        processes: processes &&
          {
            table: processes.table,
            info: (id) => processes.sockets.info(id),
            history: processHistory?.history,
          },
      }, wallClock.now() * 1000);
      server = await startWeb(web!, live.context, (line) => console.error(line), command);
      console.error(`sluice run: web UI at ${server.url}`);
    }
    console.error(`sluice run: capturing on ${iface}, LAN ${lan.cidrs.join(", ")}; Ctrl-C stops`);
    let lastSave = wallClock.now(), lastOverrides = lastSave, synced = NaN;
    lookups?.refresh(monitor.devices, lastSave);
    let turn = wallClock.now();
    while (!stopping) {
      const got = await source.read(monitor);
      if (got === END_OF_CAPTURE) break;
      if (got === 0) monitor.advance(wallClock.now()); // a quiet link still closes its minutes
      // A busy link always has packets waiting, and a read that need not wait
      // never lets timers run: give signals, the web and the lookups a turn.
      if (got > 0 && wallClock.now() - turn >= 0.05) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        turn = wallClock.now();
      }
      await recorder.flush();
      await processHistory?.flush();
      // States change only as the engine closes a second: sync once per second, not per batch.
      const decided = deciding?.feed.lastSecond ?? NaN;
      if (shaping && Number.isFinite(decided) && decided !== synced) {
        synced = decided;
        await shaping.sync(deciding!.engine, monitor, decided * 1000);
      }
      await deciding?.flush();
      if (deciding && wallClock.now() - lastOverrides >= 1) {
        lastOverrides = wallClock.now();
        await deciding.checkOverrides();
      }
      if (wallClock.now() - lastSave >= 60) {
        lastSave = wallClock.now();
        await recorder.saveDevices(
          monitor,
          lastSave,
          monitor.tracker.namer?.deviceHints,
          lookups?.extra,
        );
        lookups?.refresh(monitor.devices, lastSave); // beside the loop: not awaited
        await deciding?.saveCounters(lastSave * 1000);
      }
    }
    // What the kernel captured before Ctrl-C still counts: drain it (for at
    // most two seconds: a busy link would keep it coming).
    const drainUntil = wallClock.now() + 2;
    while (wallClock.now() < drainUntil && (await source.read(monitor)) > 0) {
      await recorder.flush();
      await deciding?.flush();
    }
    monitor.finish();
    const webhooks = await deciding?.stop(wallClock.now() * 1000);
    if (webhooks) console.error(`sluice run: ${webhooks}`);
    await lookups?.settled();
    await processHistory?.flush();
    await recorder.stop(
      monitor,
      wallClock.now() * 1000,
      monitor.tracker.namer?.deviceHints,
      lookups?.extra,
    );
    const stats = source.stats();
    console.error(
      `sluice run: stopped; ${stats.delivered} packets, ${stats.kernelDropped} dropped by the kernel, ` +
        `${stats.ownDropped} by Sluice`,
    );
  } finally {
    await server?.close();
    Deno.removeSignalListener("SIGINT", stop);
    if (Deno.build.os !== "windows") Deno.removeSignalListener("SIGTERM", stop);
    source.close();
    kv.close();
  }
  return 0;
}

/** --processes: the table and the /proc resolver, on Linux; elsewhere one line and none. */
function processesOption(on: boolean, command: string) {
  if (!on) return undefined;
  if (Deno.build.os !== "linux") {
    console.error(`${command}: --processes works on Linux only (it reads /proc); ignored`);
    return undefined;
  }
  const table = new ProcessTable();
  // libpcap's list of addresses: Deno.networkInterfaces() needs a permission the task lacks.
  const addresses = () =>
    listInterfaces().flatMap((i) =>
      i.addresses.flatMap((a) => a.family === "link" ? [] : [a.address])
    );
  const sockets = new ProcessSockets({ release: (id) => table.release(id), addresses });
  return { table, sockets };
}

/**
 * --shaper: "auto" is Linux tc and nft when root (or with CAP_NET_ADMIN) on Linux, else dry-run (on
 * Windows too: whether PowerShell runs as administrator is not known until
 * a command fails); without a policy, off.
 */
function shaperMode(text: string, deciding: boolean, command: string): ShaperMode | "off" {
  const mode = choice(text, ["auto", "linux", "windows", "dry-run", "off"], "--shaper", command);
  if (!deciding) {
    if (mode !== "auto" && mode !== "off") {
      throw new UsageError(`${command}: --shaper needs --policy: the policy decides what to shape`);
    }
    return "off";
  }
  // Root, or a service given CAP_NET_ADMIN (sluice install): tc and nft will work.
  const root = Deno.build.os === "linux" && (Deno.uid() === 0 || netAdmin());
  if (mode === "linux" && Deno.build.os !== "linux") {
    throw new UsageError(`${command}: --shaper linux works on Linux only`);
  }
  if (mode === "windows" && Deno.build.os !== "windows") {
    throw new UsageError(`${command}: --shaper windows works on Windows only`);
  }
  return mode === "auto" ? (root ? "linux" : "dry-run") : mode as ShaperMode | "off";
}

/** Whether this process holds CAP_NET_ADMIN (Linux). */
function netAdmin(): boolean {
  try {
    // Deno grants /proc only to --allow-all: read it through the C library.
    return hasCapability(procReader()?.readText("/proc/self/status") ?? "", CAP_NET_ADMIN);
  } catch {
    return false;
  }
}

/** The gateway's own addresses and MAC on the interface: never shaped or blocked. */
function gatewayProtection(iface: string): { mac?: string; address?: string; why: string }[] {
  const found = listInterfaces().find((i) => i.name === iface);
  return (found?.addresses ?? []).map((a) =>
    a.family === "link"
      ? { mac: a.address, why: "the gateway itself" }
      : { address: a.address.replace(/%.*$/, ""), why: "the gateway itself" }
  );
}

/** The subnets of the interface's own addresses: its LAN. */
function interfaceLan(iface: string, command: string): LanSubnets {
  const found = listInterfaces().find((i) => i.name === iface);
  if (!found) throw new UsageError(`${command}: no interface "${iface}" (see sluice interfaces)`);
  const cidrs = found.addresses.flatMap((a) => cidrOf(a) ?? []);
  if (cidrs.length === 0) {
    throw new UsageError(
      `${command}: ${iface} has no IP address to tell its LAN by; give --lan CIDR`,
    );
  }
  return new LanSubnets(cidrs);
}

/** "192.168.1.7" with netmask "255.255.255.0" → "192.168.1.7/24"; null without a netmask. */
export function cidrOf(a: InterfaceAddress): string | null {
  const mask = a.family === "link" || !a.netmask ? null : parseIp(a.netmask);
  if (!mask) return null;
  let bits = 0;
  for (const word of mask.words) for (let v = word; v !== 0; v >>>= 1) bits += v & 1;
  return `${a.address.replace(/%.*$/, "")}/${bits}`;
}
