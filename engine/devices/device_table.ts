/**
 * The LAN's devices, found in traffic. A device is its MAC where the capture
 * shows Ethernet, else its IP address; a MAC device keeps its identity when
 * its address changes and holds several IPv4 and IPv6 addresses. Each packet
 * side resolves to a numeric device index with no allocation once the device
 * and the address are known.
 *
 * @module
 */
import type { DeviceHints } from "../device_hints.ts";
import { formatIp } from "../ip_address.ts";
import { formatMac, normalDeviceId, parseIp, parseMac } from "./_ip_text.ts";
import { grown, Recency } from "./_recency.ts";
import { describe, type DeviceState, ViewContext } from "./_device_view.ts";
import { KeyMap } from "./_key_map.ts";
import { AddressLists } from "./_address_lists.ts";
import type { Device, DeviceExtra } from "./device.ts";
import { NotDevice } from "./direction.ts";
import type { LanSubnets } from "./lan_subnets.ts";
import type { NeighbourEntry } from "./neighbours.ts";
import type { OuiTable } from "./oui_table.ts";

const MAC_TAG = 1, NONE = -1, TWO32 = 2 ** 32;

/** Options for {@linkcode DeviceTable}. */
export interface DeviceTableOptions {
  /** The LAN: a packet side outside it is not a device. */
  lan: LanSubnets;
  /** Vendors by OUI (see defaultOui()); without it, vendors are null. */
  oui?: OuiTable;
  /** Seconds without traffic after which a device is offline; default 300. */
  offlineAfter?: number;
  /** Most devices held; past it the least recently seen is forgotten. Default 65,536. */
  maxDevices?: number;
  /** Called as a device is forgotten, before its index is reused. */
  onForget?: (index: number, id: string) => void;
}

/**
 * The LAN's devices, by numeric index. Indexes are slots: when the table is
 * full, the least recently seen device is forgotten (`onForget` is told) and
 * its index reused, with {@linkcode generation} bumped so that holders of a
 * stale index can tell. Nothing is refused.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { LanSubnets } from "./lan_subnets.ts";
 * const devices = new DeviceTable({ lan: new LanSubnets(["192.168.1.0/24"]) });
 * const frame = new DataView(Uint8Array.of(0xa4, 0x83, 0xe7, 1, 2, 3).buffer);
 * const d = devices.resolve(frame, 0, 4, [0xc0a80107], 1000); // 192.168.1.7
 * assertEquals(devices.resolve(frame, 0, 4, [0x08080808], 1000), -1); // outside
 * devices.setLabel("mac:a4:83:e7:01:02:03", "Lucas's laptop");
 * const device = devices.device(d, 1100);
 * assertEquals([device.id, device.addresses, device.name, device.online], [
 *   "mac:a4:83:e7:01:02:03", ["192.168.1.7"], "Lucas's laptop", true,
 * ]);
 * ```
 */
export class DeviceTable {
  readonly offlineAfter: number;
  readonly maxDevices: number;
  /** Devices forgotten to make room so far. */
  forgotten = 0;
  /**
   * Counts changes to which MAC and addresses each device has (not to when
   * they were seen): while it stays the same, so does {@linkcode addressesOf}
   * as a set.
   */
  revision = 0;

  readonly #lan: LanSubnets;
  readonly #oui?: OuiTable;
  readonly #onForget: DeviceTableOptions["onForget"];
  readonly #byMac = new KeyMap();
  readonly #byAddress = new KeyMap();
  readonly #byId = new Map<string, number>();
  readonly #labels = new Map<string, string>();
  readonly #ids: string[] = [];
  readonly #addresses = new AddressLists();
  /** Per slot: the MAC (its id's, or the neighbour table's), -1 when unknown. */
  #mac = new Float64Array(0);
  #macIsId = new Uint8Array(0);
  #first = new Float64Array(0);
  #last = new Float64Array(0);
  #generation = new Uint32Array(0);
  readonly #recency = new Recency();
  #count = 0;

