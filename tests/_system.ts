// Tests that need a part of the system (libpcap, root, namespaces, the shared
// corpus, Chromium) skip with a printed reason where it is missing, and fail
// instead when CI is set: CI installs everything, so a missing part is a defect.

const inCi = Boolean(Deno.env.get("CI"));

/** The shared capture corpus beside the project, from the repository root. */
export const CORPUS_DIR = new URL("../../shared/pcap/", import.meta.url).pathname;

/**
 * Returns the `ignore` value for a test that needs `what`: true (skip, with
 * the reason printed) when it is missing outside CI, false otherwise.
 */
export function skipUnless(available: boolean, what: string): boolean {
  if (available || inCi) return false;
  console.log(`skip: ${what} is not available here`);
  return true;
}

/** Inside a test: fails with the reason when `what` is missing (so under CI). */
export function requireSystem(available: boolean, what: string): void {
  if (!available) throw new Error(`${what} is required (CI installs it: see .ci/run)`);
}

export function hasCorpus(): boolean {
  try {
    return Deno.statSync(`${CORPUS_DIR}ndpi`).isDirectory;
  } catch {
    return false;
  }
}

export function hasLibpcap(): boolean {
  for (
    const path of ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/lib"]
  ) {
    for (const name of ["libpcap.so.1", "libpcap.so.0.8"]) {
      try {
        Deno.statSync(`${path}/${name}`);
        return true;
      } catch { /* try the next */ }
    }
  }
  return Deno.build.os !== "linux"; // other platforms: let the loader decide
}

export function isRoot(): boolean {
  return Deno.uid() === 0;
}

/** Whether a program is on PATH. */
export function hasCommand(name: string): boolean {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/${name}`).isFile) return true;
    } catch { /* not here */ }
  }
  return false;
}
