import { CaptureError } from "./capture_error.ts";
import { cString, ERRBUF_SIZE, errbufText, libpcap } from "./_libpcap.ts";
import { formatIp } from "../engine/ip_address.ts";

/** One address of a capture device. */
export interface InterfaceAddress {
  family: "inet" | "inet6" | "link";
  address: string;
  netmask?: string;
}

/** A capture device as libpcap lists it. */
export interface CaptureInterface {
  name: string;
  description: string;
  addresses: InterfaceAddress[];
  loopback: boolean;
  up: boolean;
  running: boolean;
  wireless: boolean;
}

const PCAP_IF_LOOPBACK = 1, PCAP_IF_UP = 2, PCAP_IF_RUNNING = 4, PCAP_IF_WIRELESS = 8;
const AF_INET = 2;
const AF_INET6 = Deno.build.os === "windows" ? 23 : Deno.build.os === "darwin" ? 30 : 10;
const AF_PACKET = 17; // Linux: a sockaddr_ll carrying the MAC address

/**
 * Lists the devices libpcap can capture on, with their addresses.
 *
 * @throws {CaptureError} when libpcap cannot enumerate devices.
 */
export function listInterfaces(): CaptureInterface[] {
  const lib = libpcap();
  const errbuf = new Uint8Array(ERRBUF_SIZE);
  const head = new BigUint64Array(8);
  if (lib.pcap_findalldevs(head, errbuf) !== 0) {
    throw new CaptureError(`cannot list interfaces: ${errbufText(errbuf)}`);
  }
  const first = Deno.UnsafePointer.create(head[0]);
  const result: CaptureInterface[] = [];
  try {
    for (let dev = first; dev !== null;) {
      const view = new Deno.UnsafePointerView(dev);
      const flags = view.getUint32(32);
      result.push({
        name: readString(view.getPointer(8)),
        description: readString(view.getPointer(16)),
        addresses: readAddresses(view.getPointer(24)),
        loopback: (flags & PCAP_IF_LOOPBACK) !== 0,
        up: (flags & PCAP_IF_UP) !== 0,
        running: (flags & PCAP_IF_RUNNING) !== 0,
        wireless: (flags & PCAP_IF_WIRELESS) !== 0,
      });
      dev = view.getPointer(0);
    }
  } finally {
    if (first !== null) lib.pcap_freealldevs(first);
  }
  return result;
}

function readString(ptr: Deno.PointerValue): string {
  return ptr === null ? "" : Deno.UnsafePointerView.getCString(ptr);
}

function readAddresses(first: Deno.PointerValue): InterfaceAddress[] {
  const list: InterfaceAddress[] = [];
  for (let node = first; node !== null;) {
    const view = new Deno.UnsafePointerView(node);
    const address = readSockaddr(view.getPointer(8));
    if (address) {
      const mask = readSockaddr(view.getPointer(16));
      list.push(
        mask && mask.family === address.family ? { ...address, netmask: mask.address } : address,
      );
    }
    node = view.getPointer(0);
  }
  return list;
}

function readSockaddr(ptr: Deno.PointerValue): InterfaceAddress | undefined {
  if (ptr === null) return undefined;
  const view = new Deno.UnsafePointerView(ptr);
  // BSD sockaddrs start with a length byte; Linux and Windows with a 16-bit family.
  const family = Deno.build.os === "darwin" ? view.getUint8(1) : view.getUint16(0);
  if (family === AF_INET) {
    const words = Uint32Array.of(readBigEndian32(view, 4));
    return { family: "inet", address: formatIp(4, words) };
  }
  if (family === AF_INET6) {
    const words = new Uint32Array(4);
    for (let i = 0; i < 4; i++) words[i] = readBigEndian32(view, 8 + i * 4);
    return { family: "inet6", address: formatIp(6, words) };
  }
  if (family === AF_PACKET && Deno.build.os === "linux") {
    const length = view.getUint8(11);
    if (length !== 6) return undefined;
    const mac = Array.from(
      { length },
      (_, i) => view.getUint8(12 + i).toString(16).padStart(2, "0"),
    );
    return { family: "link", address: mac.join(":") };
  }
  return undefined;
}

function readBigEndian32(view: Deno.UnsafePointerView, offset: number): number {
  return ((view.getUint8(offset) << 24) | (view.getUint8(offset + 1) << 16) |
    (view.getUint8(offset + 2) << 8) | view.getUint8(offset + 3)) >>> 0;
}

/**
 * libpcap's own version line, e.g. "libpcap version 1.10.3 (with TPACKET_V3)".
 *
 * @throws {LibpcapUnavailableError} when libpcap cannot be loaded.
 */
export function libpcapVersion(): string {
  return cString(libpcap().pcap_lib_version());
}
