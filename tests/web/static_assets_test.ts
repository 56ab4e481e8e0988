import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { Hono } from "hono";
import { type AssetReader, embeddedAssetReader, staticRoutes } from "../../web/static_assets.ts";
import type { WebEnv } from "../../web/web_env.ts";

const enc = new TextEncoder();

/** A reader over an in-memory map that records every path it was asked for. */
function fakeReader(files: Record<string, string>): AssetReader & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    read(path: string) {
      asked.push(path);
      return path in files ? enc.encode(files[path]) : null;
    },
  };
}

const FILES = {
  "ui/index.html": "<!doctype html><title>Sluice</title>",
  "ui/app.js": "export {};",
  "ui/views/devices.js": "export {};",
  "ui/style.css": "body{}",
  "ui/favicon.svg": "<svg/>",
  "ui/logo.png": "png",
  "ui/data.json": "{}",
  "ui/font.woff2": "woff",
  "vendor/preact.mjs": "export {};",
  "vendor/uplot.css": ".u{}",
  "vendor/VERSIONS.json": "{}",
};

function app(reader: AssetReader = fakeReader(FILES)): Hono {
  const a = new Hono();
  a.route("/", staticRoutes(reader));
  return a;
}

Deno.test("staticRoutes() serves / and index.html as no-cache HTML", async () => {
  for (const path of ["/", "/index.html"]) {
    const res = await app().request(path);
    assertEquals(res.status, 200, path);
    assertEquals(res.headers.get("content-type"), "text/html; charset=utf-8");
    assertEquals(res.headers.get("cache-control"), "no-cache");
    assertEquals(await res.text(), FILES["ui/index.html"]);
  }
});

Deno.test("staticRoutes() gives each file type its Content-Type; unversioned files are revalidated", async () => {
  const cases: [string, string][] = [
    ["/app.js", "text/javascript; charset=utf-8"],
    ["/views/devices.js", "text/javascript; charset=utf-8"],
    ["/vendor/preact.mjs", "text/javascript; charset=utf-8"],
    ["/style.css", "text/css; charset=utf-8"],
    ["/vendor/uplot.css", "text/css; charset=utf-8"],
    ["/favicon.svg", "image/svg+xml"],
    ["/logo.png", "image/png"],
    ["/data.json", "application/json; charset=utf-8"],
    ["/font.woff2", "font/woff2"],
  ];
  const a = app();
  for (const [path, type] of cases) {
    const res = await a.request(path);
    assertEquals(res.status, 200, path);
    assertEquals(res.headers.get("content-type"), type, path);
    assertEquals(res.headers.get("cache-control"), "no-cache", path);
    assertEquals(res.headers.get("x-content-type-options"), "nosniff", path);
    await res.body?.cancel();
  }
});

Deno.test("staticRoutes() sends a strong ETag and answers a matching If-None-Match with 304", async () => {
  const a = app();
  const first = await a.request("/app.js");
  const etag = first.headers.get("etag")!;
  assertMatch(etag, /^"[0-9a-f]{32}"$/);
  await first.body?.cancel();
  for (const header of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
    const res = await a.request("/app.js", { headers: { "If-None-Match": header } });
    assertEquals(res.status, 304, header);
    assertEquals(res.headers.get("etag"), etag);
    assertEquals(await res.text(), "");
  }
  const stale = await a.request("/app.js", { headers: { "If-None-Match": '"0000"' } });
  assertEquals(stale.status, 200);
  assertEquals(await stale.text(), "export {};");
  const other = await a.request("/style.css");
  assert(other.headers.get("etag") !== etag, "different files, different tags");
  await other.body?.cancel();
});

Deno.test("staticRoutes() answers client-side routes with index.html", async () => {
  const a = app();
  for (
    const path of [
      "/devices",
      "/devices/",
      "/devices/mac%3Aaa%3Abb",
      "/devices/ip:192.0.2.7",
      "/rules",
    ]
  ) {
    const res = await a.request(path);
    assertEquals(res.status, 200, path);
    assertEquals(res.headers.get("cache-control"), "no-cache", path);
    assertStringIncludes(await res.text(), "<title>Sluice</title>", path);
  }
});

