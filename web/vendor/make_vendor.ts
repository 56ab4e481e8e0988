/**
 * Vendors the UI's browser modules (Preact, its hooks, htm, uPlot) from the
 * npm registry into web/vendor/, so the dashboard works offline and
 * `deno compile` can embed it. A developer script: the server never imports
 * it, it serves the files this writes.
 *
 * ```sh
 * deno task vendor:web
 * # = deno run --allow-net=registry.npmjs.org --allow-read --allow-write=web/vendor web/vendor/make_vendor.ts
 * ```
 *
 * Each tarball is the exact version pinned in {@linkcode PACKAGES}, checked
 * against the registry's `dist.integrity` (sha512) before anything is
 * written; the archive is un-gzipped and read in memory (./_tar.ts). Bare
 * imports between the files are rewritten to relative ones (browsers have no
 * import map here) and source-map comments dropped (the maps are not
 * vendored). VERSIONS.json records what was written with each file's sha256,
 * which tests/web/vendor_test.ts checks. To upgrade, change a version below
 * and run the task again.
 *
 * @module
 */
import { readTar } from "./_tar.ts";

const REGISTRY = "https://registry.npmjs.org";
const OUT = new URL("./", import.meta.url);

/** One file taken from a package's tarball. */
export interface VendoredFile {
  /** Path inside the package ("dist/preact.module.js"). */
  from: string;
  /** Name written in web/vendor/. */
  to: string;
  /** Bare import specifiers to rewrite, e.g. { preact: "./preact.mjs" }. */
  imports?: Record<string, string>;
}

/** One npm package at an exact version. */
export interface VendoredPackage {
  name: string;
  version: string;
  files: VendoredFile[];
}

/** What is vendored. Preact stays on 10.x (11 changes the API): 10.29.8 was the latest 10. */
export const PACKAGES: VendoredPackage[] = [
  {
    name: "preact",
    version: "10.29.8",
    files: [
      { from: "dist/preact.module.js", to: "preact.mjs" },
      {
        from: "hooks/dist/hooks.module.js",
        to: "preact-hooks.mjs",
        imports: { preact: "./preact.mjs" },
      },
    ],
  },
  { name: "htm", version: "3.1.1", files: [{ from: "dist/htm.module.js", to: "htm.mjs" }] },
  {
    name: "uplot",
    version: "1.6.32",
    files: [
      { from: "dist/uPlot.esm.js", to: "uplot.mjs" },
      { from: "dist/uPlot.min.css", to: "uplot.css" },
    ],
  },
];

/** VERSIONS.json, as written. */
export interface VersionsDocument {
  note: string;
  packages: {
    name: string;
    version: string;
    license: string;
    tarball: string;
    integrity: string;
    files: { path: string; from: string; sha256: string }[];
  }[];
}

/**
 * Whether `bytes` match an npm/SRI integrity string ("sha512-<base64>").
 * Only sha512 is accepted: it is what the registry publishes today.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const ok = await checkIntegrity(new Uint8Array(), "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==");
 * assertEquals(ok, true);
 * ```
 */
export async function checkIntegrity(bytes: Uint8Array, integrity: string): Promise<boolean> {
  const m = /^sha512-([A-Za-z0-9+/]+=*)$/.exec(integrity.trim());
  if (!m) throw new TypeError(`integrity: not a sha512 SRI string: ${integrity}`);
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-512", bytes as Uint8Array<ArrayBuffer>),
  );
  return base64(digest) === m[1];
}

/**
 * A module's text with its bare imports rewritten (`from "preact"` to
 * `from "./preact.mjs"`) and its source-map comment dropped. Throws a
 * RangeError if a listed import is missing or a bare one is left over, so
 * a changed upstream build is noticed rather than shipped broken.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const out = rewriteModule('import{a}from"preact";\n//# sourceMappingURL=x.map\n', { preact: "./preact.mjs" }, "x");
 * assertEquals(out, 'import{a}from"./preact.mjs";\n');
 * ```
 */
