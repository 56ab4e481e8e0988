// The batched capture loop (Linux with glibc): pcap_dispatch hands each packet of a
// batch to libpcap's own pcap_dump, in C, which writes it into a FILE that fmemopen
// opened over the shared ring (through stdio's buffer, flushed after each batch), so
// packets go from the kernel's ring to ours with no JavaScript and no FFI call per
// packet: pcap_dump's record header is the ring's. Each batch is bounded so that its worst case (every packet at the
// snapshot length) fits in the room left; when there is none, the batch goes to
// /dev/null and is counted as Sluice's own drops, and capture never waits on the engine.
import { IOFBF, type Libc, SEEK_SET } from "./_libc.ts";
import type { Libpcap } from "./_libpcap.ts";
import { Ctl, RECORD_HEADER, RingWriter, STATE_RUNNING } from "./_ring.ts";

/** Most packets a batch takes: ends each batch soon enough to publish and check stats. */
const MAX_BATCH = 4096;
/** Packets thrown away at a time while the ring is full. */
const DROP_BATCH = 256;
/** stdio's buffer for the ring's FILE: flushed into the ring at the end of each batch. */
const FILE_BUFFER = 64 << 10;

/** What the loop needs from the worker. */
export interface DispatchLoop {
  lib: Libpcap;
  libc: Libc;
  /** The address of pcap_dump. */
  dump: Deno.PointerObject;
  handle: Deno.PointerObject;
  ctl: Int32Array;
  ring: SharedArrayBuffer;
  /** Called between batches: refreshes the kernel's counters now and then. */
  between: (gotPackets: boolean) => void;
}

/**
 * Runs until the capture stops. Returns false, before reading any packet, when the
 * C library cannot give it its FILEs: the caller then reads packet by packet.
 */
export function runDispatchLoop(loop: DispatchLoop): boolean {
  const { lib, libc, dump, handle, ctl } = loop;
  const bytes = new Uint8Array(loop.ring);
  const file = libc.fmemopen(Deno.UnsafePointer.of(bytes), BigInt(bytes.byteLength), cText("w"));
  const discard = libc.fopen(cText("/dev/null"), cText("w"));
  if (file === null || discard === null) {
    if (file !== null) libc.fclose(file);
    if (discard !== null) libc.fclose(discard);
    return false;
  }
  // Buffered, flushed after each batch: unbuffered, each of pcap_dump's two fwrites a
  // packet took stdio's slow path down to fmemopen's write (about half the worker's
  // time at 60-byte packets); buffered, they are a copy into stdio's buffer, and a
  // flush copies the batch into the ring in large pieces.
  libc.setvbuf(file, null, IOFBF, BigInt(FILE_BUFFER));
  const writer = new RingWriter(ctl, new DataView(loop.ring));
  const worst = RECORD_HEADER + lib.pcap_snapshot(handle);
  try {
    while (Atomics.load(ctl, Ctl.STATE) === STATE_RUNNING) {
      const room = writer.room(worst);
      let got: number;
      if (room === 0) {
        got = lib.pcap_dispatch(handle, DROP_BATCH, dump, discard);
        if (got > 0) Atomics.add(ctl, Ctl.OWN_DROPS, got); // the engine fell behind: count, never block
      } else {
        libc.fseek(file, BigInt(writer.write), SEEK_SET);
        const count = Math.min(MAX_BATCH, Math.floor(room / worst));
        got = lib.pcap_dispatch(handle, count, dump, file);
        if (got > 0) {
          libc.fflush(file);
          writer.write = Number(libc.ftell(file));
          Atomics.add(ctl, Ctl.CAPTURED, got);
          writer.publish();
        }
      }
      if (got < 0) break; // stopped (breakloop), error or interface gone
      loop.between(got > 0);
    }
  } finally {
    libc.fclose(file);
    libc.fclose(discard);
  }
  return true;
}

function cText(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text + "\0");
}
