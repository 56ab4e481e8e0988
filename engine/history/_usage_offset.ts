// The UTC offset a usage store rolls its days up at, kept in the store's
// meta key space by its first writer.
import type { UsageKeys } from "./_usage_store.ts";

/**
 * Days are rolled up at one offset for the life of a store, recorded by
 * its first writer. A reader takes the store's (its days are the store's
 * days; any range is still read exactly from hours); a writer with another
 * offset is refused, as it would cut the days it rolls up differently.
 * Returns the offset to use.
 */
export async function adoptStoredOffset(
  kv: Deno.Kv,
  keys: UsageKeys,
  offset: number,
  readOnly: boolean,
): Promise<number> {
  const key: Deno.KvKey = [keys.meta, "utcOffsetMinutes"];
  const stored = (await kv.get<number>(key)).value;
  if (stored === null) {
    if (!readOnly) await kv.set(key, offset);
  } else if (readOnly) {
    return stored;
  } else if (stored !== offset) {
    throw new RangeError(
      `this history rolls days up at UTC offset ${stored} minutes, not ${offset}`,
    );
  }
  return offset;
}
