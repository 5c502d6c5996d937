import { spawn } from 'node:child_process';
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

it('the agent process sends its passes to ingest, exits 0 on SIGTERM, and its seqs never repeat', async () => {
  const got: Array<{ seq: number; series: number; agentId: string }> = [];
  let refuse = true;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // The first request is turned away: the agent must retry it, not lose it.
      if (refuse) {
        refuse = false;
        res.writeHead(503, { 'retry-after': '0' }).end('{"error":"SLC_ERR_INGEST_UNAVAILABLE"}');
        return;
      }
      const p = AgentPayload.decode(gunzipSync(Buffer.concat(chunks)));
      got.push({ seq: Number(p.seq), series: p.series.length, agentId: p.agentId });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise((r) => server.close(r)));
  const stateDir = mkdtempSync(join(tmpdir(), 'sluice-agent-proc-'));
  cleanup.push(() => rmSync(stateDir, { recursive: true, force: true }));

  const start = () => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts/sluice.ts'), 'agent'], {
      cwd: ROOT,
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        SLUICE_AGENT_INTERVAL_S: '1',
        SLUICE_AGENT_LISTEN: '127.0.0.1:0',
        SLUICE_AGENT_STATE_DIR: stateDir,
        SLUICE_AGENT_INGEST_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
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
    return { child, exited, log: () => out };
  };

  const a = start();
  await until('three payloads from the first run', () => got.length >= 3, { describe: a.log });
  a.child.kill('SIGTERM');
  expect(await a.exited).toBe(0);
  const firstRun = got.length;

  // Second run on the same state directory: same agent id, seqs continue after the reservation.
  const b = start();
  await until('two payloads from the second run', () => got.length >= firstRun + 2, { describe: b.log });
  b.child.kill('SIGKILL');
  await b.exited;

  const seqs = got.map((g) => g.seq);
  expect(new Set(got.map((g) => g.agentId)).size).toBe(1);
  expect(seqs.slice(0, firstRun)).toEqual(Array.from({ length: firstRun }, (_, i) => i + 1));
  expect(seqs.slice(firstRun, firstRun + 2)).toEqual([1001, 1002]);
  expect(got.every((g) => g.series > 100)).toBe(true);
});
