/**
 * Which of the UI's files are served, and as what: the one table the server
 * (static_assets.ts) and the embedded manifest's generator
 * (make_ui_files.ts) share, so the binary embeds exactly what is served.
 *
 * @module
 */

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

/** A file name's extension, as the SPA fallback tells files from routes: ".7" of an IP is not one. */
export const EXTENSION = /\.([A-Za-z][A-Za-z0-9]{0,7})$/;

/**
 * The Content-Type a served file gets, or undefined for a file that is not
 * served (a generator script, say).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * assertEquals(contentType("ui/app.js"), "text/javascript; charset=utf-8");
 * assertEquals(contentType("vendor/make_vendor.ts"), undefined);
 * ```
 */
export function contentType(path: string): string | undefined {
  const ext = EXTENSION.exec(path)?.[1].toLowerCase();
  return ext !== undefined && Object.hasOwn(TYPES, ext) ? TYPES[ext] : undefined;
}
