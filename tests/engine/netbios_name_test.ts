import { assertEquals } from "@std/assert";
import { netbiosName } from "../../engine/netbios_name.ts";

/** RFC 1001 first-level encoding of a 15-character name and its type byte. */
function encode(name: string, type = 0): string {
  const bytes = [...name.toUpperCase().padEnd(15, " ")].map((c) => c.charCodeAt(0));
  return [...bytes, type].map((b) => String.fromCharCode(0x61 + (b >> 4), 0x61 + (b & 15))).join(
    "",
  );
}

Deno.test("netbiosName() decodes the name, dropping padding and the type byte", () => {
  assertEquals(netbiosName(encode("WPAD")), "wpad");
  assertEquals(netbiosName(encode("KEVIN-PC", 0x20)), "kevin-pc");
  assertEquals(netbiosName(encode("FILESERVER01234")), "fileserver01234");
});

Deno.test("netbiosName() keeps the scope after the name", () => {
  assertEquals(netbiosName(`${encode("SC")}.arrancar.org`), "sc.arrancar.org");
});

Deno.test("netbiosName() gives null for labels that are not encoded NetBIOS names", () => {
  assertEquals(netbiosName("www.example.com"), null);
  assertEquals(netbiosName("z".repeat(32)), null);
  assertEquals(netbiosName(encode("A").slice(0, 30)), null);
  assertEquals(netbiosName(encode("\x01\x02")), null); // control characters
});
