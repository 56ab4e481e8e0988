import { assertEquals } from "@std/assert";
import { readNeighbours } from "../../cli/neighbour_reader.ts";
import { type CommandRunner, NamespacedRunner, SystemCommandRunner } from "../../shaper/mod.ts";
import { hasCommand, isRoot, requireSystem, skipUnless } from "../_system.ts";

const available = isRoot() && hasCommand("ip");

async function ip(...args: string[]): Promise<void> {
  const out = await new SystemCommandRunner().run(["ip", ...args]);
  if (out.code !== 0) throw new Error(`ip ${args.join(" ")}: ${out.stderr.trim()}`);
}

Deno.test({
  name: "readNeighbours() reads the kernel's neighbour table through `ip neigh`, both families",
  ignore: skipUnless(available, "root with iproute2"),
  async fn() {
    requireSystem(available, "root with iproute2");
    const ns = `sluice-nb-${Deno.pid}`;
    await ip("netns", "add", ns);
    try {
      const inNs = (...args: string[]) => ip("-n", ns, ...args);
      await inNs("link", "add", "lan0", "type", "veth", "peer", "name", "lan1");
      await inNs("link", "set", "lan1", "up");
      await inNs("addr", "add", "192.168.77.1/24", "dev", "lan0");
      await inNs("addr", "add", "fd77::1/64", "dev", "lan0");
      await inNs("link", "set", "lan0", "up");
      await inNs(
        "neigh",
        "add",
        "192.168.77.7",
        "lladdr",
        "a4:83:e7:01:02:03",
        "dev",
        "lan0",
        "nud",
        "permanent",
      );
      await inNs(
        "neigh",
        "add",
        "fd77::7",
        "lladdr",
        "a4:83:e7:01:02:03",
        "dev",
        "lan0",
        "nud",
        "permanent",
      );
      const read = await readNeighbours({
        os: "linux",
        runner: new NamespacedRunner(ns),
        readTextFile: () => Promise.reject(new Error("not used")),
      });
      assertEquals(read.source, "ip neigh");
      assertEquals(read.error, undefined);
      assertEquals(read.entries.sort((a, b) => a.ip.localeCompare(b.ip)), [
        { ip: "192.168.77.7", mac: "a4:83:e7:01:02:03" },
        { ip: "fd77::7", mac: "a4:83:e7:01:02:03" },
      ]);
    } finally {
      await ip("netns", "del", ns).catch(() => {});
    }
  },
});

/** A runner where every program fails as if it were not installed. */
const nothingInstalled: CommandRunner = {
  run: (argv) =>
    Promise.resolve({ code: 127, stdout: "", stderr: `${argv[0]}: program not found` }),
};

Deno.test("readNeighbours() falls back to /proc/net/arp without iproute2", async () => {
  const read = await readNeighbours({
    os: "linux",
    runner: nothingInstalled,
    readTextFile: (path) =>
      Promise.resolve(
        path !== "/proc/net/arp" ? "" : "IP address  HW type  Flags  HW address  Mask  Device\n" +
          "192.168.1.1  0x1  0x2  3c:37:86:aa:bb:cc  *  eth0\n",
      ),
  });
  assertEquals(read, {
    source: "/proc/net/arp",
    entries: [{ ip: "192.168.1.1", mac: "3c:37:86:aa:bb:cc" }],
  });
});

Deno.test("readNeighbours() says why when no table can be read, and uses `arp -a` on Windows", async () => {
  const none = await readNeighbours({
    os: "linux",
    runner: nothingInstalled,
    readTextFile: () => Promise.reject(new Error("No such file or directory")),
  });
  assertEquals(none.entries, []);
  assertEquals(none.error, "ip: program not found; No such file or directory");
  const asked: string[] = [];
  const windows = await readNeighbours({
    os: "windows",
    runner: {
      run: (argv) => {
        asked.push(argv.join(" "));
        return Promise.resolve({
          code: 0,
          stdout:
            "Interface: 192.168.1.10 --- 0xb\r\n  192.168.1.1   3c-37-86-aa-bb-cc   dynamic\r\n",
          stderr: "",
        });
      },
    },
    readTextFile: () => Promise.reject(new Error("not used")),
  });
  assertEquals(asked, ["arp -a"]);
  assertEquals(windows.entries, [{ ip: "192.168.1.1", mac: "3c:37:86:aa:bb:cc" }]);
});
