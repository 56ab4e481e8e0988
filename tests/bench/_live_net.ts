// The network side of bench:live: a veth pair between two namespaces this bench
// creates (a generator's and a capture's), trafgen offering 64-byte UDP frames at a
// paced rate, and the capture end's receive counter. Traffic never leaves the pair.

/** A namespace pair joined by a veth: trafgen sends on `genIf`, captures read `capIf`. */
export interface VethPair {
  genNs: string;
  capNs: string;
  genIf: string;
  capIf: string;
}

/** What one trafgen run sent: packets, and the longest time any of its CPUs took. */
export interface Offered {
  sent: number;
  seconds: number;
}

const decoder = new TextDecoder();

/** Runs a command; throws with its stderr when it fails. */
export async function sh(cmd: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${decoder.decode(out.stderr).trim()}`);
  }
  return decoder.decode(out.stdout);
}

/** Creates the pair (198.18.0.0/30, a benchmarking range); `close` removes it. */
export async function vethPair(tag: string): Promise<VethPair & { close(): Promise<void> }> {
  const pair = {
    genNs: `sluice-bench-gen-${tag}`,
    capNs: `sluice-bench-cap-${tag}`,
    genIf: `sbg${tag}`,
    capIf: `sbc${tag}`,
  };
  const close = async () => {
    await sh("ip", "netns", "del", pair.genNs).catch(() => {});
    await sh("ip", "netns", "del", pair.capNs).catch(() => {});
  };
  try {
    await sh("ip", "netns", "add", pair.genNs);
    await sh("ip", "netns", "add", pair.capNs);
    await sh(
      "ip",
      "-n",
      pair.genNs,
      "link",
      "add",
      pair.genIf,
      "type",
      "veth",
      "peer",
      "name",
      pair.capIf,
    );
    await sh("ip", "-n", pair.genNs, "link", "set", pair.capIf, "netns", pair.capNs);
    await sh("ip", "-n", pair.genNs, "addr", "add", "198.18.0.1/30", "dev", pair.genIf);
    await sh("ip", "-n", pair.capNs, "addr", "add", "198.18.0.2/30", "dev", pair.capIf);
    for (const [ns, dev] of [[pair.genNs, pair.genIf], [pair.capNs, pair.capIf]]) {
      await sh("ip", "-n", ns, "link", "set", dev, "up");
      await sh("ip", "-n", ns, "link", "set", "lo", "up");
      // No IPv6 on the pair: router solicitations and the like would be counted too.
      await sh("ip", "netns", "exec", ns, "sysctl", "-qw", `net.ipv6.conf.${dev}.disable_ipv6=1`);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { ...pair, close };
}

/**
 * A trafgen packet: Ethernet, IPv4 198.18.0.1 → 198.18.0.2, UDP to port 9 from 256
 * source ports (256 flows), 22 bytes of payload: 64 bytes a frame (60 on the wire
 * plus the 4-byte FCS a veth does not carry). The destination MAC is not the capture
 * end's, so its IP stack drops each frame at once; promiscuous captures see them all.
 */
export const TRAFGEN_FRAME = `{
  0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
  0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
  0x08, 0x00,
  0x45, 0x00, const16(50), const16(0), 0x40, 0x00, 64, 17, csumip(14, 33),
  198, 18, 0, 1, 198, 18, 0, 2,
  0x30, dinc(0, 255), const16(9), const16(30), const16(0),
  fill(0x00, 22),
}
`;

/** Frame length the bench reports (trafgen's frame is 64 bytes, FCS included). */
export const FRAME_BYTES = 64;

/**
 * Sends for `seconds` at `pps` (paced by trafgen's --rate on one CPU), or unpaced
 * from every CPU when `pps` is 0. Returns what trafgen says it sent.
 */
export async function offer(
  pair: VethPair,
  config: string,
  pps: number,
  seconds: number,
): Promise<Offered> {
  const base = ["netns", "exec", pair.genNs];
  const trafgen = ["trafgen", "--dev", pair.genIf, "--conf", config];
  const args = pps > 0
    ? [...base, ...trafgen, "--cpus", "1", "--rate", `${pps}pps`, "--num", `${pps * seconds}`]
    : [...base, "timeout", "-s", "INT", `${seconds}`, ...trafgen];
  const out = await new Deno.Command("ip", { args, stdout: "piped", stderr: "piped" }).output();
  return statistics(decoder.decode(out.stdout) + decoder.decode(out.stderr));
}

/** What trafgen printed it sent: packets over all CPUs, the longest CPU's time. */
function statistics(text: string): Offered {
  let sent = 0, longest = 0;
  // "  4 sec, 754924 usec on CPU0 (1600000 packets)", one line per CPU
  for (const m of text.matchAll(/(\d+) sec, (\d+) usec on CPU\d+ \((\d+) packets\)/g)) {
    longest = Math.max(longest, Number(m[1]) + Number(m[2]) / 1e6);
    sent += Number(m[3]);
  }
  if (longest === 0) throw new Error(`trafgen printed no statistics: ${text.trim().slice(-300)}`);
  return { sent, seconds: longest };
}

/** The capture end's received-packet counter (the kernel's, as `ip -s link` shows it). */
export async function rxPackets(pair: VethPair): Promise<number> {
  const path = `/sys/class/net/${pair.capIf}/statistics/rx_packets`;
  return Number((await sh("ip", "netns", "exec", pair.capNs, "cat", path)).trim());
}

/**
 * Sends `count` frames unpaced from every CPU (trafgen splits the count), for the
 * burst mode: the capture is paused meanwhile, so the generator has the machine.
 */
export async function burst(pair: VethPair, config: string, count: number): Promise<Offered> {
  const args = [
    ...["netns", "exec", pair.genNs],
    ...["trafgen", "--dev", pair.genIf, "--conf", config, "--num", `${count}`],
  ];
  const out = await new Deno.Command("ip", { args, stdout: "piped", stderr: "piped" }).output();
  return statistics(decoder.decode(out.stdout) + decoder.decode(out.stderr));
}
