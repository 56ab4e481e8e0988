// Child of crash_test.ts: writes minutes of 300 devices to the KV file given
// as the first argument, in a loop, printing each minute once it is written,
// until it is killed. Commits are small so that each minute spans many.
import { UsageHistory } from "../../../engine/history/mod.ts";
import { CRASH_DEVICES, CRASH_START, MIN, sample } from "./_helpers.ts";

const kv = await Deno.openKv(Deno.args[0]);
const history = new UsageHistory(kv, { commitLimits: { maxMutations: 4 } });
await history.open(CRASH_START);
const encoder = new TextEncoder();
for (let minute = history.now;; minute += MIN) {
  const m = (minute - CRASH_START) / MIN;
  const samples = Array.from({ length: CRASH_DEVICES }, (_, d) => sample(d, m));
  await history.writeMinute(minute, samples);
  await Deno.stdout.write(encoder.encode(`${minute}\n`));
}
