/**
 * One error hierarchy. Callers branch on `instanceof` or `code`, never on messages. `retriable` says
 * whether the same call may succeed later; `InvariantViolation` means a bug in Sluice itself.
 */
export class SluiceError extends Error {
  readonly code: string;
  readonly retriable: boolean;
  constructor(code: string, message: string, opts: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = opts.retriable ?? false;
  }
}

/** A configuration variable is missing, malformed or unknown. */
export class ConfigError extends SluiceError {
  readonly setting: string;
  constructor(setting: string, why: string) {
    super('SLC_ERR_CONFIG_INVALID', `${setting}: ${why}`);
    this.setting = setting;
  }
}

/** A broken internal invariant: a bug, never an input or environment problem. */
export class InvariantViolation extends SluiceError {
  constructor(message: string) {
    super('SLC_ERR_INVARIANT', message);
  }
}

/** An operation did not finish within its deadline (its outcome is unknown: it may still complete). */
export class DeadlineError extends SluiceError {
  constructor(what: string, ms: number) {
    super('SLC_ERR_DEADLINE', `${what} did not finish within ${ms} ms`, { retriable: true });
  }
}

/**
 * Races `p` against a deadline. Clients that retry internally for ever (kafkajs while a broker is
 * away) must not hold a partition's work hostage: the caller gets a DeadlineError and recovers.
 */
export async function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DeadlineError(what, ms)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
