// Opens Sluice's KV store for a command: `--data DIR` is a directory holding
// sluice.kv (created if missing), or a remote KV URL passed to Deno.openKv
// unchanged (one Sluice writes to a store).
import { UsageError } from "./usage_error.ts";

/** The KV file's name inside a data directory. */
export const KV_FILE = "sluice.kv";

/** Where `--data` points: a remote store's URL, or the KV file in a directory. */
export function storeLocation(data: string): string {
  if (/^https?:\/\//i.test(data)) return data;
  return `${data.replace(/\/+$/, "") || "/"}/${KV_FILE}`;
}

/**
 * Opens the store `--data` names; a UsageError naming the command and the
 * problem when the directory cannot be made or the store cannot be opened.
 */
export async function openStore(data: string, command: string): Promise<Deno.Kv> {
  if (data === "") throw new UsageError(`${command}: --data needs a directory or a KV URL`);
  const location = storeLocation(data);
  if (location !== data || !/^https?:/i.test(data)) {
    try {
      await Deno.mkdir(data, { recursive: true });
    } catch (err) {
      throw new UsageError(`${command}: cannot make data directory ${data}: ${reason(err)}`);
    }
  }
  try {
    return await Deno.openKv(location);
  } catch (err) {
    throw new UsageError(`${command}: cannot open the KV store at ${location}: ${reason(err)}`);
  }
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message.split("\n")[0] : String(err);
}
