/**
 * Who a session or API token belongs to, kept in this process for a few seconds, so that an
 * authenticated request needs no database round trip of its own (docs/architecture.md, "What the
 * layers and tiles cost"). Correct within the process: every path that ends or changes access
 * (logout, login over a previous session, token revocation, account changes, deactivation,
 * password reset) calls `forget` or `forgetUser` after its transaction committed. Other
 * processes sharing a PostgreSQL database learn of every such change from the database's
 * notification (migration 016, access-listener.ts), which calls `forgetUser`; while that
 * notification cannot arrive the cache is suspended and every request asks the database.
 * An entry lives at most the TTL (SESSION_CACHE_SECONDS, docs/limits.md) in any case.
 */
export interface Cacheable {
  readonly user_id: number;
}

interface Entry<T> {
  value: T;
  until: number;
}

export class PrincipalCache<T extends Cacheable> {
  readonly #entries = new Map<string, Entry<T>>();
  // Bumped by every forget: a lookup that overlapped one may have read the state before the
  // change committed, so its result is returned once but not kept.
  #epoch = 0;
  #suspended = false;

  constructor(
    readonly ttlMs: number,
    readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The cached value of `key`, or `load()`'s, kept until the TTL or `expiresAt` (ms since the
   * epoch, e.g. the session's absolute expiry), whichever comes first. Misses are not kept: an
   * unknown cookie must not fill the cache, and a new session must work at once.
   */
  async get(key: string, load: () => Promise<{ value: T; expiresAt?: number } | undefined>): Promise<T | undefined> {
    if (this.ttlMs <= 0 || this.#suspended) return (await load())?.value;
    const hit = this.#entries.get(key);
    const now = this.now();
    if (hit && hit.until > now) return hit.value;
    if (hit) this.#entries.delete(key);
    const epoch = this.#epoch;
    const loaded = await load();
    if (!loaded) return undefined;
    if (epoch === this.#epoch && !this.#suspended) this.#keep(key, loaded.value, Math.min(this.now() + this.ttlMs, loaded.expiresAt ?? Infinity));
    return loaded.value;
  }

  /** Drops one key (a session that logged out). */
  forget(key: string): void {
    this.#epoch++;
    this.#entries.delete(key);
  }

  /** Drops every session and token of a user whose access changed or ended. */
  forgetUser(userId: number): void {
    this.#epoch++;
    for (const [key, e] of this.#entries) if (e.value.user_id === userId) this.#entries.delete(key);
  }

  /**
   * Keeps nothing and answers nothing from memory until `resume`: changes of access made
   * elsewhere could not be heard of (the database's notifications are not arriving).
   */
  suspend(): void {
    this.#epoch++;
    this.#suspended = true;
    this.#entries.clear();
  }

  /** Caches again, from empty: whatever changed while suspended is read afresh. */
  resume(): void {
    this.#epoch++;
    this.#suspended = false;
    this.#entries.clear();
  }

  /** Whether answers may come from memory (the TTL is above 0 and the cache is not suspended). */
  get active(): boolean {
    return this.ttlMs > 0 && !this.#suspended;
  }

  get size(): number {
    return this.#entries.size;
  }

  #keep(key: string, value: T, until: number): void {
    if (this.#entries.size >= this.maxEntries) {
      // Expired entries first; if none, the oldest (a Map iterates in insertion order).
      const now = this.now();
      for (const [k, e] of this.#entries) if (e.until <= now) this.#entries.delete(k);
      if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    }
    this.#entries.set(key, { value, until });
  }
}