Deno.test("staticRoutes() 404s missing files with an extension, under /vendor/ and under /api/", async () => {
  const a = app();
  for (
    const path of [
      "/missing.js",
      "/views/nope.js",
      "/favicon.ico",
      "/vendor/nope",
      "/vendor/",
      "/api/v1/nope",
      "/api",
    ]
  ) {
    const res = await a.request(path);
    assertEquals(res.status, 404, path);
    await res.body?.cancel();
  }
});

Deno.test("staticRoutes() refuses path traversal and hidden files without asking the reader", async () => {
  const reader = fakeReader({
    ...FILES,
    "ui/../deno.json": "secret",
    "vendor/../deno.json": "secret",
  });
  const a = app(reader);
  const paths = [
    "/..%2fdeno.json",
    "/..%2F..%2Fdeno.json",
    "/vendor/..%2fdeno.json",
    "/vendor/%2e%2e%2fdeno.json",
    "/views/..%5C..%5Cdeno.json",
    "/%2e%2e/%2e%2e/deno.json",
    "/.env",
    "/vendor/.hidden",
    "/app.js%00.png",
    "/a//b.js",
    "/%E0%A4%A.js",
  ];
  for (const path of paths) {
    const res = await a.request(path);
    assertEquals(res.status, 404, path);
    assert(!(await res.text()).includes("secret"), path);
  }
  for (const asked of reader.asked) {
    assert(!asked.includes("..") && !asked.includes("\\") && !asked.includes("\0"), asked);
  }
});

Deno.test("staticRoutes() answers HEAD like GET without a body", async () => {
  const res = await app().request("/style.css", { method: "HEAD" });
  assertEquals(res.status, 200);
  assertEquals(res.headers.get("content-type"), "text/css; charset=utf-8");
  assertEquals(await res.text(), "");
});

Deno.test("staticRoutes() mounted after an API leaves its routes and its 404 alone", async () => {
  const a = new Hono<WebEnv>();
  a.get("/api/v1/status", (c) => c.json({ ok: true }));
  a.get("/metrics", (c) => c.text("# metrics"));
  a.notFound((c) => c.json({ error: { status: 404, message: "not found" } }, 404));
  a.route("/", staticRoutes(fakeReader(FILES)));
  assertEquals(await (await a.request("/api/v1/status")).json(), { ok: true });
  assertEquals(await (await a.request("/metrics")).text(), "# metrics");
  const missing = await a.request("/api/v1/nope");
  assertEquals(missing.status, 404);
  assertEquals(await missing.json(), { error: { status: 404, message: "not found" } });
  const asset = await a.request("/nope.js");
  assertEquals(asset.status, 404);
  assertEquals((await asset.json()).error.status, 404);
  assertEquals((await a.request("/devices")).status, 200);
});

Deno.test("staticRoutes() by default serves the real UI and vendored modules", async () => {
  const a = new Hono();
  a.route("/", staticRoutes());
  const index = await a.request("/");
  assertEquals(index.status, 200);
  const html = await index.text();
  const version = /src="\/v\/([0-9a-f]{16})\/app\.js"/.exec(html)?.[1];
  assert(version, "index.html loads the versioned app.js");
  assert(!/<script(?![^>]*\bsrc=)[^>]*>/.test(html), "no inline scripts (CSP script-src 'self')");
  assert(!/<style|\sstyle=/.test(html), "no inline styles");
  const linked = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]);
  assert(linked.length > 40);
  for (const path of linked) {
    assert(path.startsWith(`/v/${version}/`), `${path} is versioned`);
    const res = await a.request(path);
    assertEquals(res.status, 200, `${path} linked from index.html`);
    assertEquals(res.headers.get("cache-control"), "public, max-age=31536000, immutable", path);
    await res.body?.cancel();
  }
  const preact = await a.request("/vendor/preact.mjs");
  assertEquals(preact.headers.get("content-type"), "text/javascript; charset=utf-8");
  assertStringIncludes(await preact.text(), "export");
  assertEquals((await a.request("/vendor/../deno.json")).status, 404);
  assertEquals((await a.request("/static_assets.ts")).status, 404);
});

