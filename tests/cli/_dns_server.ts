// A tiny authoritative DNS server on 127.0.0.1 for tests: answers PTR
// queries from a table, NXDOMAIN otherwise, and counts the questions it got.
import dgram from "node:dgram";
import { Buffer } from "node:buffer";

/** A running server: its port, the questions asked, and close(). */
export interface TestDnsServer {
  port: number;
  asked: string[];
  close(): Promise<void>;
}

/** Starts a server answering PTR `name → [ptr]` from `ptr`. */
export async function startDnsServer(ptr: Record<string, string>): Promise<TestDnsServer> {
  const socket = dgram.createSocket("udp4");
  const asked: string[] = [];
  socket.on("message", (query: Buffer, peer: { port: number; address: string }) => {
    const labels: string[] = [];
    let at = 12;
    while (query[at] !== 0) {
      labels.push(query.subarray(at + 1, at + 1 + query[at]).toString("latin1"));
      at += query[at] + 1;
    }
    const questionEnd = at + 5;
    const name = labels.join(".").toLowerCase();
    asked.push(name);
    const answer = ptr[name];
    const header = Buffer.from([
      query[0],
      query[1],
      0x84,
      answer ? 0x80 : 0x83,
      0,
      1,
      0,
      answer ? 1 : 0,
      0,
      0,
      0,
      0,
    ]);
    const parts = [header, query.subarray(12, questionEnd)];
    if (answer) {
      const rdata = Buffer.concat([
        ...answer.split(".").map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])),
        Buffer.from([0]),
      ]);
      const rr = Buffer.from([0xc0, 12, 0, 12, 0, 1, 0, 0, 0x0e, 0x10, 0, rdata.length]);
      parts.push(rr, rdata);
    }
    socket.send(Buffer.concat(parts), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return {
    port: socket.address().port,
    asked,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
