/** Shared by the console service tests: pushes as they come, awaited by condition (never by time). */

/** Items a service pushed, in order; `next` waits for the first one from now on that passes a test. */
export class PushLog<T> {
  readonly items: T[] = [];
  private waiters: Array<() => void> = [];

  /** The callback to hand the service. */
  push = (...items: T[]): void => {
    this.items.push(...items);
    for (const wake of this.waiters.splice(0)) wake();
  };

  /** The first item pushed from now on that satisfies `test`. */
  async next(test: (item: T) => boolean): Promise<T> {
    for (let seen = this.items.length; ; ) {
      while (seen < this.items.length) {
        const item = this.items[seen]!;
        seen += 1;
        if (test(item)) return item;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}