Deno.test("index.html preloads every UI module, so no import waits for another", async () => {
  const ui = new URL("../../web/ui/", import.meta.url);
  const html = await Deno.readTextFile(new URL("index.html", ui));
  const preloaded = new Set(
    [...html.matchAll(/<link rel="modulepreload" href="\/([^"]+)">/g)].map((m) => m[1]),
  );
  const modules: string[] = [];
  const walk = async (dir: URL, prefix: string) => {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory) await walk(new URL(`${e.name}/`, dir), `${prefix}${e.name}/`);
      else if (e.name.endsWith(".js") && e.name !== "app.js") modules.push(prefix + e.name);
    }
  };
  await walk(ui, "");
  for (const m of modules) assert(preloaded.has(m), `index.html does not preload /${m}`);
  for (const v of ["preact.mjs", "preact-hooks.mjs", "htm.mjs", "uplot.mjs"]) {
    assert(preloaded.has(`vendor/${v}`), `index.html does not preload /vendor/${v}`);
  }
});

Deno.test("embeddedAssetReader() reads only the manifest's files under ui/ and vendor/", async () => {
  const reader = embeddedAssetReader();
  assert(await reader.read("ui/index.html"));
  assert(await reader.read("vendor/VERSIONS.json"));
  assertEquals(await reader.read("ui/nope.js"), null);
  assertEquals(await reader.read("ui"), null);
  assertEquals(await reader.read("ui/views"), null); // a directory
  assertEquals(await reader.read("static_assets.ts"), null);
  assertEquals(await reader.read("ui/../static_assets.ts"), null);
  assertEquals(await reader.read("vendor/make_vendor.ts"), null); // not served
  assertEquals(await reader.read("web_env.ts"), null);
  const listed = await reader.list!();
  assert(listed.includes("ui/app.js") && listed.includes("vendor/preact.mjs"));
  assert(listed.every((p) => /^(ui|vendor)\//.test(p)), "only ui/ and vendor/");
});

Deno.test("every UI module's imports are relative and resolve, as served, to a file that exists", async () => {
  const root = new URL("../../web/ui/", import.meta.url);
  const vendor = new URL("../../web/vendor/", import.meta.url);
  const files: URL[] = [];
  const walk = async (dir: URL) => {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory) await walk(new URL(`${e.name}/`, dir));
      else if (e.name.endsWith(".js")) files.push(new URL(e.name, dir));
    }
  };
  await walk(root);
  assert(files.length >= 10);
  for (const file of files) {
    const text = await Deno.readTextFile(file);
    for (
      const m of text.matchAll(
        /^(?:import|export)\s*(?:[\w$*{},\s]+?\s*from\s*)?["']([^"']+)["']/gm,
      )
    ) {
      const spec = m[1];
      // Relative only: under /v/<version>/ an absolute "/vendor/x" would load a second copy.
      assert(spec.startsWith("."), `${file.pathname}: ${spec} is not relative`);
      const served = new URL(spec, `http://ui/${file.pathname.slice(root.pathname.length)}`);
      const target = served.pathname.startsWith("/vendor/")
        ? new URL(served.pathname.slice("/vendor/".length), vendor)
        : new URL(served.pathname.slice(1), root);
      await Deno.stat(target).catch(() => {
        throw new Error(`${file.pathname} imports ${spec}, which does not exist`);
      });
    }
  }
});

Deno.test("staticRoutes() with a listing reader versions the set: a change of any file changes it", async () => {
  const files: Record<string, string> = {
    "ui/index.html": '<link rel="stylesheet" href="/style.css"><script src="/app.js"></script>',
    "ui/app.js": "import './lib/a.js';",
    "ui/lib/a.js": "export const a = 1;",
    "ui/style.css": "body{}",
  };
  const reader = {
    read: (p: string) => files[p] === undefined ? null : new TextEncoder().encode(files[p]),
    list: () => Promise.resolve(Object.keys(files)),
  };
  const versionOf = async () => {
    const html = await (await app(reader).request("/")).text();
    return /\/v\/([0-9a-f]{16})\/app\.js/.exec(html)![1];
  };
  const first = await versionOf();
  const a = app(reader);
  const old = await a.request(`/v/${first}/lib/a.js`);
  assertEquals(await old.text(), "export const a = 1;");
  assertEquals(old.headers.get("cache-control"), "public, max-age=31536000, immutable");
  // An old page asking for another version gets today's file, revalidated.
  const stale = await a.request("/v/0000000000000000/lib/a.js");
  assertEquals(stale.headers.get("cache-control"), "no-cache");
  await stale.body?.cancel();
  assertEquals((await a.request(`/v/${first}/lib/nope.js`)).status, 404);
  files["ui/lib/a.js"] = "export const a = 2;";
  assert(await versionOf() !== first, "a module's change makes a new version");
});
