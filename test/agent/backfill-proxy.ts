/**
 * The recording proxy of acceptance tests 9 and 10, as its own process (run with `node`, not by vitest),
 * so that its clock stamps requests when they arrive, not when a busy test process gets to them.
 *
 *   node backfill-proxy.ts <ingestUrl>      prints "port <n>" once listening
 *
 * Every POST is forwarded to ingest as is (same path, headers and body) and its answer relayed (status,
 * Retry-After, Content-Type, Sluice-* headers); each is recorded as a Hit (backfill-support.ts).
 * `GET /__hits?from=N` answers the hits from index N on, as JSON; `GET /__lag` its event-loop delay.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { Pool } from 'undici';
import { AgentPayload } from '../../proto/index.ts';
import type { Hit } from './backfill-support.ts';

const ingestUrl = process.argv[2];
if (!ingestUrl) throw new Error('usage: backfill-proxy.ts <ingestUrl>');
const hits: Hit[] = [];
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const pool = new Pool(ingestUrl, { connections: 256 });

const server = createServer((req, res) => {
  const arriveMs = Date.now();
  if (req.method === 'GET' && req.url === '/__lag') {
    const ms = (ns: number) => Math.round(ns / 1e6);
    res.end(`p99 ${ms(loopDelay.percentile(99))} ms, max ${ms(loopDelay.max)} ms`);
    return;
  }
  if (req.method === 'GET' && req.url?.startsWith('/__hits')) {
    const from = Number(new URL(req.url, 'http://x').searchParams.get('from') ?? 0);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(hits.slice(from)));
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    const body = Buffer.concat(chunks);
    const raw = gunzipSync(body);
    const p = AgentPayload.decode(raw);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
    try {
      const answer = await pool.request({ path: req.url ?? '/', method: 'POST', headers, body });
      const text = await answer.body.text();
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(answer.headers))
        if (typeof v === 'string' && (k === 'retry-after' || k === 'content-type' || k.startsWith('sluice-')))
          out[k] = v;
      const grant = out['sluice-backfill-rate'];
      hits.push({
        agent: p.agentId,
        seq: Number(p.seq),
        lane: String(req.headers['sluice-lane']),
        backlog: Number(req.headers['sluice-backlog']),
        bytes: raw.length,
        sampleMs: Number(p.series[0]?.gauge?.[0]?.tMs ?? 0),
        arriveMs,
        doneMs: Date.now(),
        status: answer.statusCode,
        grant: grant === undefined ? undefined : Number(grant),
      });
      res.writeHead(answer.statusCode, out).end(text);
    } catch {
      req.socket.destroy();
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`port ${(server.address() as AddressInfo).port}\n`);
});
