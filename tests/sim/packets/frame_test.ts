import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  type Endpoint,
  frameLength,
  ipBytes,
  macBytes,
  MAX_DATAGRAM_V4,
  MAX_SEGMENT_V4,
  MAX_SEGMENT_V6,
  TCP_ACK,
  TCP_PSH,
  TCP_SYN,
  writeTcp,
  writeUdp,
} from "../../../sim/packets/frame.ts";

const PHONE: Endpoint = {
  mac: macBytes("02:00:00:00:00:07"),
  ip: ipBytes("192.168.1.7"),
  port: 51000,
};
const SERVER: Endpoint = {
  mac: macBytes("02:00:00:00:00:01"),
  ip: ipBytes("198.51.100.10"),
  port: 443,
};
const PHONE6: Endpoint = { mac: PHONE.mac, ip: ipBytes("fd00::7"), port: 51000 };
const SERVER6: Endpoint = { mac: SERVER.mac, ip: ipBytes("2001:db8::10"), port: 443 };

const u16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const u32 = (b: Uint8Array, at: number) => ((u16(b, at) << 16) | u16(b, at + 2)) >>> 0;

/** The ones' complement sum of 16-bit words, folded: 0xffff over data that holds its checksum. */
function onesSum(...parts: (Uint8Array | number[])[]): number {
  let sum = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i += 2) sum += (p[i] << 8) | (p[i + 1] ?? 0);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** Whether the transport checksum of a whole captured frame verifies (pseudo-header included). */
function transportChecks(frame: Uint8Array, v6: boolean, proto: number): boolean {
  const ip = 14, l4 = ip + (v6 ? 40 : 20);
  const src = v6 ? frame.subarray(ip + 8, ip + 24) : frame.subarray(ip + 12, ip + 16);
  const dst = v6 ? frame.subarray(ip + 24, ip + 40) : frame.subarray(ip + 16, ip + 20);
  const length = frame.length - l4;
  return onesSum(src, dst, [0, proto, length >> 8, length & 255], frame.subarray(l4)) === 0xffff;
}

Deno.test("writeTcp() writes Ethernet, IPv4 and TCP headers and the payload", () => {
  const buf = new Uint8Array(200).fill(0xee);
  const payload = Uint8Array.of(1, 2, 3, 4, 5);
  const n = writeTcp(
    buf,
    10,
    PHONE,
    SERVER,
    0x01020304,
    0xfffffffe,
    TCP_ACK | TCP_PSH,
    payload,
    5,
    0x1234,
  );
  assertEquals(n, 14 + 20 + 20 + 5);
  const f = buf.subarray(10, 10 + n);
  assertEquals([...f.subarray(0, 6)], [...SERVER.mac]);
  assertEquals([...f.subarray(6, 12)], [...PHONE.mac]);
  assertEquals(u16(f, 12), 0x0800);
  assertEquals([f[14], f[15], u16(f, 16), u16(f, 18), u16(f, 20)], [0x45, 0, 45, 0x1234, 0x4000]);
  assertEquals([f[22], f[23]], [64, 6]); // TTL, TCP
  assertEquals(onesSum(f.subarray(14, 34)), 0xffff); // a valid header checksum
  assertEquals([...f.subarray(26, 34)], [...PHONE.ip, ...SERVER.ip]);
  assertEquals([u16(f, 34), u16(f, 36), u32(f, 38), u32(f, 42)], [
    51000,
    443,
    0x01020304,
    0xfffffffe,
  ]);
  assertEquals([f[46], f[47], u16(f, 48)], [0x50, 0x18, 65535]);
  assertEquals([...f.subarray(54)], [1, 2, 3, 4, 5]);
  assert(transportChecks(f, false, 6));
  assertEquals([buf[9], buf[10 + n]], [0xee, 0xee]); // nothing written outside the frame
});

