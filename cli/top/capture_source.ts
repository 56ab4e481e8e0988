/**
 * Snapshots without a running Sluice: `sluice top` captures itself, on an
 * interface (live, through the capture worker) or from a capture file
 * (replayed at its own pace, or as fast as it reads with --fast), through
 * the same engine and the same snapshot as the web's live view.
 *
 * @module
 */
import {
  END_OF_CAPTURE,
  listInterfaces,
  openFile,
  openLive,
  type PacketSource,
} from "../../capture/mod.ts";
import { defaultCatalogue } from "../../engine/catalogue/default.ts";
import { defaultOui, LanSubnets } from "../../engine/devices/mod.ts";
import { Monitor } from "../../engine/monitor.ts";
import { liveSnapshot } from "../../web/live/live_snapshot.ts";
import { type PaceClock, wallPaceClock } from "../pacer.ts";
import { cidrOf } from "../run.ts";
import { UsageError } from "../usage_error.ts";
import type { TopSnapshot } from "./rows.ts";
import type { SnapshotSource } from "./source.ts";

/** A quiet stretch in a capture longer than this (s) is skipped, not waited out. */
const MAX_GAP_S = 5;

/** What to capture. */
export interface CaptureSourceOptions {
  iface?: string;
  file?: string;
  /** A file as fast as it reads, not at its own pace. */
  fast?: boolean;
  /** BPF filter. */
  filter?: string;
  /** The LAN; default the interface's subnets (live) or the private ranges (file). */
  lan?: LanSubnets;
  /** The wall clock a file is paced by; tests pass their own. */
  clock?: PaceClock;
}

/**
 * Opens the interface or file. Throws a {@linkcode UsageError} for an
 * interface that does not exist, a CaptureError when capture fails.
 *
 * @example
 * ```ts ignore
 * const source = await openCaptureSource({ file: "x.pcap", fast: true }, "sluice top");
 * ```
 */
export async function openCaptureSource(
  options: CaptureSourceOptions,
  command: string,
): Promise<SnapshotSource> {
  let source: PacketSource, lan: LanSubnets;
  const live = options.iface !== undefined;
  if (options.iface !== undefined) {
    const iface = options.iface;
    const found = listInterfaces().find((i) => i.name === iface);
    if (!found) throw new UsageError(`${command}: no interface "${iface}" (see sluice interfaces)`);
    lan = options.lan ?? interfaceLan(found.addresses, iface, command);
    source = await openLive(iface, { filter: options.filter });
  } else if (options.file !== undefined) {
    try {
      if (!Deno.statSync(options.file).isFile) throw new Error("not a file");
    } catch {
      throw new UsageError(`${command}: no capture file "${options.file}"`);
    }
    lan = options.lan ?? LanSubnets.privateRanges();
    source = openFile(options.file, { filter: options.filter });
  } else {
    throw new UsageError(`${command}: give --url, --iface or --file`);
  }
  const clock = options.clock ?? wallPaceClock;
  const paced = !live && !options.fast;
  return {
    name: source.name,
    async *snapshots(signal: AbortSignal): AsyncGenerator<TopSnapshot> {
      const queue: TopSnapshot[] = [];
      const monitor: Monitor = new Monitor({
        linkType: source.linkType,
        lan,
        catalogue: defaultCatalogue(),
        oui: defaultOui(),
        onSecond: (second) =>
          queue.push(
            liveSnapshot({ monitor, now: (second + 1) * 1000, capture: source.stats() }),
          ),
      });
      let ended = false, anchorWall = NaN, anchorTime = NaN, turn = clock.now();
      while (!signal.aborted) {
        for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
          if (paced) {
            // The capture's seconds one a second; a long quiet stretch skipped.
            const due = anchorWall + (s.time - anchorTime);
            const wait = due - clock.now();
            if (Number.isNaN(due) || wait > MAX_GAP_S * 1000 || wait < -1000) {
              anchorWall = clock.now();
              anchorTime = s.time;
            } else if (wait >= 1) await clock.sleep(wait, signal);
          }
          if (signal.aborted) return;
          yield s;
        }
        if (ended) return;
        const got = await source.read(monitor, 512);
        if (got === END_OF_CAPTURE) {
          monitor.finish();
          ended = true;
        } else if (got === 0 && live) {
          monitor.advance(Date.now() / 1000); // a quiet link still closes its seconds
        } else if (clock.now() - turn >= 50) {
          // A read that need not wait never yields: give keys and signals a turn.
          await new Promise((resolve) => setTimeout(resolve, 0));
          turn = clock.now();
        }
      }
    },
    close: () => source.close(),
  };
}

function interfaceLan(
  addresses: Parameters<typeof cidrOf>[0][],
  iface: string,
  command: string,
): LanSubnets {
  const cidrs = addresses.flatMap((a) => cidrOf(a) ?? []);
  if (cidrs.length === 0) {
    throw new UsageError(
      `${command}: ${iface} has no IP address to tell its LAN by; give --lan CIDR`,
    );
  }
  return new LanSubnets(cidrs);
}
