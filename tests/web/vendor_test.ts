import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { readTar } from "../../web/vendor/_tar.ts";
import {
  checkIntegrity,
  gunzip,
  PACKAGES,
  rewriteModule,
  sha256Hex,
  type VersionsDocument,
} from "../../web/vendor/make_vendor.ts";

const VENDOR = new URL("../../web/vendor/", import.meta.url);
const enc = new TextEncoder();

async function versions(): Promise<VersionsDocument> {
  return JSON.parse(await Deno.readTextFile(new URL("VERSIONS.json", VENDOR)));
}

Deno.test("VERSIONS.json lists every vendored file with its current sha256", async () => {
  const doc = await versions();
  let n = 0;
  for (const pkg of doc.packages) {
    assert(/^sha512-/.test(pkg.integrity), `${pkg.name}: integrity`);
    for (const f of pkg.files) {
      const data = await Deno.readFile(new URL(f.path, VENDOR));
      assertEquals(await sha256Hex(data), f.sha256, `${f.path} was edited by hand`);
      n++;
    }
  }
  assert(n >= 8, `only ${n} files listed`);
});

Deno.test("VERSIONS.json matches the packages make_vendor.ts pins", async () => {
  const doc = await versions();
  assertEquals(
    doc.packages.map((p) => `${p.name}@${p.version}`),
    PACKAGES.map((p) => `${p.name}@${p.version}`),
  );
  for (const [i, pkg] of PACKAGES.entries()) {
    const listed = doc.packages[i].files.map((f) => f.path);
    for (const f of pkg.files) assert(listed.includes(f.to), `${f.to} missing`);
    assert(listed.includes(`${pkg.name}.LICENSE.txt`), `${pkg.name} licence missing`);
  }
});

Deno.test("vendored modules import each other only by relative paths", async () => {
  const hooks = await Deno.readTextFile(new URL("preact-hooks.mjs", VENDOR));
  assert(hooks.includes('from"./preact.mjs"'));
  for (const file of ["preact.mjs", "preact-hooks.mjs", "htm.mjs", "uplot.mjs"]) {
    const text = await Deno.readTextFile(new URL(file, VENDOR));
    assert(!/\bfrom\s*["'][^"'./\s][^"'\s]*["']/.test(text), `${file} has a bare import`);
    assert(!text.includes("sourceMappingURL"), `${file} points at a map that is not vendored`);
  }
});

Deno.test("readTar() reads the files writeTar() packs", () => {
  const big = new Uint8Array(1500).map((_, i) => i % 251);
  const tar = writeTar([
    { name: "package/a.txt", data: enc.encode("hello") },
    { name: "package/empty", data: new Uint8Array() },
    { name: "package/dist/big.bin", data: big },
  ]);
  const entries = readTar(tar);
  assertEquals(entries.map((e) => [e.name, e.type, e.data.length]), [
    ["package/a.txt", "file", 5],
    ["package/empty", "file", 0],
    ["package/dist/big.bin", "file", 1500],
  ]);
  assertEquals(new TextDecoder().decode(entries[0].data), "hello");
  assertEquals(entries[2].data, big);
});

Deno.test("readTar() takes long names from pax headers and ustar prefixes", () => {
  const long = "package/" + "d/".repeat(60) + "file.js";
  const record = ` path=${long}\n`;
  let len = record.length + 3; // "NNN" + record
  len = `${len}${record}`.length;
  const tar = writeTar([
    { name: "PaxHeader", data: enc.encode(`${len}${record}`) },
    { name: "short", data: enc.encode("x") },
  ]);
  tar[156] = "x".charCodeAt(0); // make the first member a pax header, then fix its checksum
  fixChecksum(tar, 0);
  const prefixed = writeTar([{ name: "b.js", data: enc.encode("y") }]);
  prefixed.set(enc.encode("package/dist"), 345);
  fixChecksum(prefixed, 0);
  assertEquals(readTar(tar).map((e) => e.name), [long]);
  assertEquals(readTar(prefixed).map((e) => e.name), ["package/dist/b.js"]);
});

Deno.test("readTar() refuses a corrupt header and a truncated member", () => {
  const tar = writeTar([{ name: "a", data: new Uint8Array(600) }]);
  const bad = tar.slice();
  bad[0] = "b".charCodeAt(0);
  assertThrows(() => readTar(bad), RangeError, "checksum");
  assertThrows(() => readTar(tar.slice(0, 700)), RangeError, "truncated");
});

Deno.test("gunzip() undoes CompressionStream", async () => {
  const data = enc.encode("sluice ".repeat(100));
  const gz = new Blob([data]).stream().pipeThrough(new CompressionStream("gzip"));
  assertEquals(await gunzip(new Uint8Array(await new Response(gz).arrayBuffer())), data);
});

Deno.test("checkIntegrity() accepts the right sha512 and refuses another", async () => {
  const empty =
    "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==";
  assertEquals(await checkIntegrity(new Uint8Array(), empty), true);
  assertEquals(await checkIntegrity(new Uint8Array([1]), empty), false);
  await assertRejects(() => checkIntegrity(new Uint8Array(), "sha1-abc"), TypeError, "sha512");
});

Deno.test("rewriteModule() rewrites listed imports and refuses leftovers", () => {
  const src = 'import{options as n}from"preact";var a=1;\n//# sourceMappingURL=h.js.map\n';
  assertEquals(
    rewriteModule(src, { preact: "./preact.mjs" }, "h.js"),
    'import{options as n}from"./preact.mjs";var a=1;\n',
  );
  assertThrows(() => rewriteModule(src, {}, "h.js"), RangeError, 'bare import "preact"');
  assertThrows(
    () => rewriteModule("var a;", { preact: "./p.mjs" }, "h.js"),
    RangeError,
    "no import",
  );
  // prose in comments is not an import
  assertEquals(
    rewriteModule('// taken from " the left\n', {}, "c.js"),
    '// taken from " the left\n',
  );
});

/** A minimal ustar archive, built here so the reader is checked against an independent writer. */
function writeTar(files: { name: string; data: Uint8Array }[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const f of files) {
    const h = new Uint8Array(512);
    h.set(enc.encode(f.name), 0);
    h.set(enc.encode("0000644\0" + "0000000\0" + "0000000\0"), 100);
    h.set(enc.encode(f.data.length.toString(8).padStart(11, "0") + "\0"), 124);
    h.set(enc.encode("00000000000\0"), 136);
    h[156] = "0".charCodeAt(0);
    h.set(enc.encode("ustar\x0000"), 257);
    fixChecksum(h, 0);
    const body = new Uint8Array(Math.ceil(f.data.length / 512) * 512);
    body.set(f.data);
    blocks.push(h, body);
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

function fixChecksum(tar: Uint8Array, at: number): void {
  const h = tar.subarray(at, at + 512);
  h.fill(32, 148, 156);
  const sum = h.reduce((n, b) => n + b, 0);
  h.set(enc.encode(sum.toString(8).padStart(6, "0") + "\0 "), 148);
}
