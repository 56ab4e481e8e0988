// Sluice's live capture for bench:live, run inside the capture namespace: openLive and
// a Monitor with the catalogue, OUI table and LAN as `sluice run` builds them, read in
// the same loop shape (a quiet read advances the clock). Prints one JSON line of
// counters every 100 ms, and a last one once the stop file exists and the ring is
// drained; the bench reads them. Each line also says when (epoch ms) the engine last
// took packets and when the worker last handed some over: the burst mode times the
// drain with them. Not a test.
//
// Usage: deno run -A tests/bench/_live_capture.ts IFACE STOP_FILE [--buffer BYTES] [--ring BYTES]
import { END_OF_CAPTURE, openLive } from "../../capture/mod.ts";
import { defaultCatalogue } from "../../engine/catalogue/default.ts";
import { defaultOui, LanSubnets } from "../../engine/devices/mod.ts";
import { Monitor } from "../../engine/monitor.ts";

const [iface, stopFile] = Deno.args;
if (!iface || !stopFile) {
  console.error("usage: _live_capture.ts IFACE STOP_FILE [--buffer BYTES] [--ring BYTES]");
  Deno.exit(2);
}
const option = (name: string) => {
  const at = Deno.args.indexOf(name);
  return at >= 0 ? Number(Deno.args[at + 1]) : undefined;
};

const source = await openLive(iface, {
  bufferSize: option("--buffer"),
  ringSize: option("--ring"),
});
const monitor = new Monitor({
  linkType: source.linkType,
  lan: new LanSubnets(["198.18.0.0/15"]),
  catalogue: defaultCatalogue(),
  oui: defaultOui(),
});

function line(final: boolean): string {
  const s = source.stats();
  return JSON.stringify({
    final,
    delivered: s.delivered,
    kernelDropped: s.kernelDropped,
    ownDropped: s.ownDropped,
    engine: monitor.tracker.counters.packets,
    captured: s.captured,
    batches,
    engineAt,
    capturedAt,
  });
}

console.log(JSON.stringify({ ready: true }));
let lastLine = performance.now();
let stopping = false, batches = 0;
const epochMs = () => performance.timeOrigin + performance.now();
let engineAt = 0, capturedAt = 0, captured = 0;
for (;;) {
  const got = await source.read(monitor);
  if (got === END_OF_CAPTURE) break;
  if (got > 0) {
    batches++;
    engineAt = epochMs();
    const now = source.stats().captured ?? 0;
    if (now !== captured) [captured, capturedAt] = [now, engineAt];
  }
  if (got === 0) {
    monitor.advance(Date.now() / 1000);
    if (stopping) break; // asked to stop and the ring is empty
  }
  const now = performance.now();
  if (now - lastLine >= 100) {
    lastLine = now;
    console.log(line(false));
    if (!stopping) stopping = await Deno.stat(stopFile).then(() => true, () => false);
  }
}
source.close();
// close() ends the worker: its last pcap_stats refresh lands before STATE_ENDED.
while ((await source.read(monitor)) !== END_OF_CAPTURE) { /* drain to the end */ }
monitor.finish();
console.log(line(true));