export function rewriteModule(text: string, imports: Record<string, string>, file: string): string {
  let out = text.replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, "\n");
  for (const [bare, rel] of Object.entries(imports)) {
    const re = new RegExp(`(\\bfrom\\s*|\\bimport\\s*)(["'])${escape(bare)}\\2`, "g");
    if (!re.test(out)) throw new RangeError(`${file}: no import of "${bare}" to rewrite`);
    out = out.replace(re, (_m, kw: string, q: string) => `${kw}${q}${rel}${q}`);
  }
  // A specifier has no whitespace; that keeps prose in comments ("taken from " ...") out.
  const bare = /\b(?:from|import)\s*["']([^"'./\s][^"'\s]*)["']/.exec(out);
  if (bare) throw new RangeError(`${file}: bare import "${bare[1]}" left`);
  return out;
}

/** The sha256 of some bytes, in hex. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return [...d].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Un-gzips in memory with the platform's DecompressionStream. */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Fetches, verifies and extracts every package; writes only when all succeeded. */
async function main(): Promise<void> {
  const writes: { path: string; data: Uint8Array }[] = [];
  const doc: VersionsDocument = {
    note: "Written by web/vendor/make_vendor.ts (deno task vendor:web). Do not edit these files.",
    packages: [],
  };
  const encoder = new TextEncoder();
  for (const pkg of PACKAGES) {
    const meta = await getJson(`${REGISTRY}/${pkg.name}/${pkg.version}`);
    const dist = meta.dist as { tarball?: string; integrity?: string } | undefined;
    if (!dist?.tarball || !dist.integrity) {
      throw new Error(`${pkg.name}@${pkg.version}: registry metadata has no dist`);
    }
    if (new URL(dist.tarball).origin !== REGISTRY) {
      throw new Error(`${pkg.name}: tarball is not on ${REGISTRY}: ${dist.tarball}`);
    }
    const tgz = await getBytes(dist.tarball);
    if (!await checkIntegrity(tgz, dist.integrity)) {
      throw new Error(`${pkg.name}@${pkg.version}: tarball does not match ${dist.integrity}`);
    }
    const entries = new Map(
      readTar(await gunzip(tgz)).filter((e) => e.type === "file").map((e) => [e.name, e.data]),
    );
    const take = (from: string): Uint8Array => {
      const data = entries.get(`package/${from}`);
      if (!data) throw new Error(`${pkg.name}@${pkg.version}: no ${from} in the tarball`);
      return data;
    };
    const files: VersionsDocument["packages"][number]["files"] = [];
    const picks = [...pkg.files, { from: "LICENSE", to: `${pkg.name}.LICENSE.txt` }];
    for (const f of picks) {
      let data = take(f.from);
      if (f.to.endsWith(".mjs")) {
        const imports = "imports" in f ? f.imports ?? {} : {};
        data = encoder.encode(rewriteModule(new TextDecoder().decode(data), imports, f.from));
      }
      writes.push({ path: f.to, data });
      files.push({ path: f.to, from: f.from, sha256: await sha256Hex(data) });
    }
    doc.packages.push({
      name: pkg.name,
      version: pkg.version,
      license: typeof meta.license === "string" ? meta.license : "see LICENSE",
      tarball: dist.tarball,
      integrity: dist.integrity,
      files,
    });
    console.log(`${pkg.name}@${pkg.version}: ${dist.integrity.slice(0, 24)}… ok`);
  }
  for (const w of writes) await Deno.writeFile(new URL(w.path, OUT), w.data);
  await Deno.writeTextFile(new URL("VERSIONS.json", OUT), JSON.stringify(doc, null, 2) + "\n");
  console.log(`wrote ${writes.length} files and VERSIONS.json to web/vendor/`);
}

async function getJson(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return await res.json();
}

async function getBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

if (import.meta.main) {
  try {
    await main();
  } catch (err) {
    console.error(`vendor: ${(err as Error).message}`);
    Deno.exit(1);
  }
}
