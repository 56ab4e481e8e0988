import { assertEquals } from "@std/assert";
import { parseArpA, parseIpNeigh, parseProcNetArp } from "../../../engine/devices/mod.ts";

Deno.test("parseIpNeigh() reads `ip neigh` and skips incomplete and failed entries", () => {
  const text = [
    "192.168.1.1 dev eth0 lladdr 3c:37:86:aa:bb:cc REACHABLE",
    "192.168.1.23 dev eth0 lladdr A4:83:E7:01:02:03 STALE",
    "192.168.1.99 dev eth0  FAILED",
    "192.168.1.50 dev eth0  INCOMPLETE",
    "192.168.1.51 dev eth0 lladdr 3a:11:22:33:44:55 INCOMPLETE",
    "172.17.0.2 dev docker0 lladdr 02:42:ac:11:00:02 DELAY",
    "192.168.1.255 dev eth0 lladdr ff:ff:ff:ff:ff:ff PERMANENT",
    "fe80::3e37:86ff:feaa:bbcc dev eth0 lladdr 3c:37:86:aa:bb:cc router REACHABLE",
    "2001:0db8:0001:0000:0000:0000:0000:0023 dev eth0 lladdr a4:83:e7:01:02:03 STALE",
    "fe80::1 dev eth0 FAILED",
    "",
  ].join("\n");
  assertEquals(parseIpNeigh(text), [
    { ip: "192.168.1.1", mac: "3c:37:86:aa:bb:cc" },
    { ip: "192.168.1.23", mac: "a4:83:e7:01:02:03" },
    { ip: "172.17.0.2", mac: "02:42:ac:11:00:02" },
    { ip: "fe80::3e37:86ff:feaa:bbcc", mac: "3c:37:86:aa:bb:cc" },
    { ip: "2001:db8:1::23", mac: "a4:83:e7:01:02:03" },
  ]);
});

Deno.test("parseProcNetArp() reads /proc/net/arp and skips entries without ATF_COM", () => {
  const text = "IP address       HW type     Flags       HW address            Mask     Device\n" +
    "192.168.1.1      0x1         0x2         3c:37:86:aa:bb:cc     *        eth0\n" +
    "192.168.1.50     0x1         0x0         00:00:00:00:00:00     *        eth0\n" +
    "192.168.1.23     0x1         0x6         a4:83:e7:01:02:03     *        eth0\n" +
    "10.8.0.7         0x1         0x2         00:00:00:00:00:00     *        tun0\n";
  assertEquals(parseProcNetArp(text), [
    { ip: "192.168.1.1", mac: "3c:37:86:aa:bb:cc" },
    { ip: "192.168.1.23", mac: "a4:83:e7:01:02:03" },
  ]);
});

Deno.test("parseArpA() reads Windows `arp -a`, in any language", () => {
  const english = "\r\nInterface: 192.168.1.10 --- 0xb\r\n" +
    "  Internet Address      Physical Address      Type\r\n" +
    "  192.168.1.1           3c-37-86-aa-bb-cc     dynamic   \r\n" +
    "  192.168.1.23          a4-83-e7-01-02-03     dynamic   \r\n" +
    "  192.168.1.255         ff-ff-ff-ff-ff-ff     static    \r\n" +
    "  224.0.0.22            01-00-5e-00-00-16     static    \r\n" +
    "  239.255.255.250       01-00-5e-7f-ff-fa     static    \r\n";
  const german = "\r\nSchnittstelle: 192.168.1.10 --- 0xb\r\n" +
    "  Internetadresse       Physische Adresse     Typ\r\n" +
    "  192.168.1.1           3c-37-86-aa-bb-cc     dynamisch \r\n";
  assertEquals(parseArpA(english), [
    { ip: "192.168.1.1", mac: "3c:37:86:aa:bb:cc" },
    { ip: "192.168.1.23", mac: "a4:83:e7:01:02:03" },
  ]);
  assertEquals(parseArpA(german), [{ ip: "192.168.1.1", mac: "3c:37:86:aa:bb:cc" }]);
});

Deno.test("parseArpA() reads BSD, macOS and net-tools `arp -a` with host names", () => {
  const macos = [
    "? (192.168.1.1) at 3c:37:86:aa:bb:cc on en0 ifscope [ethernet]",
    "lucas-mbp.fritz.box (192.168.1.23) at a4:83:e7:1:2:3 on en0 ifscope [ethernet]",
    "? (192.168.1.50) at (incomplete) on en0 ifscope [ethernet]",
    "? (192.168.1.255) at ff:ff:ff:ff:ff:ff on en0 ifscope [ethernet]",
    "? (224.0.0.251) at 1:0:5e:0:0:fb on en0 ifscope permanent [ethernet]",
  ].join("\n");
  assertEquals(parseArpA(macos), [
    { ip: "192.168.1.1", mac: "3c:37:86:aa:bb:cc" },
    { ip: "192.168.1.23", mac: "a4:83:e7:01:02:03", name: "lucas-mbp.fritz.box" },
  ]);
  const netTools = "gateway (192.168.1.1) at 3c:37:86:aa:bb:cc [ether] on eth0\n" +
    "? (192.168.1.60) at <incomplete> on eth0\n";
  assertEquals(parseArpA(netTools), [{
    ip: "192.168.1.1",
    mac: "3c:37:86:aa:bb:cc",
    name: "gateway",
  }]);
  assertEquals(parseArpA("no entries\n"), []);
});
