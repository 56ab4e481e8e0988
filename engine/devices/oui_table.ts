/**
 * Vendors by OUI: the first three octets of a MAC, as the IEEE assigns them
 * (MA-L). The data is a compact JSON document (engine/devices/oui.json, made
 * by make_oui_table.ts):
 *
 * ```json
 * { "version": 1, "source": "IEEE MA-L via Debian ieee-data 2022-08-27",
 *   "vendors": ["Cisco Systems, Inc", "..."],
 *   "prefixes": "00000C00000D...",
 *   "index": "00101h..." }
 * ```
 *
 * `prefixes` holds 6 uppercase hex digits per OUI in ascending order;
 * `index` holds, for each prefix in the same order, its vendor's position in
 * `vendors` as 3 base-36 digits. Strings rather than arrays keep the file
 * small (the registry has some 32,000 OUIs) and one line each under `deno fmt`.
 *
 * @module
 */
import { list, need, record, show } from "../_json_shape.ts";

const INDEX_DIGITS = 3;

/**
 * A binary-searchable OUI registry.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const oui = OuiTable.fromData({
 *   version: 1,
 *   source: "example",
 *   vendors: ["Cisco Systems, Inc", "XEROX CORPORATION"],
 *   prefixes: "00000000000C",
 *   index: "001000",
 * });
 * assertEquals(oui.vendor(0x00000c), "Cisco Systems, Inc");
 * assertEquals(oui.vendor(0x123456), null);
 * ```
 */
export class OuiTable {
  /** Where the data came from, as the data file says. */
  readonly source: string;
  readonly #prefixes: Uint32Array;
  readonly #index: Uint32Array;
  readonly #vendors: readonly string[];

  private constructor(
    source: string,
    prefixes: Uint32Array,
    index: Uint32Array,
    vendors: readonly string[],
  ) {
    this.source = source;
    this.#prefixes = prefixes;
    this.#index = index;
    this.#vendors = vendors;
  }

  /** Checks the data's shape and builds the table; throws a TypeError naming the first bad field. */
  static fromData(data: unknown): OuiTable {
    const o = record(data, "oui");
    need(o.version === 1, "oui.version", () => `expected 1, got ${show(o.version)}`);
    need(typeof o.source === "string", "oui.source", "expected a string");
    const vendors = list(o.vendors, "oui.vendors") as string[];
    for (let i = 0; i < vendors.length; i++) {
      const v = vendors[i];
      need(
        typeof v === "string" && v.trim() !== "",
        `oui.vendors[${i}]`,
        () => `${show(v)} is not a name`,
      );
    }
    const text = o.prefixes;
    need(
      typeof text === "string" && text.length % 6 === 0,
      "oui.prefixes",
      "expected 6 hex digits per OUI",
    );
    const count = text.length / 6;
    const digits = o.index;
    const ok = typeof digits === "string" && digits.length === count * INDEX_DIGITS;
    need(
      ok,
      "oui.index",
      () => `expected ${INDEX_DIGITS} base-36 digits for each of ${count} prefixes`,
    );
    const prefixes = new Uint32Array(count), index = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      const hex = text.slice(i * 6, i * 6 + 6);
      need(
        /^[0-9A-F]{6}$/.test(hex),
        `oui.prefixes[${i}]`,
        () => `${show(hex)} is not 6 uppercase hex digits`,
      );
      prefixes[i] = parseInt(hex, 16);
      need(
        i === 0 || prefixes[i] > prefixes[i - 1],
        `oui.prefixes[${i}]`,
        `${hex} is not above the one before`,
      );
      const at = digits.slice(i * INDEX_DIGITS, (i + 1) * INDEX_DIGITS);
      const v = /^[0-9a-z]+$/.test(at) ? parseInt(at, 36) : NaN;
      need(v < vendors.length, `oui.index[${i}]`, () => `${show(at)} is not a vendor index`);
      index[i] = v;
    }
    return new OuiTable(o.source, prefixes, index, vendors);
  }

  /** OUIs in the table. */
  get size(): number {
    return this.#prefixes.length;
  }

  /** The vendor assigned the OUI (the MAC's first three octets as a number), or null. */
  vendor(macHigh24: number): string | null {
    if (!Number.isInteger(macHigh24) || macHigh24 < 0 || macHigh24 > 0xffffff) {
      throw new RangeError(`an OUI is a 24-bit number, got ${macHigh24}`);
    }
    const prefixes = this.#prefixes;
    let lo = 0, hi = prefixes.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1, p = prefixes[mid];
      if (p === macHigh24) return this.#vendors[this.#index[mid]];
      if (p < macHigh24) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }
}
