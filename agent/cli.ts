#!/usr/bin/env node
/**
 * `sluice-agent <command> [--config FILE] [--json]` (package.json `bin`; Node.js ≥ 24 runs the .ts):
 *
 *   run            the agent (agent/main.ts) until SIGTERM/SIGINT
 *   check-config   validates the configuration (file + environment) and prints it with each value's
 *                  source (the API key redacted)
 *   status         what the agent has buffered and how the drain goes (agent/status.ts): from the
 *                  running agent's GET /status, else read-only from the buffer directory
 *
 * `--config FILE`: YAML settings (agent/configfile.ts); the environment overrides the file.
 * `--json`: check-config and status print one JSON object instead of text.
 *
 * Exit codes:
 *   0  run: clean shutdown · check-config: valid · status: read from the running agent
 *   1  run: failed (the buffer or state directory is held by another agent: the message names its
 *      pid) · check-config: invalid (the message names the setting or file key) · status: invalid
 *      configuration, or no buffer directory
 *   2  usage error; run: invalid configuration (as every Sluice service, scripts/sluice.ts)
 *   3  status: no agent is running; figures read from the buffer directory's files
 *   4  status: an agent holds the buffer but its HTTP port did not answer; approximate figures
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import '../scripts/services.ts'; // every service's schema: loadConfig refuses unknown SLUICE_* variables
import { ConfigError, SluiceError } from '../common/errors.ts';
import {
  bufferDirOf,
  type ResolvedConfig,
  resolveAgentConfig,
  SECRET_SETTINGS,
  stateDirOf,
  validateAgentConfig,
} from './configfile.ts';
import { holder, inspect, peek } from './diskbuffer/index.ts';
import {
  type AgentStatus,
  nullForUndefined,
  readPublishedAddress,
  statusFromInspection,
  statusFromPeek,
} from './status.ts';

const USAGE = 'usage: sluice-agent run|status|check-config [--config FILE] [--json]';
const STATUS_TIMEOUT_MS = 2000;

function size(n: number | undefined): string {
  if (n === undefined) return '?';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

function duration(s: number): string {
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  return `${(s / 86_400).toFixed(1)} d`;
}

function when(ms: number | undefined, now: number): string {
  if (ms === undefined || ms === null) return 'unknown';
  const ago = (now - ms) / 1000;
  return `${new Date(ms).toISOString()} (${ago >= 0 ? `${duration(ago)} ago` : `${duration(-ago)} ahead`})`;
}

function rate(r: number | undefined): string {
  return r === undefined || r === null ? '?' : `${r.toFixed(2)}/s`;
}

/** The text form of a status (the JSON form is the object itself). */
export function formatStatus(s: AgentStatus): string {
  const from = {
    agent: `from the running agent, pid ${s.pid}`,
    files: 'no agent running: read from the buffer files',
    'files-while-running': `agent pid ${s.pid} did not answer: approximate, from the buffer files`,
  }[s.source];
  const b = s.buffer;
  const d = s.drain;
  const approx = b.approximate ? '~' : '';
  const notAgent = s.source === 'files' ? 'n/a (no agent running)' : 'unknown (agent not answering)';
  const drain =
    d.state === 'draining'
      ? `draining, ETA ${duration(d.etaS ?? 0)} (sending ${rate(d.sendPerS)}, appending ${rate(d.appendPerS)} over ${Math.round(d.windowS)} s)`
      : d.state === 'not draining'
        ? `NOT draining (sending ${rate(d.sendPerS)}, appending ${rate(d.appendPerS)} over ${Math.round(d.windowS)} s)`
        : d.state;
  const lines = [
    `sluice-agent status (${from})`,
    `agent id       ${s.agentId ?? 'unknown'}${s.version ? ` (version ${s.version})` : ''}`,
    `buffer         ${s.bufferDir}`,
    `buffered       ${approx}${b.payloads} payloads, ${size(b.bytes)} of ${size(b.maxBytes)} in ${b.segments} segment(s)${b.memoryBytes ? `, ${size(b.memoryBytes)} in memory` : ''}`,
    `oldest sample  ${b.payloads === 0 ? 'none buffered' : when(b.oldestSampleMs, s.nowMs)}`,
    `drain          ${drain}`,
    ...(d.fullEtaS !== undefined && d.fullEtaS !== null
      ? [`full in        ${duration(d.fullEtaS)} at the current growth`]
      : []),
    `last send      ${s.source === 'agent' ? (s.lastSendMs ? when(s.lastSendMs, s.nowMs) : 'none since start') : notAgent}`,
  ];
  const drops = Object.entries(s.drops);
  if (drops.length === 0) lines.push('drops          none');
  for (const [i, [reason, c]] of drops.entries()) {
    const range = c.minTimeMs
      ? `, samples ${new Date(c.minTimeMs).toISOString()} – ${new Date(c.maxTimeMs ?? c.minTimeMs).toISOString()}`
      : '';
    lines.push(
      `${i === 0 ? 'drops          ' : '               '}${reason}: ${c.payloads} payloads, ${c.samples} samples${range}`,
    );
  }
  lines.push(
    `degraded       ${s.degraded ? `${s.degraded.code} since ${when(s.degraded.sinceMs, s.nowMs)}: ${s.degraded.message}` : s.source === 'agent' ? 'no' : notAgent}`,
  );
  if (s.note) lines.push(`note           ${s.note}`);
  return lines.join('\n');
}

