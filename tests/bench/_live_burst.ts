// bench:live --burst N: each capture's own ceiling, without the generator competing
// for the CPUs. The capture starts with a kernel buffer that holds the whole burst and
// is paused (SIGSTOP); trafgen sends N frames as fast as it can and stops; the capture
// is resumed (SIGCONT) and timed until it has consumed them all. Sluice: until its
// engine (the Monitor) has taken the last packet, and, beside it, until its worker has
// handed the last one over; tcpdump (-c N -w /dev/null): until it reports N captured.
import { burst, FRAME_BYTES, rxPackets, sh, type VethPair } from "./_live_net.ts";
import { killer, lineReader, startSluice } from "./_live_contenders.ts";

/** One contender's drain. */
export interface Drain {
  /** Frames trafgen sent, frames the capture end's veth received. */
  sent: number;
  offered: number;
  /** trafgen's rate while nobody read: the kernel side alone (veth and both captures' copy). */
  genPps: number;
  seen: number;
  kernelDropped: number;
  ownDropped: number;
  seconds: number;
  /** Sluice: the worker's part (handed over to the ring), with the engine still behind. */
  worker?: { seen: number; seconds: number };
  /** Sluice: CPU seconds per thread over the drain (from the pause to caught up). */
  threads?: Record<string, number>;
}

/**
 * Per packet in the kernel's TPACKET_V3 ring (header, sockaddr_ll, alignment, 60 bytes,
 * and blocks' unused tails): measured, 344 MiB did not hold 2 million, 1 GiB did.
 */
const KERNEL_BYTES_PER_PACKET = 256;
/** Per packet in Sluice's ring: pcap's 16-byte record header and 60 bytes. */
const RING_BYTES_PER_PACKET = 16 + 60;
const MiB = 1 << 20;

/** Kernel buffer for a burst of `count` with a quarter to spare, in whole MiB. */
export function bufferFor(count: number): number {
  return Math.max(64, Math.ceil((count * KERNEL_BYTES_PER_PACKET * 1.25) / MiB)) * MiB;
}

const epochMs = () => performance.timeOrigin + performance.now();

/** SIGSTOP, then waits until /proc says the process is stopped ("T"). */
async function pause(pid: number): Promise<void> {
  Deno.kill(pid, "SIGSTOP");
  for (let i = 0; i < 100; i++) {
    const stat = await sh("cat", `/proc/${pid}/stat`);
    if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("T")) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`process ${pid} did not stop`);
}

/**
 * Sends the burst to a paused capture; resolves with the counts and the resume time.
 * First, unless `warmup` is 0, that many frames to the running capture, drained before
 * the pause: Sluice's ring has then been written all over, as in a capture that has
 * run a while (a fresh one pays a page fault per 4 KiB the first time round).
 */