Deno.test("writeTcp() claims payloadLength in IP but writes only what it is given", () => {
  const buf = new Uint8Array(100);
  const n = writeTcp(buf, 0, PHONE, SERVER, 1, 1, TCP_ACK, null, 64000);
  assertEquals(n, 54);
  assertEquals(u16(buf, 16), 20 + 20 + 64000);
  assertEquals(frameLength(PHONE, "tcp", 64000), 14 + 40 + 64000);
  assertEquals(u16(buf, 50), 0); // checksum left 0: the payload is not there to sum
  const part = writeTcp(buf, 0, PHONE, SERVER, 1, 1, TCP_ACK, Uint8Array.of(9, 9), 1448);
  assertEquals([part, u16(buf, 16), buf[54], buf[55]], [56, 1488, 9, 9]);
});

Deno.test("writeTcp() takes seq and ack modulo 2^32 and ipId modulo 2^16", () => {
  const buf = new Uint8Array(100);
  writeTcp(buf, 0, PHONE, SERVER, 2 ** 32 + 5, -1, TCP_ACK, null, 0, 0x10002);
  assertEquals([u32(buf, 38), u32(buf, 42), u16(buf, 18)], [5, 0xffffffff, 2]);
});

Deno.test("writeTcp() writes IPv6 when the addresses are 16 bytes", () => {
  const buf = new Uint8Array(200);
  const payload = new Uint8Array(33).fill(7);
  const n = writeTcp(buf, 0, PHONE6, SERVER6, 1, 0, TCP_SYN, payload, 33);
  assertEquals(n, frameLength(PHONE6, "tcp", 33));
  assertEquals(n, 14 + 40 + 20 + 33);
  assertEquals([u16(buf, 12), buf[14], u16(buf, 18), buf[20], buf[21]], [0x86dd, 0x60, 53, 6, 64]);
  assertEquals([...buf.subarray(22, 38)], [...PHONE6.ip]);
  assertEquals([...buf.subarray(38, 54)], [...SERVER6.ip]);
  assert(transportChecks(buf.subarray(0, n), true, 6));
  assertEquals(writeTcp(buf, 0, PHONE6, SERVER6, 1, 0, TCP_ACK, null, MAX_SEGMENT_V6), 74);
  assertEquals(u16(buf, 18), 65535);
});

Deno.test("writeUdp() writes UDP over IPv4 and IPv6 with a verifying checksum", () => {
  const buf = new Uint8Array(200);
  const payload = Uint8Array.of(0xde, 0xad, 0xbe); // odd length: padded in the sum
  const n = writeUdp(buf, 0, PHONE, SERVER, payload, 3, 7);
  assertEquals(n, 14 + 20 + 8 + 3);
  assertEquals([u16(buf, 16), buf[23], u16(buf, 34), u16(buf, 36), u16(buf, 38)], [
    31,
    17,
    51000,
    443,
    11,
  ]);
  assert(transportChecks(buf.subarray(0, n), false, 17));
  const m = writeUdp(buf, 0, PHONE6, SERVER6, payload, 3);
  assertEquals([m, u16(buf, 18), buf[20]], [14 + 40 + 8 + 3, 11, 17]);
  assert(u16(buf, 60) !== 0); // IPv6 UDP must carry a checksum
  assert(transportChecks(buf.subarray(0, m), true, 17));
  assertEquals(writeUdp(buf, 0, PHONE, SERVER, null, 1400), 42);
  assertEquals([u16(buf, 16), u16(buf, 38), u16(buf, 40)], [1428, 1408, 0]);
});

Deno.test("writeTcp() and writeUdp() accept the largest IPv4 payload and throw RangeError past it", () => {
  const buf = new Uint8Array(100);
  assertEquals(MAX_SEGMENT_V4, 65495);
  writeTcp(buf, 0, PHONE, SERVER, 0, 0, TCP_ACK, null, MAX_SEGMENT_V4);
  assertEquals(u16(buf, 16), 65535);
  assertThrows(
    () => writeTcp(buf, 0, PHONE, SERVER, 0, 0, TCP_ACK, null, MAX_SEGMENT_V4 + 1),
    RangeError,
    "payloadLength",
  );
  writeUdp(buf, 0, PHONE, SERVER, null, MAX_DATAGRAM_V4);
  assertThrows(() => writeUdp(buf, 0, PHONE, SERVER, null, MAX_DATAGRAM_V4 + 1), RangeError);
  assertThrows(
    () => writeTcp(buf, 0, PHONE6, SERVER6, 0, 0, TCP_ACK, null, MAX_SEGMENT_V6 + 1),
    RangeError,
  );
});

