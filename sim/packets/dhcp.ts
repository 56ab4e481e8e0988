/**
 * DHCP requests (RFC 2131, options from RFC 2132) as a client broadcasts
 * them when it comes back to a network it knows (INIT-REBOOT): asking for its
 * old address, telling its hostname.
 *
 * @module
 */
import type { Endpoint } from "./frame.ts";
import { checkHostname } from "./dns.ts";

const FIXED = 236, MIN_BOOTP = 300;
/** Option 55 as a common Linux client sends it: mask, router, DNS, domain, broadcast, NTP... */
const PARAMETER_LIST = [1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42];

function checkBytes(bytes: Uint8Array, length: number, name: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new RangeError(`${name} must be ${length} bytes, got ${bytes?.length}`);
  }
}

/**
 * A DHCPREQUEST payload (for UDP from 0.0.0.0:68 to 255.255.255.255:67) with
 * transaction id `xid`, client hardware address `mac`, and options 53
 * (REQUEST), 50 (`requestedIp`), 12 (`hostname`), 60 (`vendorClass`, when
 * given), 55 (parameter request list) and 61 (client id: type 1 and `mac`),
 * padded to BOOTP's 300 bytes.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const mac = Uint8Array.of(2, 0, 0, 0, 0, 7);
 * const request = dhcpRequest(0x3903f326, mac, Uint8Array.of(192, 168, 1, 7), "lucas-imac");
 * assertEquals([request[0], request.length], [1, 300]); // BOOTREQUEST
 * ```
 */
export function dhcpRequest(
  xid: number,
  mac: Uint8Array,
  requestedIp: Uint8Array,
  hostname: string,
  vendorClass?: string,
): Uint8Array {
  if (!Number.isInteger(xid) || xid < 0 || xid > 0xffffffff) {
    throw new RangeError(`xid must be an integer in 0-4294967295, got ${xid}`);
  }
  checkBytes(mac, 6, "mac");
  checkBytes(requestedIp, 4, "requestedIp");
  checkHostname(hostname, "hostname");
  if (vendorClass !== undefined && !/^[\x20-\x7e]{1,255}$/.test(vendorClass)) {
    throw new TypeError(`vendorClass must be 1-255 printable ASCII characters, got ${vendorClass}`);
  }
  const text = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
  const options = [
    0x63,
    0x82,
    0x53,
    0x63, // magic cookie
    ...[53, 1, 3], // DHCPREQUEST
    ...[50, 4, ...requestedIp],
    ...[12, hostname.length, ...text(hostname)],
    ...(vendorClass === undefined ? [] : [60, vendorClass.length, ...text(vendorClass)]),
    ...[55, PARAMETER_LIST.length, ...PARAMETER_LIST],
    ...[61, 7, 1, ...mac],
    255, // end
  ];
  const out = new Uint8Array(Math.max(MIN_BOOTP, FIXED + options.length));
  out[0] = 1; // BOOTREQUEST
  out[1] = 1; // Ethernet
  out[2] = 6; // hardware address length
  out[4] = xid >>> 24;
  out[5] = (xid >>> 16) & 255;
  out[6] = (xid >>> 8) & 255;
  out[7] = xid & 255;
  out.set(mac, 28); // chaddr; ciaddr, yiaddr, siaddr, giaddr, sname and file stay zero
  out.set(options, FIXED);
  return out;
}

/**
 * The two ends of a DHCP request from `mac`: 0.0.0.0:68 to the broadcast
 * 255.255.255.255:67, for writeUdp.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const { src, dst } = dhcpEndpoints(Uint8Array.of(2, 0, 0, 0, 0, 7));
 * assertEquals([src.port, dst.port, dst.mac[0]], [68, 67, 0xff]);
 * ```
 */
export function dhcpEndpoints(mac: Uint8Array): { src: Endpoint; dst: Endpoint } {
  checkBytes(mac, 6, "mac");
  return {
    src: { mac: mac.slice(), ip: new Uint8Array(4), port: 68 },
    dst: { mac: new Uint8Array(6).fill(0xff), ip: new Uint8Array(4).fill(0xff), port: 67 },
  };
}
