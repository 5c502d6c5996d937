import { describe, expect, it } from 'vitest';
import { defineSchema, loadConfig } from '../../common/config.ts';
import { ConfigError } from '../../common/errors.ts';

const schema = defineSchema({
  SLUICE_TEST_PORT: { kind: 'int', default: 9400, min: 1, max: 65535, doc: 'a port' },
  SLUICE_TEST_URL: { kind: 'url', default: 'mongodb://x/', schemes: ['mongodb'], doc: 'a url' },
  SLUICE_TEST_LIST: { kind: 'list', default: ['a:1'], doc: 'a list' },
  SLUICE_TEST_FLAG: { kind: 'bool', default: false, doc: 'a flag' },
});

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig(schema, env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('config', () => {
  it('applies defaults and parses values', () => {
    expect(loadConfig(schema, {})).toEqual({
      SLUICE_TEST_PORT: 9400,
      SLUICE_TEST_URL: 'mongodb://x/',
      SLUICE_TEST_LIST: ['a:1'],
      SLUICE_TEST_FLAG: false,
    });
    const c = loadConfig(schema, {
      SLUICE_TEST_PORT: '80',
      SLUICE_TEST_LIST: 'a:1, b:2',
      SLUICE_TEST_FLAG: 'yes',
    });
    expect([c.SLUICE_TEST_PORT, c.SLUICE_TEST_LIST, c.SLUICE_TEST_FLAG]).toEqual([80, ['a:1', 'b:2'], true]);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it.each([
    [{ SLUICE_TEST_PORT: 'x' }, 'SLUICE_TEST_PORT', 'not a number'],
    [{ SLUICE_TEST_PORT: '1.5' }, 'SLUICE_TEST_PORT', 'not an integer'],
    [{ SLUICE_TEST_PORT: '70000' }, 'SLUICE_TEST_PORT', 'above the maximum'],
    [{ SLUICE_TEST_URL: 'http://x/' }, 'SLUICE_TEST_URL', 'scheme must be'],
    [{ SLUICE_TEST_FLAG: 'maybe' }, 'SLUICE_TEST_FLAG', 'not a boolean'],
    [{ SLUICE_TEST_PROT: '1' }, 'SLUICE_TEST_PROT', 'unknown setting'],
  ])('refuses %o naming the setting', (env, setting, why) => {
    const e = refusal(env);
    expect(e.setting).toBe(setting);
    expect(e.code).toBe('SLC_ERR_CONFIG_INVALID');
    expect(e.message).toContain(why);
  });
});
