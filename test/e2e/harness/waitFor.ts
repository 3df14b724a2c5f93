/** Polling with a deadline: the e2e tier never sleeps for a fixed time. */

export interface WaitOptions {
  timeout?: number;
  interval?: number;
}

/**
 * Calls `probe` until it returns something other than undefined/false, and returns that. On the
 * deadline, fails with `what` and the last value or error seen, which is what a reader needs.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  { timeout = 30_000, interval = 200 }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const seen = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${seen})`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
