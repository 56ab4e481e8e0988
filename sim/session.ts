/**
 * One timeline entry (or one of a device's always-on profiles) while it
 * runs: how its profile turns into connections and bytes wanting to flow,
 * tick by tick. The simulator then grants what limits and the link allow.
 *
 * @module
 */
import type { Carrier, Connection, LiveDevice } from "./connection.ts";
import type { Random } from "./random.ts";
import type { Profile } from "./scenario.ts";

/** Opens a connection for a session (the simulator owns addresses and ports). */
export type Opener = (
  device: LiveDevice,
  carrier: Carrier,
  host: string,
  udpPort?: number,
) => Connection;

/** A profile running on a device from `start` until `until` (epoch seconds). */
export class Session {
  readonly device: LiveDevice;
  readonly profile: Profile;
  readonly until: number;
  readonly note: string;
  readonly #random: Random;
  readonly #open: Opener;
  #conn: Connection | null = null;
  #next: number;
  done = false;
  /**
   * Before this time step() does nothing: a fetch's or chatter's next
   * exchange, or its end. The simulator skips the call for thousands of
   * idle devices each tick (-Infinity: stepped every tick).
   */
  wake = -Infinity;

  constructor(
    device: LiveDevice,
    profile: Profile,
    start: number,
    until: number,
    note: string,
    random: Random,
    open: Opener,
  ) {
    this.device = device;
    this.profile = profile;
    this.until = until;
    this.note = note;
    this.#random = random;
    this.#open = open;
    // Background profiles do not all fire at once at the start.
    const every = "everySeconds" in profile ? profile.everySeconds : 0;
    this.#next = start + (every ? random.float() * every : 0);
    this.#sleep();
  }

  /** Adds this tick's demand ([t, t + dt)); ends the session at `until`. */
  step(t: number, dt: number): void {
    if (this.done) return;
    if (t >= this.until) return this.end();
    const p = this.profile, r = this.#random;
    switch (p.kind) {
      case "video": {
        const c = this.#persistent(p.transport, p.hosts);
        if (t >= this.#next) {
          this.#next += p.chunkSeconds;
          const chunk = p.rate * p.chunkSeconds;
          // A player that cannot keep up buffers two chunks at most.
          c.backlogDown = Math.min(c.backlogDown + chunk, 2 * chunk);
          c.backlogUp += 600;
        }
        break;
      }
      case "call": {
        // Its datagrams come coalesced, as GRO shows them: `packet` sets no size here.
        const c = this.#persistent("udp", p.hosts);
        c.backlogDown = c.backlogUp = p.rate * dt; // late media is dropped, not queued
        break;
      }
      case "game": {
        // Game servers listen on their own ports (7777 is Unreal's), not STUN's.
        const c = this.#persistent("udp", p.hosts, 7777);
        c.backlogDown = c.backlogUp = p.pps * p.packet * dt;
        break;
      }
      case "bulk": {
        if (this.#conn === null) {
          const c = this.#persistent(p.transport, p.hosts);
          c.maxRate = p.rate ?? Infinity;
          if (p.direction === "down") c.backlogDown = p.bytes;
          else c.backlogUp = p.bytes;
          c.closeWhenDrained = true;
        } else if (this.#conn.done) {
          this.done = true;
          this.wake = Infinity;
        }
        break;
      }
      case "chatter":
      case "browse": {
        // After a block, one fetch resumes: not all those it held back at once.
        if (t - this.#next > p.everySeconds) this.#next = t;
        while (t >= this.#next) {
          this.#next += Math.max(1, r.exponential(p.everySeconds));
          // A blocked device's attempt fails (its SYN is dropped); it tries again next time
          // rather than piling up connections that would all burst out when the block lifts.
          if (this.device.blocked) continue;
          const c = this.#open(this.device, "tls", r.pick(p.hosts));
          const bytes = Math.round(p.bytes * (0.5 + r.float()));
          c.backlogDown = bytes;
          c.backlogUp = 300 + Math.round(bytes / 20);
          c.closeWhenDrained = true;
        }
        this.#sleep();
        break;
      }
    }
  }

  /** Ends it: its connection closes. */
  end(): void {
    this.#conn?.close();
    this.done = true;
    this.wake = Infinity;
  }

  /** Chatter and browsing wait for their next exchange (or end); the rest runs each tick. */
  #sleep(): void {
    const kind = this.profile.kind;
    if (kind === "chatter" || kind === "browse") this.wake = Math.min(this.#next, this.until);
  }

  #persistent(carrier: Carrier, hosts: string[], udpPort?: number): Connection {
    if (this.#conn === null || this.#conn.done) {
      this.#conn = this.#open(this.device, carrier, this.#random.pick(hosts), udpPort);
    }
    return this.#conn;
  }
}