async function sendWhilePaused(
  pair: VethPair,
  config: string,
  count: number,
  warmup: number,
  pid: number,
  onPaused?: () => Promise<void>,
) {
  let warmOffered = 0;
  if (warmup > 0) {
    const before = await rxPackets(pair);
    await burst(pair, config, warmup);
    warmOffered = (await rxPackets(pair)) - before;
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
  await pause(pid);
  await onPaused?.();
  const before = await rxPackets(pair);
  const sent = await burst(pair, config, count);
  const offered = (await rxPackets(pair)) - before;
  // TPACKET_V3 hands over a block when full or at its timeout (tcpdump's 1 s): let the
  // last, partly filled block retire first, so that neither capture waits on it.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const resumedAt = epochMs();
  Deno.kill(pid, "SIGCONT");
  return { sent: sent.sent, offered, warmOffered, genPps: sent.sent / sent.seconds, resumedAt };
}

/** Sluice's ring for a burst of `count`, with a quarter to spare. */
export function ringFor(count: number): number {
  return Math.max(64, Math.ceil((count * RING_BYTES_PER_PACKET * 1.25) / MiB)) * MiB;
}

/** Frames that go once round Sluice's ring for a burst of `count`, and a little more. */
export function warmupFor(count: number): number {
  return Math.ceil((ringFor(count) / RING_BYTES_PER_PACKET) * 1.02);
}

/** Sluice with `bufferBytes` of kernel buffer and a ring that holds the burst. */
export async function drainSluice(
  pair: VethPair,
  config: string,
  count: number,
  bufferBytes: number,
  warmup: number,
): Promise<Drain> {
  // e.g. BENCH_LIVE_DENO_FLAGS=--v8-flags=--perf-basic-prof, for `perf record -a` over the drain.
  const flags = Deno.env.get("BENCH_LIVE_DENO_FLAGS")?.split(" ").filter((f) => f) ?? [];
  const capture = await startSluice(pair, flags, [
    ...["--buffer", `${bufferBytes}`, "--ring", `${ringFor(count)}`],
  ]);
  try {
    const sent = await sendWhilePaused(pair, config, count, warmup, capture.pid, capture.rebase);
    const c = await capture.stop(sent.warmOffered + sent.offered);
    return {
      sent: sent.sent,
      offered: sent.offered,
      genPps: sent.genPps,
      seen: c.seen - sent.warmOffered,
      kernelDropped: c.kernelDropped,
      ownDropped: c.ownDropped,
      seconds: ((c.engineAt ?? 0) - sent.resumedAt) / 1000,
      worker: {
        seen: (c.captured ?? 0) - sent.warmOffered,
        seconds: ((c.capturedAt ?? 0) - sent.resumedAt) / 1000,
      },
      threads: c.threads,
    };
  } finally {
    capture.kill();
  }
}

/** `tcpdump -B KiB -c COUNT -w /dev/null`, timed until it prints its counts (before pcap_close). */
export async function drainTcpdump(
  pair: VethPair,
  config: string,
  count: number,
  bufferBytes: number,
  warmup: number,
): Promise<Drain> {
  const child = new Deno.Command("ip", {
    args: [
      ...["netns", "exec", pair.capNs, "tcpdump", "-i", pair.capIf],
      ...["-B", `${bufferBytes / 1024}`, "-c", `${warmup + count}`, "-w", "/dev/null"],
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const kill = killer(child);
  try {
    const next = lineReader(child.stderr);
    for (let line = await next(); !line?.includes("listening on"); line = await next()) {
      if (line === null) throw new Error("tcpdump did not start");
    }
    const sent = await sendWhilePaused(pair, config, count, warmup, child.pid);
    // Fewer than COUNT arrived (kernel drops): tcpdump would wait for ever; stop it.
    let cutShort = false;
    const timer = setTimeout(() => {
      cutShort = true;
      child.kill("SIGINT");
    }, 10_000);
    const lines: string[] = [];
    let doneAt = 0;
    for (let line = await next(); line !== null; line = await next()) {
      if (doneAt === 0 && / packets? captured/.test(line)) doneAt = epochMs();
      lines.push(line);
    }
    clearTimeout(timer);
    await child.status;
    const counted = (what: string) => {
      const m = lines.map((l) => new RegExp(`^(\\d+) packets? ${what}`).exec(l)).find((m) => m);
      if (!m) throw new Error(`tcpdump said nothing of "${what}": ${lines.join(" / ")}`);
      return Number(m[1]);
    };
    return {
      sent: sent.sent,
      offered: sent.offered,
      genPps: sent.genPps,
      seen: counted("captured") - sent.warmOffered,
      kernelDropped: counted("dropped by kernel"),
      ownDropped: 0,
      // Cut short: the drain time is not known (the row shows the drops).
      seconds: cutShort ? NaN : (doneAt - sent.resumedAt) / 1000,
    };
  } finally {
    kill();
  }
}

const n = (v: number) => Math.round(v).toLocaleString("en");
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** Runs the burst `runs` times for each capture and prints every run and the medians. */
export async function runBurst(
  pair: VethPair,
  config: string,
  count: number,
  runs: number,
  bufferBytes: number,
  warm: boolean,
): Promise<void> {
  const warmup = warm ? warmupFor(count) : 0;
  const load = () => Deno.loadavg().map((v) => v.toFixed(2)).join(" ");
  const loadBefore = load();
  const results: { sluice: Drain; tcpdump: Drain }[] = [];
  for (let run = 1; run <= runs; run++) {
    const sluice = await drainSluice(pair, config, count, bufferBytes, warmup);
    const tcpdump = await drainTcpdump(pair, config, count, bufferBytes, warmup);
    results.push({ sluice, tcpdump });
    console.error(`  run ${run}: sluice ${JSON.stringify(sluice)}`);
    console.error(`  run ${run}: tcpdump ${JSON.stringify(tcpdump)}`);
  }
  const rows: string[][] = [[
    "run",
    "contender",
    "burst packets",
    "consumed",
    "kernel drops",
    "own drops",
    "drain s",
    "packets/s",
  ]];
  const row = (run: string, who: string, d: Drain, seen: number, seconds: number) => [
    run,
    who,
    n(d.offered),
    n(seen),
    n(d.kernelDropped),
    n(d.ownDropped),
    seconds.toFixed(3),
    (Number.isNaN(seconds) ? "-" : n(seen / seconds)) +
    (d.kernelDropped + d.ownDropped > 0 || seen < d.offered ? " ✗ (buffer too small)" : ""),
  ];
  for (const [i, { sluice, tcpdump }] of results.entries()) {
    rows.push(row(`${i + 1}`, "Sluice end to end", sluice, sluice.seen, sluice.seconds));
    rows.push(
      row(`${i + 1}`, "Sluice worker", sluice, sluice.worker!.seen, sluice.worker!.seconds),
    );
    rows.push(row(`${i + 1}`, "tcpdump", tcpdump, tcpdump.seen, tcpdump.seconds));
  }
  const med = (pick: (r: { sluice: Drain; tcpdump: Drain }) => [number, number]) =>
    median(results.map((r) => pick(r)[0] / pick(r)[1]));
  const sluiceRate = med((r) => [r.sluice.seen, r.sluice.seconds]);
  const workerRate = med((r) => [r.sluice.worker!.seen, r.sluice.worker!.seconds]);
  const tcpdumpRate = med((r) => [r.tcpdump.seen, r.tcpdump.seconds]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const cpuModel = (await sh("sh", "-c", "grep -m1 'model name' /proc/cpuinfo || true"))
    .replace(/.*:\s*/, "").trim();
  console.log(
    `bench:live --burst: ${n(count)} ${FRAME_BYTES}-byte frames sent to a paused capture, then ` +
      `drained${
        warm ? ` (after ${n(warmup)} to warm up)` : " (cold: no warm-up)"
      }; kernel buffer ` +
      `${bufferBytes / MiB} MiB, Sluice's ring ${ringFor(count) / MiB} MiB; ` +
      `${navigator.hardwareConcurrency} CPUs ` +
      `(${cpuModel}); load average before ${loadBefore}, after ${load()}`,
  );
  for (const r of rows) console.log(r.map((v, c) => v.padStart(widths[c])).join("  "));
  console.log(
    `median of ${runs}: Sluice end to end ${n(sluiceRate)} packets/s, Sluice worker ${
      n(workerRate)
    } packets/s, tcpdump ${n(tcpdumpRate)} packets/s; trafgen sent the bursts at ${
      n(median(results.flatMap((r) => [r.sluice.genPps, r.tcpdump.genPps])))
    } packets/s (median) with nobody reading`,
  );
  const threads = results.map((r) => r.sluice.threads ?? {});
  console.log(
    `Sluice CPU seconds per thread over each drain: ${
      threads.map((t) =>
        Object.entries(t).filter(([, s]) => s > 0).map(([name, s]) => `${name} ${s.toFixed(2)}`)
          .join(", ")
      ).join(" | ")
    }`,
  );
}
