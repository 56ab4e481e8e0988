import { assertEquals } from "@std/assert";
import { parseCollectdPacket } from "../../engine/collectd_packet.ts";
import { concat, prng, u16, u32 } from "./_packets.ts";

const text = (s: string) => new TextEncoder().encode(s);

/** A part: type, length counting the 4-byte header, value. */
function part(type: number, value: Uint8Array | readonly number[]): Uint8Array {
  return concat(u16(type), u16(4 + value.length), value);
}
const string = (type: number, s: string) => part(type, text(`${s}\0`));

/** The start of a datagram as collectd 5 sends it: host, time, interval, then a value list. */
function datagram(host = "devlap.fritz.box"): Uint8Array {
  return concat(
    string(0x0000, host),
    part(0x0008, [...u32(0x18aa8748), ...u32(0x08818df4)]),
    part(0x0009, [...u32(2), ...u32(0x80000000)]),
    string(0x0002, "cpu"),
    string(0x0003, "1"),
    string(0x0004, "cpu"),
    string(0x0005, "steal"),
    part(0x0006, [0, 1, 2, ...new Array(8).fill(0)]),
  );
}

Deno.test("parseCollectdPacket() reads the HOST part", () => {
  assertEquals(parseCollectdPacket(datagram()), {
    host: "devlap.fritz.box",
    username: null,
    encrypted: false,
  });
  assertEquals(parseCollectdPacket(datagram("DevLap.Fritz.Box"))?.host, "devlap.fritz.box");
});

Deno.test("parseCollectdPacket() needs three good parts, wherever the datagram goes bad", () => {
  const good = datagram();
  // The fourth part claims more bytes than there are: the first three still count.
  const bad = good.slice();
  const fourth = 21 + 12 + 20;
  bad.set(u16(0xffff), fourth + 2);
  assertEquals(parseCollectdPacket(bad)?.host, "devlap.fritz.box");
  // A HOST part that overruns the datagram leaves nothing to read.
  const badHost = good.slice();
  badHost.set(u16(0xffff), 2);
  assertEquals(parseCollectdPacket(badHost), null);
  // Two parts are not enough to tell collectd from chance.
  assertEquals(parseCollectdPacket(good.subarray(0, fourth - 20)), null);
});

Deno.test("parseCollectdPacket() gives a null host when the HOST part is absent or not text", () => {
  const noHost = datagram().subarray(21);
  assertEquals(parseCollectdPacket(noHost)?.host, null);
  const binary = concat(part(0x0000, [1, 2, 3, 0]), datagram().subarray(21));
  assertEquals(parseCollectdPacket(binary)?.host, null);
});

Deno.test("parseCollectdPacket() reads the user of signed and encrypted datagrams", () => {
  const signed = concat(part(0x0200, [...new Array(32).fill(0xaa), ...text("user")]), datagram());
  assertEquals(parseCollectdPacket(signed), {
    host: "devlap.fritz.box",
    username: "user",
    encrypted: false,
  });
  const sealed = concat(
    u16(0x0210),
    u16(4 + 2 + 4 + 16 + 40),
    u16(4),
    text("user"),
    new Uint8Array(56),
  );
  assertEquals(parseCollectdPacket(sealed), { host: null, username: "user", encrypted: true });
  // An encrypted part must fill the datagram.
  assertEquals(parseCollectdPacket(concat(sealed, [0])), null);
  const hugeName = sealed.slice();
  hugeName.set(u16(0xffff), 4);
  assertEquals(parseCollectdPacket(hugeName), null);
});

Deno.test("parseCollectdPacket() gives null for truncated and foreign bytes", () => {
  assertEquals(parseCollectdPacket(new Uint8Array(0)), null);
  assertEquals(parseCollectdPacket(datagram().subarray(0, 7)), null);
  assertEquals(parseCollectdPacket(text("GET / HTTP/1.1\r\nHost: devlap\r\n\r\n")), null);
  assertEquals(parseCollectdPacket(Uint8Array.of(0x00, 0x01, 0x00, 0x00, 0, 0, 0, 0, 0, 0)), null);
  // Unknown part types stop the walk.
  assertEquals(parseCollectdPacket(concat(part(0x0042, [1, 2, 3, 4]), datagram())), null);
});

Deno.test("parseCollectdPacket() never throws on mutated datagrams", () => {
  const random = prng(25826);
  const base = datagram();
  for (let i = 0; i < 5000; i++) {
    const bytes = base.slice(0, 1 + random.int(base.length));
    for (let k = 0; k < 3; k++) bytes[random.int(bytes.length)] = random.int(256);
    parseCollectdPacket(bytes);
  }
});
