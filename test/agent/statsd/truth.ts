/**
 * Ground truth for the StatsD end-to-end test (e2e.test.ts), computed from what the test sent and the
 * schema-3 bucket definition, with no code of the agent.
 */
import { createSocket } from 'node:dgram';
import type { Doc } from '../../../common/mongo.ts';

export const TENANT = 'apps';

/** A UDP port free right now (bound and released). */
export async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Bucket index from the schema-3 definition: bucket i covers (2^((i-1)/8), 2^(i/8)] of |x|. */
export const bucket = (x: number) => Math.ceil(Math.log2(Math.abs(x)) * 8);

export interface Truth {
  kind: 'gauge' | 'counter' | 'histogram';
  labels: Record<string, string>;
  v?: number;
  /** Histogram observations with their weight (1 / sample rate). */
  obs?: Array<[number, number]>;
}

export function expectedDoc(name: string, t: Truth, tMs: number): Record<string, unknown> {
  const doc: Record<string, unknown> = { tenant: TENANT, name, kind: t.kind, n: 1 };
  if (t.kind === 'histogram') {
    const hp: Record<string, number> = {};
    const hn: Record<string, number> = {};
    let hc = 0;
    let hs = 0;
    let hz = 0;
    for (const [x, w] of t.obs ?? []) {
      hc += w;
      hs += x * w;
      if (x === 0) hz += w;
      else {
        const side = x > 0 ? hp : hn;
        side[bucket(x)] = (side[bucket(x)] ?? 0) + w;
      }
    }
    return {
      ...doc,
      hc,
      hs,
      hz,
      ...(Object.keys(hp).length ? { hp } : {}),
      ...(Object.keys(hn).length ? { hn } : {}),
    };
  }
  const v = t.v as number;
  const d = t.kind === 'counter' ? v : 0; // a counter's first sample: its increment counts, v = d
  Object.assign(doc, { sum: v, sumsq: v * v, min: v, max: v, first: { t: tMs, v, d, r: false } });
  Object.assign(doc, { last: { t: tMs, v, d, tp: 0 } });
  return t.kind === 'counter' ? { ...doc, inc: v, resets: 0 } : doc;
}

/** Merges a series' 1-minute documents (the passes may straddle a minute boundary) into one. */
export function merged(docs: Doc[]): Record<string, unknown> {
  const out: Record<string, unknown> = { n: 0 };
  const add = (k: string, v: unknown) => {
    out[k] = ((out[k] as number | undefined) ?? 0) + Number(v ?? 0);
  };
  const byT = [...docs].sort((x, y) => (x.start as Date).getTime() - (y.start as Date).getTime());
  for (const d of byT) {
    for (const k of ['n', 'sum', 'inc', 'hc', 'hs', 'hz']) if (k in d) add(k, d[k]);
    for (const side of ['hp', 'hn'])
      for (const [i, c] of Object.entries((d[side] ?? {}) as Record<string, number>)) {
        out[side] ??= {};
        const m = out[side] as Record<string, number>;
        m[i] = (m[i] ?? 0) + c;
      }
    if ('min' in d) out.min = Math.min((out.min as number | undefined) ?? Number.POSITIVE_INFINITY, d.min);
    if ('max' in d) out.max = Math.max((out.max as number | undefined) ?? Number.NEGATIVE_INFINITY, d.max);
    out.first ??= d.first;
    if (d.last) out.last = d.last;
  }
  return out;
}
