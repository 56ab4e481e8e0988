/**
 * The terminal `sluice top` draws on: raw mode for single keys, the
 * alternate screen, the cursor hidden; and all of it undone on the way out,
 * whatever the way. Plain ANSI/VT sequences, so it works over SSH and in
 * tmux without terminfo.
 *
 * @module
 */
import type { ScreenSize } from "./screen.ts";

/** Alternate screen on, cursor hidden, home and clear. */
export const ENTER_SEQUENCE = "\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J";
/** Attributes off, cursor shown, back to the main screen. */
export const LEAVE_SEQUENCE = "\x1b[0m\x1b[?25h\x1b[?1049l";

/** The terminal as `sluice top` uses it. */
export interface Terminal {
  /** Columns and rows now. */
  size(): ScreenSize;
  write(text: string): void;
  /** Raw mode on, alternate screen, cursor hidden. */
  enter(): void;
  /** Undoes {@linkcode enter}; safe to call twice. */
  restore(): void;
  /** Reads from the keyboard until `signal` aborts or input ends. */
  input(signal: AbortSignal): AsyncIterable<Uint8Array>;
}

/**
 * The process's own terminal (stdin and stdout).
 *
 * @example
 * ```ts ignore
 * const terminal = processTerminal();
 * terminal.enter();
 * try { draw(terminal); } finally { terminal.restore(); }
 * ```
 */
export function processTerminal(): Terminal {
  const encoder = new TextEncoder();
  let entered = false;
  const write = (text: string) => {
    const bytes = encoder.encode(text);
    for (let done = 0; done < bytes.length;) done += Deno.stdout.writeSync(bytes.subarray(done));
  };
  return {
    size() {
      try {
        const { columns, rows } = Deno.consoleSize();
        if (columns > 0 && rows > 0) return { columns, rows };
      } catch { /* not a terminal after all */ }
      return { columns: 80, rows: 24 };
    },
    write,
    enter() {
      Deno.stdin.setRaw(true);
      entered = true;
      write(ENTER_SEQUENCE);
    },
    restore() {
      if (!entered) return;
      entered = false;
      try {
        write(LEAVE_SEQUENCE);
      } finally {
        Deno.stdin.setRaw(false);
      }
    },
    async *input(signal: AbortSignal) {
      const buffer = new Uint8Array(256);
      while (!signal.aborted) {
        const n = await Deno.stdin.read(buffer);
        if (n === null) return;
        if (signal.aborted) return;
        yield buffer.slice(0, n);
      }
    },
  };
}
