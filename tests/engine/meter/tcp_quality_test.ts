// TcpQuality: handshake RTTs and retransmissions, per flow.
import { assert, assertEquals, assertThrows } from "@std/assert";
import { TcpEvent, TcpQuality } from "../../../engine/meter/tcp_quality.ts";

const FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;
const CLIENT = true, SERVER = false;
const { SEGMENT, RETRANSMIT, HANDSHAKE } = TcpEvent;

function near(actual: number, expected: number, msg?: string): void {
  assert(Math.abs(actual - expected) < 1e-9, `${msg ?? ""} ${actual} is not ${expected}`);
}

/** A handshake on `flow`: SYN at t0, SYN-ACK at t1, ACK at t2; returns the ACK's events. */
function handshake(tcp: TcpQuality, flow: number, t0: number, t1: number, t2: number): number {
  tcp.packet(flow, CLIENT, SYN, 1000, 0, t0);
  tcp.packet(flow, SERVER, SYN | ACK, 7000, 0, t1);
  return tcp.packet(flow, CLIENT, ACK, 1001, 0, t2);
}

Deno.test("TcpQuality measures a LAN client's connection out: WAN = SYN to SYN-ACK", () => {
  const tcp = new TcpQuality(8);
  assertEquals(handshake(tcp, 2, 100.000, 100.045, 100.046), HANDSHAKE);
  near(tcp.handshake[4], 0.045);
  near(tcp.handshake[5], 0.001);
  assertEquals(tcp.synSide[2], 0);
  // The client (side 0) is the LAN device.
  near(tcp.wanRtt(2, 0), 0.045, "wan");
  near(tcp.lanRtt(2, 0), 0.001, "lan");
});

Deno.test("TcpQuality measures a connection in to a LAN server: LAN = SYN to SYN-ACK", () => {
  const tcp = new TcpQuality(8);
  assertEquals(handshake(tcp, 5, 50.0, 50.002, 50.090), HANDSHAKE);
  // The server (side 1) is the LAN device.
  near(tcp.lanRtt(5, 1), 0.002, "lan");
  near(tcp.wanRtt(5, 1), 0.088, "wan");
});

Deno.test("TcpQuality measures a handshake opened by the side the flow table calls its server", () => {
  const tcp = new TcpQuality(4);
  tcp.packet(0, SERVER, SYN, 1, 0, 1.0);
  tcp.packet(0, CLIENT, SYN | ACK, 2, 0, 1.5);
  assertEquals(tcp.packet(0, SERVER, ACK | PSH, 2, 10, 1.6), HANDSHAKE | SEGMENT);
  assertEquals(tcp.synSide[0], 1);
  near(tcp.wanRtt(0, 1), 0.5);
  near(tcp.lanRtt(0, 1), 0.1);
});

Deno.test("TcpQuality takes no sample from repeated SYNs or SYN-ACKs, RSTs or flows met mid-way", () => {
  const tcp = new TcpQuality(8);
  // A SYN sent twice: the SYN-ACK answers one of them, which is unknown.
  tcp.packet(0, CLIENT, SYN, 1000, 0, 1);
  tcp.packet(0, CLIENT, SYN, 1000, 0, 2);
  tcp.packet(0, SERVER, SYN | ACK, 7000, 0, 2.03);
  assertEquals(tcp.packet(0, CLIENT, ACK, 1001, 0, 2.04), 0);
  // A SYN-ACK sent twice.
  tcp.packet(1, CLIENT, SYN, 1000, 0, 1);
  tcp.packet(1, SERVER, SYN | ACK, 7000, 0, 1.03);
  tcp.packet(1, SERVER, SYN | ACK, 7000, 0, 2.03);
  assertEquals(tcp.packet(1, CLIENT, ACK, 1001, 0, 2.04), 0);
  // Refused.
  tcp.packet(2, CLIENT, SYN, 1000, 0, 1);
  tcp.packet(2, SERVER, RST | ACK, 0, 0, 1.01);
  assertEquals(tcp.packet(2, CLIENT, ACK, 1001, 0, 1.02), 0);
  // First seen mid-connection.
  tcp.packet(3, CLIENT, ACK, 1000, 100, 1);
  tcp.packet(3, SERVER, SYN | ACK, 7000, 0, 1.03);
  assertEquals(tcp.packet(3, CLIENT, ACK, 1001, 0, 1.04), 0);
  // Simultaneous open.
  tcp.packet(4, CLIENT, SYN, 1000, 0, 1);
  tcp.packet(4, SERVER, SYN, 7000, 0, 1.01);
  tcp.packet(4, SERVER, SYN | ACK, 7000, 0, 1.02);
  assertEquals(tcp.packet(4, CLIENT, ACK, 1001, 0, 1.03), 0);
  for (let flow = 0; flow < 5; flow++) {
    assertEquals([tcp.lanRtt(flow, 0), tcp.wanRtt(flow, 0)], [NaN, NaN]);
  }
});

