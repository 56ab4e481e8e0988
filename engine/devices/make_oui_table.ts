/**
 * Regenerates engine/devices/oui.json from the IEEE MA-L registry as Debian's
 * ieee-data package ships it (`apt-get install ieee-data`). A developer
 * script: the engine never imports it.
 *
 * ```sh
 * deno run --allow-read --allow-write engine/devices/make_oui_table.ts [/usr/share/ieee-data/oui.txt]
 * ```
 *
 * Vendor names have their whitespace normalised; "Private" entries and the
 * blocks the IEEE sub-assigns itself (MA-M, MA-S: "IEEE Registration
 * Authority") name no vendor and are left out. An OUI listed twice keeps its
 * first name. See oui_table.ts for the format.
 *
 * @module
 */

const DEFAULT_INPUT = "/usr/share/ieee-data/oui.txt";
const OUTPUT = new URL("./oui.json", import.meta.url);
const LINE = /^([0-9A-F]{6})\s+\(base 16\)\s*(.*)$/;
const NO_VENDOR = new Set(["private", "ieee registration authority"]);
const DIGITS = 3; // index digits in base 36: up to 46,656 vendors

/** The registry's OUIs with their vendor names, first listing wins. */
export function parseOuiText(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = LINE.exec(line);
    if (!m) continue;
    const vendor = m[2].replace(/\s+/g, " ").trim();
    const oui = parseInt(m[1], 16);
    if (vendor === "" || NO_VENDOR.has(vendor.toLowerCase()) || out.has(oui)) continue;
    out.set(oui, vendor);
  }
  return out;
}

/** The oui.json document for the registry's entries. */
export function ouiDocument(entries: Map<number, string>, source: string): unknown {
  const counts = new Map<string, number>();
  for (const v of entries.values()) counts.set(v, (counts.get(v) ?? 0) + 1);
  const vendors = [...counts.keys()].sort((a, b) =>
    counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0)
  );
  if (vendors.length > 36 ** DIGITS) {
    throw new RangeError(`${vendors.length} vendors: widen DIGITS`);
  }
  const at = new Map(vendors.map((v, i) => [v, i]));
  const ouis = [...entries.keys()].sort((a, b) => a - b);
  const prefixes = ouis.map((o) => o.toString(16).toUpperCase().padStart(6, "0")).join("");
  const index = ouis.map((o) => at.get(entries.get(o)!)!.toString(36).padStart(DIGITS, "0"))
    .join("");
  return { version: 1, source, vendors, prefixes, index };
}

/** The registry's date: Debian's `.lastupdate` beside it (epoch seconds), else its mtime. */
async function registryDate(path: string): Promise<string> {
  const dir = path.slice(0, path.lastIndexOf("/") + 1);
  try {
    const seconds = Number((await Deno.readTextFile(`${dir}.lastupdate`)).trim());
    if (seconds > 0) return new Date(seconds * 1000).toISOString().slice(0, 10);
  } catch {
    // no .lastupdate: fall back to the file's own time
  }
  const mtime = (await Deno.stat(path)).mtime;
  return mtime ? mtime.toISOString().slice(0, 10) : "unknown date";
}

if (import.meta.main) {
  const input = Deno.args[0] ?? DEFAULT_INPUT;
  const entries = parseOuiText(await Deno.readTextFile(input));
  if (entries.size === 0) throw new Error(`${input}: no "(base 16)" lines: not an IEEE oui.txt`);
  const source = `IEEE MA-L via Debian ieee-data ${await registryDate(input)}`;
  const doc = ouiDocument(entries, source);
  await Deno.writeTextFile(OUTPUT, JSON.stringify(doc, null, 2) + "\n");
  console.log(
    `${OUTPUT.pathname}: ${entries.size} OUIs, ${
      (doc as { vendors: string[] }).vendors.length
    } vendors (${source})`,
  );
}
