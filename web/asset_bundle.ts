/**
 * The UI's files read once, with their ETags and one version for the whole
 * set: the dashboard is then served under `/v/<version>/…` and cached by the
 * browser for good (`immutable`), so a reload asks for index.html alone
 * instead of revalidating fifty modules, and an upgrade, which changes the
 * version, never mixes old modules with new ones.
 *
 * @module
 */

/** One file: its bytes and strong ETag. */
export interface Asset {
  bytes: Uint8Array;
  etag: string;
}

/** Every file, and the version naming this exact set. */
export interface AssetBundle {
  /** 16 hex digits of a SHA-256 over every path and ETag. */
  version: string;
  files: ReadonlyMap<string, Asset>;
}

/**
 * Reads `paths` through `read` and versions them.
 *
 * @example
 * ```ts
 * import { assertEquals, assertNotEquals } from "@std/assert";
 * const files: Record<string, string> = { "ui/app.js": "1", "vendor/x.mjs": "2" };
 * const read = (p: string) => new TextEncoder().encode(files[p]);
 * const a = await loadBundle(Object.keys(files), read);
 * files["ui/app.js"] = "one";
 * const b = await loadBundle(Object.keys(files), read);
 * assertNotEquals(a.version, b.version);
 * assertEquals(a.files.size, 2);
 * ```
 */
export async function loadBundle(
  paths: readonly string[],
  read: (path: string) => Promise<Uint8Array | null> | Uint8Array | null,
): Promise<AssetBundle> {
  const files = new Map<string, Asset>();
  for (const path of [...paths].sort()) {
    const bytes = await read(path);
    if (bytes) files.set(path, { bytes, etag: await strongEtag(bytes) });
  }
  const manifest = [...files].map(([path, a]) => `${path}\0${a.etag}\n`).join("");
  const version = (await hex(new TextEncoder().encode(manifest))).slice(0, 16);
  return { version, files };
}

/**
 * index.html with every local asset it links (`href="/x.css"`,
 * `src="/app.js"`) moved under `/v/<version>/`: what it pulls in is then
 * cached for good, and modules' relative imports stay under the prefix.
 */
export function versionedIndex(html: string, version: string): string {
  return html.replace(
    /\b(href|src)="\/(?!\/|v\/)([^"?#]+\.[A-Za-z0-9]+)"/g,
    (_, attr, path) => `${attr}="/v/${version}/${path}"`,
  );
}

/** `"<first 32 hex digits of the sha-256>"`: 128 bits tell versions apart. */
export async function strongEtag(bytes: Uint8Array): Promise<string> {
  return `"${(await hex(bytes)).slice(0, 32)}"`;
}

async function hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  let out = "";
  for (const b of d) out += b.toString(16).padStart(2, "0");
  return out;
}
