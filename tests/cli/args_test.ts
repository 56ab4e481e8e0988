// parseArgs() and intOption(): strict command lines with one-line messages.
import { assertEquals, assertThrows } from "@std/assert";
import { type ArgSpec, intOption, parseArgs } from "../../cli/args.ts";
import { UsageError } from "../../cli/usage_error.ts";

const REPLAY: ArgSpec = {
  command: "sluice replay",
  flags: ["json"],
  options: ["filter", "top"],
  positionals: { min: 1, max: 1, names: "FILE" },
};
const HELP = "(see sluice replay --help)";

function usageError(argv: string[], spec: ArgSpec = REPLAY): string {
  return assertThrows(() => parseArgs(argv, spec), UsageError).message;
}

Deno.test("parseArgs() reads flags, options and positionals in any order", () => {
  const args = parseArgs(["--top", "5", "x.pcap", "--json", "--filter=tcp port 80"], REPLAY);
  assertEquals(args.positionals, ["x.pcap"]);
  assertEquals([...args.flags], ["json"]);
  assertEquals([...args.options], [["top", "5"], ["filter", "tcp port 80"]]);
});

Deno.test("parseArgs() keeps everything after -- as positionals", () => {
  const args = parseArgs(["--", "--json"], REPLAY);
  assertEquals(args.positionals, ["--json"]);
  assertEquals(args.flags.size, 0);
});

Deno.test("parseArgs() takes a lone - as a positional", () => {
  assertEquals(parseArgs(["-"], REPLAY).positionals, ["-"]);
});

Deno.test("parseArgs() keeps the last value of a repeated option", () => {
  assertEquals(parseArgs(["a", "--top=1", "--top", "2"], REPLAY).options.get("top"), "2");
});

Deno.test("parseArgs() keeps an option value that holds an equals sign", () => {
  assertEquals(parseArgs(["a", "--filter=a=b"], REPLAY).options.get("filter"), "a=b");
});

Deno.test("parseArgs() accepts a single-dash spelling of a known name", () => {
  const args = parseArgs(["-json", "-top=3", "a"], REPLAY);
  assertEquals([args.flags.has("json"), args.options.get("top")], [true, "3"]);
});

Deno.test("parseArgs() names an unknown option", () => {
  assertEquals(usageError(["a", "--bogus"]), `sluice replay: unknown option --bogus ${HELP}`);
  assertEquals(usageError(["a", "-x"]), `sluice replay: unknown option -x ${HELP}`);
  assertEquals(usageError(["a", "--bogus=1"]), `sluice replay: unknown option --bogus=1 ${HELP}`);
});

Deno.test("parseArgs() refuses a value given to a flag", () => {
  assertEquals(usageError(["a", "--json=yes"]), `sluice replay: --json takes no value ${HELP}`);
});

Deno.test("parseArgs() refuses an option without a value", () => {
  assertEquals(usageError(["a", "--top"]), `sluice replay: --top needs a value ${HELP}`);
  assertEquals(usageError(["a", "--top="]), `sluice replay: --top needs a value ${HELP}`);
});

Deno.test("parseArgs() counts positionals", () => {
  assertEquals(usageError([]), `sluice replay: missing FILE ${HELP}`);
  assertEquals(usageError(["--json"]), `sluice replay: missing FILE ${HELP}`);
  assertEquals(usageError(["a", "b"]), `sluice replay: unexpected argument "b" ${HELP}`);
  const none: ArgSpec = { command: "sluice interfaces", flags: ["json"] };
  assertEquals(parseArgs(["--json"], none).positionals, []);
  assertEquals(
    usageError(["eth0"], none),
    `sluice interfaces: unexpected argument "eth0" (see sluice interfaces --help)`,
  );
});

Deno.test("parseArgs() errors are one line", () => {
  for (const argv of [[], ["a", "b"], ["a", "--x"], ["a", "--top"], ["a", "--json=1"]]) {
    assertEquals(usageError(argv).includes("\n"), false);
  }
});

Deno.test("intOption() gives the default when the option is absent", () => {
  assertEquals(intOption(parseArgs(["a"], REPLAY), "top", 20, 1, 100, "sluice replay"), 20);
});

Deno.test("intOption() reads whole numbers within the range, ends included", () => {
  for (const [text, value] of [["1", 1], ["100", 100], ["42", 42]] as const) {
    const args = parseArgs(["a", `--top=${text}`], REPLAY);
    assertEquals(intOption(args, "top", 20, 1, 100, "sluice replay"), value);
  }
});

Deno.test("intOption() refuses fractions, words and numbers out of range", () => {
  for (const text of ["0", "101", "-1", "1.5", "ten", "NaN", "Infinity", "5x"]) {
    const args = parseArgs(["a", `--top=${text}`], REPLAY);
    const err = assertThrows(
      () => intOption(args, "top", 20, 1, 100, "sluice replay"),
      UsageError,
    );
    assertEquals(
      err.message,
      `sluice replay: --top must be a whole number from 1 to 100, got "${text}"`,
    );
  }
});
