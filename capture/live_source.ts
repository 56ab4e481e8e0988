import { CaptureError } from "./capture_error.ts";
import { libpcap } from "./_libpcap.ts";
import type { LiveWorkerReply, LiveWorkerStart } from "./_live_worker.ts";
import { atRecord, CAPLEN, Ctl, RECORD_HEADER, STATE_ENDED, STATE_STOP, WIRELEN } from "./_ring.ts";
import {
  type CaptureStats,
  END_OF_CAPTURE,
  type PacketSink,
  type PacketSource,
} from "./packet_source.ts";

/** Options for {@linkcode openLive}. */
export interface LiveSourceOptions {
  /** A BPF filter expression (tcpdump syntax). */
  filter?: string;
  /** Bytes kept of each packet (default 262,144: whole packets). */
  snaplen?: number;
  /** Capture traffic not addressed to this host (default true). */
  promiscuous?: boolean;
  /** Deliver each packet at once instead of in kernel blocks (default false: better throughput). */
  immediate?: boolean;
  /** Kernel capture buffer in bytes (default 32 MiB). */
  bufferSize?: number;
  /**
   * Shared ring between the capture worker and the engine, in bytes (default 64 MiB);
   * more than twice `snaplen`. When it is full, packets are dropped and counted as `ownDropped`.
   */
  ringSize?: number;
  /** Longest wait for packets before a read returns empty-handed, in ms (default 100). */
  timeoutMs?: number;
}

/**
 * Opens a live capture on an interface. libpcap runs in a Worker that writes
 * packets into a shared ring; {@linkcode PacketSource.read} hands them to the
 * sink straight from the ring. When the engine falls behind, the worker drops
 * and counts (`ownDropped`) rather than block the capture.
 *
 * @example
 * ```ts ignore
 * const source = await openLive("eth0", { filter: "not port 22" });
 * while ((await source.read(tracker)) !== END_OF_CAPTURE) {}
 * ```
 * @throws {CaptureError} when the interface cannot be opened (missing, no permission, bad filter).
 */
export async function openLive(
  iface: string,
  options: LiveSourceOptions = {},
): Promise<PacketSource> {
  const ringSize = options.ringSize ?? 64 << 20;
  if (!Number.isInteger(ringSize) || ringSize < 1 << 16) {
    throw new RangeError(
      `ringSize must be a whole number of bytes, at least 64 KiB, got ${ringSize}`,
    );
  }
  const snaplen = options.snaplen ?? 262_144;
  // The worker reads a batch only into room for its worst case: whole packets of snaplen.
  if (ringSize <= 2 * (RECORD_HEADER + snaplen)) {
    throw new RangeError(`ringSize must hold two packets of snaplen ${snaplen}, got ${ringSize}`);
  }
  const start: LiveWorkerStart = {
    iface,
    filter: options.filter,
    snaplen,
    promiscuous: options.promiscuous ?? true,
    immediate: options.immediate ?? false,
    bufferSize: options.bufferSize ?? 32 << 20,
    timeoutMs: options.timeoutMs ?? 100,
    ring: new SharedArrayBuffer(ringSize),
    control: new SharedArrayBuffer(Ctl.SIZE * 4),
  };
  const worker = new Worker(new URL("./_live_worker.ts", import.meta.url), { type: "module" });
  const reply = await new Promise<LiveWorkerReply>((resolve) => {
    worker.onmessage = (event: MessageEvent<LiveWorkerReply>) => resolve(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      resolve({ type: "error", message: `${iface}: capture worker failed: ${event.message}` });
    };
    worker.postMessage(start);
  });
  if (reply.type === "error") {
    worker.terminate();
    throw new CaptureError(reply.message);
  }
  return new LiveSource(iface, reply.linkType, start, worker, reply.handle);
}

class LiveSource implements PacketSource {
  readonly #ctl: Int32Array;
  readonly #ring: DataView;
  readonly #timeoutMs: number;
  #worker: Worker | undefined;
  #handle: Deno.PointerValue;
  #delivered = 0;

  constructor(
    readonly name: string,
    readonly linkType: number,
    start: LiveWorkerStart,
    worker: Worker,
    handle: bigint,
  ) {
    this.#handle = Deno.UnsafePointer.create(handle);
    this.#ctl = new Int32Array(start.control);
    this.#ring = new DataView(start.ring);
    this.#timeoutMs = start.timeoutMs;
    this.#worker = worker;
  }

  async read(sink: PacketSink, maxPackets = 8192): Promise<number> {
    const ctl = this.#ctl;
    let read = Atomics.load(ctl, Ctl.READ);
    let write = Atomics.load(ctl, Ctl.WRITE);
    if (read === write) {
      if (Atomics.load(ctl, Ctl.STATE) === STATE_ENDED) return this.#end();
      Atomics.store(ctl, Ctl.WAITING, 1);
      const wait = Atomics.waitAsync(ctl, Ctl.WRITE, write, this.#timeoutMs);
      if (wait.async) await wait.value;
      Atomics.store(ctl, Ctl.WAITING, 0);
      write = Atomics.load(ctl, Ctl.WRITE);
      if (read === write) {
        return Atomics.load(ctl, Ctl.STATE) === STATE_ENDED ? this.#end() : 0;
      }
    }
    const ring = this.#ring;
    let count = 0;
    while (read !== write && count < maxPackets) {
      read = atRecord(ring, read);
      if (read === write) break; // the writer wrapped and wrote nothing since
      const capLen = ring.getUint32(read + CAPLEN, true);
      sink.packet(
        ring,
        read + RECORD_HEADER,
        capLen,
        ring.getUint32(read + WIRELEN, true),
        ring.getUint32(read, true),
        ring.getUint32(read + 4, true),
      );
      read += RECORD_HEADER + capLen;
      count++;
    }
    Atomics.store(ctl, Ctl.READ, read);
    this.#delivered += count;
    return count;
  }

  stats(): CaptureStats {
    const ctl = this.#ctl;
    return {
      delivered: this.#delivered,
      kernelDropped: Atomics.load(ctl, Ctl.KERNEL_DROPS) >>> 0,
      ifDropped: Atomics.load(ctl, Ctl.IF_DROPS) >>> 0,
      ownDropped: Atomics.load(ctl, Ctl.OWN_DROPS) >>> 0,
      captured: Atomics.load(ctl, Ctl.CAPTURED) >>> 0,
    };
  }

  close(): void {
    const handle = this.#handle;
    this.#handle = null;
    if (handle === null || Atomics.load(this.#ctl, Ctl.STATE) === STATE_ENDED) return;
    // The worker sees the flag, or is woken from libpcap's wait by breakloop
    // (thread-safe since libpcap 1.10), then closes the handle and exits.
    Atomics.store(this.#ctl, Ctl.STATE, STATE_STOP);
    libpcap().pcap_breakloop(handle);
  }

  #end(): number {
    this.#worker?.terminate();
    this.#worker = undefined;
    return END_OF_CAPTURE;
  }
}