Deno.test("TcpQuality ignores the server's other packets between SYN-ACK and ACK, and time going back", () => {
  const tcp = new TcpQuality(4);
  tcp.packet(0, CLIENT, SYN, 1, 0, 1);
  tcp.packet(0, SERVER, SYN | ACK, 9, 0, 1.1);
  assertEquals(tcp.packet(0, SERVER, ACK, 10, 0, 1.15), 0);
  assertEquals(tcp.packet(0, CLIENT, ACK, 2, 0, 1.2), HANDSHAKE);
  tcp.packet(1, CLIENT, SYN, 1, 0, 5);
  tcp.packet(1, SERVER, SYN | ACK, 9, 0, 4.9);
  assertEquals(tcp.packet(1, CLIENT, ACK, 2, 0, 5.1), 0);
  assertEquals(tcp.lanRtt(1, 0), NaN);
});

Deno.test("TcpQuality measures again when a measured flow's ports are reused", () => {
  const tcp = new TcpQuality(4);
  assertEquals(handshake(tcp, 1, 1, 1.1, 1.2), HANDSHAKE);
  tcp.packet(1, CLIENT, ACK, 1001, 500, 1.3);
  tcp.packet(1, CLIENT, FIN | ACK, 1501, 0, 2);
  // A new connection on the same ports, its sequence numbers far behind.
  tcp.packet(1, CLIENT, SYN, 10, 0, 30);
  assertEquals([tcp.wanRtt(1, 0), tcp.lanRtt(1, 0)], [NaN, NaN]);
  tcp.packet(1, SERVER, SYN | ACK, 500, 0, 30.02);
  assertEquals(tcp.packet(1, CLIENT, ACK, 11, 0, 30.03), HANDSHAKE);
  near(tcp.wanRtt(1, 0), 0.02);
  assertEquals(tcp.packet(1, CLIENT, ACK, 11, 100, 30.1), SEGMENT);
  assertEquals(tcp.packet(1, SERVER, ACK, 501, 100, 30.1), SEGMENT);
  assertEquals(tcp.retransmits[2], 0);
});

Deno.test("TcpQuality counts in-order data as segments, never as retransmissions", () => {
  const tcp = new TcpQuality(4);
  handshake(tcp, 0, 0, 0.01, 0.02);
  let seq = 1001;
  for (let i = 0; i < 1000; i++) {
    const length = 1 + (i * 7919) % 1448;
    assertEquals(tcp.packet(0, CLIENT, ACK | PSH, seq, length, 1 + i / 1000), SEGMENT);
    seq += length;
    assertEquals(tcp.packet(0, SERVER, ACK, 7001, 0, 1 + i / 1000), 0); // pure ACKs
  }
  assertEquals([tcp.segments[0], tcp.retransmits[0]], [1000, 0]);
  assertEquals([tcp.segments[1], tcp.retransmits[1]], [0, 0]);
});

Deno.test("TcpQuality counts segments ending at or before the highest end as retransmissions", () => {
  const tcp = new TcpQuality(4);
  handshake(tcp, 0, 0, 0.01, 0.02);
  const at = (seq: number, length: number) => tcp.packet(0, SERVER, ACK, seq, length, 1);
  assertEquals(at(7001, 1000), SEGMENT); // 7001..8001
  assertEquals(at(8001, 1000), SEGMENT); // ..9001
  assertEquals(at(7001, 1000), SEGMENT | RETRANSMIT); // the same again
  assertEquals(at(8501, 500), SEGMENT | RETRANSMIT); // a tail, ending at the highest end
  assertEquals(at(8501, 1000), SEGMENT); // overlapping, but new bytes past the end
  assertEquals(at(10001, 100), SEGMENT); // past a hole the gateway never saw
  assertEquals(at(9501, 500), SEGMENT | RETRANSMIT); // the hole filled: lost before the gateway
  assertEquals([tcp.segments[1], tcp.retransmits[1]], [7, 3]);
  assertEquals([tcp.segments[0], tcp.retransmits[0]], [0, 0]);
});

