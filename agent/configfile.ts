/**
 * The agent's config file: `sluice-agent run --config /etc/sluice/agent.yaml`.
 *
 * Format: YAML, one mapping of settings. YAML because the file is written by hand on hosts, next to
 * other YAML (Prometheus, Grafana provisioning), and takes comments; JSON is valid YAML 1.2, so a JSON
 * file is read the same way. Parsed by the `yaml` package (eemeli/yaml: YAML 1.2 core schema — `yes`/
 * `no`/`on` stay strings, no implicit octal — duplicate keys refused, no code execution, no dependencies
 * of its own; it was already in the lock file for the compose test).
 *
 * Schema: exactly the agent's environment variables (agent/config.ts), under a shorter key:
 * `SLUICE_AGENT_INGEST_URL` → `ingest_url`, `LOG_LEVEL` → `log_level` (the variable without
 * `SLUICE_AGENT_`, lower case). Each value is turned into the string the variable would hold and parsed
 * by the same code (common/config.ts), so bounds, types and error texts are one. A key the schema does
 * not know is refused, naming the key (a typo must not fall back to a default silently); so are nested
 * mappings and nulls.
 *
 * Precedence: environment > file > default. A variable set (non-empty) in the environment wins over
 * the file, so `SLUICE_AGENT_LOG_LEVEL=debug`-style one-off overrides work under systemd
 * (`systemctl edit`) without touching the file; `sluice-agent check-config` prints where each value
 * came from.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { type Config, loadConfig, type Setting } from '../common/config.ts';
import { ConfigError } from '../common/errors.ts';
import { agentSchema } from './config.ts';
import { statsdListen } from './statsd/index.ts';

export type AgentConfig = Config<typeof agentSchema>;
export type Source = 'default' | 'file' | 'env';

/** The file key of an agent variable: `SLUICE_AGENT_INGEST_URL` → `ingest_url`. */
export function fileKey(variable: string): string {
  return variable.replace(/^SLUICE_AGENT_/, '').toLowerCase();
}

/** File key → variable, for every setting of the agent's schema. */
export function fileKeys(): Map<string, string> {
  return new Map(Object.keys(agentSchema).map((v) => [fileKey(v), v]));
}

/** A value from the file as the string its environment variable would hold, or a refusal. */
function asRaw(key: string, variable: string, s: Setting, v: unknown): string {
  const bad = (why: string) => new ConfigError(key, `${why} (in the config file; variable ${variable})`);
  if (typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw bad('not a finite number');
    return String(v);
  }
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && s.kind === 'list') {
    if (!v.every((x) => typeof x === 'string')) throw bad('a list of strings is expected');
    return v.join(',');
  }
  if (v === null) throw bad('no value (leave the key out to get the default)');
  throw bad(`a ${s.kind} is expected, not ${Array.isArray(v) ? 'a list' : typeof v}`);
}

/**
 * Reads and checks `path`: returns variable → raw string. Throws ConfigError naming the file on a
 * syntax error, or naming the key for an unknown key or a value of the wrong shape.
 */
export function readConfigFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError('--config', `cannot read ${path}: ${(err as Error).message}`);
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0] as (typeof doc.errors)[number];
    throw new ConfigError('--config', `${path} is not valid YAML: ${e.message.split('\n')[0]}`);
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data))
    throw new ConfigError('--config', `${path} must hold a mapping of settings (key: value)`);
  const keys = fileKeys();
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const variable = keys.get(key);
    if (!variable)
      throw new ConfigError(
        key,
        `unknown key in ${path} (the keys are the agent's settings without SLUICE_AGENT_, in lower case: see the README)`,
      );
    out[variable] = asRaw(key, variable, agentSchema[variable as keyof typeof agentSchema], value);
  }
  return out;
}

export interface ResolvedConfig {
  config: AgentConfig;
  /** Where each setting's value came from. */
  sources: Record<string, Source>;
  /** The environment the agent reads its settings from (file values under the real environment). */
  env: NodeJS.ProcessEnv;
}

