import { assertEquals, assertGreaterOrEqual, assertThrows } from "@std/assert";
import { defaultOui, OuiTable } from "../../../engine/devices/mod.ts";
import { ouiDocument, parseOuiText } from "../../../engine/devices/make_oui_table.ts";
import shipped from "../../../engine/devices/oui.json" with { type: "json" };

const SAMPLE = [
  "OUI/MA-L                                                    Organization                                 ",
  "company_id                                                  Organization                                 ",
  "",
  "00-00-0C   (hex)\t\tCisco Systems, Inc",
  "00000C     (base 16)\t\tCisco Systems, Inc",
  "\t\t\t\t170 West Tasman Drive",
  "",
  "3C-37-86   (hex)\t\tNETGEAR",
  "3C3786     (base 16)\t\tNETGEAR",
  "",
  "00-00-00   (hex)\t\tXEROX CORPORATION",
  "000000     (base 16)\t\tXEROX   CORPORATION  ",
  "00-00-00   (hex)\t\tSomeone Else",
  "000000     (base 16)\t\tSomeone Else",
  "F4-BD-9E   (hex)\t\tCisco Systems, Inc",
  "F4BD9E     (base 16)\t\tCisco Systems, Inc",
  "70-B3-D5   (hex)\t\tIEEE Registration Authority",
  "70B3D5     (base 16)\t\tIEEE Registration Authority",
  "00-50-C2   (hex)\t\tPrivate",
  "0050C2     (base 16)\t\tPrivate",
].join("\r\n");

Deno.test("make_oui_table builds a sorted, compact table from the IEEE oui.txt", () => {
  const doc = ouiDocument(parseOuiText(SAMPLE), "test");
  assertEquals(doc, {
    version: 1,
    source: "test",
    vendors: ["Cisco Systems, Inc", "NETGEAR", "XEROX CORPORATION"],
    prefixes: "00000000000C3C3786F4BD9E",
    index: "002000001000",
  });
  const oui = OuiTable.fromData(doc);
  assertEquals(
    oui.vendor(0x000000),
    "XEROX CORPORATION",
    "first listing wins, whitespace normalised",
  );
  assertEquals(oui.vendor(0xf4bd9e), "Cisco Systems, Inc");
  assertEquals(oui.vendor(0x70b3d5), null, "the IEEE's own sub-assigned blocks name no vendor");
  assertEquals(oui.vendor(0x0050c2), null, "nor do private ones");
  assertEquals(oui.size, 4);
});

Deno.test("defaultOui() knows the shipped vendors, and not unknown or out-of-range OUIs", () => {
  const oui = defaultOui();
  assertEquals(oui, defaultOui(), "built once");
  assertEquals(oui.vendor(0x00000c), "Cisco Systems, Inc");
  assertEquals(oui.vendor(0x3c3786), "NETGEAR");
  assertEquals(oui.vendor(0x020000), null, "a locally administered prefix");
  assertGreaterOrEqual(oui.size, 30_000);
  assertEquals(shipped.source.startsWith("IEEE MA-L via Debian ieee-data "), true);
  assertThrows(() => oui.vendor(0x1000000), RangeError, "24-bit");
  assertThrows(() => oui.vendor(1.5), RangeError, "24-bit");
});

Deno.test("OuiTable.fromData() throws a TypeError naming the first bad field", () => {
  const good = {
    version: 1,
    source: "t",
    vendors: ["A", "B"],
    prefixes: "000001000002",
    index: "000001",
  };
  assertEquals(OuiTable.fromData(good).vendor(2), "B");
  const bad = (patch: Record<string, unknown>, message: string) =>
    assertThrows(() => OuiTable.fromData({ ...good, ...patch }), TypeError, message);
  bad({ version: 2 }, "oui.version: expected 1, got 2");
  bad({ vendors: "A" }, "oui.vendors: expected an array");
  bad({ vendors: ["A", " "] }, "oui.vendors[1]");
  bad({ prefixes: "00000" }, "oui.prefixes: expected 6 hex digits per OUI");
  bad({ prefixes: "000001000001" }, "oui.prefixes[1]: 000001 is not above the one before");
  bad({ prefixes: "00000100000g" }, "oui.prefixes[1]");
  bad({ index: "000" }, "oui.index: expected 3 base-36 digits for each of 2 prefixes");
  bad({ index: "000002" }, 'oui.index[1]: "002" is not a vendor index');
  assertThrows(() => OuiTable.fromData(null), TypeError, "oui: expected an object");
});
