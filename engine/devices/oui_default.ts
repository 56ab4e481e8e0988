/**
 * The shipped OUI registry. The JSON is imported, not read, so `deno compile`
 * embeds it and nothing touches the filesystem at runtime; the table is built
 * on first use only.
 *
 * @module
 */
import data from "./oui.json" with { type: "json" };
import { OuiTable } from "./oui_table.ts";

let table: OuiTable | undefined;

/**
 * The OUI table of the shipped engine/devices/oui.json, built once.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(defaultOui().vendor(0x00000c), "Cisco Systems, Inc");
 * ```
 */
export function defaultOui(): OuiTable {
  return table ??= OuiTable.fromData(data);
}
