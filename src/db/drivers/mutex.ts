import { DatabaseConnectionError } from '../errors.ts';

/**
 * A single connection's lock with a bounded wait: PGlite has one connection, so callers queue
 * here, and a caller that would wait forever (the outer handle used inside a transaction) gets
 * the 503 after `timeoutMs` instead of hanging.
 */
export class Mutex {
  private locked = false;
  private readonly waiters: { grant: () => void; timer: ReturnType<typeof setTimeout> }[] = [];

  constructor(private readonly timeoutMs: number) {}

  get isLocked(): boolean {
    return this.locked;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  acquire(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: resolve,
        timer: setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new DatabaseConnectionError(new Error(`no free connection within ${this.timeoutMs} ms`)));
        }, this.timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next === undefined) {
      this.locked = false;
      return;
    }
    clearTimeout(next.timer);
    next.grant();
  }
}
