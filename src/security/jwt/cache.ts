/**
 * A bounded, approximately-LRU cache of verified tokens keyed by the whole token string. Each
 * entry carries its own deadline (never later than the token's `exp`); an expired entry is
 * dropped on lookup. A hit moves an entry to the young end only once it has aged past half the
 * capacity, so the common hit costs one `Map` lookup while hot tokens still outlive cold ones.
 * @example const cache = new TokenCache<Entry>(1000); cache.set(token, entry, deadlineMs);
 */
export class TokenCache<T> {
  private readonly entries = new Map<string, { value: T; until: number; stamp: number }>();
  private inserts = 0;
  constructor(private readonly max: number) {}

  get(key: string, now: number): T | undefined {
    const hit = this.entries.get(key);
    if (hit === undefined) return undefined;
    if (now >= hit.until) {
      this.entries.delete(key);
      return undefined;
    }
    if (this.inserts - hit.stamp > this.max >>> 1) {
      // Map keeps insertion order: re-inserting makes this the most recently used entry
      this.entries.delete(key);
      hit.stamp = ++this.inserts;
      this.entries.set(key, hit);
    }
    return hit.value;
  }

  set(key: string, value: T, until: number): void {
    if (this.max <= 0) return;
    this.entries.delete(key);
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, until, stamp: ++this.inserts });
  }

  get size(): number {
    return this.entries.size;
  }
}
