/**
 * packaging/sluice-agent.service: the settings the install notes promise, a stop timeout above the
 * agent's own shutdown bound (flush + margin, agent/main.ts), the example config accepted by
 * check-config, and — where systemd-analyze exists (Debian CI: systemd 252) — `systemd-analyze verify`
 * accepting the unit without a warning. verify needs ExecStart's binary to exist, so it checks a copy
 * whose /usr/local/bin/sluice-agent (the install notes' symlink) points at this checkout's agent/cli.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { resolveAgentConfig, validateAgentConfig } from '../../agent/configfile.ts';
import { SHUTDOWN_MARGIN_MS } from '../../agent/main.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const UNIT = join(ROOT, 'packaging/sluice-agent.service');
const EXAMPLE = join(ROOT, 'packaging/agent.yaml');

/** The unit as section → key → values (a key may repeat, e.g. SystemCallFilter). */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  let section: Map<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = new Map();
      out.set(header[1] as string, section);
      continue;
    }
    const eq = line.indexOf('=');
    if (!section || eq < 0) throw new Error(`not a unit line: ${line}`);
    const key = line.slice(0, eq);
    section.set(key, [...(section.get(key) ?? []), line.slice(eq + 1)]);
  }
  return out;
}

function seconds(v: string): number {
  const m = /^(\d+)(s|min)?$/.exec(v);
  if (!m) throw new Error(`unsupported time span ${v}`);
  return Number(m[1]) * (m[2] === 'min' ? 60 : 1);
}

it('the unit restarts, stops with SIGTERM after the agent has had time to flush, and is hardened', () => {
  const unit = parseUnit(readFileSync(UNIT, 'utf8'));
  const svc = unit.get('Service') as Map<string, string[]>;
  const one = (k: string) => {
    const v = svc.get(k);
    expect(v, k).toHaveLength(1);
    return (v as string[])[0] as string;
  };
  expect(one('Type')).toBe('simple');
  expect(one('ExecStart')).toBe('/usr/local/bin/sluice-agent run --config /etc/sluice/agent.yaml');
  expect(one('Restart')).toBe('always');
  expect(seconds(one('RestartSec'))).toBeGreaterThan(0);
  expect(one('KillSignal')).toBe('SIGTERM');
  expect(one('User')).toBe('sluice-agent');
  expect(one('StateDirectory')).toBe('sluice-agent');
  expect(one('ReadWritePaths')).toBe('/var/lib/sluice-agent');
  for (const [k, v] of [
    ['NoNewPrivileges', 'yes'],
    ['ProtectSystem', 'strict'],
    ['PrivateTmp', 'yes'],
    ['PrivateDevices', 'yes'],
    ['ProtectHome', 'read-only'],
    ['CapabilityBoundingSet', ''],
  ])
    expect(one(k as string), k).toBe(v);
  // The lock is an abstract Unix socket: AF_UNIX must stay allowed, and no private network namespace.
  expect(one('RestrictAddressFamilies').split(' ')).toContain('AF_UNIX');
  expect(svc.has('PrivateNetwork')).toBe(false);
  expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);

  // Stop: the agent exits by itself within shutdown_flush_ms + SHUTDOWN_MARGIN_MS of SIGTERM; systemd
  // must not SIGKILL it before that, for the example config's flush and for the default.
  const example = resolveAgentConfig(EXAMPLE, {});
  validateAgentConfig(example);
  expect(example.config.SLUICE_AGENT_STATE_DIR).toBe('/var/lib/sluice-agent');
  const defaults = resolveAgentConfig(undefined, {}).config;
  const bound = Math.max(
    example.config.SLUICE_AGENT_SHUTDOWN_FLUSH_MS,
    defaults.SLUICE_AGENT_SHUTDOWN_FLUSH_MS,
  );
  expect(seconds(one('TimeoutStopSec')) * 1000).toBeGreaterThan(bound + SHUTDOWN_MARGIN_MS);

  // Where systemd's own parser is available, it must accept every line (no "Unknown key", no bad value).
  const probe = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  if (probe.error) {
    console.log('systemd-analyze not installed: the unit was checked by the parser above only');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'sluice-unit-'));
  try {
    const copy = join(dir, 'sluice-agent.service');
    writeFileSync(
      copy,
      readFileSync(UNIT, 'utf8').replaceAll('/usr/local/bin/sluice-agent', join(ROOT, 'agent/cli.ts')),
    );
    const r = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8', timeout: 30_000 });
    expect({ status: r.status, output: `${r.stdout}${r.stderr}` }).toEqual({ status: 0, output: '' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
