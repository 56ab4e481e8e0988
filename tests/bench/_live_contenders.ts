// The two captures bench:live compares, each started inside the capture namespace:
// Sluice's (tests/bench/_live_capture.ts) and `tcpdump -w /dev/null`.
import type { VethPair } from "./_live_net.ts";

/** What a capture counted once stopped. */
export interface Counted {
  seen: number;
  kernelDropped: number;
  ownDropped: number;
  /** CPU time (user and system, all threads) the capture used from ready to caught up. */
  cpuSeconds: number;
  /** Seconds from the end of the traffic until the capture had it all (Sluice only). */
  behindSeconds?: number;
  /** Reads that delivered packets (Sluice only). */
  batches?: number;
  /** Packets the capture worker handed over (Sluice only). */
  captured?: number;
  /** When (epoch ms) the engine last took packets, and the worker last handed some over (Sluice). */
  engineAt?: number;
  capturedAt?: number;
  /** CPU seconds per thread (name and id) from ready to caught up (Sluice only). */
  threads?: Record<string, number>;
}

/** A running capture, ready for traffic. */
export interface Capture {
  /** The capture's process (the bench pauses it in burst mode). */
  pid: number;
  /** Waits until the capture has caught up with `offered` packets (or stalls), stops it. */
  stop(offered: number): Promise<Counted>;
  /** Ends the process if still running. */
  kill(): void;
  /** Counts CPU time from now on instead of from ready (Sluice: burst mode, once paused). */
  rebase?(): Promise<void>;
}

