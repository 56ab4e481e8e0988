// readPolicyFile(): a policy file read and checked, every problem one line
// naming the command, the file and the field.
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { readPolicyFile } from "../../cli/policy_file.ts";
import { UsageError } from "../../cli/usage_error.ts";

const POLICY = {
  timeZone: "Europe/Berlin",
  link: { down: "100Mbit", up: "20Mbit" },
  groups: { kids: ["MAC:02:00:00:00:00:0A"] },
  rules: [
    { id: "bedtime", devices: { group: "kids" }, action: { kind: "block" } },
    {
      id: "tv-cap",
      devices: { device: "mac:02:00:00:00:00:07" },
      action: { kind: "limit", down: "8Mbit" },
    },
    {
      id: "daily",
      devices: { all: true },
      action: { kind: "quota", bytes: "1GB", period: "day", then: { kind: "block" } },
    },
  ],
};

/** Runs `fn` with a fresh temporary directory, removed afterwards. */
async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "sluice-policy-file-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The UsageError message reading `text` as a policy file gives. */
async function problem(dir: string, text: string): Promise<{ path: string; message: string }> {
  const path = `${dir}/policy.json`;
  await Deno.writeTextFile(path, text);
  const err = await assertRejects(() => readPolicyFile(path, "sluice run"), UsageError);
  assertEquals(err.message.includes("\n"), false, `not one line: ${err.message}`);
  return { path, message: err.message };
}

Deno.test("readPolicyFile() returns the parsed policy with units turned into numbers", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/home.json`;
    await Deno.writeTextFile(path, JSON.stringify(POLICY, null, 2));
    const policy = await readPolicyFile(path, "sluice run");
    assertEquals(policy.timeZone, "Europe/Berlin");
    assertEquals(policy.link, { down: 12_500_000, up: 2_500_000 });
    assertEquals(policy.groups, { kids: ["mac:02:00:00:00:00:0a"] });
    assertEquals(policy.rules.map((r) => r.id), ["bedtime", "tv-cap", "daily"]);
    assertEquals(policy.rules[0].action, { kind: "block" });
    assertEquals(policy.rules[1].action, { kind: "limit", down: 1_000_000 });
    assertEquals(policy.rules[2].action, {
      kind: "quota",
      bytes: 1_000_000_000,
      period: "day",
      then: { kind: "block" },
    });
    // Defaults filled in from the link: auto thresholds at 30% and 2% of down.
    assertEquals(policy.auto.lowAbove, 3_750_000);
    assertEquals(policy.auto.highBelow, 250_000);
  });
});

Deno.test("readPolicyFile() skips a byte-order mark", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/bom.json`;
    await Deno.writeTextFile(
      path,
      "\uFEFF" + JSON.stringify({ link: { down: "100Mbit", up: 1000 } }),
    );
    const policy = await readPolicyFile(path, "sluice run");
    assertEquals(policy.link, { down: 12_500_000, up: 1000 });
    assertEquals(policy.timeZone, "UTC");
    assertEquals(policy.rules, []);
  });
});

Deno.test("readPolicyFile() says a missing file or a directory is not a policy", async () => {
  await inTempDir(async (dir) => {
    const missing = `${dir}/missing.json`;
    const err = await assertRejects(() => readPolicyFile(missing, "sluice run"), UsageError);
    assertEquals(err.message, `sluice run: policy ${missing}: no such file`);
    assertEquals(err.name, "UsageError");
    const notFile = await assertRejects(() => readPolicyFile(dir, "sluice run"), UsageError);
    assertEquals(notFile.message, `sluice run: policy ${dir}: not a file`);
  });
});

Deno.test("readPolicyFile() reports text that is not JSON in one line", async () => {
  await inTempDir(async (dir) => {
    const { path, message } = await problem(dir, '{\n  "link": {\n    down: 1\n  }\n}');
    assertEquals(message.startsWith(`sluice run: policy ${path}: not JSON (`), true, message);
    assertEquals(message.endsWith(")"), true, message);
    const empty = await problem(dir, "");
    assertEquals(empty.message.startsWith(`sluice run: policy ${path}: not JSON (`), true);
  });
});

Deno.test("readPolicyFile() names the bad field by its path", async () => {
  await inTempDir(async (dir) => {
    const rule = { id: "tv", devices: { all: true }, action: { kind: "limit", down: "fast" } };
    const { path, message } = await problem(
      dir,
      JSON.stringify({ link: { down: "100Mbit", up: "20Mbit" }, rules: [rule] }),
    );
    assertEquals(message.startsWith(`sluice run: policy ${path}: rules[0].action.down: `), true);
    assertStringIncludes(message, '"fast"');
    assertEquals(message.includes("more)"), false);

    const cases: [unknown, string][] = [
      [{ rules: [] }, "link: is required"],
      [
        { link: { down: "100Mbit", up: "20Mbit" }, colour: "red" },
        'policy: unknown field "colour"',
      ],
      [
        {
          link: { down: "100Mbit", up: "20Mbit" },
          rules: [{ id: "k", devices: { group: "kids" }, action: { kind: "block" } }],
        },
        'rules[0].devices.group: no group "kids"',
      ],
      [{ link: { down: "100Mbit", up: "20Mbit" }, timeZone: "Mars/Olympus" }, "timeZone: "],
    ];
    for (const [value, expected] of cases) {
      const got = await problem(dir, JSON.stringify(value));
      assertStringIncludes(got.message, `sluice run: policy ${path}: ${expected}`);
    }
  });
});

Deno.test("readPolicyFile() shows the first problem and counts the rest", async () => {
  await inTempDir(async (dir) => {
    // Four problems: link.down, rules[0].action.down, rules[1].id, rules[1].action.down.
    const bad = { id: "x", devices: { all: true }, action: { kind: "limit", down: "fast" } };
    const { path, message } = await problem(
      dir,
      JSON.stringify({ link: { down: "slow", up: "20Mbit" }, rules: [bad, { ...bad, id: "" }] }),
    );
    assertEquals(message.startsWith(`sluice run: policy ${path}: link.down: `), true, message);
    assertEquals(message.endsWith(" (and 3 more)"), true, message);
  });
});

Deno.test("readPolicyFile() names the command it reads for", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/p.json`;
    await Deno.writeTextFile(path, "[]");
    const err = await assertRejects(() => readPolicyFile(path, "sluice explain"), UsageError);
    assertEquals(err.message.startsWith(`sluice explain: policy ${path}: `), true, err.message);
  });
});
