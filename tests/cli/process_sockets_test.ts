import { assertEquals } from "@std/assert";
import { commandLine, parseProcAddress, parseProcNet, socketInode } from "../../cli/_proc_net.ts";
import { ProcessSockets, type ProcFs } from "../../cli/process_sockets.ts";

// Captured from a Linux host (x86-64, so words print little-endian).
const TCP_SAMPLE =
  `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 609 1 0000000048f27b58 100 0 0 10 0
   1: 0100007F:8CEA 0100007F:99AF 06 00000000:00000000 03:00000A3F 00000000     0        0 0 3 0000000083e55bee
   2: 0501A8C0:A5F2 22D8B85D:01BB 01 00000000:00000000 02:000004B5 00000000  1000        0 77123 2 00000000a1b2c3d4 20 4 30 10 -1
`;
const TCP6_SAMPLE =
  `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 15702 1 0000000000000000 100 0 0 10 0
   1: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:D0A2 01 00000000:00000000 00:00000000 00000000  1000        0 88001 1 0000000000000000 20 4 0 10 -1
   2: B80D0120000000000000000001000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 15800 1 0000000000000000 100 0 0 10 0
`;

Deno.test("parseProcAddress() reads IPv4 words in host byte order", () => {
  assertEquals(parseProcAddress("0100007F:0035", true), {
    version: 4,
    words: [0x7f000001, 0, 0, 0],
    port: 53,
  });
  assertEquals(parseProcAddress("7F000001:0035", false)?.words[0], 0x7f000001);
  assertEquals(parseProcAddress("0501A8C0:A5F2", true)?.words[0], 0xc0a80105); // 192.168.1.5
  assertEquals(parseProcAddress("nonsense", true), null);
});

Deno.test("parseProcAddress() reads IPv6 word by word and IPv4-mapped ones as IPv4", () => {
  // 2001:db8::1 prints as its four words, each little-endian.
  assertEquals(parseProcAddress("B80D0120000000000000000001000000:01BB", true), {
    version: 6,
    words: [0x20010db8, 0, 0, 1],
    port: 443,
  });
  assertEquals(parseProcAddress("0000000000000000FFFF00000100007F:1F90", true), {
    version: 4,
    words: [0x7f000001, 0, 0, 0],
    port: 8080,
  });
});

Deno.test("parseProcNet() gives every socket row with its state and inode", () => {
  const rows = parseProcNet(TCP_SAMPLE, 6, true);
  assertEquals(rows.length, 3);
  assertEquals(rows[0], {
    protocol: 6,
    version: 4,
    local: [0, 0, 0, 0],
    localPort: 2024,
    remote: [0, 0, 0, 0],
    remotePort: 0,
    state: 10,
    inode: 609,
  });
  assertEquals([rows[1].state, rows[1].inode], [6, 0]); // TIME_WAIT: no process holds it
  assertEquals([rows[2].remote[0], rows[2].remotePort, rows[2].inode], [0x5db8d822, 443, 77123]);
  const six = parseProcNet(TCP6_SAMPLE, 6, true);
  assertEquals(six.map((r) => [r.version, r.localPort, r.inode]), [
    [6, 22, 15702],
    [4, 8080, 88001],
    [
      6,
      443,
      15800,
    ],
  ]);
});

Deno.test("socketInode() and commandLine() read /proc/PID/fd links and cmdline", () => {
  assertEquals(socketInode("socket:[77123]"), 77123);
  assertEquals(socketInode("pipe:[12]"), null);
  assertEquals(socketInode("/dev/null"), null);
  assertEquals(commandLine("curl\0-s\0https://example.com\0"), "curl -s https://example.com");
  assertEquals(commandLine(""), null);
});

/** A /proc with files and links set by the test. */
function fakeProc(files: Record<string, string>, links: Record<string, string>) {
  const reads: string[] = [];
  const fs: ProcFs = {
    readText(path) {
      reads.push(path);
      return files[path] ?? null;
    },
    list(path) {
      const names = new Set<string>();
      for (const p of [...Object.keys(files), ...Object.keys(links)]) {
        if (p.startsWith(`${path}/`)) names.add(p.slice(path.length + 1).split("/")[0]);
      }
      return [...names];
    },
    readLink: (path) => links[path] ?? null,
  };
  return { fs, reads };
}

const v4 = (n: number) => Uint32Array.of(n, 0, 0, 0);

