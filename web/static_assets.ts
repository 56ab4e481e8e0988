/**
 * Serves the dashboard: web/ui/* under "/" and web/vendor/* under
 * "/vendor/", public (the login page must load before anyone signs in).
 * Files are read relative to this module, so `deno compile --include web/ui
 * --include web/vendor` embeds them; client-side routes ("/devices/xyz")
 * get index.html, missing files 404. Strong ETags make reloads cheap; only
 * index.html is revalidated every time, since it is what pulls in the rest.
 *
 * @module
 */
import { type Context, Hono } from "hono";

/** Where assets come from: "ui/index.html", "vendor/preact.mjs"; null when missing. */
export interface AssetReader {
  read(path: string): Promise<Uint8Array | null> | Uint8Array | null;
}

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  json: "application/json; charset=utf-8",
  map: "application/json; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  woff2: "font/woff2",
};
const INDEX = "ui/index.html";
/** A file name's extension, as the SPA fallback tells files from routes: ".7" of an IP is not one. */
const EXTENSION = /\.([A-Za-z][A-Za-z0-9]{0,7})$/;
/** First path segments that belong to the server, never to the client-side router. */
const SERVER_PREFIXES = new Set(["api", "metrics"]);

/**
 * Reads assets from the directory beside this module (web/), or `base`.
 * Refuses anything outside ui/ and vendor/ even if a caller got past the
 * router's checks.
 *
 * @example
 * ```ts
 * import { assert } from "@std/assert";
 * const html = await fileAssetReader().read("ui/index.html");
 * assert(html !== null);
 * ```
 */
export function fileAssetReader(base: URL = new URL("./", import.meta.url)): AssetReader {
  return {
    async read(path: string): Promise<Uint8Array | null> {
      if (!/^(ui|vendor)\//.test(path) || splitPath(path.slice(path.indexOf("/"))) === null) {
        return null;
      }
      try {
        return await Deno.readFile(new URL(path, base));
      } catch (err) {
        if (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.IsADirectory) {
          return null;
        }
        throw err;
      }
    },
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
export function staticRoutes(reader: AssetReader = fileAssetReader()): Hono {
  const app = new Hono();
  app.get("*", async (c) => {
    const segments = splitPath(new URL(c.req.url).pathname);
    if (segments === null || SERVER_PREFIXES.has(segments[0])) return c.notFound();
    if (segments[0] === "vendor") {
      if (segments.length < 2) return c.notFound();
      const path = segments.join("/");
      const bytes = await reader.read(path);
      return bytes ? serve(c, path, bytes) : c.notFound();
    }
    if (segments.length > 0) {
      const path = `ui/${segments.join("/")}`;
      const bytes = await reader.read(path);
      if (bytes) return serve(c, path, bytes);
      if (EXTENSION.test(segments[segments.length - 1])) return c.notFound();
    }
    const index = await reader.read(INDEX); // "/" and client-side routes
    return index ? serve(c, INDEX, index) : c.notFound();
  });
  return app;
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

async function serve(c: Context, path: string, bytes: Uint8Array): Promise<Response> {
  const etag = await strongEtag(bytes);
  const headers: Record<string, string> = {
    "Content-Type": TYPES[EXTENSION.exec(path)?.[1].toLowerCase() ?? ""] ??
      "application/octet-stream",
    "ETag": etag,
    // Revalidated each time (a 304 when unchanged): after an upgrade the browser
    // must not mix old modules with new ones.
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
  };
  if (matches(c.req.header("If-None-Match"), etag)) {
    delete headers["Content-Type"];
    return c.body(null, 304, headers);
  }
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, headers);
}

/** `"<first 32 hex digits of the sha-256>"`: 128 bits tell versions apart. */
async function strongEtag(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  let hex = "";
  for (let i = 0; i < 16; i++) hex += d[i].toString(16).padStart(2, "0");
  return `"${hex}"`;
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): a W/ prefix is ignored. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((t) => {
    const tag = t.trim();
    return tag === "*" || tag.replace(/^W\//, "") === etag;
  });
}
