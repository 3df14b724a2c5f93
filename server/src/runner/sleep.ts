/** A delay that an AbortSignal ends early (runner backoff and lock waits; never used in tests). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Backoff before retry `attempt` (1-based): base × 2^(attempt-1) with ±20 % jitter, at most 30 s. */
export function backoff(baseMs: number, attempt: number): number {
  const d = Math.min(baseMs * 2 ** (attempt - 1), 30_000);
  return Math.round(d * (0.8 + Math.random() * 0.4));
}
