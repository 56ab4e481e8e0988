// `sluice top --raw`: tab-separated lines, the link first, for scripts.
import { assertEquals } from "@std/assert";
import { rawLines } from "../../cli/top/raw.ts";
import { TOP_TIME, topSnapshot } from "./_top_snapshot.ts";

Deno.test("rawLines() gives the link, then a line per row: time view id name down up totals", () => {
  assertEquals(rawLines(topSnapshot(), "devices"), [
    `${TOP_TIME}\tlink\t-\tlink\t12524110\t9414\t187790009\t122128`,
    `${TOP_TIME}\tdevices\tmac:f4:8e:38:c6:17:2a\tdesktop-1\t12514794\t6380\t187693841\t88608`,
    `${TOP_TIME}\tdevices\tmac:54:e0:19:a2:5c:3d\tcam\t5208\t2095\t55088\t24127`,
    `${TOP_TIME}\tdevices\tmac:ec:b5:fa:1d:6e:40\thub\t4108\t939\t41080\t9393`,
  ]);
  assertEquals(rawLines(topSnapshot(), "apps", "ring").slice(1), [
    `${TOP_TIME}\tapps\tring\tRing\t5208\t2095\t55088\t24127`,
  ]);
  assertEquals(rawLines(topSnapshot(), "processes").length, 1, "no process data: the link only");
});

Deno.test("rawLines() keeps a line a line when a name has tabs or newlines", () => {
  const snapshot = topSnapshot();
  snapshot.devices = [{ ...snapshot.devices[0], name: "evil\tname\nx" }];
  assertEquals(rawLines(snapshot, "devices")[1].split("\t")[3], "evil name x");
});
