// Ours, not the SDK's standard retry: every wait goes through an injectable sleep (the tests wait for nothing and check each wait), a run has a time budget, and the wait for a just-created resource to be readable (IAM is eventually consistent) uses the same loop.
/** Retries with jittered exponential backoff; the sleep is injectable so tests run fast. */

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Stop retrying once this much time (slept) has been spent. */
  budgetMs: number;
  sleep: Sleep;
  random?: () => number;
}

export const DEFAULT_RETRY: Omit<RetryPolicy, 'sleep'> = {
  attempts: 8,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  budgetMs: 60_000,
};

export class RetriesExhaustedError extends Error {
  constructor(
    readonly what: string,
    readonly attempts: number,
    readonly sleptMs: number,
    readonly lastError: unknown,
  ) {
    const last = lastError instanceof Error ? `${lastError.name}: ${lastError.message}` : String(lastError);
    super(`${what} still failed after ${attempts} attempts over ${(sleptMs / 1000).toFixed(1)}s: ${last}`);
    this.name = 'RetriesExhaustedError';
  }
}

/**
 * Runs `operation` until it succeeds or fails with an error `shouldRetry` rejects, or the
 * attempts or time budget run out. Full jitter: each wait is random in [0, min(cap, base*2^n)].
 */
export async function withRetry<T>(
  what: string,
  operation: () => Promise<T>,
  shouldRetry: (error: unknown) => boolean,
  policy: RetryPolicy,
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void,
): Promise<T> {
  const random = policy.random ?? Math.random;
  let slept = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!shouldRetry(error)) throw error;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delay = Math.round(random() * ceiling);
      if (attempt >= policy.attempts || slept + delay > policy.budgetMs) {
        throw new RetriesExhaustedError(what, attempt, slept, error);
      }
      onRetry?.(error, attempt, delay);
      await policy.sleep(delay);
      slept += delay;
    }
  }
}