/**
 * The agent's configuration from an optional file and the environment (environment > file > default).
 * Throws ConfigError naming the bad setting: a variable's name for a bad environment value, the file
 * key for a bad file value (loadConfig's error is re-named to the key the operator wrote).
 */
export function resolveAgentConfig(
  path: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedConfig {
  const file = path === undefined ? {} : readConfigFile(path);
  const merged: NodeJS.ProcessEnv = { ...file };
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') merged[k] = v;
  const sources: Record<string, Source> = {};
  for (const variable of Object.keys(agentSchema)) {
    const fromEnv = env[variable] !== undefined && env[variable] !== '';
    sources[variable] = fromEnv ? 'env' : variable in file ? 'file' : 'default';
  }
  let config: AgentConfig;
  try {
    config = loadConfig(agentSchema, merged);
  } catch (err) {
    if (err instanceof ConfigError && sources[err.setting] === 'file') {
      const key = fileKey(err.setting);
      throw new ConfigError(
        key,
        `${err.message.slice(err.setting.length + 2)} (in ${path}; variable ${err.setting})`,
      );
    }
    throw err;
  }
  return { config, sources, env: merged };
}

const FSYNC_POLICIES = ['always', 'interval', 'never'];

/**
 * Checks beyond each value's type that the agent would otherwise fail on at start (or later): the
 * fsync policy is one of three, every `*_EXCLUDE` filter compiles as a regex. Throws ConfigError naming
 * the setting (its file key when the value came from the file).
 */
export function validateAgentConfig(r: ResolvedConfig): void {
  const name = (v: string) => (r.sources[v] === 'file' ? fileKey(v) : v);
  const fsync = r.config.SLUICE_AGENT_BUFFER_FSYNC;
  if (!FSYNC_POLICIES.includes(fsync))
    throw new ConfigError(
      name('SLUICE_AGENT_BUFFER_FSYNC'),
      `must be one of ${FSYNC_POLICIES.join(', ')} (got ${JSON.stringify(fsync)})`,
    );
  try {
    statsdListen(r.config.SLUICE_AGENT_STATSD_LISTEN);
  } catch (err) {
    throw new ConfigError(
      name('SLUICE_AGENT_STATSD_LISTEN'),
      (err as ConfigError).message.replace(/^.*?: /, ''),
    );
  }
  for (const [v, value] of Object.entries(r.config)) {
    if (!v.endsWith('_EXCLUDE') || typeof value !== 'string' || value === '') continue;
    try {
      new RegExp(value);
    } catch (err) {
      throw new ConfigError(name(v), `not a valid regular expression: ${(err as Error).message}`);
    }
  }
}

/** The state directory, absolute (as agent/state.ts resolves it). */
export function stateDirOf(c: AgentConfig): string {
  return resolve(c.SLUICE_AGENT_STATE_DIR);
}

/** The disk buffer directory, absolute: SLUICE_AGENT_BUFFER_DIR, else `buffer` in the state directory. */
export function bufferDirOf(c: AgentConfig): string {
  return resolve(c.SLUICE_AGENT_BUFFER_DIR || join(stateDirOf(c), 'buffer'));
}

/** Settings whose value must not be printed (check-config, status). */
export const SECRET_SETTINGS = new Set(['SLUICE_AGENT_API_KEY']);

/** The README's table of config file keys, generated from the schema (test/unit/readme.test.ts). */
export function agentConfigFileMarkdown(): string {
  const lines = ['| key | type | default | variable | meaning |', '| --- | --- | --- | --- | --- |'];
  const entries = Object.entries(agentSchema as Record<string, Setting>).sort(([a], [b]) =>
    fileKey(a).localeCompare(fileKey(b)),
  );
  for (const [variable, s] of entries) {
    const range = s.min !== undefined || s.max !== undefined ? ` ${s.min ?? ''}..${s.max ?? ''}` : '';
    const def = Array.isArray(s.default) ? s.default.join(',') : String(s.default ?? '(required)');
    lines.push(`| \`${fileKey(variable)}\` | ${s.kind}${range} | \`${def}\` | \`${variable}\` | ${s.doc} |`);
  }
  return lines.join('\n');
}
