import { assertEquals } from "@std/assert";
import { writeJson } from "../../cli/write_json.ts";

function written(value: object, chunk?: number): string {
  const parts: Uint8Array[] = [];
  // Short writes, as a pipe may make them: the writer must finish each buffer.
  const out = { writeSync: (p: Uint8Array) => (parts.push(p.slice(0, 7)), Math.min(7, p.length)) };
  writeJson(out, value, chunk);
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
  return new TextDecoder().decode(all);
}

Deno.test("writeJson() writes what JSON.stringify does, long arrays in chunks", () => {
  const flows = Array.from({ length: 23 }, (_, i) => ({
    n: i,
    name: i === 5 ? "佛小機" : i === 9 ? 'quote " and \\ back' : null,
    skipped: undefined,
  }));
  const report = {
    file: "x.pcap",
    flows,
    empty: [],
    gone: undefined,
    fn: () => 1,
    short: [1, 2],
    nested: { a: [1, { b: "é" }] },
  };
  for (const chunk of [1, 4, 23, 100]) {
    assertEquals(written(report, chunk), JSON.stringify(report) + "\n", `chunk ${chunk}`);
  }
  assertEquals(written({}), "{}\n");
});
