/**
 * Serves the dashboard: web/ui/* under "/" and web/vendor/* under
 * "/vendor/", public (the login page must load before anyone signs in).
 * The files come from ui_files.ts, which imports each one as bytes: they
 * are part of the module graph, so `deno compile` embeds them and the
 * program never reads the source tree (`deno task assets:web` regenerates
 * the list when a file is added or removed). Client-side routes
 * ("/devices/xyz") get index.html, missing files 404. With a reader that
 * can list its files (the embedded one can), they are read once and served
 * under `/v/<version>/…` for good (see asset_bundle.ts); index.html, which
 * names the version, is revalidated every time. Strong ETags answer
 * revalidation with 304s.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { type AssetBundle, loadBundle, strongEtag, versionedIndex } from "./asset_bundle.ts";
import { contentType, EXTENSION } from "./asset_types.ts";
import { UI_FILES } from "./ui_files.ts";

/** Where assets come from: "ui/index.html", "vendor/preact.mjs"; null when missing. */
export interface AssetReader {
  read(path: string): Promise<Uint8Array | null> | Uint8Array | null;
  /** Every servable file's path, when the reader knows them: assets are then versioned. */
  list?(): Promise<string[]>;
}

/** A year: versioned assets never change under their URL. */
const IMMUTABLE = "public, max-age=31536000, immutable";

const INDEX = "ui/index.html";
/** First path segments that belong to the server, never to the client-side router. */
const SERVER_PREFIXES = new Set(["api", "metrics"]);

/**
 * Serves `files` (by default the embedded UI, UI_FILES): a lookup by path,
 * so nothing outside the manifest, and nothing from the disk, can be read.
 *
 * @example
 * ```ts
 * import { assert, assertEquals } from "@std/assert";
 * const reader = embeddedAssetReader();
 * assert(reader.read("ui/index.html") !== null);
 * assertEquals(reader.read("ui/../deno.json"), null);
 * ```
 */
export function embeddedAssetReader(
  files: ReadonlyMap<string, Uint8Array> = UI_FILES,
): AssetReader {
  return {
    read: (path: string) => files.get(path) ?? null,
    list: () => Promise.resolve([...files.keys()]),
  };
}

/**
 * The routes that serve the UI: mount them after the API so "/api/..." and
 * "/metrics" match first. A path under /api/ that reaches here gets the
 * app's own 404 (c.notFound()), never index.html.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { Hono } from "hono";
 * const app = new Hono();
 * app.route("/", staticRoutes({ read: (p) => p === "ui/index.html" ? new Uint8Array([60]) : null }));
 * assertEquals((await app.request("/devices")).status, 200); // client-side route
 * assertEquals((await app.request("/nope.js")).status, 404);
 * ```
 */
export function staticRoutes(reader: AssetReader = embeddedAssetReader()): Hono {
  const app = new Hono();
  let bundle: Promise<Versioned | null> | null = null;
  const load = () => bundle ??= versioned(reader);
  app.get("*", async (c) => {
    let segments = splitPath(new URL(c.req.url).pathname);
    if (segments === null || SERVER_PREFIXES.has(segments[0])) return c.notFound();
    const b = await load();
    let cache = "no-cache";
    if (segments[0] === "v" && segments.length >= 3 && b) {
      // An old page after an upgrade asks for its old version: it gets today's, revalidated.
      if (segments[1] === b.version) cache = IMMUTABLE;
      segments = segments.slice(2);
    }
    const file = async (path: string) => {
      const known = b?.files.get(path);
      if (known) return known;
      const bytes = await reader.read(path);
      return bytes && { bytes, etag: await strongEtag(bytes) };
    };
    if (segments[0] === "vendor") {
      if (segments.length < 2) return c.notFound();
      const path = segments.join("/");
      const found = await file(path);
      return found ? serve(c, path, found, cache) : c.notFound();
    }
    if (segments.length > 0) {
      const path = `ui/${segments.join("/")}`;
      const found = path === INDEX ? null : await file(path);
      if (found) return serve(c, path, found, cache);
      if (EXTENSION.test(segments[segments.length - 1]) && path !== INDEX) return c.notFound();
    }
    const index = b?.index ?? await file(INDEX); // "/" and client-side routes
    return index ? serve(c, INDEX, index, "no-cache") : c.notFound();
  });
  return app;
}

interface Versioned extends AssetBundle {
  /** index.html pointing at the versioned files. */
  index: { bytes: Uint8Array; etag: string } | null;
}

/** The reader's files, read once and versioned; null when it cannot list them. */
async function versioned(reader: AssetReader): Promise<Versioned | null> {
  if (!reader.list) return null;
  const b = await loadBundle(await reader.list(), (p) => reader.read(p));
  const html = b.files.get(INDEX);
  if (!html) return { ...b, index: null };
  const bytes = new TextEncoder().encode(
    versionedIndex(new TextDecoder().decode(html.bytes), b.version),
  );
  return { ...b, index: { bytes, etag: await strongEtag(bytes) } };
}

/**
 * A URL path's decoded segments ("/a/b/" → ["a", "b"]), or null when one
 * could climb out or hide something: "." or "..", an empty segment, a
 * dotfile, an encoded slash or backslash, a NUL, bad percent-encoding.
 */
function splitPath(pathname: string): string[] | null {
  const raw = pathname.split("/").slice(1);
  if (raw.length > 0 && raw[raw.length - 1] === "") raw.pop(); // "/devices/" is "/devices"
  const out: string[] = [];
  for (const r of raw) {
    let s: string;
    try {
      s = decodeURIComponent(r);
    } catch {
      return null;
    }
    if (s === "" || s.startsWith(".") || /[/\\\0]/.test(s)) return null;
    out.push(s);
  }
  return out;
}

function serve(
  c: Context,
  path: string,
  asset: { bytes: Uint8Array; etag: string },
  cache: string,
): Response {
  const headers: Record<string, string> = {
    "Content-Type": contentType(path) ?? "application/octet-stream",
    "ETag": asset.etag,
    "Cache-Control": cache,
    "X-Content-Type-Options": "nosniff",
  };
  if (matches(c.req.header("If-None-Match"), asset.etag)) {
    delete headers["Content-Type"];
    return c.body(null, 304, headers);
  }
  return c.body(asset.bytes as Uint8Array<ArrayBuffer>, 200, headers);
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): a W/ prefix is ignored. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((t) => {
    const tag = t.trim();
    return tag === "*" || tag.replace(/^W\//, "") === etag;
  });
}
