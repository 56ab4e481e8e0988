/**
 * What devices say about themselves on the LAN: the hostname and vendor class
 * a DHCP client sends, its DHCP parameter list (a fingerprint), the name it
 * answers to over mDNS or NetBIOS, the SSDP server string, the HTTP
 * User-Agent. Kept per MAC address where the packet carries one (DHCP), else
 * per IP address, for naming devices; bounded, oldest forgotten first.
 *
 * @module
 */

/** Everything heard about one device; fields are absent until heard. */
export interface DeviceHint {
  /** "mac:aa:bb:cc:dd:ee:ff" or "ip:192.0.2.7". */
  key: string;
  /** The IP address a DHCP client asked for or was using, when heard. */
  ip?: string;
  dhcpHostname?: string;
  dhcpVendorClass?: string;
  /** DHCP option 55 as a comma-separated list: identifies the OS family. */
  dhcpFingerprint?: string;
  mdnsName?: string;
  netbiosName?: string;
  ssdpServer?: string;
  userAgent?: string;
  /** When a hint was last added, in the clock's seconds. */
  lastSeen: number;
}

/** The fields of {@linkcode DeviceHint} that carry a heard value. */
export type HintField = Exclude<keyof DeviceHint, "key" | "lastSeen">;

/**
 * A bounded store of device hints.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const hints = new DeviceHints();
 * hints.note("mac:02:00:00:00:00:01", "dhcpHostname", "lucas-imac", 10);
 * hints.note("mac:02:00:00:00:00:01", "ip", "192.168.1.20", 10);
 * assertEquals(hints.get("mac:02:00:00:00:00:01")?.dhcpHostname, "lucas-imac");
 * ```
 */
export class DeviceHints {
  readonly #limit: number;
  readonly #hints = new Map<string, DeviceHint>();

  constructor(limit = 4096) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`device hint limit must be a positive integer, got ${limit}`);
    }
    this.#limit = limit;
  }

  /** Records one heard value; the latest value of a field wins. */
  note(key: string, field: HintField, value: string, now: number): void {
    let hint = this.#hints.get(key);
    if (hint) this.#hints.delete(key); // re-inserted below: the map stays oldest-first
    else if (this.#hints.size >= this.#limit) {
      this.#hints.delete(this.#hints.keys().next().value!);
    }
    hint ??= { key, lastSeen: now };
    hint[field] = value;
    hint.lastSeen = now;
    this.#hints.set(key, hint);
  }

  /** The hint stored under `key`, if any. */
  get(key: string): DeviceHint | undefined {
    return this.#hints.get(key);
  }

  /** How many devices have hints. */
  get size(): number {
    return this.#hints.size;
  }

  /** Copies of all hints, oldest first. */
  list(): DeviceHint[] {
    return [...this.#hints.values()].map((h) => ({ ...h }));
  }
}
