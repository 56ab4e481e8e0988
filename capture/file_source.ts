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
import { NEXT_EOF, NEXT_OK, PacketCursor } from "./_packet_cursor.ts";
import {
  type CaptureStats,
  END_OF_CAPTURE,
  type PacketSink,
  type PacketSource,
} from "./packet_source.ts";

/** Options for {@linkcode openFile}. */
export interface FileSourceOptions {
  /** A BPF filter expression (tcpdump syntax) applied while reading. */
  filter?: string;
}

/**
 * Opens a pcap or pcapng file through libpcap, with nanosecond timestamps.
 *
 * @example
 * ```ts ignore
 * const source = openFile("trace.pcap");
 * let bytes = 0;
 * const sink = { packet(_d, _o, _c, wireLen: number) { bytes += wireLen; } };
 * while ((await source.read(sink)) !== END_OF_CAPTURE) {}
 * ```
 * @throws {CaptureError} when the file is missing, unreadable or not a capture.
 */
export function openFile(path: string, options: FileSourceOptions = {}): PacketSource {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) throw new CaptureError(`${path}: no such file`);
    if (err instanceof Deno.errors.NotCapable) throw err;
    throw new CaptureError(`${path}: ${(err as Error).message}`);
  }
  if (!info.isFile) throw new CaptureError(`${path}: not a file`);
  const lib = libpcap();
  const errbuf = new Uint8Array(ERRBUF_SIZE);
  const handle = lib.pcap_open_offline_with_tstamp_precision(
    toCString(path),
    TSTAMP_PRECISION_NANO,
    errbuf,
  );
  if (handle === null) {
    throw new CaptureError(`${path}: not a readable capture file (${errbufText(errbuf)})`);
  }
  try {
    if (options.filter) applyFilter(lib, handle, options.filter);
  } catch (err) {
    lib.pcap_close(handle);
    throw err;
  }
  return new FileSource(path, handle);
}

class FileSource implements PacketSource {
  readonly linkType: number;
  #cursor: PacketCursor | undefined;
  #delivered = 0;

  constructor(readonly name: string, handle: Deno.PointerObject) {
    const lib = libpcap();
    this.linkType = lib.pcap_datalink(handle);
    this.#cursor = new PacketCursor(lib, handle);
  }

  read(sink: PacketSink, maxPackets = 8192): Promise<number> {
    const cursor = this.#cursor;
    if (!cursor) return Promise.resolve(END_OF_CAPTURE);
    let count = 0;
    while (count < maxPackets) {
      const rc = cursor.next();
      if (rc === NEXT_OK) {
        sink.packet(
          cursor.data,
          0,
          cursor.capLen,
          cursor.wireLen,
          cursor.tsSec,
          cursor.tsNsec,
        );
        count++;
        continue;
      }
      if (rc === NEXT_EOF) {
        this.close();
        break;
      }
      const why = cString(cursor.lib.pcap_geterr(cursor.handle));
      this.close();
      return Promise.reject(new CaptureError(`${this.name}: ${why || "read error"}`));
    }
    this.#delivered += count;
    return Promise.resolve(count === 0 && !this.#cursor ? END_OF_CAPTURE : count);
  }

  stats(): CaptureStats {
    return { delivered: this.#delivered, kernelDropped: 0, ifDropped: 0, ownDropped: 0 };
  }

  close(): void {
    if (!this.#cursor) return;
    this.#cursor.lib.pcap_close(this.#cursor.handle);
    this.#cursor = undefined;
  }
}
