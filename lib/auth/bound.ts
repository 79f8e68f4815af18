/**
 * A small in-process concurrency bound: at most `concurrency` tasks run at once, at most `queue`
 * wait (each for at most `maxWaitMs`); anything beyond is refused at once with `Busy`, so excess
 * work costs nothing but the refusal.
 */
export class Busy extends Error {
  override name = 'Busy';
}

export class Bound {
  private running = 0;
  private readonly waiting: { resolve: () => void; timer: ReturnType<typeof setTimeout> }[] = [];
  /** Tasks refused (full queue or waited too long). */
  refused = 0;

  constructor(
    readonly concurrency: number,
    readonly queue: number,
    readonly maxWaitMs: number,
  ) {}

  /** Whether a new task would be refused at once (callers can skip their own work before asking). */
  get saturated(): boolean {
    return this.running >= this.concurrency && this.waiting.length >= this.queue;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) {
        this.refused++;
        throw new Busy();
      }
      await new Promise<void>((resolve, reject) => {
        const entry = {
          resolve,
          timer: setTimeout(() => {
            const i = this.waiting.indexOf(entry);
            if (i >= 0) this.waiting.splice(i, 1);
            this.refused++;
            reject(new Busy());
          }, this.maxWaitMs),
        };
        this.waiting.push(entry);
      });
    } else {
      this.running++;
    }
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        // The slot passes straight to the next waiter: `running` stays the same.
        clearTimeout(next.timer);
        next.resolve();
      } else {
        this.running--;
      }
    }
  }
}
