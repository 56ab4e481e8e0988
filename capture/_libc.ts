// The C library calls the batched capture loop needs (Linux with glibc only): an
// in-memory FILE over the shared ring for pcap_dump, and pcap_dump's address.
import { libpcapPath } from "./_libpcap.ts";

const SYMBOLS = {
  fmemopen: { parameters: ["pointer", "usize", "buffer"], result: "pointer" },
  fopen: { parameters: ["buffer", "buffer"], result: "pointer" },
  setvbuf: { parameters: ["pointer", "pointer", "i32", "usize"], result: "i32" },
  fseek: { parameters: ["pointer", "i64", "i32"], result: "i32" },
  ftell: { parameters: ["pointer"], result: "i64" },
  fflush: { parameters: ["pointer"], result: "i32" },
  fclose: { parameters: ["pointer"], result: "i32" },
  dlopen: { parameters: ["buffer", "i32"], result: "pointer" },
  dlsym: { parameters: ["pointer", "buffer"], result: "pointer" },
} as const;

/** The bound C library symbols. */
export type Libc = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

const RTLD_NOW = 2, RTLD_NOLOAD = 4;
export const SEEK_SET = 0, IOFBF = 0;

/** glibc's symbols, or undefined where there is no glibc (musl, macOS, Windows). */
export function glibc(): Libc | undefined {
  if (Deno.build.os !== "linux") return undefined;
  try {
    return Deno.dlopen("libc.so.6", SYMBOLS).symbols;
  } catch {
    return undefined;
  }
}

/** The address of libpcap's pcap_dump, found in the copy Deno loaded; null if not found. */
export function pcapDumpAddress(libc: Libc): Deno.PointerValue {
  const path = libpcapPath();
  if (path === undefined) return null;
  const name = new TextEncoder().encode(path + "\0");
  const handle = libc.dlopen(name, RTLD_NOW | RTLD_NOLOAD);
  if (handle === null) return null;
  return libc.dlsym(handle, new TextEncoder().encode("pcap_dump\0"));
}
