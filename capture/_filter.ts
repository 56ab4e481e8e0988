import { CaptureError } from "./capture_error.ts";
import { cString, type Libpcap, toCString } from "./_libpcap.ts";

const PCAP_NETMASK_UNKNOWN = 0xffffffff;

/** Compiles a BPF filter expression and installs it on an open handle. */
export function applyFilter(lib: Libpcap, handle: Deno.PointerObject, expression: string): void {
  // struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; }, padded off the V8 heap.
  const program = new Uint8Array(128);
  if (lib.pcap_compile(handle, program, toCString(expression), 1, PCAP_NETMASK_UNKNOWN) !== 0) {
    throw new CaptureError(`bad filter "${expression}": ${cString(lib.pcap_geterr(handle))}`);
  }
  try {
    if (lib.pcap_setfilter(handle, program) !== 0) {
      throw new CaptureError(`cannot set filter: ${cString(lib.pcap_geterr(handle))}`);
    }
  } finally {
    lib.pcap_freecode(program);
  }
}
