// Reads the host's neighbour (ARP/NDP) table for `sluice run`: `ip neigh`
// on Linux (both families), `/proc/net/arp` where iproute2 is missing (IPv4
// only), `arp -a` on Windows and the BSDs. The texts are parsed by the engine.
import {
  type NeighbourEntry,
  parseArpA,
  parseIpNeigh,
  parseProcNetArp,
} from "../engine/devices/mod.ts";
import type { CommandRunner } from "../shaper/mod.ts";

/** What reading the table needs from the system. */
export interface NeighbourSystem {
  os: typeof Deno.build.os;
  runner: CommandRunner;
  readTextFile(path: string): Promise<string>;
}

/** One read of the table, and where it came from (for a one-time note when it fails). */
export interface NeighbourRead {
  entries: NeighbourEntry[];
  source: string;
  /** Why nothing could be read; undefined on success. */
  error?: string;
}

const TIMEOUT_MS = 3000;

/** Reads the neighbour table the best way the platform offers. */
export async function readNeighbours(system: NeighbourSystem): Promise<NeighbourRead> {
  if (system.os === "windows" || system.os === "darwin" || system.os === "freebsd") {
    const args = system.os === "windows" ? ["arp", "-a"] : ["arp", "-an"];
    const out = await system.runner.run(args, { timeoutMs: TIMEOUT_MS });
    if (out.code !== 0) return failed(args.join(" "), out.stderr);
    return { entries: parseArpA(out.stdout), source: args.join(" ") };
  }
  const out = await system.runner.run(["ip", "neigh", "show"], { timeoutMs: TIMEOUT_MS });
  if (out.code === 0) return { entries: parseIpNeigh(out.stdout), source: "ip neigh" };
  try {
    return {
      entries: parseProcNetArp(await system.readTextFile("/proc/net/arp")),
      source: "/proc/net/arp",
    };
  } catch (err) {
    return failed("ip neigh and /proc/net/arp", `${out.stderr.trim()}; ${(err as Error).message}`);
  }
}

function failed(source: string, why: string): NeighbourRead {
  const line = why.trim().split("\n")[0] || "no output";
  return { entries: [], source, error: line };
}
