/**
 * Waiting on a condition with a bound: the only way tests wait. `until` polls `check` until it returns
 * a value other than undefined/false, and fails with `what` and the last observed state on timeout.
 */
export async function until<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  opts: { timeoutMs?: number; everyMs?: number; describe?: () => string } = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${opts.describe ? `: ${opts.describe()}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 50));
  }
}

/** A random name for a per-test topic, collection or queue. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