Deno.test("TcpQuality follows sequence numbers across 2^32", () => {
  const tcp = new TcpQuality(4);
  const isn = 2 ** 32 - 3000;
  tcp.packet(0, CLIENT, SYN, isn, 0, 0);
  tcp.packet(0, SERVER, SYN | ACK, 5, 0, 0.01);
  tcp.packet(0, CLIENT, ACK, isn + 1, 0, 0.02);
  let seq = isn + 1;
  const sent: number[] = [];
  for (let i = 0; i < 6; i++) {
    sent.push(seq);
    assertEquals(tcp.packet(0, CLIENT, ACK, seq, 1000, 1), SEGMENT, `segment ${i}`);
    seq = (seq + 1000) >>> 0; // wraps during the third segment
  }
  assertEquals(tcp.packet(0, CLIENT, ACK, sent[2], 1000, 2), SEGMENT | RETRANSMIT); // the wrapping one
  assertEquals(tcp.packet(0, CLIENT, ACK, sent[1], 1000, 2), SEGMENT | RETRANSMIT); // before the wrap
  assertEquals(tcp.packet(0, CLIENT, ACK, sent[4], 1000, 2), SEGMENT | RETRANSMIT); // after it
  assertEquals(tcp.packet(0, CLIENT, ACK, seq, 1000, 2), SEGMENT);
  assertEquals([tcp.segments[0], tcp.retransmits[0]], [10, 3]);
});

Deno.test("TcpQuality counts keep-alives (1 byte at the highest end - 1, or none) as nothing", () => {
  const tcp = new TcpQuality(4);
  handshake(tcp, 0, 0, 0.01, 0.02);
  tcp.packet(0, CLIENT, ACK | PSH, 1001, 200, 1); // highest end 1201
  assertEquals(tcp.packet(0, CLIENT, ACK, 1200, 1, 60), 0); // 1-byte keep-alive
  assertEquals(tcp.packet(0, CLIENT, ACK, 1200, 0, 120), 0); // empty keep-alive
  assertEquals(tcp.packet(0, CLIENT, ACK, 1199, 1, 121), SEGMENT | RETRANSMIT); // not the last byte
  assertEquals(tcp.packet(0, CLIENT, ACK, 1199, 2, 122), SEGMENT | RETRANSMIT); // two bytes
  assertEquals([tcp.segments[0], tcp.retransmits[0]], [3, 2]);
});

Deno.test("TcpQuality counts a FIN's sequence number and a SYN's data", () => {
  const tcp = new TcpQuality(4);
  assertEquals(tcp.packet(0, CLIENT, SYN, 100, 50, 0), SEGMENT); // TCP Fast Open: 100..151
  tcp.packet(0, SERVER, SYN | ACK, 900, 0, 0.01);
  tcp.packet(0, CLIENT, ACK, 151, 0, 0.02);
  assertEquals(tcp.packet(0, CLIENT, ACK, 151, 10, 1), SEGMENT);
  assertEquals(tcp.packet(0, CLIENT, FIN | ACK, 161, 0, 2), 0);
  assertEquals(tcp.packet(0, CLIENT, FIN | ACK, 161, 0, 3), 0); // a FIN again: no data
  assertEquals(tcp.packet(0, SERVER, FIN | ACK, 901, 20, 3), SEGMENT);
  assertEquals(tcp.packet(0, SERVER, FIN | ACK, 901, 20, 4), SEGMENT | RETRANSMIT);
  assertEquals([tcp.segments[0], tcp.segments[1], tcp.retransmits[1]], [2, 2, 1]);
});

Deno.test("TcpQuality.forget() clears a flow for reuse", () => {
  const tcp = new TcpQuality(4);
  handshake(tcp, 3, 0, 0.01, 0.02);
  tcp.packet(3, CLIENT, ACK, 1001, 100, 1);
  tcp.packet(3, CLIENT, ACK, 1001, 100, 1);
  tcp.forget(3);
  assertEquals([tcp.segments[6], tcp.retransmits[6], tcp.lanRtt(3, 0)], [0, 0, NaN]);
  // A new flow in the slot: its first data is not compared with the old one's.
  assertEquals(tcp.packet(3, CLIENT, ACK, 5, 100, 2), SEGMENT);
  assertEquals(handshake(tcp, 2, 0, 0.01, 0.02), HANDSHAKE);
});

Deno.test("TcpQuality refuses flows out of range", () => {
  assertThrows(() => new TcpQuality(0), RangeError);
  const tcp = new TcpQuality(4);
  assertThrows(() => tcp.packet(4, CLIENT, SYN, 0, 0, 0), RangeError);
  assertThrows(() => tcp.packet(-1, CLIENT, SYN, 0, 0, 0), RangeError);
  assertThrows(() => tcp.forget(4), RangeError);
});
