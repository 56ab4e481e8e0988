// Many KV writes as few atomic commits, within Deno KV's limits (1000
// mutations and 800 KB per commit), with one last commit that lands only
// after every other one did: it carries the marker that makes the batch
// visible, so a crash part-way leaves records no reader trusts.

/** How big one atomic commit may get. */
export interface CommitLimits {
  /** Mutations per commit (Deno KV allows 1000). */
  maxMutations: number;
  /** Estimated bytes of keys and values per commit (Deno KV allows 819,200). */
  maxBytes: number;
}

/**
 * Larger commits are a little faster: a 10,000-device hour roll-up took ~220 ms
 * in commits of 200 or 400 mutations, ~190 ms in commits of 800, on a KV file.
 * The byte estimate runs about twice the real size, so commits stay well under
 * KV's 800 KB.
 */
export const DEFAULT_COMMIT_LIMITS: CommitLimits = { maxMutations: 800, maxBytes: 600_000 };

// Commits sent before the oldest is awaited: the next batch is built while
// KV's writer thread commits the last one.
const IN_FLIGHT = 4;

/** An upper bound on a key's encoded size. */
export function keySize(key: Deno.KvKey): number {
  let size = 4;
  for (const part of key) size += typeof part === "string" ? part.length * 3 + 2 : 10;
  return size;
}

/** Sets spread over atomic commits; {@linkcode finish} commits the last one. */
export class AtomicBatches {
  readonly #kv: Deno.Kv;
  readonly #limits: CommitLimits;
  #op: Deno.AtomicOperation;
  #mutations = 0;
  #bytes = 0;
  readonly #inFlight: Promise<Deno.KvCommitResult | Deno.KvCommitError>[] = [];

  constructor(kv: Deno.Kv, limits: CommitLimits) {
    this.#kv = kv;
    this.#limits = limits;
    this.#op = kv.atomic();
  }

  /** Queues one set; `size` is an upper bound on the value's serialized bytes. */
  async set(key: Deno.KvKey, value: unknown, size: number, expireIn?: number): Promise<void> {
    const bytes = keySize(key) + size;
    if (
      this.#mutations > 0 &&
      (this.#mutations + 1 > this.#limits.maxMutations ||
        this.#bytes + bytes > this.#limits.maxBytes)
    ) {
      const commit = this.#op.commit();
      commit.catch(() => {}); // awaited below or in finish(); never an unhandled rejection
      this.#inFlight.push(commit);
      this.#op = this.#kv.atomic();
      this.#mutations = this.#bytes = 0;
      if (this.#inFlight.length >= IN_FLIGHT) check(await this.#inFlight.shift()!);
    }
    this.#op.set(key, value, expireIn === undefined ? undefined : { expireIn });
    this.#mutations++;
    this.#bytes += bytes;
  }

  /**
   * Waits for every earlier commit, then commits the last one, with `key` set
   * to `value` when given (the marker that must land after everything else).
   */
  async finish(key?: Deno.KvKey, value?: unknown, expireIn?: number): Promise<void> {
    for (const result of await Promise.all(this.#inFlight.splice(0))) check(result);
    if (key !== undefined) {
      this.#op.set(key, value, expireIn === undefined ? undefined : { expireIn });
      this.#mutations++;
    }
    if (this.#mutations > 0) check(await this.#op.commit());
    this.#op = this.#kv.atomic();
    this.#mutations = this.#bytes = 0;
  }
}

function check(result: Deno.KvCommitResult | Deno.KvCommitError): void {
  // Only a failed check() makes a commit not ok, and these commits have none.
  if (!result.ok) throw new Error("a Deno KV commit without checks was refused");
}
