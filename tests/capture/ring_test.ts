import { assertEquals } from "@std/assert";
import { atRecord, CAPLEN, Ctl, RECORD_HEADER, RingWriter } from "../../capture/_ring.ts";

/** A ring of `size` bytes with its control words. */
function ring(size: number) {
  const ctl = new Int32Array(new SharedArrayBuffer(Ctl.SIZE * 4));
  const view = new DataView(new SharedArrayBuffer(size));
  return { ctl, view, writer: new RingWriter(ctl, view) };
}

/** Writes one record of `capLen` bytes, each `fill`, as the worker does; false when full. */
function put(r: ReturnType<typeof ring>, capLen: number, fill: number): boolean {
  if (r.writer.room(RECORD_HEADER + capLen) === 0) return false;
  const at = r.writer.write;
  r.view.setUint32(at + CAPLEN, capLen, true);
  for (let i = 0; i < capLen; i++) r.view.setUint8(at + RECORD_HEADER + i, fill);
  r.writer.write = at + RECORD_HEADER + capLen;
  r.writer.publish();
  return true;
}

/** Reads every published record as the live source does: their fill bytes. */
function take(r: ReturnType<typeof ring>): number[] {
  const out: number[] = [];
  let read = Atomics.load(r.ctl, Ctl.READ);
  const write = Atomics.load(r.ctl, Ctl.WRITE);
  while (read !== write) {
    read = atRecord(r.view, read);
    if (read === write) break;
    const capLen = r.view.getUint32(read + CAPLEN, true);
    out.push(r.view.getUint8(read + RECORD_HEADER));
    read += RECORD_HEADER + capLen;
  }
  Atomics.store(r.ctl, Ctl.READ, read);
  return out;
}

Deno.test("RingWriter.room() wraps to the start and the reader follows, records unpadded", () => {
  const r = ring(256);
  for (let i = 0; i < 3; i++) assertEquals(put(r, 50, i), true); // 3 x 66 bytes
  assertEquals(take(r), [0, 1, 2]);
  // 198 used; 57 bytes left before the last byte: a 66-byte record wraps to 0.
  assertEquals(put(r, 50, 3), true);
  assertEquals(r.writer.write, 66);
  assertEquals(take(r), [3]);
});

Deno.test("RingWriter.room() answers 0 when full and never lets write reach read", () => {
  const r = ring(128);
  assertEquals(put(r, 40, 1), true);
  assertEquals(put(r, 40, 2), true); // 112 bytes used: 15 left before the last byte
  assertEquals(put(r, 40, 3), false); // cannot wrap: the reader is still at 0
  assertEquals(take(r), [1, 2]);
  assertEquals(put(r, 40, 4), true); // wraps: read is at 112
  assertEquals(put(r, 40, 5), false); // would reach read
  assertEquals(take(r), [4]);
  assertEquals(put(r, 40, 5), true);
  assertEquals(take(r), [5]);
});

Deno.test("atRecord() skips to 0 at a wrap marker or too near the end", () => {
  const view = new DataView(new ArrayBuffer(64));
  assertEquals(atRecord(view, 60), 0);
  view.setUint32(16 + CAPLEN, 0xffffffff, true);
  assertEquals(atRecord(view, 16), 0);
  assertEquals(atRecord(view, 8), 8);
  view.setUint32(32 + CAPLEN, 5, true);
  assertEquals(atRecord(view, 32), 32);
});
