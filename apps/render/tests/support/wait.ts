/**
 * Polls `check` until it returns true, at most `timeoutMs`. For state that no event
 * announces, e.g. Graphile deleting a finished job's row, which happens after it emits
 * job:success and job:complete.
 */
export async function waitUntil(check: () => Promise<boolean>, { timeoutMs = 5000, everyMs = 20 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
