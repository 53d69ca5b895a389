// Ours, beside the SDK's `adaptive` retry mode: that mode slows one client's send rate once it is throttled, but bounds no concurrency and shares nothing between clients; this bound is shared by every IAM call of a run, from the first call on.
/**
 * An adaptive bound on concurrent calls: at most `limit` at once; throttling halves the
 * limit, and successes win it back one at a time (additive increase, multiplicative decrease),
 * so a large account's IAM rate limit slows the run down instead of failing it.
 */
export class AdaptiveLimit {
  private running = 0;
  private current: number;
  private successes = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {
    this.current = max;
    this.lowest = max;
  }

  /** The lowest bound throttling brought it to: for the log and the tests. */
  lowest: number;

  get limit(): number {
    return this.current;
  }

  async run<T>(work: () => Promise<T>, isThrottling: (error: unknown) => boolean): Promise<T> {
    while (this.running >= this.current) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      const result = await work();
      if (++this.successes >= this.current && this.current < this.max) {
        this.current++;
        this.successes = 0;
      }
      return result;
    } catch (error) {
      if (isThrottling(error)) {
        this.current = Math.max(1, Math.floor(this.current / 2));
        this.lowest = Math.min(this.lowest, this.current);
        this.successes = 0;
      }
      throw error;
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
