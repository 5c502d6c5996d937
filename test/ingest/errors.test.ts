import { describe, expect, it } from 'vitest';
import { errorTableMarkdown, INGEST_ERRORS } from '../../ingest/errors.ts';
import { stampRecord } from '../../ingest/http.ts';
import { bearerKey, DEV_KEY, DEV_TENANT, loadKeys, parseKeys } from '../../ingest/keys.ts';
import { AgentPayload, RawRecord } from '../../proto/index.ts';
import { encode, validPayload } from './payloads.ts';

describe('ingest error registry', () => {
  it('every code is SLC_ERR_INGEST_*, with an HTTP error status and a one-line description', () => {
    for (const [code, spec] of Object.entries(INGEST_ERRORS)) {
      expect(code).toMatch(/^SLC_ERR_INGEST_[A-Z0-9_]+$/);
      expect([400, 401, 405, 413, 415, 503], code).toContain(spec.status);
      expect(spec.description, code).toMatch(/^\S.*\.$/);
      expect(spec.description, code).not.toContain('\n');
    }
  });

  it('renders the README table, one row per code, unchanged unless the registry changes', async () => {
    const table = errorTableMarkdown();
    expect(table.split('\n')).toHaveLength(Object.keys(INGEST_ERRORS).length + 2);
    expect(errorTableMarkdown()).toBe(table);
    await expect(`${table}\n`).toMatchFileSnapshot('./ingest-errors.md');
  });
});

describe('api keys', () => {
  it('parses the key file and refuses malformed ones naming the setting', () => {
    const t = parseKeys('{"keys": {"k-0123456789abcdef": "acme", "k-fedcba9876543210": "acme"}}');
    expect([...t]).toEqual([
      ['k-0123456789abcdef', 'acme'],
      ['k-fedcba9876543210', 'acme'],
    ]);
    for (const bad of [
      'nope',
      '{}',
      '{"keys": []}',
      '{"keys": {}}',
      '{"keys": {"short": "t"}}',
      '{"keys": {"k-0123456789abcdef": "a b"}}',
    ]) {
      expect(() => parseKeys(bad), bad).toThrow(/SLUICE_INGEST_API_KEYS_FILE/);
    }
    expect(() => loadKeys('/nonexistent/keys.json')).toThrow(/SLUICE_INGEST_API_KEYS_FILE: cannot read/);
  });

  it('without a file accepts only the dev key', () => {
    const { table, dev } = loadKeys('');
    expect(dev).toBe(true);
    expect([...table]).toEqual([[DEV_KEY, DEV_TENANT]]);
  });

  it('reads the key from a Bearer header only', () => {
    expect(bearerKey('Bearer abc')).toBe('abc');
    expect(bearerKey('bearer  abc ')).toBe('abc');
    expect(bearerKey('Basic abc')).toBeUndefined();
    expect(bearerKey('Bearer a b')).toBeUndefined();
    expect(bearerKey(undefined)).toBeUndefined();
  });
});

describe('stampRecord', () => {
  it('appends the payload bytes unchanged as RawRecord field 1, for any payload length', () => {
    for (const n of [0, 1, 3, 200, 2000]) {
      const payload = encode(validPayload('agent-x', n + 1, 1_700_000_000_000, n));
      const record = stampRecord(payload, 'acme', 1_700_000_000_123);
      expect(record.subarray(record.length - payload.length).equals(payload)).toBe(true);
      const decoded = RawRecord.decode(record);
      expect(decoded.tenant).toBe('acme');
      expect(decoded.receivedMs).toBe(1_700_000_000_123);
      expect(AgentPayload.encode(decoded.payload!).finish()).toEqual(
        AgentPayload.encode(AgentPayload.decode(payload)).finish(),
      );
    }
  });
});
