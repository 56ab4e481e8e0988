// Writes packets to a classic pcap file (microsecond timestamps): how
// `sluice sim --pcap` hands the simulator's packets to libpcap tools. The
// file is written beside its name and renamed when complete, so a failed
// run leaves nothing half-written.
import type { PacketSink } from "../capture/mod.ts";

const CHUNK = 4 << 20;

/** A PacketSink that appends to a pcap file; `close()` completes it. */
export class PcapWriter implements PacketSink {
  readonly path: string;
  readonly #temp: string;
  readonly #file: Deno.FsFile;
  readonly #buf = new Uint8Array(CHUNK);
  readonly #view = new DataView(this.#buf.buffer);
  #used = 0;
  #source: Uint8Array | undefined;

  private constructor(path: string, temp: string, file: Deno.FsFile) {
    this.path = path;
    this.#temp = temp;
    this.#file = file;
  }

  /** Opens `path`'s temporary sibling and writes the header (snaplen 262144). */
  static open(path: string, linkType: number): PcapWriter {
    const temp = `${path}.partial`;
    const w = new PcapWriter(
      path,
      temp,
      Deno.openSync(temp, { write: true, create: true, truncate: true }),
    );
    const v = w.#view;
    v.setUint32(0, 0xa1b2c3d4, true);
    v.setUint16(4, 2, true);
    v.setUint16(6, 4, true);
    v.setUint32(16, 262_144, true);
    v.setUint32(20, linkType, true);
    w.#used = 24;
    return w;
  }

  packet(
    data: DataView,
    offset: number,
    capLen: number,
    wireLen: number,
    sec: number,
    nsec: number,
  ): void {
    if (this.#used + 16 + capLen > CHUNK) this.#flush();
    const v = this.#view, at = this.#used;
    v.setUint32(at, sec, true);
    v.setUint32(at + 4, Math.floor(nsec / 1000), true);
    v.setUint32(at + 8, capLen, true);
    v.setUint32(at + 12, wireLen, true);
    // One byte view per source buffer, not per packet: sources reuse theirs.
    if (this.#source?.buffer !== data.buffer) this.#source = new Uint8Array(data.buffer);
    const src = this.#source, buf = this.#buf, from = data.byteOffset + offset, to = at + 16;
    for (let i = 0; i < capLen; i++) buf[to + i] = src[from + i];
    this.#used = at + 16 + capLen;
  }

  /** Writes the rest and gives the file its name. */
  close(): void {
    this.#flush();
    this.#file.close();
    Deno.renameSync(this.#temp, this.path);
  }

  /** Gives up: the partial file is removed. */
  abort(): void {
    try {
      this.#file.close();
    } catch { /* already closed */ }
    try {
      Deno.removeSync(this.#temp);
    } catch { /* never made */ }
  }

  #flush(): void {
    let done = 0;
    while (done < this.#used) done += this.#file.writeSync(this.#buf.subarray(done, this.#used));
    this.#used = 0;
  }
}
