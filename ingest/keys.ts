/**
 * API keys → tenants, loaded once at start and kept in memory (P4: no store read per request).
 *
 * File format (SLUICE_INGEST_API_KEYS_FILE):
 *
 *     {"keys": {"<api key>": "<tenant>", ...}}
 *
 * Keys are opaque strings of 16+ printable ASCII characters (no spaces); tenants match
 * `^[a-zA-Z0-9_.-]{1,64}$`. Several keys may map to one tenant (key rotation). A bad file stops the
 * process at start with a ConfigError naming the setting. Without a file, the only key is the dev key
 * `dev-key` → tenant `dev` (shorter than 16 characters on purpose: it can never be a real key), and a
 * warning is logged, so the README's run command works out of the box.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../common/errors.ts';

export const DEV_KEY = 'dev-key';
export const DEV_TENANT = 'dev';
const SETTING = 'SLUICE_INGEST_API_KEYS_FILE';
const KEY = /^[\x21-\x7e]{16,256}$/;
const TENANT = /^[a-zA-Z0-9_.-]{1,64}$/;

export type KeyTable = ReadonlyMap<string, string>;

/** Parses the key file's text; throws ConfigError on any malformed entry. */
export function parseKeys(text: string): KeyTable {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(SETTING, `not JSON: ${(err as Error).message}`);
  }
  const keys = (doc as { keys?: unknown } | null)?.keys;
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) {
    throw new ConfigError(SETTING, 'expected {"keys": {"<api key>": "<tenant>"}}');
  }
  const out = new Map<string, string>();
  for (const [key, tenant] of Object.entries(keys)) {
    if (!KEY.test(key)) {
      throw new ConfigError(SETTING, `a key is not 16-256 printable ASCII characters (tenant ${tenant})`);
    }
    if (typeof tenant !== 'string' || !TENANT.test(tenant)) {
      throw new ConfigError(SETTING, `tenant ${JSON.stringify(tenant)} must match ${TENANT.source}`);
    }
    out.set(key, tenant);
  }
  if (out.size === 0) throw new ConfigError(SETTING, 'no keys');
  return out;
}

/** Loads the key table named by the setting, or the dev table when it is empty. */
export function loadKeys(path: string): { table: KeyTable; dev: boolean } {
  if (path === '') return { table: new Map([[DEV_KEY, DEV_TENANT]]), dev: true };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(SETTING, `cannot read ${path}: ${(err as Error).message}`);
  }
  return { table: parseKeys(text), dev: false };
}

/** The key from an `Authorization: Bearer <key>` header, or undefined. */
export function bearerKey(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return m?.[1];
}
