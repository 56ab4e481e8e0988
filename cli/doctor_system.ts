// The real machine for `sluice doctor`: libpcap through FFI, files, Deno KV,
// a listening socket, and programs through shaper/'s command runner.
import { procReader } from "../capture/mod.ts";
import { libpcapVersion, listInterfaces } from "../capture/mod.ts";
import { SystemCommandRunner } from "../shaper/mod.ts";
import { configEnv } from "./config_file.ts";
import { storeLocation } from "./data_store.ts";
import type { DoctorSystem } from "./doctor_checks.ts";
import { readPolicyDocument } from "./policy_file.ts";

/**
 * This machine, as the doctor's checks see it.
 *
 * @example
 * ```ts ignore
 * const code = await doctorCommand(["--data", "/var/lib/sluice"], realDoctorSystem());
 * ```
 */
export function realDoctorSystem(): DoctorSystem {
  return {
    os: Deno.build.os,
    env: configEnv(),
    libpcapVersion,
    listInterfaces,
    uid: () => Deno.uid(),
    readTextFile: async (path) => {
      // Deno grants /proc only to --allow-all: read it through the C library.
      if (path.startsWith("/proc/")) return procReader()?.readText(path) ?? null;
      try {
        return await Deno.readTextFile(path);
      } catch (err) {
        if (err instanceof Deno.errors.NotFound) return null;
        throw err;
      }
    },
    runner: new SystemCommandRunner(),
    probeStore,
    tryListen: (hostname, port) => {
      Deno.listen({ hostname, port }).close();
      return Promise.resolve();
    },
    readPolicy: async (path) => {
      const { policy } = await readPolicyDocument(path, "sluice doctor");
      const n = policy.rules.length;
      return `${path}: valid, ${n} rule${n === 1 ? "" : "s"}, time zone ${policy.timeZone}`;
    },
  };
}

/**
 * Writes and deletes a probe key in the store `sluice run` would open. A
 * data directory that does not exist yet is made for the probe and removed
 * again: the doctor leaves no trace.
 */
async function probeStore(data: string): Promise<string> {
  const location = storeLocation(data);
  const local = location !== data;
  let made = false;
  if (local) {
    try {
      await Deno.stat(data);
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
      await Deno.mkdir(data, { recursive: true });
      made = true;
    }
  }
  try {
    const kv = await Deno.openKv(location);
    try {
      const key = ["doctor", "probe", crypto.randomUUID()];
      await kv.set(key, Date.now());
      await kv.delete(key);
    } finally {
      kv.close();
    }
  } finally {
    if (made) await Deno.remove(data, { recursive: true });
  }
  return `${location}: wrote and deleted a probe key${
    made ? ` (${data} will be made at start)` : ""
  }`;
}
