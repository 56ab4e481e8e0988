// Reads a Server-Sent Events response body block by block (a block ends at
// a blank line), as a browser's EventSource would split it.

/** One block of the stream: its raw text, and its fields. */
export interface SseBlock {
  raw: string;
  event?: string;
  id?: string;
  data?: string;
  retry?: string;
  /** Comment lines (": ..."), without the colon and space. */
  comments: string[];
}

/** Reads blocks off `body`; `cancel()` goes away as a client would. */
export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #text = "";

  constructor(body: ReadableStream<Uint8Array> | null) {
    if (body === null) throw new TypeError("the response has no body");
    this.#reader = body.getReader();
  }

  /** The next block; null when the stream ended first. */
  async next(): Promise<SseBlock | null> {
    for (;;) {
      const end = this.#text.indexOf("\n\n");
      if (end >= 0) {
        const raw = this.#text.slice(0, end);
        this.#text = this.#text.slice(end + 2);
        return parse(raw);
      }
      const { done, value } = await this.#reader.read();
      if (done) return null;
      this.#text += this.#decoder.decode(value, { stream: true });
    }
  }

  /** The next `n` blocks. */
  async take(n: number): Promise<SseBlock[]> {
    const out: SseBlock[] = [];
    for (let i = 0; i < n; i++) {
      const block = await this.next();
      if (block === null) throw new Error(`the stream ended after ${out.length} blocks`);
      out.push(block);
    }
    return out;
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel();
  }
}

function parse(raw: string): SseBlock {
  const block: SseBlock = { raw, comments: [] };
  for (const line of raw.split("\n")) {
    if (line.startsWith(":")) {
      block.comments.push(line.slice(1).trimStart());
      continue;
    }
    const colon = line.indexOf(":");
    const field = line.slice(0, colon), value = line.slice(colon + 1).replace(/^ /, "");
    if (field === "data") block.data = block.data === undefined ? value : `${block.data}\n${value}`;
    else if (field === "event" || field === "id" || field === "retry") block[field] = value;
    else throw new Error(`unexpected line ${JSON.stringify(line)}`);
  }
  return block;
}

/** Lets pending promise jobs and timers run until `done()` or 100 turns passed; no waiting on a clock. */
export async function settle(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 0));
}
