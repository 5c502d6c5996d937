/**
 * Configuration: one schema per service, read from the environment once at start, validated, frozen.
 *
 * Every setting is an environment variable with a type, a default and a one-line doc (README's
 * configuration table is generated from these schemas and a test keeps the two equal). A bad value is
 * refused with an error that names the variable; so is any `SLUICE_*` variable that no schema knows,
 * because a typo'd setting that silently falls back to its default is worse than a refusal.
 */
import { ConfigError } from './errors.ts';

export type Kind = 'string' | 'int' | 'number' | 'bool' | 'list' | 'url' | 'hostport';

export interface Setting {
  kind: Kind;
  default: string | number | boolean | string[] | undefined;
  doc: string;
  /** Inclusive bounds for numbers. */
  min?: number;
  max?: number;
  /** For kind `url`: accepted schemes. */
  schemes?: string[];
}

export type Schema = Record<string, Setting>;

type ValueOf<S extends Setting> = S['kind'] extends 'int' | 'number'
  ? number
  : S['kind'] extends 'bool'
    ? boolean
    : S['kind'] extends 'list'
      ? string[]
      : string;

export type Config<S extends Schema> = { readonly [K in keyof S]: ValueOf<S[K]> };

/** Variables read by scripts rather than services; known, so that they are not refused as typos. */
export const TOOLING_VARIABLES = new Set([
  'SLUICE_CACHE',
  'SLUICE_RUN_DIR',
  'SLUICE_NODE_VERSION',
  'SLUICE_KAFKA_PORT',
  'SLUICE_KAFKA_CONTROLLER_PORT',
  'SLUICE_KAFKA_HEAP',
  'SLUICE_MONGO_PORT',
  'SLUICE_REDIS_PORT',
  'SLUICE_READY_TIMEOUT',
  'SLUICE_E2E',
  'SLUICE_FAILPOINTS',
  'SLUICE_FAULTS',
]);

const registered = new Set<string>();

/** Declares a schema; every declared variable becomes known to the unknown-variable check. */
export function defineSchema<S extends Schema>(schema: S): S {
  for (const name of Object.keys(schema)) registered.add(name);
  return schema;
}

function parse(name: string, s: Setting, raw: string): unknown {
  const bad = (why: string) => new ConfigError(name, `${why} (got ${JSON.stringify(raw)}): ${s.doc}`);
  switch (s.kind) {
    case 'string':
      return raw;
    case 'int':
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw bad('not a number');
      if (s.kind === 'int' && !Number.isInteger(n)) throw bad('not an integer');
      if (s.min !== undefined && n < s.min) throw bad(`below the minimum ${s.min}`);
      if (s.max !== undefined && n > s.max) throw bad(`above the maximum ${s.max}`);
      return n;
    }
    case 'bool':
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      throw bad('not a boolean (true/false)');
    case 'list':
      return raw
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    case 'url': {
      let u: URL;
      try {
        u = new URL(raw);
      } catch {
        throw bad('not a URL');
      }
      const scheme = u.protocol.replace(/:$/, '');
      if (s.schemes && !s.schemes.includes(scheme))
        throw bad(`scheme must be one of ${s.schemes.join(', ')}`);
      return raw;
    }
    case 'hostport': {
      const m = /^(.*):(\d+)$/.exec(raw);
      if (!m || Number(m[2]) > 65535) throw bad('not host:port');
      return raw;
    }
  }
}

/**
 * Reads `schema` from `env`. Throws {@link ConfigError} naming the first bad variable. The result is
 * frozen: configuration is read once, at start.
 */
export function loadConfig<S extends Schema>(schema: S, env: NodeJS.ProcessEnv = process.env): Config<S> {
  for (const name of Object.keys(env)) {
    if (name.startsWith('SLUICE_') && !registered.has(name) && !TOOLING_VARIABLES.has(name)) {
      throw new ConfigError(name, 'unknown setting (no Sluice service reads it; is it misspelt?)');
    }
  }
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(schema)) {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      if (s.default === undefined) throw new ConfigError(name, `required: ${s.doc}`);
      out[name] = s.default;
    } else out[name] = parse(name, s, raw);
  }
  return Object.freeze(out) as Config<S>;
}
