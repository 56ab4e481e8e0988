/**
 * Decodes a NetBIOS name from its DNS-style first-level encoding (RFC 1001
 * 14.1): 32 letters "a".."p", two per byte, then the scope's labels. Returns
 * the name lowercased with its padding and type suffix removed, or null when
 * the first label is not an encoded NetBIOS name.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(netbiosName("fhfaebeecacacacacacacacacacacaaa"), "wpad");
 * assertEquals(netbiosName("fdedcacacacacacacacacacacacacaaa.corp.example"), "sc.corp.example");
 * ```
 */
export function netbiosName(encoded: string): string | null {
  const dot = encoded.indexOf(".");
  const label = dot < 0 ? encoded : encoded.slice(0, dot);
  if (label.length !== 32) return null;
  let name = "";
  for (let i = 0; i < 30; i += 2) { // 15 characters; the 16th byte is the name type
    const high = label.charCodeAt(i) - 0x61, low = label.charCodeAt(i + 1) - 0x61;
    if (high < 0 || high > 15 || low < 0 || low > 15) return null;
    name += String.fromCharCode((high << 4) | low);
  }
  name = name.replace(/[\0 ]+$/, "").toLowerCase(); // padding: spaces, or NULs after "*"
  if (!/^[\x21-\x7e]+$/.test(name)) return null;
  return dot < 0 ? name : `${name}${encoded.slice(dot)}`;
}
