/**
 * Keys from a terminal in raw mode: bytes to key presses. Plain ANSI/VT
 * sequences (arrows, Home/End, Page Up/Down) as xterm, tmux and the Linux
 * console send them in normal and application cursor mode: no terminfo.
 *
 * @module
 */

/** A key press. */
export type Key =
  | { kind: "char"; char: string }
  | {
    kind:
      | "up"
      | "down"
      | "left"
      | "right"
      | "pageup"
      | "pagedown"
      | "home"
      | "end"
      | "enter"
      | "escape"
      | "backspace"
      | "tab"
      | "interrupt"
      | "eof";
  };

const CSI_FINAL: Record<string, Key["kind"]> = {
  A: "up",
  B: "down",
  C: "right",
  D: "left",
  H: "home",
  F: "end",
};
const CSI_TILDE: Record<string, Key["kind"]> = {
  "1": "home",
  "7": "home",
  "4": "end",
  "8": "end",
  "5": "pageup",
  "6": "pagedown",
};

/**
 * The keys in one read from the terminal. An escape sequence is expected
 * whole within a read (terminals write one at once); a lone ESC is Escape.
 * Unknown sequences are dropped.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const keys = decodeKeys(new TextEncoder().encode("v\x1b[A\r"));
 * assertEquals(keys, [{ kind: "char", char: "v" }, { kind: "up" }, { kind: "enter" }]);
 * ```
 */
export function decodeKeys(bytes: Uint8Array): Key[] {
  const text = new TextDecoder().decode(bytes);
  const keys: Key[] = [];
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === "\x1b") {
      const next = chars[i + 1];
      if (next === "[" || next === "O") {
        // Parameters, then one final byte in @..~.
        let j = i + 2, params = "";
        while (j < chars.length && /[0-9;]/.test(chars[j])) params += chars[j++];
        const final = chars[j];
        if (final === undefined) {
          i = j - 1;
          continue;
        }
        const kind = final === "~" ? CSI_TILDE[params.split(";")[0]] : CSI_FINAL[final];
        if (kind) keys.push({ kind } as Key);
        i = j;
      } else if (next === "\x1b") {
        keys.push({ kind: "escape" });
      } else if (next !== undefined) {
        i++; // Alt+key: the key itself
        keys.push(charKey(next));
      } else {
        keys.push({ kind: "escape" });
      }
      continue;
    }
    keys.push(charKey(c));
  }
  return keys;
}

function charKey(c: string): Key {
  switch (c) {
    case "\r":
    case "\n":
      return { kind: "enter" };
    case "\x7f":
    case "\b":
      return { kind: "backspace" };
    case "\t":
      return { kind: "tab" };
    case "\x03":
      return { kind: "interrupt" };
    case "\x04":
      return { kind: "eof" };
    default:
      return { kind: "char", char: c };
  }
}
