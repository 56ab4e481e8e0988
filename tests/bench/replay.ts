// deno task bench:replay — whole-process time of `sluice replay --json` on the
// 760k-packet replay mix, side by side with ndpiReader (the reference DPI
// reader) and tcpdump (the libpcap floor), in one run. A benchmark, not a test.
//
// The same replay with --no-classify shows what naming and classification cost.
//
// Usage: deno task bench:replay [--runs N] [--mix /tmp/mix.pcap]

const args = Deno.args;
const runs = Number(args[args.indexOf("--runs") + 1]) || 5;
const mix = args.includes("--mix") ? args[args.indexOf("--mix") + 1] : "/tmp/mix.pcap";
const root = new URL("../../", import.meta.url).pathname;
const shared = `${root}../shared`;

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

async function run(cmd: string, cmdArgs: string[]): Promise<number> {
  const start = performance.now();
  const out = await new Deno.Command(cmd, { args: cmdArgs, stdout: "null", stderr: "piped" })
    .output();
  const ms = performance.now() - start;
  if (!out.success) {
    throw new Error(`${cmd} failed: ${new TextDecoder().decode(out.stderr).slice(0, 400)}`);
  }
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

if (!(await exists(mix))) {
  console.log(`building ${mix} with ../shared/tools/make-mix.sh (needs wireshark-common)...`);
  await run("bash", [`${shared}/tools/make-mix.sh`, `${shared}/pcap/ndpi`, mix, "10"]);
}

const sluiceReplay = (...extra: string[]) => ({
  cmd: Deno.execPath(),
  args: ["run", "--allow-ffi", "--allow-read", "--allow-env", `${root}main.ts`, "replay", mix]
    .concat(extra),
});
const contenders: { name: string; cmd: string; args: string[] }[] = [
  { name: "sluice replay --json", ...sluiceReplay("--json") },
  { name: "... --no-classify", ...sluiceReplay("--json", "--no-classify") },
  { name: "ndpiReader -q -i", cmd: "ndpiReader", args: ["-q", "-i", mix] },
  { name: "tcpdump -r -w /dev/null", cmd: "tcpdump", args: ["-r", mix, "-w", "/dev/null"] },
];

// One warm-up each (page cache, Deno's module cache), then interleaved runs.
const times = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
for (const c of contenders) await run(c.cmd, c.args);
for (let i = 0; i < runs; i++) {
  for (const c of contenders) times.get(c.name)!.push(await run(c.cmd, c.args));
}

const med = new Map([...times].map(([name, list]) => [name, median(list)]));
const ndpi = med.get("ndpiReader -q -i")!, floor = med.get("tcpdump -r -w /dev/null")!;
const packets = 759_930;
console.log(`replay of ${mix}, median of ${runs} runs, whole process:`);
console.log("tool                      time      pkts/s      vs ndpiReader  vs tcpdump");
const classified = med.get("sluice replay --json")!, bare = med.get("... --no-classify")!;
const share = (classified - bare) / classified;
console.log(
  `naming and classification: ${((classified - bare) / 1000).toFixed(3)} s, ${
    (share * 100).toFixed(1)
  }% of the replay (budget 25%)`,
);
for (const [name, ms] of med) {
  console.log(
    `${name.padEnd(24)} ${(ms / 1000).toFixed(3).padStart(6)} s ${
      Math.round(packets / (ms / 1000)).toLocaleString("en").padStart(11)
    }  ${(ms / ndpi).toFixed(2).padStart(12)}x  ${(ms / floor).toFixed(2).padStart(9)}x`,
  );
}
