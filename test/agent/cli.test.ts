/**
 * `sluice-agent check-config` and the config file (agent/configfile.ts): the file maps to the same
 * schema as the environment, unknown keys and bad values are refused naming the key, the environment
 * overrides the file; exit codes 0/1/2. The drain estimate (agent/status.ts) as a pure function.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveAgentConfig, validateAgentConfig } from '../../agent/configfile.ts';
import { drainEstimate } from '../../agent/status.ts';
import { ConfigError } from '../../common/errors.ts';

const CLI = new URL('../../agent/cli.ts', import.meta.url).pathname;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function file(text: string, name = 'agent.yaml'): string {
  const d = mkdtempSync(join(tmpdir(), 'sluice-agent-cli-'));
  dirs.push(d);
  const path = join(d, name);
  writeFileSync(path, text);
  return path;
}

/** The environment without any agent setting, so the host's variables do not leak into a test. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('SLUICE_AGENT_') && k !== 'LOG_LEVEL') env[k] = v;
  return { ...env, ...extra };
}

function refusal(path: string, env: NodeJS.ProcessEnv = cleanEnv()): ConfigError {
  try {
    validateAgentConfig(resolveAgentConfig(path, env));
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('accepted');
}

function cli(args: string[], env: NodeJS.ProcessEnv = cleanEnv()) {
  const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('config file', () => {
  it('maps keys to the schema, types values, and the environment overrides it', () => {
    const path = file(
      'ingest_url: http://ingest.test:9400\ninterval_s: 7\napi_key: "0123"\nlog_level: debug\nbuffer_max_bytes: 2097152\n',
    );
    const r = resolveAgentConfig(path, cleanEnv({ SLUICE_AGENT_INTERVAL_S: '9', SLUICE_AGENT_JOB: '' }));
    expect(r.config.SLUICE_AGENT_INGEST_URL).toBe('http://ingest.test:9400');
    expect(r.config.SLUICE_AGENT_INTERVAL_S).toBe(9);
    expect(r.config.SLUICE_AGENT_API_KEY).toBe('0123');
    expect(r.config.LOG_LEVEL).toBe('debug');
    expect(r.config.SLUICE_AGENT_BUFFER_MAX_BYTES).toBe(2_097_152);
    expect(r.config.SLUICE_AGENT_JOB).toBe('node'); // an empty variable is unset: the default
    expect(r.sources).toMatchObject({
      SLUICE_AGENT_INGEST_URL: 'file',
      SLUICE_AGENT_INTERVAL_S: 'env',
      SLUICE_AGENT_JOB: 'default',
      LOG_LEVEL: 'file',
    });
  });

  it('reads JSON (valid YAML) and an empty file as all defaults', () => {
    const r = resolveAgentConfig(file('{"interval_s": 30, "job": "db"}', 'agent.json'), cleanEnv());
    expect([r.config.SLUICE_AGENT_INTERVAL_S, r.config.SLUICE_AGENT_JOB]).toEqual([30, 'db']);
    expect(resolveAgentConfig(file('# nothing yet\n'), cleanEnv()).config.SLUICE_AGENT_INTERVAL_S).toBe(15);
  });

  it.each([
    ['intervl_s: 3\n', 'intervl_s', 'unknown key'],
    ['SLUICE_AGENT_INTERVAL_S: 3\n', 'SLUICE_AGENT_INTERVAL_S', 'unknown key'],
    ['interval_s: 0\n', 'interval_s', 'below the minimum 1 (got "0")'],
    ['interval_s: 1.5\n', 'interval_s', 'not an integer'],
    ['ingest_url: ftp://x\n', 'ingest_url', 'scheme must be one of http, https'],
    ['listen: nowhere\n', 'listen', 'not host:port'],
    ['interval_s:\n', 'interval_s', 'no value'],
    ['interval_s: {a: 1}\n', 'interval_s', 'a int is expected, not object'],
    ['job: [a, b]\n', 'job', 'a string is expected, not a list'],
    ['buffer_fsync: sometimes\n', 'buffer_fsync', 'must be one of always, interval, never'],
    ['disk_exclude: "(unclosed"\n', 'disk_exclude', 'not a valid regular expression'],
    ['job: a\njob: b\n', '--config', 'Map keys must be unique'],
    ['- a\n- b\n', '--config', 'must hold a mapping'],
  ])('refuses %j naming %s', (text, setting, why) => {
    const err = refusal(file(text));
    expect(err.setting).toBe(setting);
    expect(err.message).toContain(why);
  });

  it('names the variable when the bad value comes from the environment', () => {
    const err = refusal(file('interval_s: 5\n'), cleanEnv({ SLUICE_AGENT_INTERVAL_S: 'soon' }));
    expect(err.setting).toBe('SLUICE_AGENT_INTERVAL_S');
    const unknown = refusal(file(''), cleanEnv({ SLUICE_AGENT_INTERVL_S: '5' }));
    expect(unknown.setting).toBe('SLUICE_AGENT_INTERVL_S');
  });
});

describe('sluice-agent check-config', () => {
  it('exits 0 with every setting and its source (API key redacted)', () => {
    const path = file('interval_s: 5\napi_key: secret-key-123\n');
    const r = cli(['check-config', '--config', path, '--json'], cleanEnv({ SLUICE_AGENT_JOB: 'web' }));
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out);
    expect(o.ok).toBe(true);
    expect(o.config.SLUICE_AGENT_INTERVAL_S).toBe(5);
    expect(o.config.SLUICE_AGENT_API_KEY).toBe('(redacted)');
    expect(o.config.SLUICE_AGENT_JOB).toBe('web');
    expect([o.sources.SLUICE_AGENT_INTERVAL_S, o.sources.SLUICE_AGENT_JOB]).toEqual(['file', 'env']);
    expect(r.out).not.toContain('secret-key-123');
    const text = cli(['check-config', '--config', path]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^configuration OK/);
    expect(text.out).toMatch(/SLUICE_AGENT_INTERVAL_S +file +5\n/);
  });

  it('exits 1 naming the bad key; 2 on a usage error; run exits 2 on a bad configuration', () => {
    const path = file('interval_s: 5\nbuffer_max_byte: 10\n');
    const r = cli(['check-config', '--config', path]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^invalid configuration: buffer_max_byte: unknown key in /);
    const j = cli(['check-config', '--json', '--config', path]);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.out)).toMatchObject({
      ok: false,
      setting: 'buffer_max_byte',
      code: 'SLC_ERR_CONFIG_INVALID',
    });
    expect(cli(['check-config', '--config', file('')], cleanEnv({ SLUICE_AGENT_INTERVAL_S: '0' })).code).toBe(
      1,
    );
    // Checked by check-config, not only when the agent binds it.
    const statsd = cli(['check-config', '--json', '--config', file('statsd_listen: localhost\n')]);
    expect(statsd.code).toBe(1);
    expect(JSON.parse(statsd.out)).toMatchObject({ ok: false, setting: 'statsd_listen' });
    expect(cli(['check-config', '--bogus']).code).toBe(2);
    expect(cli(['frobnicate']).code).toBe(2);
    expect(cli([]).code).toBe(2);
    const run = cli(['run', '--config', path]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.err.trim())).toMatchObject({ level: 'fatal', setting: 'buffer_max_byte' });
  });
});

describe('drain estimate', () => {
  const s = (t: number, sent: number, appended: number, bytes: number) => ({
    monoMs: t * 1000,
    sent,
    appended,
    bytes,
  });

  it('draining: backlog / (send rate − append rate); full ETA only while growing', () => {
    // 60 s: 300 sent, 60 appended → net 4/s; 400 payloads left → 100 s.
    const e = drainEstimate([s(0, 0, 0, 9e6), s(60, 300, 60, 8e6)], 400, 8e6, 1e8);
    expect(e).toEqual({
      state: 'draining',
      etaS: 100,
      sendPerS: 5,
      appendPerS: 1,
      windowS: 60,
      fullEtaS: undefined,
    });
  });

  it('not draining while ingest refuses; the bound is reached at the growth rate', () => {
    // 10 s: nothing sent, 20 appended, +1 MB → 0.1 MB/s; 50 MB free → 500 s.
    const e = drainEstimate([s(0, 5, 100, 5e7), s(10, 5, 120, 5.1e7)], 120, 5e7, 1e8);
    expect(e).toEqual({
      state: 'not draining',
      etaS: undefined,
      sendPerS: 0,
      appendPerS: 2,
      windowS: 10,
      fullEtaS: 500,
    });
  });

  it('empty is 0 s; under a second of history the rate is unknown', () => {
    expect(drainEstimate([s(0, 0, 0, 0), s(5, 3, 3, 0)], 0, 0, 1e6)).toMatchObject({
      state: 'empty',
      etaS: 0,
    });
    expect(drainEstimate([s(0, 0, 0, 0)], 3, 10, 1e6)).toMatchObject({ state: 'unknown', etaS: undefined });
    expect(drainEstimate([], 0, 0, 1e6)).toMatchObject({ state: 'empty', etaS: 0 });
  });
});
