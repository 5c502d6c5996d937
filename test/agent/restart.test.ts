/**
 * The agent process with its disk buffer across restarts: payloads that ingest turned away (503 +
 * Retry-After) stay in the buffer and are sent after a restart, each exactly once, with the seq they
 * were built with; seqs after the restart are above every seq of the run before. Once after SIGTERM
 * (the bounded final send, then close) and once after kill -9 (no shutdown code at all).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, expect, it } from 'vitest';
import { AgentPayload } from '../../proto/index.ts';
import { until } from '../support/wait.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

interface Ingest {
  url: string;
  /** false: 503 + Retry-After: 1 (nothing recorded); true: 204 and the payload is recorded. */
  accept: boolean;
  /** Accepted payloads, in arrival order. */
  got: Array<{ seq: number; agentId: string }>;
  refused: number;
}

async function ingestStub(): Promise<Ingest> {
  const ingest: Ingest = { url: '', accept: false, got: [], refused: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!ingest.accept) {
        ingest.refused++;
        res.writeHead(503, { 'retry-after': '1' }).end('{"error":"SLC_ERR_INGEST_UNAVAILABLE"}');
        return;
      }
      const p = AgentPayload.decode(gunzipSync(Buffer.concat(chunks)));
      ingest.got.push({ seq: Number(p.seq), agentId: p.agentId });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise((r) => server.close(r)));
  ingest.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return ingest;
}

interface Run {
  child: ChildProcessWithoutNullStreams;
  exited: Promise<number | null>;
  /** Parsed JSON log lines so far. */
  lines(): Array<Record<string, unknown>>;
  text(): string;
  /** One gauge/counter value (only the process's constant labels) from the agent's /metrics. */
  metric(name: string): Promise<number | undefined>;
}

function startAgent(stateDir: string, ingest: Ingest, env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [join(ROOT, 'scripts/sluice.ts'), 'agent'], {
    cwd: ROOT,
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      SLUICE_AGENT_INTERVAL_S: '1',
      SLUICE_AGENT_LISTEN: '127.0.0.1:0',
      SLUICE_AGENT_STATE_DIR: stateDir,
      SLUICE_AGENT_INGEST_URL: ingest.url,
      SLUICE_AGENT_SHUTDOWN_FLUSH_MS: '1500',
      ...env,
    },
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  cleanup.push(() => child.kill('SIGKILL'));
  const lines = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const metric = async (name: string) => {
    const port = lines().find((l) => l.msg === 'agent started')?.http;
    if (typeof port !== 'number') return undefined;
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const m = new RegExp(`^${name}(?:\\{service="agent"\\})? (\\S+)$`, 'm').exec(text);
    return m ? Number(m[1]) : undefined;
  };
  return { child, exited, lines, text: () => out.slice(-4000), metric };
}

function logged(run: Run, msg: string): Record<string, unknown> {
  const line = run.lines().find((l) => l.msg === msg);
  if (!line) throw new Error(`no log line "${msg}" in: ${run.text()}`);
  return line;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function restartDelivers(stop: 'SIGTERM' | 'SIGKILL', env: Record<string, string> = {}) {
  const ingest = await ingestStub();
  const stateDir = mkdtempSync(join(tmpdir(), 'sluice-agent-restart-'));
  cleanup.push(() => rmSync(stateDir, { recursive: true, force: true }));

  // Run 1: ingest answers 503 + Retry-After: 1, so every payload stays in the buffer.
  const a = startAgent(stateDir, ingest, env);
  const built = await until(
    'three payloads buffered by the first run',
    async () => {
      const queued = await a.metric('sluice_agent_queue_payloads');
      return queued !== undefined && queued >= 3 ? queued : undefined;
    },
    { describe: a.text },
  );
  a.child.kill(stop);
  const code = await a.exited;
  expect(ingest.got).toEqual([]);
  expect(ingest.refused).toBeGreaterThan(0);

  // Run 2 on the same state directory: ingest accepts now.
  ingest.accept = true;
  const b = startAgent(stateDir, ingest, env);
  await until(
    'the buffered payloads and one new payload from the second run',
    () => ingest.got.some((g) => g.seq > 1000) && b.lines().some((l) => l.msg === 'disk buffer opened'),
    { describe: b.text },
  );
  b.child.kill('SIGTERM');
  expect(await b.exited).toBe(0);

  // What the second run found in the buffer: the first run's payloads, none of them sent.
  const reopened = logged(b, 'disk buffer opened');
  const buffered = reopened.payloads as number;
  expect(buffered).toBeGreaterThanOrEqual(built);
  const seqs = ingest.got.map((g) => g.seq);
  const old = seqs.filter((s) => s <= 1000);
  const fresh = seqs.filter((s) => s > 1000);
  // Every buffered payload exactly once, in order, no gaps; the second run's above all of them (its
  // reservation block starts at 1001), also in order without gaps or repeats. The second run's own
  // payloads are live and may overtake the backlog (live first: README "Backfill after an outage").
  expect(old).toEqual(range(1, buffered));
  expect(fresh).toEqual(range(1001, 1000 + fresh.length));
  expect(seqs).toHaveLength(old.length + fresh.length);
  expect(new Set(ingest.got.map((g) => g.agentId)).size).toBe(1);
  expect(reopened.recovery).toMatchObject({ truncatedBytes: 0 });
  return { code, first: a, buffered };
}

it('payloads ingest refused before a SIGTERM are sent after the restart, exactly once, seqs kept', async () => {
  const { code, first, buffered } = await restartDelivers('SIGTERM');
  expect(code).toBe(0);
  // The first run said, at shutdown, how many it kept for the next start: the ones the second found.
  expect(logged(first, 'unsent payloads kept in the disk buffer for the next start').payloads).toBe(buffered);
  expect(logged(first, 'disk buffer closed').payloads).toBe(buffered);
});

// fsync 'always': a kill -9 loses nothing under any policy (each append is written to the kernel
// before it returns; the page cache outlives the process), so the policy does not make this test pass.
// It runs 'always' so the process path that fdatasyncs every append (and every new segment and its
// directory) is exercised end to end, and so what it asserts is the guarantee 'always' gives against a
// power cut as well: every payload whose append returned before the process died is delivered.
it('payloads appended before a kill -9 are sent after the restart, exactly once, seqs kept', async () => {
  const { code, first } = await restartDelivers('SIGKILL', { SLUICE_AGENT_BUFFER_FSYNC: 'always' });
  expect(code).toBe(null);
  expect(first.lines().some((l) => l.msg === 'disk buffer closed')).toBe(false);
});

it('a second agent on the same buffer directory exits non-zero naming the directory', async () => {
  const ingest = await ingestStub();
  const stateDir = mkdtempSync(join(tmpdir(), 'sluice-agent-lock-'));
  cleanup.push(() => rmSync(stateDir, { recursive: true, force: true }));
  const a = startAgent(stateDir, ingest);
  await until('the first agent started', () => a.lines().some((l) => l.msg === 'agent started'), {
    describe: a.text,
  });
  const b = startAgent(stateDir, ingest);
  expect(await b.exited).toBe(1);
  const fatal = logged(
    b,
    `disk buffer directory ${join(stateDir, 'buffer')} is locked by pid ${a.child.pid}`,
  );
  expect(fatal).toMatchObject({ code: 'SLC_ERR_DISKBUFFER_LOCKED', holderPid: a.child.pid });
  a.child.kill('SIGTERM');
  expect(await a.exited).toBe(0);
});
