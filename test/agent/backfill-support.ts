/**
 * Support for acceptance tests 9 and 10 (server-paced backfill, agent-buffer-notes §5): the pipeline as
 * separate processes with ingest's admin endpoints on, a recording proxy in front of ingest, synthetic
 * payloads whose every value follows from (agent, seq, time) so the test computes the ground truth
 * itself, and the rollups read back from the store.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type Pipeline, startPipeline as startServices } from '../support/pipeline.ts';

export type { Pipeline };

import { until } from '../support/wait.ts';
import type { Hit } from './backfill-synth.ts';

export { encode, type Hit, synthPayload } from './backfill-synth.ts';

export const KEY = 'backfill-key-0123456789abcdef';
export const TENANT = 'acme';

/** ingest (admin endpoints on, `ingestEnv` added) + processor + connect on a unique prefix and database. */
export function startPipeline(
  name: string,
  dir: string,
  ingestEnv: Record<string, string>,
): Promise<Pipeline> {
  return startServices({
    name,
    keys: { [KEY]: TENANT },
    keysDir: dir,
    rawPartitions: 4,
    ingestEnv: { SLUICE_INGEST_ADMIN: 'true', ...ingestEnv },
  });
}

/** PUT/GET on ingest's /admin/* (loopback). */
export async function admin(
  ingestUrl: string,
  path: string,
  body?: object,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${ingestUrl}${path}`, {
    method: body ? 'PUT' : 'GET',
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export interface Child {
  child: ChildProcessWithoutNullStreams;
  exited: Promise<number | null>;
  /** The tail of what it wrote (stdout and stderr), for failure messages. */
  out(): string;
}

/**
 * Runs a test helper (`node <file> ...args`); `onLine` gets every stdout line. A larger young generation
 * (fewer scavenges) keeps the helpers' event-loop stalls, which bunch their requests, below ~50 ms here.
 */
export function spawnHelper(file: string, args: string[], onLine: (line: string) => void): Child {
  const child = spawn(process.execPath, [
    '--no-warnings',
    '--max-semi-space-size=32',
    new URL(file, import.meta.url).pathname,
    ...args,
  ]);
  let text = '';
  let partial = '';
  child.stdout.on('data', (d: Buffer) => {
    text = (text + d).slice(-20_000);
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) onLine(l);
  });
  child.stderr.on('data', (d: Buffer) => {
    text = (text + d).slice(-20_000);
  });
  // 'close', not 'exit': every line it wrote has been read by then.
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return { child, exited, out: () => text.slice(-3000) };
}

/** The recording proxy (backfill-proxy.ts) in its own process; `refresh()` fetches the hits so far. */
export async function startProxy(ingestUrl: string) {
  let port = 0;
  const proc = spawnHelper('./backfill-proxy.ts', [ingestUrl], (l) => {
    if (l.startsWith('port ')) port = Number(l.slice(5));
  });
  await until('the proxy listening', () => port > 0, { describe: proc.out });
  const url = `http://127.0.0.1:${port}`;
  const hits: Hit[] = [];
  return {
    url,
    hits,
    pid: proc.child.pid,
    /** Appends the hits recorded since the last call to `hits` and returns it. */
    async refresh(): Promise<Hit[]> {
      const more = (await (await fetch(`${url}/__hits?from=${hits.length}`)).json()) as Hit[];
      hits.push(...more);
      return hits;
    },
    /** Its event-loop delay so far ("p99 … ms, max … ms"). */
    lag: async () => (await fetch(`${url}/__lag`)).text(),
    async close() {
      proc.child.kill('SIGKILL');
      await proc.exited;
    },
  };
}

/** CPU seconds (user + system) a live process has used so far, from /proc (clock ticks of 10 ms). */
export function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Quantile q (0..1) of `xs`, nearest rank. */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? Number.NaN;
}
