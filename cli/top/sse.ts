/**
 * Server-Sent Events read from text as it arrives (the WHATWG event stream
 * format): `event:`, `data:` (joined by newlines), `id:`; comments and
 * `retry:` are skipped. Enough for GET /api/v1/live.
 *
 * @module
 */

/** One event. */
export interface SseEvent {
  event: string;
  data: string;
  id: string | null;
}

/**
 * Turns chunks of the stream into events; a line or event cut between
 * chunks waits for the rest.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * const parser = new SseParser();
 * assertEquals(parser.push("event: snapshot\ndata: {}\n"), []);
 * assertEquals(parser.push("id: 7\n\n"), [{ event: "snapshot", data: "{}", id: "7" }]);
 * ```
 */
export class SseParser {
  #rest = "";
  #event = "";
  #data: string[] = [];
  #id: string | null = null;

  /** Feeds text; returns the events it completed. */
  push(text: string): SseEvent[] {
    const out: SseEvent[] = [];
    const lines = (this.#rest + text).split(/\r\n|\r|\n/);
    // A chunk ending in "\r" may be cut inside "\r\n": an empty last line is dropped then.
    this.#rest = lines.pop() ?? "";
    for (const line of lines) {
      if (line === "") {
        if (this.#data.length > 0) {
          out.push({ event: this.#event || "message", data: this.#data.join("\n"), id: this.#id });
        }
        this.#event = "";
        this.#data = [];
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") this.#event = value;
      else if (field === "data") this.#data.push(value);
      else if (field === "id") this.#id = value;
    }
    return out;
  }
}
