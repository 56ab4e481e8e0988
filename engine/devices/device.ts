/**
 * A device as Sluice reports it, and what naming it may draw on beyond the
 * device hints. Plain data, made by `DeviceTable.device()` and `list()`.
 *
 * @module
 */
import type { NameSource } from "./device_names.ts";
import type { NeighbourEntry } from "./neighbours.ts";

/** A device as reported: plain data. */
export interface Device {
  /** "mac:aa:bb:cc:dd:ee:ff" or "ip:192.0.2.7", as the keys of DeviceHints. */
  id: string;
  /** Its MAC, from its frames or (for an IP device) from the neighbour table; else null. */
  mac: string | null;
  /** Its addresses, IPv4 first, each family most recently seen first. */
  addresses: string[];
  /** From the OUI registry; null for a randomized MAC. */
  vendor: string | null;
  /** A locally administered MAC (bit 0x02 of the first octet): private Wi-Fi addresses. */
  randomMac: boolean;
  label: string | null;
  name: string | null;
  nameSource: NameSource | null;
  firstSeen: number;
  lastSeen: number;
  /** Traffic within `offlineAfter` seconds of the `now` asked about. */
  online: boolean;
}

/** Inputs for naming beyond the device hints. */
export interface DeviceExtra {
  /** PTR answers by address text ("192.168.1.7" → "lucas-imac.lan"). */
  reverseDns?: ReadonlyMap<string, string>;
  /** The host's neighbour table (see parseIpNeigh, parseProcNetArp, parseArpA). */
  neighbours?: readonly NeighbourEntry[];
}
