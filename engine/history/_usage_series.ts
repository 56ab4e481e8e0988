// One device's points at one level for UsageHistory.series(): the stored
// periods, the ones a read-only open() held in memory, and the unfinished
// hour (day) so far.
import type { WriterMemory } from "./_usage_range.ts";
import { devicePoints, type UsageKeys } from "./_usage_store.ts";
import type { Level } from "./periods.ts";
import { addUsage, copyUsage, emptyUsage, type UsagePoint } from "./usage_record.ts";

/** The device's points starting in [from, to), oldest first (`from` already within retention). */
export async function seriesPoints(
  kv: Deno.Kv,
  keys: UsageKeys,
  memory: WriterMemory,
  deviceId: string,
  level: Level,
  from: number,
  toMs: number,
): Promise<UsagePoint[]> {
  if (level === "minute") {
    return await devicePoints(kv, level, deviceId, from, toMs, keys);
  }
  // Memory as it is now, before an hour can finish while the store is read.
  const unfinished = level === "hour" ? memory.hour : memory.day;
  const parts = [memory.hourUsage.get(deviceId)];
  if (level === "day") parts.push(memory.dayUsage.get(deviceId));
  const tail: UsagePoint = { start: unfinished, ...emptyUsage() };
  for (const part of parts) if (part) addUsage(tail, part);
  const points = await devicePoints(kv, level, deviceId, from, Math.min(toMs, unfinished), keys);
  for (const held of memory.held) {
    const record = held.level === level ? held.devices.get(deviceId) : undefined;
    if (record && held.start >= from && held.start < Math.min(toMs, unfinished)) {
      points.push({ start: held.start, ...copyUsage(record) });
    }
  }
  if (memory.held.length > 0) points.sort((a, b) => a.start - b.start);
  // The unfinished hour (day): its minutes (and finished hours) so far.
  if (unfinished >= from && unfinished < toMs && parts.some(Boolean)) points.push(tail);
  return points;
}
