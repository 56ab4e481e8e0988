// Key presses from a raw terminal's bytes, as xterm, tmux and SSH send them.
import { assertEquals } from "@std/assert";
import { decodeKeys } from "../../cli/top/keys.ts";

const keys = (text: string) => decodeKeys(new TextEncoder().encode(text));

Deno.test("decodeKeys() reads letters, Enter, Backspace, Tab and Ctrl-C", () => {
  assertEquals(keys("q/\r\n\x7f\b\t\x03\x04"), [
    { kind: "char", char: "q" },
    { kind: "char", char: "/" },
    { kind: "enter" },
    { kind: "enter" },
    { kind: "backspace" },
    { kind: "backspace" },
    { kind: "tab" },
    { kind: "interrupt" },
    { kind: "eof" },
  ]);
});

Deno.test("decodeKeys() reads arrows in normal and application mode, and paging keys", () => {
  assertEquals(keys("\x1b[A\x1b[B\x1bOC\x1bOD\x1b[5~\x1b[6~\x1b[H\x1b[F\x1b[1~\x1b[4~"), [
    { kind: "up" },
    { kind: "down" },
    { kind: "right" },
    { kind: "left" },
    { kind: "pageup" },
    { kind: "pagedown" },
    { kind: "home" },
    { kind: "end" },
    { kind: "home" },
    { kind: "end" },
  ]);
  assertEquals(keys("\x1b[1;5A"), [{ kind: "up" }], "with modifiers");
});

Deno.test("decodeKeys() reads a lone ESC as Escape and drops unknown sequences", () => {
  assertEquals(keys("\x1b"), [{ kind: "escape" }]);
  assertEquals(keys("\x1b\x1b"), [{ kind: "escape" }, { kind: "escape" }]);
  assertEquals(keys("\x1b[200~x"), [{ kind: "char", char: "x" }]);
  assertEquals(keys("\x1b[Zv"), [{ kind: "char", char: "v" }]);
  assertEquals(keys("\x1bv"), [{ kind: "char", char: "v" }], "Alt+v");
  assertEquals(keys("é"), [{ kind: "char", char: "é" }]);
});
