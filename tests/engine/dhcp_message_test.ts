import { assertEquals } from "@std/assert";
import { parseDhcpMessage } from "../../engine/dhcp_message.ts";
import { concat, ipBytes, mac, prng } from "./_packets.ts";

const COOKIE = [0x63, 0x82, 0x53, 0x63];

/** Text as latin1 bytes. */
function bytes(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

/** One option: code, length, value (text as latin1 bytes). */
function opt(code: number, value: string | readonly number[]): number[] {
  const data = typeof value === "string" ? bytes(value) : value;
  return [code, data.length, ...data];
}

interface Fixed {
  op?: number;
  htype?: number;
  hlen?: number;
  chaddr?: string;
  ciaddr?: string;
  yiaddr?: string;
  sname?: readonly number[];
  file?: readonly number[];
}

/** The 236-byte BOOTP header, the magic cookie and the options as given (no End added). */
function dhcp(f: Fixed, options: readonly number[], cookie = COOKIE): Uint8Array {
  const fixed = new Uint8Array(236);
  fixed.set([f.op ?? 1, f.htype ?? 1, f.hlen ?? 6, 0, 0x12, 0x34, 0x56, 0x78]);
  fixed.set(ipBytes(f.ciaddr ?? "0.0.0.0"), 12);
  fixed.set(ipBytes(f.yiaddr ?? "0.0.0.0"), 16);
  fixed.set(mac(f.chaddr ?? "d8:30:62:56:00:1c"), 28);
  fixed.set(f.sname ?? [], 44);
  fixed.set(f.file ?? [], 108);
  return concat(fixed, cookie, options);
}

Deno.test("parseDhcpMessage() reads a client's DISCOVER", () => {
  const message = parseDhcpMessage(dhcp({}, [
    ...opt(53, [1]),
    ...opt(55, [1, 121, 3, 6, 15, 119, 252]),
    ...opt(50, [192, 168, 3, 237]),
    ...opt(60, "MSFT 5.0"),
    ...opt(12, "Lucas-iMac"),
    255,
  ]));
  assertEquals(message, {
    op: 1,
    messageType: 1,
    chaddr: "d8:30:62:56:00:1c",
    ciaddr: "0.0.0.0",
    yiaddr: "0.0.0.0",
    requestedIp: "192.168.3.237",
    hostname: "lucas-imac",
    vendorClass: "MSFT 5.0",
    clientFqdn: null,
    parameterRequestList: [1, 121, 3, 6, 15, 119, 252],
  });
});

Deno.test("parseDhcpMessage() reads a server's ACK", () => {
  const message = parseDhcpMessage(dhcp(
    { op: 2, ciaddr: "10.0.2.15", yiaddr: "10.0.2.16", chaddr: "08:00:27:E6:E5:59" },
    [...opt(53, [5]), ...opt(54, [10, 0, 2, 2]), 255],
  ));
  assertEquals(message?.op, 2);
  assertEquals(message?.messageType, 5);
  assertEquals(message?.ciaddr, "10.0.2.15");
  assertEquals(message?.yiaddr, "10.0.2.16");
  assertEquals(message?.chaddr, "08:00:27:e6:e5:59");
  assertEquals(message?.hostname, null);
  assertEquals(message?.parameterRequestList, null);
});

Deno.test("parseDhcpMessage() gives chaddr only for Ethernet addresses", () => {
  assertEquals(parseDhcpMessage(dhcp({ htype: 6 }, [255]))?.chaddr, null);
  assertEquals(parseDhcpMessage(dhcp({ hlen: 16 }, [255]))?.chaddr, null);
});

Deno.test("parseDhcpMessage() gives a plain BOOTP message no message type", () => {
  const message = parseDhcpMessage(dhcp({}, [...opt(12, "printer"), 255]));
  assertEquals(message?.messageType, null);
  assertEquals(message?.hostname, "printer");
});

Deno.test("parseDhcpMessage() cleans up text options", () => {
  const parse = (value: string | number[]) => parseDhcpMessage(dhcp({}, opt(12, value)));
  assertEquals(parse("Joanna-PC\0\0")?.hostname, "joanna-pc");
  assertEquals(parse("  kevin-PC \0")?.hostname, "kevin-pc");
  assertEquals(parse([0x63, 0x61, 0x66, 0xe9])?.hostname, "café"); // latin1
  assertEquals(parse("\0\0\0")?.hostname, null);
  assertEquals(parse("")?.hostname, null);
  assertEquals(parse("bad\x01name")?.hostname, null);
  const vendor = parseDhcpMessage(dhcp({}, opt(60, "android-dhcp-9\0")));
  assertEquals(vendor?.vendorClass, "android-dhcp-9");
});

Deno.test("parseDhcpMessage() reads option 81 in ASCII and in wire format", () => {
  const fqdn = (name: readonly number[], flags = 0) =>
    parseDhcpMessage(dhcp({}, opt(81, [flags, 0, 0, ...name])))?.clientFqdn;
  const wire = [4, ...bytes("Host"), 7, ...bytes("Example"), 3, ...bytes("com"), 0];
  assertEquals(fqdn(bytes("MSEDGEWIN10")), "msedgewin10");
  assertEquals(fqdn(bytes("d002465.")), "d002465");
  assertEquals(fqdn(wire, 0x05), "host.example.com");
  assertEquals(fqdn(wire.slice(0, 5), 0x04), "host"); // a partial name, no final zero
  assertEquals(fqdn(wire, 0x01), "host.example.com"); // E flag missing, still wire format
  assertEquals(fqdn(bytes("laptop.corp"), 0x04), "laptop.corp"); // E flag set, still ASCII
  assertEquals(fqdn([]), null);
  assertEquals(fqdn([0]), null);
  assertEquals(fqdn([0xc0, 0x0c], 0x04), null); // no compression pointers
  assertEquals(parseDhcpMessage(dhcp({}, opt(81, [0, 0])))?.clientFqdn, null);
});

Deno.test("parseDhcpMessage() joins an option split in several (RFC 3396)", () => {
  const message = parseDhcpMessage(dhcp({}, [
    ...opt(12, "long-"),
    ...opt(55, [1, 3]),
    ...opt(12, "name"),
    ...opt(55, [6]),
    255,
  ]));
  assertEquals(message?.hostname, "long-name");
  assertEquals(message?.parameterRequestList, [1, 3, 6]);
});

Deno.test("parseDhcpMessage() follows option overload into file and sname", () => {
  const message = parseDhcpMessage(dhcp({
    file: [...opt(12, "from-file"), 255],
    sname: [...opt(60, "from-sname"), 255],
  }, [...opt(53, [3]), ...opt(52, [3]), 255]));
  assertEquals(message?.hostname, "from-file");
  assertEquals(message?.vendorClass, "from-sname");
  const plain = parseDhcpMessage(dhcp({ file: [...opt(12, "boot.pxe"), 255] }, [255]));
  assertEquals(plain?.hostname, null); // without option 52, file is a file name
});

Deno.test("parseDhcpMessage() skips Pad and stops at End", () => {
  const message = parseDhcpMessage(dhcp({}, [
    0,
    0,
    ...opt(53, [8]),
    0,
    255,
    ...opt(12, "after-end"),
  ]));
  assertEquals(message?.messageType, 8);
  assertEquals(message?.hostname, null);
});

Deno.test("parseDhcpMessage() keeps the options read before a truncated one", () => {
  const full = dhcp({}, [...opt(53, [1]), ...opt(12, "shen"), ...opt(60, "dhcpcd-5.5.6"), 255]);
  const cut = full.subarray(0, full.length - 6); // inside option 60
  const message = parseDhcpMessage(cut);
  assertEquals(message?.messageType, 1);
  assertEquals(message?.hostname, "shen");
  assertEquals(message?.vendorClass, null);
  assertEquals(parseDhcpMessage(dhcp({}, [53]))?.messageType, null); // code without length
  assertEquals(parseDhcpMessage(dhcp({}, []))?.messageType, null); // no options at all
});

Deno.test("parseDhcpMessage() gives null without the fixed header and magic cookie", () => {
  const good = dhcp({}, [...opt(53, [1]), 255]);
  assertEquals(parseDhcpMessage(good)?.messageType, 1);
  assertEquals(parseDhcpMessage(good.subarray(0, 239)), null);
  assertEquals(parseDhcpMessage(new Uint8Array()), null);
  assertEquals(parseDhcpMessage(dhcp({}, [255], [0x63, 0x82, 0x53, 0x64])), null);
  assertEquals(parseDhcpMessage(dhcp({ op: 3 }, [255])), null);
  assertEquals(parseDhcpMessage(dhcp({ op: 0 }, [255])), null);
});

Deno.test("parseDhcpMessage() does not throw on random bytes", () => {
  const random = prng(67);
  for (let i = 0; i < 2000; i++) {
    const options = Array.from({ length: random.int(80) }, () => random.int(256));
    const bytes = dhcp({ op: 1 + random.int(2) }, options);
    parseDhcpMessage(bytes.subarray(0, 200 + random.int(bytes.length - 199)));
    parseDhcpMessage(Uint8Array.from({ length: random.int(400) }, () => random.int(256)));
  }
});
