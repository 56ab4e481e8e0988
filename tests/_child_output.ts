// A child process's output read as it comes, with a wait for a line: for
// tests that act on what a long-running `sluice run` says.

/** Output so far, and a wait for a line to appear in it. */
export interface WatchedOutput {
  text(): string;
  /** Resolves with the first line matching `pattern`; rejects if the output ends first. */
  line(pattern: RegExp): Promise<string>;
  /** Resolves when the output has ended. */
  ended: Promise<void>;
}

/** Reads `stream` (a child's stdout or stderr) to its end in the background. */
export function watchOutput(stream: ReadableStream<Uint8Array>): WatchedOutput {
  let out = "", over = false;
  const waiters = new Set<() => void>();
  const ended = (async () => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      out += chunk;
      for (const wake of waiters) wake();
    }
    over = true;
    for (const wake of waiters) wake();
  })();
  return {
    text: () => out,
    ended,
    line: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = out.split("\n").find((l) => pattern.test(l));
          if (found === undefined && !over) return;
          waiters.delete(check);
          if (found !== undefined) resolve(found);
          else reject(new Error(`output ended without a line matching ${pattern}:\n${out}`));
        };
        waiters.add(check);
        check();
      }),
  };
}
