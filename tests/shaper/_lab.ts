// A three-namespace lab for the shaper: a LAN device, the gateway and a
// server, joined by veth links, with IP forwarding on the gateway. Shared by
// the real-kernel shaper test and `deno task bench:shaper`.
import { SystemCommandRunner } from "../../shaper/mod.ts";

/** The lab's fixed addresses; namespace names carry the process id. */
export const LAB = {
  mac: "02:77:00:00:00:02",
  device: "10.75.0.2",
  gateway: "10.75.0.1",
  server: "10.76.0.2",
  lan: "lan0",
  wan: "wan0",
} as const;

/** Runs a program; throws with its stderr when it fails. */
export async function sh(...argv: string[]): Promise<string> {
  const out = await new SystemCommandRunner().run(argv, { timeoutMs: 30_000 });
  if (out.code !== 0) throw new Error(`${argv.join(" ")}: ${out.stderr.trim()}`);
  return out.stdout;
}

/** The lab's namespaces, made by {@linkcode Lab.create} and removed by `destroy()`. */
export class Lab {
  readonly device: string;
  readonly gateway: string;
  readonly server: string;

  constructor(tag = String(Deno.pid % 100000)) {
    [this.device, this.gateway, this.server] = [`sld${tag}`, `slg${tag}`, `sls${tag}`];
  }

  /** Runs a program in a namespace. */
  in(ns: string, ...argv: string[]): Promise<string> {
    return sh("ip", "netns", "exec", ns, ...argv);
  }

  async create(): Promise<void> {
    const { device: DEV, gateway: GW, server: SRV } = this;
    for (const ns of [DEV, GW, SRV]) await sh("ip", "netns", "add", ns);
    for (const [name, ns] of [[LAB.lan, DEV], [LAB.wan, SRV]]) {
      await sh(...`ip -n ${GW} link add ${name} type veth peer name eth0 netns ${ns}`.split(" "));
    }
    await sh("ip", "-n", DEV, "link", "set", "eth0", "address", LAB.mac);
    await sh("ip", "-n", GW, "addr", "add", `${LAB.gateway}/24`, "dev", LAB.lan);
    await sh("ip", "-n", GW, "addr", "add", "10.76.0.1/24", "dev", LAB.wan);
    await sh("ip", "-n", DEV, "addr", "add", `${LAB.device}/24`, "dev", "eth0");
    await sh("ip", "-n", SRV, "addr", "add", `${LAB.server}/24`, "dev", "eth0");
    for (const [ns, dev] of [[GW, LAB.lan], [GW, LAB.wan], [DEV, "eth0"], [SRV, "eth0"]]) {
      await sh("ip", "-n", ns, "link", "set", dev, "up");
    }
    for (const ns of [DEV, GW, SRV]) await sh("ip", "-n", ns, "link", "set", "lo", "up");
    await sh("ip", "-n", DEV, "route", "add", "default", "via", LAB.gateway);
    await sh("ip", "-n", SRV, "route", "add", "default", "via", "10.76.0.1");
    await this.in(GW, "sysctl", "-qw", "net.ipv4.ip_forward=1");
  }

  async destroy(): Promise<void> {
    for (const ns of [this.device, this.gateway, this.server]) {
      await sh("ip", "netns", "del", ns).catch(() => {});
    }
  }

  /**
   * Starts an iperf3 server for one test and a client in the device
   * ("down": server to device, `-R`); resolves to the client's JSON report.
   */
  async iperf(
    direction: "down" | "up",
    seconds: number,
    extra: string[] = [],
  ): Promise<IperfReport> {
    const server = new Deno.Command("ip", {
      // -J: a client asking --get-server-output gets the server's report as JSON.
      args: ["netns", "exec", this.server, "iperf3", "-s", "-1", "-J", "-B", LAB.server],
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      // Waits until the server listens: polled, since iperf3 says nothing when it is ready.
      const listening = ["ss", "-ltnH", "sport", "=", ":5201"];
      for (let i = 0; i < 5000 && !(await this.in(this.server, ...listening)).trim(); i++);
      const args = ["iperf3", "-c", LAB.server, "-t", String(seconds), "-J", ...extra];
      const out = await this.in(this.device, ...args, ...(direction === "down" ? ["-R"] : []));
      return JSON.parse(out);
    } finally {
      try {
        server.kill("SIGKILL"); // after a failed client it would wait for ever
      } catch { /* ended after its one test */ }
      await server.status;
    }
  }
}

/** The part of iperf3's `-J` report the lab reads. */
export interface IperfReport {
  end: { sum_received: { bits_per_second: number } };
}

/** Goodput in Mbit/s from an iperf3 report. */
export function mbits(report: IperfReport): number {
  return report.end.sum_received.bits_per_second / 1e6;
}