/** utime + stime of a process, from /proc (clock ticks of 10 ms); `cat`: Deno reads /proc only with -A. */
export async function cpuOf(pid: number): Promise<number> {
  const out = await new Deno.Command("cat", { args: [`/proc/${pid}/stat`], stdout: "piped" })
    .output();
  const stat = decoder.decode(out.stdout);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** utime + stime of each thread of a process ("name tid" → seconds), from /proc/PID/task. */
export async function threadCpu(pid: number): Promise<Record<string, number>> {
  const out = await new Deno.Command("sh", {
    args: ["-c", `cat /proc/${pid}/task/*/stat`],
    stdout: "piped",
    stderr: "null",
  }).output();
  const threads: Record<string, number> = {};
  // "tid (name) state ..."; a name may hold spaces or parentheses, so split at the last ")".
  for (const m of decoder.decode(out.stdout).matchAll(/^(\d+) \((.*)\) (.*)$/gm)) {
    const fields = m[3].split(" ");
    threads[`${m[2]} ${m[1]}`] = (Number(fields[11]) + Number(fields[12])) / 100;
  }
  return threads;
}

const decoder = new TextDecoder();
const root = new URL("../../", import.meta.url).pathname;

/** Lines of a stream, one at a time; null at its end. */
export function lineReader(stream: ReadableStream<Uint8Array>): () => Promise<string | null> {
  const reader = stream.getReader();
  let buffered = "";
  return async () => {
    for (;;) {
      const nl = buffered.indexOf("\n");
      if (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        return line;
      }
      const { value, done } = await reader.read();
      if (done) {
        const rest = buffered;
        buffered = "";
        return rest === "" ? null : rest;
      }
      buffered += decoder.decode(value, { stream: true });
    }
  };
}

export function killer(child: Deno.ChildProcess): () => void {
  return () => {
    try {
      child.kill("SIGKILL");
    } catch { /* already ended */ }
  };
}

interface Progress {
  final?: boolean;
  ready?: boolean;
  delivered: number;
  kernelDropped: number;
  ownDropped: number;
  engine: number;
  batches: number;
  captured: number;
  engineAt: number;
  capturedAt: number;
}

/**
 * Sluice's live capture and engine, in a Deno process of its own (`extra`: Deno's
 * flags, e.g. --cpu-prof; `helperArgs`: the helper's, e.g. --buffer BYTES).
 */
export async function startSluice(
  pair: VethPair,
  extra: string[] = [],
  helperArgs: string[] = [],
): Promise<Capture> {
  const stopFile = await Deno.makeTempFile({ prefix: "sluice-bench-live-stop-" });
  await Deno.remove(stopFile);
  const child = new Deno.Command("ip", {
    args: [
      ...["netns", "exec", pair.capNs, Deno.execPath(), "run", "-A", ...extra],
      ...[`${root}tests/bench/_live_capture.ts`, pair.capIf, stopFile, ...helperArgs],
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const next = lineReader(child.stdout);
  const read = async (): Promise<Progress> => {
    const line = await next();
    if (line === null) throw new Error("Sluice's capture ended early (see above)");
    return JSON.parse(line);
  };
  if (!(await read()).ready) throw new Error("Sluice's capture did not start");
  let cpuAtReady = await cpuOf(child.pid);
  let threadsAtReady = await threadCpu(child.pid);
  return {
    pid: child.pid,
    async rebase() {
      cpuAtReady = await cpuOf(child.pid);
      threadsAtReady = await threadCpu(child.pid);
    },
    async stop(offered) {
      const stopAsked = performance.now();
      // Two seconds without progress is stalled. By the clock, not by lines: lines
      // queued while the bench waited (burst mode) come all at once.
      let last: Progress | undefined, movedAt = performance.now();
      while (performance.now() - movedAt < 2000) {
        const p = await read();
        if (p.delivered + p.kernelDropped + p.ownDropped >= offered) break;
        if (!last || p.delivered !== last.delivered) movedAt = performance.now();
        last = p;
      }
      const behindSeconds = (performance.now() - stopAsked) / 1000;
      const cpuSeconds = await cpuOf(child.pid) - cpuAtReady;
      const threads = await threadCpu(child.pid);
      for (const [name, cpu] of Object.entries(threads)) {
        threads[name] = cpu - (threadsAtReady[name] ?? 0);
      }
      await Deno.writeTextFile(stopFile, "");
      let p = await read();
      while (!p.final) p = await read();
      await child.status;
      await Deno.remove(stopFile).catch(() => {});
      const { kernelDropped, ownDropped } = p;
      const { batches, captured, engineAt, capturedAt } = p;
      return {
        seen: p.engine,
        kernelDropped,
        ownDropped,
        cpuSeconds,
        behindSeconds,
        batches,
        captured,
        engineAt,
        capturedAt,
        threads,
      };
    },
    kill: killer(child),
  };
}

/** `tcpdump -w /dev/null` with its defaults (2 MiB kernel buffer). */
export async function startTcpdump(pair: VethPair): Promise<Capture> {
  const child = new Deno.Command("ip", {
    args: ["netns", "exec", pair.capNs, "tcpdump", "-i", pair.capIf, "-w", "/dev/null"],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const next = lineReader(child.stderr);
  const lines: string[] = [];
  for (let line = await next(); !line?.includes("listening on"); line = await next()) {
    if (line === null) throw new Error("tcpdump did not start");
  }
  const cpuAtReady = await cpuOf(child.pid);
  return {
    pid: child.pid,
    async stop() {
      await new Promise((resolve) => setTimeout(resolve, 1000)); // let it write out the ring
      const cpuSeconds = await cpuOf(child.pid) - cpuAtReady;
      child.kill("SIGINT");
      for (let line = await next(); line !== null; line = await next()) lines.push(line);
      await child.status;
      const count = (what: string) => {
        const m = lines.map((l) => new RegExp(`^(\\d+) packets? ${what}`).exec(l)).find((m) => m);
        if (!m) throw new Error(`tcpdump said nothing of "${what}": ${lines.join(" / ")}`);
        return Number(m[1]);
      };
      const kernelDropped = count("dropped by kernel");
      return { seen: count("captured"), kernelDropped, ownDropped: 0, cpuSeconds };
    },
    kill: killer(child),
  };
}
