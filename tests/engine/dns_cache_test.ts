import { assertEquals } from "@std/assert";
import { DnsCache } from "../../engine/dns_cache.ts";
import type { DnsMessage } from "../../engine/dns_message.ts";

function response(question: string, ...addresses: [string, number][]): DnsMessage {
  return {
    id: 1,
    response: true,
    question,
    questionType: 1,
    answerOwner: null,
    answers: [
      { type: "CNAME", ttl: 300, data: "edge.cdn.example" },
      ...addresses.map(([data, ttl]) => ({
        type: "A" as const,
        ttl,
        data,
      })),
    ],
  };
}

Deno.test("DnsCache.lookup() names an address after the question, not the CNAME target", () => {
  const cache = new DnsCache();
  cache.learn(response("video.example.com", ["10.1.1.1", 600], ["2001:db8::5", 600]), 100);
  assertEquals(cache.lookup("10.1.1.1", 200), "video.example.com");
  assertEquals(cache.lookup("2001:db8::5", 200), "video.example.com");
  assertEquals(cache.lookup("10.9.9.9", 200), null);
});

Deno.test("DnsCache.lookup() forgets an answer after its TTL, with a floor", () => {
  const cache = new DnsCache({ minTtl: 30 });
  cache.learn(response("a.example", ["10.0.0.1", 5], ["10.0.0.2", 120]), 0);
  assertEquals(cache.lookup("10.0.0.1", 29), "a.example"); // 5 s raised to the 30 s floor
  assertEquals(cache.lookup("10.0.0.1", 31), null);
  assertEquals(cache.lookup("10.0.0.2", 119), "a.example");
  assertEquals(cache.lookup("10.0.0.2", 121), null);
});

Deno.test("DnsCache.learn() keeps the newest answer and stays within its size", () => {
  const cache = new DnsCache({ maxEntries: 2 });
  cache.learn(response("one.example", ["10.0.0.1", 60]), 0);
  cache.learn(response("two.example", ["10.0.0.2", 60]), 1);
  cache.learn(response("three.example", ["10.0.0.3", 60]), 2);
  assertEquals(cache.size, 2);
  assertEquals(cache.lookup("10.0.0.1", 3), null);
  cache.learn(response("again.example", ["10.0.0.2", 60]), 4);
  assertEquals(cache.lookup("10.0.0.2", 5), "again.example");
});

Deno.test("DnsCache.learn() ignores queries", () => {
  const cache = new DnsCache();
  cache.learn({ ...response("q.example", ["10.0.0.1", 60]), response: false }, 0);
  assertEquals(cache.size, 0);
});

Deno.test("DnsCache.lookupWords() finds what lookup() finds, for IPv4 and IPv6 held as words", () => {
  const cache = new DnsCache();
  assertEquals(cache.lookupWords(4, [0xc0000201], 0), null); // empty
  cache.learn(response("tv.example", ["192.0.2.1", 60], ["255.255.255.255", 60]), 0);
  const v6 = response("v6.example");
  v6.answers.push({ type: "AAAA", ttl: 60, data: "2001:db8::7" });
  cache.learn(v6, 0);
  assertEquals(cache.lookupWords(4, [0xc0000201], 10), "tv.example");
  assertEquals(cache.lookupWords(4, [0xffffffff], 10), "tv.example");
  assertEquals(cache.lookup("192.0.2.1", 10), "tv.example");
  assertEquals(cache.lookupWords(4, [0xc0000202], 10), null);
  assertEquals(cache.lookupWords(6, [0x20010db8, 0, 0, 7], 10), "v6.example");
  assertEquals(cache.lookup("2001:db8::7", 10), "v6.example");
  assertEquals(cache.lookupWords(4, [0xc0000201], 10_000), null); // expired
});