  constructor(options: DeviceTableOptions) {
    const { lan, oui, offlineAfter = 300, maxDevices = 65_536 } = options;
    if (typeof lan?.contains !== "function") throw new TypeError("lan must be a LanSubnets");
    if (!(offlineAfter > 0) || !Number.isFinite(offlineAfter)) {
      throw new RangeError(
        `offlineAfter must be a positive number of seconds, got ${offlineAfter}`,
      );
    }
    if (!Number.isInteger(maxDevices) || maxDevices < 1 || maxDevices > 2 ** 24) {
      throw new RangeError(`maxDevices must be an integer from 1 to 2^24, got ${maxDevices}`);
    }
    this.offlineAfter = offlineAfter;
    this.maxDevices = maxDevices;
    this.#lan = lan;
    this.#oui = oui;
    this.#onForget = options.onForget;
  }

  /** Devices held now. */
  get size(): number {
    return this.#count;
  }

  /**
   * The device on one side of a packet: pass the source MAC's offset with
   * the source address, or that offset minus 6 (the destination MAC) with the
   * destination address; a negative offset when the frame has no Ethernet
   * header (`PacketInfo.macOffset - 6` is one then, too). Allocates nothing
   * once the device holds the address. Returns the device's index, learning
   * the device or the address if
   * new, or {@linkcode NotDevice.OUTSIDE} (-1) for an address outside the LAN,
   * which is what the router's MAC carries for the Internet, or
   * {@linkcode NotDevice.NONE} (-2) for multicast, broadcast (by address or
   * by MAC), the unspecified address, or a version other than 4 and 6.
   */
  resolve(
    data: DataView,
    macOffset: number,
    version: number,
    words: ArrayLike<number>,
    time: number,
  ): number {
    // Words as int32 from here on: small integers that V8 passes between calls without boxing.
    const w0 = words[0] | 0;
    let w1 = 0, w2 = 0, w3 = 0;
    if (version === 4) {
      // 224/4 multicast, 240/4 reserved and 255.255.255.255: no single device.
      if (w0 === 0 || w0 >>> 28 >= 14) return NotDevice.NONE;
    } else if (version === 6) {
      w1 = words[1] | 0, w2 = words[2] | 0, w3 = words[3] | 0;
      if (w0 >>> 24 === 0xff || (w0 | w1 | w2 | w3) === 0) return NotDevice.NONE;
    } else return NotDevice.NONE;
    if (!this.#lan.contains(version, words)) return NotDevice.OUTSIDE;
    let d: number;
    const hi = macOffset >= 0 ? data.getUint16(macOffset) : 0;
    const lo = macOffset >= 0 ? data.getInt32(macOffset + 2) : 0;
    if (hi & 0x100) return NotDevice.NONE; // the group bit: multicast or broadcast frame
    if (hi !== 0 || lo !== 0) { // an all-zero MAC (loopback, synthetic) identifies nothing
      d = this.#byMac.get(MAC_TAG, hi, lo, 0, 0);
      if (d < 0 || !this.#addresses.see(d, version, w0, w1, w2, w3, time)) {
        // New here (a known address is never a broadcast one: it was checked when learned).
        if (this.#lan.isBroadcast(version, words)) return NotDevice.NONE;
        if (d < 0) d = this.#create(hi * TWO32 + (lo >>> 0), version, w0, w1, w2, w3, time);
        else this.#learn(d, version, w0, w1, w2, w3, time);
      }
    } else {
      d = this.#byAddress.get(version, w0, w1, w2, w3);
      if (d >= 0) this.#addresses.see(d, version, w0, w1, w2, w3, time);
      else if (this.#lan.isBroadcast(version, words)) return NotDevice.NONE;
      else d = this.#create(-1, version, w0, w1, w2, w3, time);
    }
    if (time > this.#last[d]) this.#last[d] = time;
    if (time < this.#first[d]) this.#first[d] = time;
    this.#recency.touch(d);
    return d;
  }

  /** The device's id: "mac:aa:bb:cc:dd:ee:ff" or "ip:192.0.2.7". */
  id(index: number): string {
    this.#check(index);
    return this.#ids[index];
  }

  /**
   * Bumped each time the index is given to another device: a holder of an
   * index keeps the generation it got with it, and an index whose generation
   * has moved on is another device's. Cheap enough for the packet path.
   */
  generation(index: number): number {
    // The range check inline: a flow's metering asks this once per side per second.
    if ((index >>> 0) !== index || index >= this.#count) this.#check(index);
    return this.#generation[index];
  }

  /**
   * Traffic of the device at `time` (seconds) that did not go through
   * {@linkcode resolve}: a flow opened earlier still carrying bytes. Moves
   * its last-seen time on (never back) and makes it the most recently seen,
   * so a device busy on one long flow stays online and is not the one
   * forgotten. Allocation-free.
   */
  touch(index: number, time: number): void {
    if ((index >>> 0) !== index || index >= this.#count) this.#check(index);
    if (!(time >= 0) || time === Infinity) {
      throw new RangeError(`touch() takes finite seconds >= 0, got ${time}`);
    }
    if (time > this.#last[index]) this.#last[index] = time;
    this.#recency.touch(index);
  }

  /** The index of the device with this id (MAC in any case, IPv6 in any form), or -1. */
  indexOf(id: string): number {
    // Ids come in their one spelling mostly (the policy's, the shaper's): no parsing then.
    const known = this.#byId.get(id);
    if (known !== undefined) return known;
    const key = normalDeviceId(id);
    return key === null ? -1 : this.#byId.get(key) ?? -1;
  }

  /**
   * The device's label (the user's own name for it), or null; an IP device
   * whose MAC is known also has the label given to its MAC.
   */
  label(index: number): string | null {
    const id = this.id(index), mac = this.#mac[index];
    return this.#labels.get(id) ??
      (mac >= 0 && !this.#macIsId[index] ? this.#labels.get(`mac:${formatMac(mac)}`) : undefined) ??
      null;
  }

  /** Gives a device the user's own name (it beats every other), or removes it with null. */
  setLabel(id: string, label: string | null): void {
    const key = normalDeviceId(id);
    if (key === null) {
      throw new TypeError(
        `device id ${JSON.stringify(id)} is not "mac:aa:bb:cc:dd:ee:ff" or "ip:ADDRESS"`,
      );
    }
    if (label !== null && typeof label !== "string") {
      throw new TypeError(`a label is a string or null, got ${typeof label}`);
    }
    const text = label?.trim() ?? "";
    if (text === "") this.#labels.delete(key);
    else this.#labels.set(key, text);
  }

  /** The device as plain data, its name chosen from the label, `hints` and `extra`. */
  device(index: number, now: number, hints?: DeviceHints, extra?: DeviceExtra): Device {
    this.#check(index);
    return describe(
      this.#state(index),
      now,
      this.offlineAfter,
      this.#oui,
      new ViewContext(hints, extra),
    );
  }

  /**
   * Only the device's MAC and addresses (IPv4 first, newest first): what the
   * shaper needs each second, without the naming work of {@linkcode device}.
   */
  addressesOf(index: number): { mac: string | null; addresses: string[] } {
    this.#check(index);
    const mac = this.#mac[index];
    return {
      mac: mac >= 0 ? formatMac(mac) : null,
      addresses: this.#addresses.list(index),
    };
  }

  /** Every device, as {@linkcode device}, first seen first. */
  list(now: number, hints?: DeviceHints, extra?: DeviceExtra): Device[] {
    const context = new ViewContext(hints, extra);
    const out: Device[] = [];
    for (let d = 0; d < this.#count; d++) {
      out.push(describe(this.#state(d), now, this.offlineAfter, this.#oui, context));
    }
    return out.sort((a, b) =>
      a.firstSeen - b.firstSeen || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
    );
  }

  /**
   * Learns from the host's neighbour table: an IP device whose address the
   * table lists gets that MAC (its id stays), and a MAC device gets an address
   * the table gives it that no device holds yet, as seen at `time` (its
   * lastSeen is left alone: the table is not traffic). Creates no device.
   */
  learnNeighbours(entries: readonly NeighbourEntry[], time: number): void {
    for (const e of entries) {
      const ip = parseIp(String(e?.ip)), mac = parseMac(String(e?.mac));
      if (!ip || mac < 0) throw new TypeError(`bad neighbour entry ${JSON.stringify(e)}`);
      const [w0, w1, w2, w3] = ip.words;
      if (!this.#lan.contains(ip.version, ip.words)) continue;
      const owner = this.#byAddress.get(ip.version, w0, w1, w2, w3);
      if (owner >= 0) {
        if (!this.#macIsId[owner] && this.#mac[owner] !== mac) {
          this.#mac[owner] = mac;
          this.revision++;
        }
        continue;
      }
      const d = this.#byMac.get(MAC_TAG, Math.floor(mac / TWO32), mac >>> 0, 0, 0);
      if (d >= 0) this.#learn(d, ip.version, w0, w1, w2, w3, time);
    }
  }

  #check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.#count) {
      throw new RangeError(`no device ${index}: indexes are 0 to ${this.#count - 1}`);
    }
  }

  #state(d: number): DeviceState {
    const id = this.#ids[d];
    return {
      id,
      mac: this.#mac[d] >= 0 ? formatMac(this.#mac[d]) : null,
      addresses: this.#addresses.list(d),
      label: this.label(d),
      firstSeen: this.#first[d],
      lastSeen: this.#last[d],
    };
  }

  /** Gives the address to `d`, taking it from any device that held it. */
  #learn(d: number, version: number, w0: number, w1: number, w2: number, w3: number, time: number) {
    const owner = this.#byAddress.get(version, w0, w1, w2, w3);
    if (owner !== d) this.revision++; // a new address, or one moving between devices
    if (owner >= 0 && owner !== d) this.#addresses.remove(owner, version, w0, w1, w2, w3);
    const dropped = this.#addresses.add(d, version, w0, w1, w2, w3, time);
    if (dropped) this.#byAddress.delete(version, dropped[0], dropped[1], dropped[2], dropped[3], d);
    this.#byAddress.set(version, w0, w1, w2, w3, d);
  }

  #create(
    mac: number,
    version: number,
    w0: number,
    w1: number,
    w2: number,
    w3: number,
    time: number,
  ): number {
    const id = mac >= 0
      ? `mac:${formatMac(mac)}`
      : `ip:${formatIp(version, Uint32Array.of(w0, w1, w2, w3))}`;
    // An IP device that lost its address to a MAC device and now has it back.
    let d = mac >= 0 ? NONE : this.#byId.get(id) ?? NONE;
    if (d >= 0) {
      this.#learn(d, version, w0, w1, w2, w3, time);
      return d;
    }
    if (this.#count < this.maxDevices) {
      d = this.#count++;
      if (d >= this.#first.length) this.#grow();
    } else {
      d = this.#recency.oldest;
      this.#forget(d);
    }
    this.#ids[d] = id;
    this.#byId.set(id, d);
    this.#mac[d] = mac;
    this.#macIsId[d] = mac >= 0 ? 1 : 0;
    if (mac >= 0) this.#byMac.set(MAC_TAG, Math.floor(mac / TWO32), mac >>> 0, 0, 0, d);
    this.#first[d] = this.#last[d] = time;
    this.#recency.touch(d);
    this.#learn(d, version, w0, w1, w2, w3, time);
    return d;
  }

  #forget(d: number): void {
    this.#onForget?.(d, this.#ids[d]);
    const mac = this.#mac[d];
    if (this.#macIsId[d]) this.#byMac.delete(MAC_TAG, Math.floor(mac / TWO32), mac >>> 0, 0, 0);
    this.#addresses.clear(
      d,
      (version, a, b, c, e) => this.#byAddress.delete(version, a, b, c, e, d),
    );
    this.#byId.delete(this.#ids[d]);
    this.#recency.remove(d);
    this.#generation[d]++;
    this.forgotten++;
    this.revision++;
  }

  #grow(): void {
    const size = Math.min(this.maxDevices, Math.max(64, this.#first.length * 2));
    this.#mac = grown(this.#mac, size);
    this.#macIsId = grown(this.#macIsId, size);
    this.#first = grown(this.#first, size);
    this.#last = grown(this.#last, size);
    this.#generation = grown(this.#generation, size);
    this.#recency.grow(size);
    this.#addresses.grow(size);
  }
}
