import { listInterfaces } from "../capture/mod.ts";
import { parseArgs } from "./args.ts";

export const INTERFACES_HELP = `sluice interfaces [--json]

Lists the devices libpcap can capture on, with their state and addresses.
Use a name with "sluice run --iface NAME".

Options:
  --json      print JSON instead of a list
  -h, --help  this help`;

/** `sluice interfaces`: returns the exit code. */
export function interfacesCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { command: "sluice interfaces", flags: ["json"] });
  const list = listInterfaces();
  if (args.flags.has("json")) {
    console.log(JSON.stringify(list, null, 2));
    return Promise.resolve(0);
  }
  for (const dev of list) {
    const state = [
      dev.up ? "up" : "down",
      dev.running ? "running" : "",
      dev.loopback ? "loopback" : "",
      dev.wireless ? "wireless" : "",
    ]
      .filter(Boolean).join(", ");
    console.log(`${dev.name}${dev.description ? ` (${dev.description})` : ""}: ${state}`);
    for (const a of dev.addresses) {
      console.log(
        `    ${a.family.padEnd(6)} ${a.address}${a.netmask ? ` netmask ${a.netmask}` : ""}`,
      );
    }
  }
  return Promise.resolve(0);
}
