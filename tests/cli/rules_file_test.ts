// parseRulesFile(): a user rules file's text, checked, with one-line messages.
import { assertEquals, assertThrows } from "@std/assert";
import { parseRulesFile } from "../../cli/rules_file.ts";

Deno.test("parseRulesFile() reads every kind of rule and normalises them", () => {
  const rules = parseRulesFile(JSON.stringify({
    rules: [
      { domain: "Media.Example.COM.", app: "home-media", category: "Streaming", name: "Home" },
      { port: 25565, protocol: "tcp", app: "minecraft", category: "Gaming" },
      { port: 9000, app: "thing", category: "Other" },
      { cidr: "10.9.0.0/16", app: "office-vpn", category: "VPN" },
    ],
  }));
  assertEquals(rules, [
    { app: "home-media", category: "Streaming", domain: "media.example.com", name: "Home" },
    { app: "minecraft", category: "Gaming", port: 25565, protocol: "TCP" },
    { app: "thing", category: "Other", port: 9000, protocol: "any" },
    { app: "office-vpn", category: "VPN", cidr: "10.9.0.0/16" },
  ]);
});

Deno.test("parseRulesFile() reads the shipped example and an empty list", async () => {
  const example = await Deno.readTextFile(
    new URL("../../sim/samples/rules.example.json", import.meta.url),
  );
  assertEquals(parseRulesFile(example).length > 0, true);
  assertEquals(parseRulesFile('\uFEFF{ "rules": [] }'), []);
});

Deno.test("parseRulesFile() names the bad field in one line", () => {
  const cases: [string, string][] = [
    [
      '{ "rules": [{ "port": 1, "app": "a", "category": "Gaming", "protocol": "sctp" }] }',
      'rules[0].protocol: "sctp" is not TCP, UDP or any',
    ],
    [
      '{ "rules": [{ "domain": "localhost", "app": "a", "category": "Cloud" }] }',
      'rules[0].domain: "localhost" is not a lowercase domain of two or more labels',
    ],
    [
      '{ "rules": [{ "cidr": "10.0.0.0/8", "protocol": "TCP", "app": "a", "category": "VPN" }] }',
      "rules[0].protocol: only goes with port",
    ],
    [
      '{ "rules": [{ "port": 1, "app": "", "category": "VPN" }] }',
      'rules[0].app: expected a non-empty string, got ""',
    ],
    ['{ "rules": ["x"] }', 'rules[0]: expected an object, got "x"'],
    ["{}", "rules: expected an array, got undefined"],
    ['{ "rules": [], "extra": 1 }', 'extra: unknown field (expected only "rules")'],
    ["null", 'expected an object with a "rules" array, got null'],
  ];
  for (const [text, message] of cases) {
    const err = assertThrows(() => parseRulesFile(text), TypeError);
    assertEquals(err.message, message);
  }
  const err = assertThrows(() => parseRulesFile("{\n  rules\n}"), TypeError);
  assertEquals(err.message.startsWith("not JSON ("), true);
  assertEquals(err.message.includes("\n"), false);
});
