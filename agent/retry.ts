/**
 * What to do with ingest's answer to a payload, and how long to wait before the next try. Pure: the
 * retriability table, Retry-After parsing and the backoff (exponential, full jitter, capped; the random
 * source is injectable) — the sender applies them.
 *
 * A retriable payload is never dropped here: "retry" means it stays at the head of the queue.
 */

export type Verdict =
  | { action: 'ack' }
  | { action: 'drop'; reason: string }
  | { action: 'retry'; reason: string; retryAfterMs?: number };

/** Status → action. Statuses not listed: 2xx ack, 5xx retry, anything else retry (kept, never lost). */
export const STATUS_ACTIONS: Readonly<Record<number, 'ack' | 'drop' | 'retry' | 'retry-after'>> = {
  200: 'ack',
  202: 'ack',
  204: 'ack',
  // The payload itself is refused: sending it again gets the same answer.
  400: 'drop',
  401: 'drop',
  403: 'drop',
  413: 'drop',
  415: 'drop',
  422: 'drop',
  408: 'retry',
  // The server asks us to come back later: honour Retry-After.
  429: 'retry-after',
  503: 'retry-after',
};

export interface RetryPolicy {
  /** Ceiling of the first backoff, ms; doubles per consecutive failure up to `capMs`. */
  baseMs: number;
  capMs: number;
  /** Attempts per send cycle; then the payload waits, still queued, for the next cycle. */
  attempts: number;
  /** Largest Retry-After honoured, ms (a broken server must not park the agent for a day). */
  maxRetryAfterMs: number;
  /**
   * A Retry-After is waited out plus up to this fraction of it more (uniform): the agents a 503 turned
   * away together do not all come back in the same instant (no thundering herd after an outage).
   */
  retryAfterJitter: number;
  /** Uniform in [0, 1). */
  random: () => number;
}

export const DEFAULT_POLICY: RetryPolicy = {
  baseMs: 500,
  capMs: 30_000,
  attempts: 5,
  maxRetryAfterMs: 600_000,
  retryAfterJitter: 0.5,
  random: Math.random,
};

/** Retry-After as ms from `nowMs`: delta-seconds or an HTTP date; undefined when absent or malformed. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** The machine-readable reason in ingest's JSON error body (`{"error": "SLC_ERR_…"}`), if well-formed. */
export function errorCode(body: string): string | undefined {
  try {
    const e = (JSON.parse(body) as { error?: unknown }).error;
    return typeof e === 'string' && CODE.test(e) ? e : undefined;
  } catch {
    return undefined;
  }
}

/** Classifies an HTTP answer. Reasons are bounded (status or a well-formed error code) for metric labels. */
export function classifyStatus(
  status: number,
  retryAfter: string | undefined,
  body: string,
  nowMs: number,
): Verdict {
  const action = STATUS_ACTIONS[status] ?? (status >= 200 && status < 300 ? 'ack' : 'retry');
  switch (action) {
    case 'ack':
      return { action: 'ack' };
    case 'drop':
      return { action: 'drop', reason: errorCode(body) ?? `http_${status}` };
    case 'retry':
      return { action: 'retry', reason: `http_${status}` };
    case 'retry-after': {
      const ms = parseRetryAfter(retryAfter, nowMs);
      return ms === undefined
        ? { action: 'retry', reason: `http_${status}` }
        : { action: 'retry', reason: `http_${status}`, retryAfterMs: ms };
    }
  }
}

/**
 * Classifies a failure to get an answer (connection refused, reset, timeout): always retriable. A
 * TypeError is a bug in the agent, not the network: rethrown, never retried.
 */
export function classifyError(err: unknown): Verdict {
  if (err instanceof TypeError) throw err;
  const code = (err as { code?: unknown })?.code;
  return { action: 'retry', reason: typeof code === 'string' && CODE.test(code) ? code : 'network' };
}

/** Full-jitter backoff before retry number `failures` (1 = after the first failure). */
export function backoffMs(p: RetryPolicy, failures: number): number {
  const ceiling = Math.min(p.capMs, p.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.floor(p.random() * ceiling);
}

/**
 * The wait before the next attempt after a retriable verdict: Retry-After (never less, plus its jitter,
 * capped at maxRetryAfterMs) when given, else backoff.
 */
export function retryDelayMs(p: RetryPolicy, v: Verdict, failures: number): number {
  if (v.action === 'retry' && v.retryAfterMs !== undefined) {
    const ra = Math.min(v.retryAfterMs, p.maxRetryAfterMs);
    return Math.min(p.maxRetryAfterMs, Math.floor(ra * (1 + p.random() * p.retryAfterJitter)));
  }
  return backoffMs(p, failures);
}
