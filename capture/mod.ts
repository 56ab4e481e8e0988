/**
 * Packet capture through libpcap (Npcap on Windows) via Deno FFI: live
 * interfaces, capture files, and the interface every packet source shares.
 *
 * @module
 */
export * from "./packet_source.ts";
export { CaptureError } from "./capture_error.ts";
export { LibpcapUnavailableError } from "./_libpcap.ts";
export { type FileSourceOptions, openFile } from "./file_source.ts";
export { type LiveSourceOptions, openLive } from "./live_source.ts";
export {
  type CaptureInterface,
  type InterfaceAddress,
  libpcapVersion,
  listInterfaces,
} from "./interfaces.ts";
export { type ProcReader, procReader } from "./proc_fs.ts";
