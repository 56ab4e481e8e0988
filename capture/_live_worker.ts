// The capture loop of a live source, run in a Worker so that libpcap's blocking
// reads never stall the engine's event loop. Packets go into the shared ring: in
// batches written by libpcap itself where the C library allows (_dispatch_loop.ts),
// else one by one with pcap_next_ex.
import { CaptureError } from "./capture_error.ts";
import { applyFilter } from "./_filter.ts";
import {
  cString,
  ERRBUF_SIZE,
  errbufText,
  libpcap,
  toCString,
  TSTAMP_PRECISION_NANO,
} from "./_libpcap.ts";
import { NEXT_OK, NEXT_TIMEOUT, PacketCursor } from "./_packet_cursor.ts";
import {
  CAPLEN,
  Ctl,
  RECORD_HEADER,
  RingWriter,
  STATE_ENDED,
  STATE_RUNNING,
  WIRELEN,
} from "./_ring.ts";
import { runDispatchLoop } from "./_dispatch_loop.ts";
import { glibc, pcapDumpAddress } from "./_libc.ts";

/** What the main thread sends to start a capture. */
export interface LiveWorkerStart {
  iface: string;
  filter?: string;
  snaplen: number;
  promiscuous: boolean;
  immediate: boolean;
  bufferSize: number;
  timeoutMs: number;
  ring: SharedArrayBuffer;
  control: SharedArrayBuffer;
}

/** What the worker answers: ready with the link type, or an error line. */
export type LiveWorkerReply =
  | { type: "ready"; linkType: number; handle: bigint }
  | { type: "error"; message: string };

/** Packets between looks at the clock for a stats refresh. */
const STATS_CHECK_EVERY = 1024;
const STATS_INTERVAL_MS = 1000;

function open(start: LiveWorkerStart): { cursor: PacketCursor; linkType: number } {
  const lib = libpcap();
  const errbuf = new Uint8Array(ERRBUF_SIZE);
  const handle = lib.pcap_create(toCString(start.iface), errbuf);
  if (handle === null) throw new CaptureError(`${start.iface}: ${errbufText(errbuf)}`);
  lib.pcap_set_snaplen(handle, start.snaplen);
  lib.pcap_set_promisc(handle, start.promiscuous ? 1 : 0);
  lib.pcap_set_immediate_mode(handle, start.immediate ? 1 : 0);
  lib.pcap_set_buffer_size(handle, start.bufferSize);
  lib.pcap_set_timeout(handle, start.timeoutMs);
  lib.pcap_set_tstamp_precision(handle, TSTAMP_PRECISION_NANO);
  const status = lib.pcap_activate(handle);
  if (status < 0) {
    const detail = cString(lib.pcap_geterr(handle)) || cString(lib.pcap_statustostr(status));
    lib.pcap_close(handle);
    const hint = status === -8 || status === -7 ? " (capture needs root or CAP_NET_RAW)" : "";
    throw new CaptureError(`${start.iface}: ${detail}${hint}`);
  }
  try {
    if (start.filter) applyFilter(lib, handle, start.filter);
  } catch (err) {
    lib.pcap_close(handle);
    throw err;
  }
  return { cursor: new PacketCursor(lib, handle), linkType: lib.pcap_datalink(handle) };
}

function run(start: LiveWorkerStart, cursor: PacketCursor): void {
  const ctl = new Int32Array(start.control);
  // pcap_stat: ps_recv, ps_drop, ps_ifdrop (u_int each), padded off the V8 heap.
  const stats = new Uint32Array(32);
  const refreshStats = () => {
    if (cursor.lib.pcap_stats(cursor.handle, stats) !== 0) return;
    Atomics.store(ctl, Ctl.RECEIVED, stats[0] | 0);
    Atomics.store(ctl, Ctl.KERNEL_DROPS, stats[1] | 0);
    Atomics.store(ctl, Ctl.IF_DROPS, stats[2] | 0);
  };
  let lastStats = performance.now();
  const between = () => {
    const now = performance.now();
    if (now - lastStats >= STATS_INTERVAL_MS) {
      lastStats = now;
      refreshStats();
    }
  };
  // libpcap blocks until packets come (TPACKET_V3 retires only non-empty
  // blocks); close() wakes it with pcap_breakloop from the reader's thread.
  const libc = glibc();
  const dump = libc && pcapDumpAddress(libc);
  const batched = libc !== undefined && dump != null && runDispatchLoop({
    lib: cursor.lib,
    libc,
    dump,
    handle: cursor.handle,
    ctl,
    ring: start.ring,
    between,
  });
  if (!batched) runPacketLoop(start, cursor, ctl, between);
  refreshStats();
  cursor.lib.pcap_close(cursor.handle);
  Atomics.store(ctl, Ctl.STATE, STATE_ENDED);
  Atomics.notify(ctl, Ctl.WRITE);
}

/** Packet by packet with pcap_next_ex, where the batched loop cannot run (Windows, macOS). */
function runPacketLoop(
  start: LiveWorkerStart,
  cursor: PacketCursor,
  ctl: Int32Array,
  between: () => void,
): void {
  const ring = new DataView(start.ring);
  const ringBytes = new Uint8Array(start.ring);
  const writer = new RingWriter(ctl, ring);
  let sinceCheck = 0;
  while (Atomics.load(ctl, Ctl.STATE) === STATE_RUNNING) {
    const rc = cursor.next();
    if (rc !== NEXT_OK && rc !== NEXT_TIMEOUT) break; // stopped, error or interface gone
    if (rc === NEXT_OK) {
      const capLen = cursor.capLen;
      if (writer.room(RECORD_HEADER + capLen) === 0) {
        Atomics.add(ctl, Ctl.OWN_DROPS, 1); // the engine fell behind: count, never block
      } else {
        const at = writer.write;
        ring.setUint32(at, cursor.tsSec >>> 0, true);
        ring.setUint32(at + 4, cursor.tsNsec, true);
        ring.setUint32(at + CAPLEN, capLen, true);
        ring.setUint32(at + WIRELEN, cursor.wireLen, true);
        ringBytes.set(new Uint8Array(cursor.data.buffer, 0, capLen), at + RECORD_HEADER);
        writer.write = at + RECORD_HEADER + capLen;
        Atomics.add(ctl, Ctl.CAPTURED, 1);
        writer.publish();
      }
    }
    if (++sinceCheck >= STATS_CHECK_EVERY || rc === NEXT_TIMEOUT) {
      sinceCheck = 0;
      between();
    }
  }
}

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<LiveWorkerStart>) => void) | null;
  postMessage(message: LiveWorkerReply): void;
  close(): void;
};

scope.onmessage = (event) => {
  const start = event.data;
  let opened;
  try {
    opened = open(start);
  } catch (err) {
    scope.postMessage({ type: "error", message: (err as Error).message });
    scope.close();
    return;
  }
  scope.postMessage({
    type: "ready",
    linkType: opened.linkType,
    handle: BigInt(Deno.UnsafePointer.value(opened.cursor.handle)),
  });
  // Let the reply go out before the loop takes this thread over.
  setTimeout(() => {
    run(start, opened.cursor);
    scope.close();
  }, 0);
};