Deno.test("ProcessSockets.resolve() finds a socket's process by both ends, then by its own", () => {
  const { fs } = fakeProc({
    "/proc/net/tcp": TCP_SAMPLE,
    "/proc/net/tcp6": TCP6_SAMPLE,
    "/proc/4321/comm": "curl\n",
    "/proc/4321/cmdline": "curl\0-s\0https://example.com\0",
    "/proc/1/comm": "sshd\n",
    "/proc/1/cmdline": "sshd: /usr/sbin/sshd -D\0",
  }, {
    "/proc/4321/fd/5": "socket:[77123]",
    "/proc/1/fd/3": "socket:[15702]",
    "/proc/1/fd/0": "/dev/null",
  });
  let now = 0;
  const sockets = new ProcessSockets({ fs, now: () => now, addresses: () => ["192.168.1.5"] });
  const curl = sockets.resolve(6, 4, v4(0xc0a80105), 0xa5f2, v4(0x5db8d822), 443);
  assertEquals(curl, 0);
  assertEquals(sockets.info(0), {
    pid: 4321,
    name: "curl",
    command: "curl -s https://example.com",
  });
  // An inbound connection to sshd's wildcard listener (IPv6 ::, dual stack).
  assertEquals(sockets.resolve(6, 4, v4(0xc0a80105), 22, v4(0x0a000002), 50000), 1);
  assertEquals(sockets.info(1)?.pid, 1);
  assertEquals(sockets.resolve(6, 4, v4(0xc0a80105), 0xa5f2, v4(0x5db8d822), 443), 0); // same id
  assertEquals(sockets.idsOf(4321), [0]);
  // Not this host's address: no socket asked for, even on a listened port.
  assertEquals(sockets.resolve(6, 4, v4(0x08080808), 22, v4(0xc0a80105), 50000), null);
  // ICMP has no socket table here.
  now = 10_000;
  assertEquals(sockets.resolve(1, 4, v4(0xc0a80105), 0, v4(0x08080808), 0), null);
});

Deno.test("ProcessSockets.resolve() reads /proc again on a miss, at most every refreshMs", () => {
  const files: Record<string, string> = { "/proc/net/tcp": TCP_SAMPLE, "/proc/9/comm": "nc\n" };
  const links: Record<string, string> = {};
  const { fs } = fakeProc(files, links);
  let now = 1000;
  const sockets = new ProcessSockets({ fs, now: () => now, refreshMs: 250, addresses: () => [] });
  const ask = () => sockets.resolve(6, 4, v4(0x7f000001), 40000, v4(0x7f000001), 9000);
  assertEquals(ask(), null);
  assertEquals(sockets.stats.tableReads, 1);
  // A short-lived connection appears: not seen until the refresh interval passed.
  files["/proc/net/tcp"] +=
    "   3: 0100007F:9C40 0100007F:2328 01 00000000:00000000 00:00000000 00000000     0        0 5555 1 0 20 4 30 10 -1\n";
  links["/proc/9/fd/4"] = "socket:[5555]";
  now += 100;
  assertEquals(ask(), null);
  assertEquals(sockets.stats.tableReads, 1);
  now += 200;
  assertEquals(ask(), 0);
  assertEquals([sockets.stats.tableReads, sockets.stats.fdScans], [2, 1]);
  // Found now: asking again reads nothing.
  now += 1000;
  assertEquals(ask(), 0);
  assertEquals([sockets.stats.tableReads, sockets.stats.fdScans], [2, 1]);
});

Deno.test("ProcessSockets gives the ids of processes gone to new ones, releasing them", () => {
  const files: Record<string, string> = {
    "/proc/net/udp": `  sl  local_address rem_address   st
   0: 0100007F:1000 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 100 2 0 0
   1: 0100007F:2000 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 200 2 0 0
`,
    "/proc/10/comm": "a\n",
    "/proc/20/comm": "b\n",
  };
  const { fs } = fakeProc(files, {
    "/proc/10/fd/3": "socket:[100]",
    "/proc/20/fd/3": "socket:[200]",
  });
  const released: number[] = [];
  const sockets = new ProcessSockets({
    fs,
    now: () => 0,
    refreshMs: 0,
    maxProcesses: 1,
    addresses: () => [],
    release: (id) => released.push(id),
  });
  const ask = (port: number) => sockets.resolve(17, 4, v4(0x7f000001), port, v4(0x7f000001), 9);
  assertEquals(ask(0x1000), 0);
  assertEquals(ask(0x2000), null); // every id taken by a live process
  delete files["/proc/10/comm"]; // process 10 exits
  assertEquals(ask(0x2000), 0);
  assertEquals(released, [0]);
  assertEquals(sockets.info(0)?.name, "b");
});
