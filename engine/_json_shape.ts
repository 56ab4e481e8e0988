// Checks on parsed JSON data files (catalogue, port rules, signatures, user
// rules): each failure is one TypeError naming the path and the problem.

/** Every category an app can belong to, in display order. */
export const CATEGORIES = [
  "Streaming",
  "Gaming",
  "VideoCalls",
  "Browsing",
  "Social",
  "Messaging",
  "Downloads",
  "Cloud",
  "P2P",
  "VPN",
  "Network",
  "Other",
] as const;
export type Category = typeof CATEGORIES[number];

export type PortProtocol = "TCP" | "UDP" | "any";

/**
 * Throws the one-line TypeError `path: problem` unless `ok`. A problem that
 * shows the value is a function: formatting it for every valid field of a
 * large data file would cost more than checking it.
 */
export function need(ok: unknown, path: string, problem: string | (() => string)): asserts ok {
  if (!ok) throw new TypeError(`${path}: ${typeof problem === "string" ? problem : problem()}`);
}
export const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

export function record(v: unknown, path: string): Record<string, unknown> {
  const ok = typeof v === "object" && v !== null && !Array.isArray(v);
  need(ok, path, () => `expected an object, got ${show(v)}`);
  return v as Record<string, unknown>;
}
export function list(v: unknown, path: string): unknown[] {
  need(Array.isArray(v), path, () => `expected an array, got ${show(v)}`);
  return v;
}
export function text(v: unknown, path: string): string {
  need(
    typeof v === "string" && v !== "",
    path,
    () => `expected a non-empty string, got ${show(v)}`,
  );
  return v;
}
export function category(v: unknown, path: string): Category {
  need((CATEGORIES as readonly unknown[]).includes(v), path, () => `${show(v)} is not a category`);
  return v as Category;
}
export function portNumber(v: unknown, path: string): number {
  const ok = Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535;
  need(ok, path, () => `${show(v)} is not a port (0-65535)`);
  return v as number;
}
export function protocol(v: unknown, path: string): PortProtocol {
  const p = typeof v === "string" ? v.toUpperCase() : v;
  need(p === "TCP" || p === "UDP" || p === "ANY", path, () => `${show(v)} is not TCP, UDP or any`);
  return p === "ANY" ? "any" : p;
}
export function version(o: Record<string, unknown>): 1 {
  need(o.version === 1, "version", () => `expected 1, got ${show(o.version)}`);
  return 1;
}
