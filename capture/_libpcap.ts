// The one place in Sluice that calls Deno.dlopen: libpcap (or Npcap's wpcap.dll) bindings.

/** Thrown when no libpcap can be loaded; the message says what to install. */
export class LibpcapUnavailableError extends Error {
  override name = "LibpcapUnavailableError";
}

const SYMBOLS = {
  pcap_lib_version: { parameters: [], result: "pointer" },
  pcap_create: { parameters: ["buffer", "buffer"], result: "pointer" },
  pcap_set_snaplen: { parameters: ["pointer", "i32"], result: "i32" },
  pcap_set_promisc: { parameters: ["pointer", "i32"], result: "i32" },
  pcap_set_immediate_mode: { parameters: ["pointer", "i32"], result: "i32" },
  pcap_set_buffer_size: { parameters: ["pointer", "i32"], result: "i32" },
  pcap_set_timeout: { parameters: ["pointer", "i32"], result: "i32" },
  pcap_set_tstamp_precision: { parameters: ["pointer", "i32"], result: "i32" },
  pcap_activate: { parameters: ["pointer"], result: "i32" },
  pcap_compile: { parameters: ["pointer", "buffer", "buffer", "i32", "u32"], result: "i32" },
  pcap_setfilter: { parameters: ["pointer", "buffer"], result: "i32" },
  pcap_freecode: { parameters: ["buffer"], result: "void" },
  // Out-parameters as buffers: the fast FFI path, no pointer objects per packet.
  pcap_next_ex: { parameters: ["pointer", "buffer", "buffer"], result: "i32" },
  // Batches: libpcap calls `callback` (pcap_dump, see _dispatch_loop.ts) for each packet, in C.
  pcap_dispatch: { parameters: ["pointer", "i32", "pointer", "pointer"], result: "i32" },
  pcap_stats: { parameters: ["pointer", "buffer"], result: "i32" },
  pcap_datalink: { parameters: ["pointer"], result: "i32" },
  pcap_datalink_val_to_name: { parameters: ["i32"], result: "pointer" },
  pcap_snapshot: { parameters: ["pointer"], result: "i32" },
  pcap_open_offline_with_tstamp_precision: {
    parameters: ["buffer", "u32", "buffer"],
    result: "pointer",
  },
  pcap_findalldevs: { parameters: ["buffer", "buffer"], result: "i32" },
  pcap_freealldevs: { parameters: ["pointer"], result: "void" },
  pcap_geterr: { parameters: ["pointer"], result: "pointer" },
  pcap_statustostr: { parameters: ["i32"], result: "pointer" },
  pcap_breakloop: { parameters: ["pointer"], result: "void" },
  pcap_close: { parameters: ["pointer"], result: "void" },
} as const;

/** The bound libpcap symbols. */
export type Libpcap = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

/** Size of libpcap's error buffer (PCAP_ERRBUF_SIZE). */
export const ERRBUF_SIZE = 256;
/** pcap_open_offline_with_tstamp_precision / pcap_set_tstamp_precision: nanoseconds. */
export const TSTAMP_PRECISION_NANO = 1;

/**
 * Field offsets in `struct pcap_pkthdr`: `struct timeval` is two 64-bit longs on
 * 64-bit Linux and macOS (usec is 32-bit but padded), two 32-bit longs on Windows.
 */
export const PKTHDR = Deno.build.os === "windows"
  ? { size: 16, sec: 0, frac: 4, caplen: 8, len: 12, secIs64: false }
  : { size: 24, sec: 0, frac: 8, caplen: 16, len: 20, secIs64: true };

/** Where to look for the library on this platform, most specific first. */
export function libraryCandidates(
  os: typeof Deno.build.os,
  env: (name: string) => string | undefined,
): string[] {
  const override = env("SLUICE_LIBPCAP");
  const list = override ? [override] : [];
  if (os === "windows") {
    const root = env("SystemRoot") ?? "C:\\Windows";
    list.push(`${root}\\System32\\Npcap\\wpcap.dll`, "wpcap.dll");
  } else if (os === "darwin") {
    list.push("libpcap.A.dylib", "/usr/lib/libpcap.A.dylib", "libpcap.dylib");
  } else {
    list.push("libpcap.so.1", "libpcap.so.0.8", "libpcap.so");
  }
  return list;
}

/** What to install, said in one line, for a platform without libpcap. */
export function installHint(os: typeof Deno.build.os): string {
  if (os === "windows") return "install Npcap from https://npcap.com (WinPcap API-compatible mode)";
  if (os === "darwin") return "libpcap ships with macOS; set SLUICE_LIBPCAP to its path";
  return "install libpcap (Debian/Ubuntu: apt-get install libpcap0.8; Fedora: dnf install libpcap)";
}

let loaded: Libpcap | undefined;
let loadedPath: string | undefined;

/** The path the library was loaded from (after {@linkcode libpcap}), for dlsym. */
export function libpcapPath(): string | undefined {
  return loadedPath;
}

/**
 * Loads libpcap once and returns its symbols.
 *
 * @throws {LibpcapUnavailableError} when no candidate library can be opened.
 */
export function libpcap(): Libpcap {
  if (loaded) return loaded;
  const env = (name: string) => {
    try {
      return Deno.env.get(name);
    } catch {
      return undefined; // no --allow-env: use the defaults
    }
  };
  const tried: string[] = [];
  for (const path of libraryCandidates(Deno.build.os, env)) {
    try {
      loaded = Deno.dlopen(path, SYMBOLS).symbols;
      loadedPath = path;
      return loaded;
    } catch (err) {
      if (err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.PermissionDenied) {
        throw err;
      }
      tried.push(path);
    }
  }
  throw new LibpcapUnavailableError(
    `libpcap not found (tried ${tried.join(", ")}): ${installHint(Deno.build.os)}`,
  );
}

/** Reads a NUL-terminated C string, or "" for a null pointer. */
export function cString(ptr: Deno.PointerValue): string {
  return ptr === null ? "" : Deno.UnsafePointerView.getCString(ptr);
}

/** Encodes a JS string as a NUL-terminated C string. */
export function toCString(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text + "\0");
}

/** Decodes libpcap's error buffer. */
export function errbufText(errbuf: Uint8Array): string {
  const end = errbuf.indexOf(0);
  return new TextDecoder().decode(errbuf.subarray(0, end < 0 ? errbuf.length : end)).trim();
}