Deno.test("writeTcp() throws a RangeError naming the bad argument", () => {
  const buf = new Uint8Array(100);
  const cases: [() => unknown, string][] = [
    [() => writeTcp(buf, 0, PHONE, SERVER6, 0, 0, 0, null, 0), "dst.ip"],
    [
      () => writeTcp(buf, 0, { ...PHONE, ip: new Uint8Array(5) }, SERVER, 0, 0, 0, null, 0),
      "src.ip",
    ],
    [
      () => writeTcp(buf, 0, { ...PHONE, mac: new Uint8Array(5) }, SERVER, 0, 0, 0, null, 0),
      "src.mac",
    ],
    [
      () => writeTcp(buf, 0, PHONE, { ...SERVER, mac: new Uint8Array(8) }, 0, 0, 0, null, 0),
      "dst.mac",
    ],
    [() => writeTcp(buf, 0, { ...PHONE, port: 65536 }, SERVER, 0, 0, 0, null, 0), "src.port"],
    [() => writeTcp(buf, 0, PHONE, { ...SERVER, port: -1 }, 0, 0, 0, null, 0), "dst.port"],
    [() => writeTcp(buf, 0, PHONE, { ...SERVER, port: 1.5 }, 0, 0, 0, null, 0), "dst.port"],
    [() => writeTcp(buf, 0, PHONE, SERVER, 0, 0, 0, new Uint8Array(10), 9), "payloadLength"],
    [() => writeTcp(buf, 50, PHONE, SERVER, 0, 0, 0, null, 0), "buf"],
    [() => writeUdp(buf, 0, PHONE, SERVER, new Uint8Array(60), 60), "buf"],
  ];
  for (const [fn, name] of cases) {
    const error = assertThrows(fn, RangeError) as RangeError;
    assert(error.message.startsWith(name), error.message);
    assert(!error.message.includes("\n"));
  }
});

Deno.test("writeTcp() writes frames back to back into one buffer", () => {
  const buf = new Uint8Array(1 << 16);
  const payload = new Uint8Array(100);
  let at = 0;
  for (let i = 0; at + 154 <= buf.length; i++) {
    at += writeTcp(buf, at, PHONE, SERVER, i * 100, 0, TCP_ACK, payload, 100, i);
  }
  assertEquals(at, Math.floor(buf.length / 154) * 154);
});

Deno.test("frameLength() adds the Ethernet, IP and transport headers", () => {
  assertEquals(frameLength(PHONE, "tcp", 0), 54);
  assertEquals(frameLength(PHONE, "udp", 1200), 1242);
  assertEquals(frameLength(PHONE6, "tcp", 1440), 1514);
  assertEquals(frameLength(PHONE6, "udp", 0), 62);
});

Deno.test("macBytes() reads colon-separated MACs and throws TypeError otherwise", () => {
  assertEquals(macBytes("AA:bb:0c:dd:ee:ff"), Uint8Array.of(0xaa, 0xbb, 0x0c, 0xdd, 0xee, 0xff));
  for (
    const bad of [
      "",
      "aa:bb:cc:dd:ee",
      "aa:bb:cc:dd:ee:ff:00",
      "aa-bb-cc-dd-ee-ff",
      "gg:bb:cc:dd:ee:ff",
    ]
  ) {
    assertThrows(() => macBytes(bad), TypeError, "mac");
  }
});

Deno.test("ipBytes() reads IPv4 and IPv6 text and throws TypeError otherwise", () => {
  assertEquals(ipBytes("10.0.0.255"), Uint8Array.of(10, 0, 0, 255));
  assertEquals(
    ipBytes("fd00::7"),
    Uint8Array.of(0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7),
  );
  assertEquals(ipBytes("::ffff:192.0.2.1").subarray(10), Uint8Array.of(0xff, 0xff, 192, 0, 2, 1));
  for (
    const bad of ["", "256.1.1.1", "1.2.3", "fe80::1%eth0", "1:2:3:4:5:6:7:8:9", "example.com"]
  ) {
    assertThrows(() => ipBytes(bad), TypeError, "ip");
  }
});