function fatal(fields: Record<string, unknown>): void {
  console.error(JSON.stringify({ level: 'fatal', service: 'agent', ...fields }));
}

function configError(err: ConfigError, json: boolean): void {
  if (json)
    console.log(JSON.stringify({ ok: false, code: err.code, setting: err.setting, error: err.message }));
  else console.error(`invalid configuration: ${err.message}`);
}

function load(path: string | undefined): ResolvedConfig {
  const r = resolveAgentConfig(path);
  validateAgentConfig(r);
  return r;
}

async function run(path: string | undefined): Promise<number> {
  let r: ResolvedConfig;
  try {
    r = load(path);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    fatal({ code: err.code, setting: err.setting, msg: err.message });
    return 2;
  }
  // Fast refusal, before the agent's modules load: a LOCK naming a live holder, read without binding
  // the lock (the open in main.ts takes the lock for real and refuses the same way, e.g. when two
  // start together and LOCK does not name the winner yet).
  const dir = bufferDirOf(r.config);
  const h = holder(dir);
  if (h.info && h.info.pid !== process.pid && h.alive) {
    const msg = `disk buffer directory ${dir} is locked by pid ${h.info.pid}`;
    fatal({ code: 'SLC_ERR_DISKBUFFER_LOCKED', dir, holderPid: h.info.pid, msg });
    return 1;
  }
  const { main } = await import('./main.ts');
  try {
    await main({ env: r.env });
  } catch (err) {
    const e = err as SluiceError;
    if (err instanceof SluiceError) fatal({ code: e.code, msg: e.message });
    else fatal({ msg: String((err as Error)?.stack ?? err) });
    return 1;
  }
  return -1; // running: the process exits from its signal handler
}

function checkConfig(path: string | undefined, json: boolean): number {
  let r: ResolvedConfig;
  try {
    r = load(path);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    configError(err, json);
    return 1;
  }
  const shown: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r.config)) shown[k] = SECRET_SETTINGS.has(k) ? '(redacted)' : v;
  if (json) {
    console.log(JSON.stringify({ ok: true, config: shown, sources: r.sources }));
    return 0;
  }
  console.log(
    `configuration OK${path ? ` (file ${path}, environment overrides it)` : ' (environment only)'}`,
  );
  for (const [k, v] of Object.entries(shown))
    console.log(`${k.padEnd(40)} ${r.sources[k]?.padEnd(8)} ${JSON.stringify(v)}`);
  return 0;
}

async function fetchStatus(host: string, port: number): Promise<AgentStatus> {
  const h = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const url = `http://${h.includes(':') ? `[${h}]` : h}:${port}/status`;
  const res = await fetch(url, { signal: AbortSignal.timeout(STATUS_TIMEOUT_MS) });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return (await res.json()) as AgentStatus;
}

function readAgentId(stateDir: string): string | undefined {
  try {
    return readFileSync(join(stateDir, 'agent-id'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

async function status(path: string | undefined, json: boolean): Promise<number> {
  let r: ResolvedConfig;
  try {
    r = load(path);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    configError(err, json);
    return 1;
  }
  const dir = bufferDirOf(r.config);
  const stateDir = stateDirOf(r.config);
  const maxBytes = r.config.SLUICE_AGENT_BUFFER_MAX_BYTES;
  const agentId = readAgentId(stateDir);
  const h = holder(dir);
  let s: AgentStatus;
  let code: number;
  if (h.info && (h.alive || h.socketBound)) {
    const published = readPublishedAddress(stateDir);
    const listen = r.config.SLUICE_AGENT_LISTEN;
    const i = listen.lastIndexOf(':');
    const addr =
      published?.pid === h.info.pid
        ? { host: published.host, port: published.port }
        : { host: listen.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(listen.slice(i + 1)) };
    try {
      if (addr.port === 0) throw new Error('listen port 0 and no published address');
      s = await fetchStatus(addr.host, addr.port);
      code = 0;
    } catch (err) {
      s = statusFromPeek(dir, peek(dir), h.info.pid, maxBytes, agentId, (err as Error).message);
      code = 4;
    }
  } else {
    try {
      s = statusFromInspection(inspect(dir), maxBytes, agentId);
    } catch (err) {
      const msg = `cannot read the disk buffer directory ${dir}: ${(err as Error).message}`;
      if (json) console.log(JSON.stringify({ ok: false, error: msg }));
      else console.error(msg);
      return 1;
    }
    code = 3;
  }
  console.log(json ? JSON.stringify(s, nullForUndefined) : formatStatus(s));
  return code;
}

let args: ReturnType<typeof parseArgs>;
try {
  args = parseArgs({
    options: { config: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
const [command, ...extra] = args.positionals;
const path = args.values.config as string | undefined;
const json = args.values.json === true;
function usage(): number {
  console.error(USAGE);
  return 2;
}

const commands: Record<string, () => number | Promise<number>> = {
  run: () => run(path),
  'check-config': () => checkConfig(path, json),
  status: () => status(path, json),
};
const chosen = command === undefined || extra.length > 0 ? undefined : commands[command];
const code = chosen ? await chosen() : usage();
if (code >= 0) process.exit(code);
