// What `sluice run` learns about devices from outside the capture, between
// capture batches: the user's labels (set with `sluice devices label`, possibly
// while Sluice runs), the host's neighbour table, and reverse DNS names.
// A refresh runs beside the capture loop, never inside it: a slow resolver
// must not hold up reading packets.
import type { DeviceExtra, DeviceTable } from "../engine/devices/mod.ts";
import type { DeviceStore } from "../engine/history/mod.ts";
import { type NeighbourSystem, readNeighbours } from "./neighbour_reader.ts";
import type { ReverseDnsNames } from "./reverse_dns.ts";

/** The sources a refresh reads. */
export interface LookupSources {
  labels: Pick<DeviceStore, "labels">;
  neighbours: NeighbourSystem;
  reverseDns: ReverseDnsNames;
  /** One-line notes for the operator (a source that fails, once). */
  note(line: string): void;
}

/** Labels, neighbours and PTR names for a running monitor's devices. */
export class DeviceLookups {
  readonly #sources: LookupSources;
  #labels = new Map<string, string>();
  #extra: DeviceExtra = {};
  #running: Promise<void> | undefined;
  readonly #noted = new Set<string>();

  constructor(sources: LookupSources) {
    this.#sources = sources;
  }

  /** What naming draws on beyond the packets: for `DeviceTable.list()`. */
  get extra(): DeviceExtra {
    return this.#extra;
  }

  /**
   * Starts a refresh at `now` (seconds) unless one is still running; the
   * returned promise settles when it is done (a live loop need not await it).
   */
  refresh(devices: DeviceTable, now: number): Promise<void> {
    this.#running ??= this.#refresh(devices, now).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Waits for a refresh in progress, if any (before closing the store). */
  async settled(): Promise<void> {
    await this.#running;
  }

  async #refresh(devices: DeviceTable, now: number): Promise<void> {
    const { labels, neighbours, reverseDns } = this.#sources;
    // Each source fails on its own, with a note the first time; the others go on.
    try {
      this.#applyLabels(devices, new Map(Object.entries(await labels.labels())));
    } catch (err) {
      this.#noteOnce("labels", `cannot read device labels: ${firstLine(err)}`);
    }
    let entries = this.#extra.neighbours ?? [];
    try {
      const table = await readNeighbours(neighbours);
      if (table.error) {
        this.#noteOnce("neighbours", `no neighbour table (${table.source}): ${table.error}`);
      } else entries = table.entries;
      devices.learnNeighbours(entries, now);
    } catch (err) {
      this.#noteOnce("neighbours", `no neighbour table: ${firstLine(err)}`);
    }
    try {
      await reverseDns.refresh(devices.list(now).flatMap((d) => d.addresses), now);
      if (reverseDns.disabled) this.#noteOnce("rdns", `no reverse DNS: ${reverseDns.disabled}`);
    } catch (err) {
      this.#noteOnce("rdns", `no reverse DNS: ${firstLine(err)}`);
    }
    this.#extra = { neighbours: entries, reverseDns: reverseDns.names };
  }

  /** Applies the stored labels, and removes the ones deleted since the last refresh. */
  #applyLabels(devices: DeviceTable, labels: Map<string, string>): void {
    for (const id of this.#labels.keys()) if (!labels.has(id)) devices.setLabel(id, null);
    for (const [id, label] of labels) {
      if (this.#labels.get(id) === label) continue;
      try {
        devices.setLabel(id, label);
      } catch { // an id no device can have: stored by another tool; nothing to name
      }
    }
    this.#labels = labels;
  }

  #noteOnce(key: string, line: string): void {
    if (this.#noted.has(key)) return;
    this.#noted.add(key);
    this.#sources.note(line);
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0];
}
