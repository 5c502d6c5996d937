import { describe, expect, it } from 'vitest';
import type { IngestErrorCode } from '../../ingest/errors.ts';
import { type Limits, validatePayload } from '../../ingest/validate.ts';
import { AgentPayload, type IAgentPayload, Kind, type KindValue } from '../../proto/index.ts';
import { encode, gaugeSeries, validPayload } from './payloads.ts';

const NOW = 1_700_000_000_000;
const limits: Limits = {
  maxSeries: 5,
  maxLabels: 3,
  maxNameBytes: 32,
  maxLabelValueBytes: 16,
  maxSamplesPerSeries: 4,
  maxHistogramBuckets: 4,
  maxAgeMs: 3_600_000,
  maxFutureMs: 600_000,
};

function codeOf(bytes: Uint8Array): IngestErrorCode | 'ok' {
  const v = validatePayload(bytes, limits, NOW);
  return v.ok ? 'ok' : v.refusal.code;
}

function withSeries(...series: IAgentPayload['series'] & object): Buffer {
  return encode({ agentId: 'a1', seq: 1, series });
}

const t = NOW - 1000;

describe('validatePayload', () => {
  it('accepts a valid payload and counts its series and samples', () => {
    const v = validatePayload(encode(validPayload('a1', 7, NOW)), limits, NOW);
    expect(v.ok && { agentId: v.agentId, seq: v.seq, series: v.series, samples: v.samples }).toEqual({
      agentId: 'a1',
      seq: 7,
      series: 3,
      samples: 3,
    });
  });

  it('accepts unknown fields (forward compatibility) and an empty series list', () => {
    const bytes = Buffer.concat([encode({ agentId: 'a1', seq: 1 }), Buffer.from([0xf8, 0x06, 0x01])]);
    expect(codeOf(bytes)).toBe('ok');
  });

  it.each<[string, Uint8Array, IngestErrorCode]>([
    ['truncated bytes', Buffer.from([0x0a, 0x05, 0x61]), 'SLC_ERR_INGEST_DECODE'],
    ['an invalid wire type', Buffer.from([0x0f, 0x05, 0x61]), 'SLC_ERR_INGEST_DECODE'],
    ['text', Buffer.from('{"agentId": "a1"}'), 'SLC_ERR_INGEST_DECODE'],
    ['no agentId', encode({ seq: 1 }), 'SLC_ERR_INGEST_AGENT_ID_MISSING'],
    ['a 129-byte agentId', encode({ agentId: 'a'.repeat(129), seq: 1 }), 'SLC_ERR_INGEST_AGENT_ID_INVALID'],
    ['a newline in agentId', encode({ agentId: 'a\nb', seq: 1 }), 'SLC_ERR_INGEST_AGENT_ID_INVALID'],
    ['no seq', encode({ agentId: 'a1' }), 'SLC_ERR_INGEST_SEQ_MISSING'],
    ['seq 2^53', encode({ agentId: 'a1', seq: 2 ** 53 }), 'SLC_ERR_INGEST_SEQ_INVALID'],
    [
      '6 series',
      withSeries(...Array.from({ length: 6 }, (_, i) => gaugeSeries(`g${i}`, t))),
      'SLC_ERR_INGEST_TOO_MANY_SERIES',
    ],
    ['a metric name with a dash', withSeries(gaugeSeries('a-b', t)), 'SLC_ERR_INGEST_METRIC_NAME_INVALID'],
    [
      'a metric name with a digit first',
      withSeries(gaugeSeries('1a', t)),
      'SLC_ERR_INGEST_METRIC_NAME_INVALID',
    ],
    ['an empty metric name', withSeries(gaugeSeries('', t)), 'SLC_ERR_INGEST_METRIC_NAME_INVALID'],
    [
      'a 33-byte metric name',
      withSeries(gaugeSeries('a'.repeat(33), t)),
      'SLC_ERR_INGEST_METRIC_NAME_INVALID',
    ],
    [
      '4 labels',
      withSeries(gaugeSeries('g', t, 1, { a: '1', b: '2', c: '3', d: '4' })),
      'SLC_ERR_INGEST_TOO_MANY_LABELS',
    ],
    [
      'a label name with a colon',
      withSeries(gaugeSeries('g', t, 1, { 'a:b': '1' })),
      'SLC_ERR_INGEST_LABEL_NAME_INVALID',
    ],
    [
      'an empty label name',
      withSeries(gaugeSeries('g', t, 1, { '': '1' })),
      'SLC_ERR_INGEST_LABEL_NAME_INVALID',
    ],
    [
      'a reserved label name',
      withSeries(gaugeSeries('g', t, 1, { __name__: 'x' })),
      'SLC_ERR_INGEST_LABEL_NAME_RESERVED',
    ],
    [
      'a duplicate label',
      withSeries({
        ...gaugeSeries('g', t),
        labels: [
          { name: 'a', value: '1' },
          { name: 'a', value: '2' },
        ],
      }),
      'SLC_ERR_INGEST_LABEL_NAME_DUPLICATE',
    ],
    [
      'a 17-byte label value',
      withSeries(gaugeSeries('g', t, 1, { a: 'x'.repeat(17) })),
      'SLC_ERR_INGEST_LABEL_VALUE_TOO_LONG',
    ],
    [
      'a label value of 6 characters but 18 UTF-8 bytes',
      withSeries(gaugeSeries('g', t, 1, { a: '€€€€€€' })),
      'SLC_ERR_INGEST_LABEL_VALUE_TOO_LONG',
    ],
    ['kind unspecified', withSeries({ name: 'g', gauge: [{ tMs: t, v: 1 }] }), 'SLC_ERR_INGEST_KIND_INVALID'],
    [
      'kind 9',
      withSeries({ name: 'g', kind: 9 as KindValue, gauge: [{ tMs: t, v: 1 }] }),
      'SLC_ERR_INGEST_KIND_INVALID',
    ],
    [
      'a gauge with counter samples',
      withSeries({ ...gaugeSeries('g', t), counter: [{ tMs: t, v: 1 }] }),
      'SLC_ERR_INGEST_KIND_MISMATCH',
    ],
    [
      'a counter with gauge samples only',
      withSeries({ name: 'c', kind: Kind.COUNTER, gauge: [{ tMs: t, v: 1 }] }),
      'SLC_ERR_INGEST_KIND_MISMATCH',
    ],
    ['a series without samples', withSeries({ name: 'g', kind: Kind.GAUGE }), 'SLC_ERR_INGEST_SERIES_EMPTY'],
    [
      '5 samples',
      withSeries({
        name: 'g',
        kind: Kind.GAUGE,
        gauge: Array.from({ length: 5 }, (_, i) => ({ tMs: t - i, v: i })),
      }),
      'SLC_ERR_INGEST_TOO_MANY_SAMPLES',
    ],
    ['a NaN gauge', withSeries(gaugeSeries('g', t, Number.NaN)), 'SLC_ERR_INGEST_VALUE_NOT_FINITE'],
    [
      'an Inf gauge',
      withSeries(gaugeSeries('g', t, Number.POSITIVE_INFINITY)),
      'SLC_ERR_INGEST_VALUE_NOT_FINITE',
    ],
    [
      'a -Inf counter delta',
      withSeries({ name: 'c', kind: Kind.COUNTER, counter: [{ tMs: t, v: 1, d: Number.NEGATIVE_INFINITY }] }),
      'SLC_ERR_INGEST_VALUE_NOT_FINITE',
    ],
    [
      'a negative counter delta',
      withSeries({ name: 'c', kind: Kind.COUNTER, counter: [{ tMs: t, v: 1, d: -1 }] }),
      'SLC_ERR_INGEST_COUNTER_INVALID',
    ],
    [
      'a counter tp after t',
      withSeries({ name: 'c', kind: Kind.COUNTER, counter: [{ tMs: t, v: 1, d: 1, tpMs: t }] }),
      'SLC_ERR_INGEST_COUNTER_INVALID',
    ],
    [
      'a NaN histogram sum',
      withSeries({ name: 'h', kind: Kind.HISTOGRAM, histogram: [{ tMs: t, count: 1, sum: Number.NaN }] }),
      'SLC_ERR_INGEST_VALUE_NOT_FINITE',
    ],
    [
      'histogram schema 9',
      withSeries({ name: 'h', kind: Kind.HISTOGRAM, histogram: [{ tMs: t, count: 1, sum: 1, schema: 9 }] }),
      'SLC_ERR_INGEST_HISTOGRAM_INVALID',
    ],
    [
      '5 histogram buckets',
      withSeries({
        name: 'h',
        kind: Kind.HISTOGRAM,
        histogram: [{ tMs: t, count: 5, sum: 1, positive: { 1: 1, 2: 1, 3: 1 }, negative: { 1: 1, 2: 1 } }],
      }),
      'SLC_ERR_INGEST_HISTOGRAM_INVALID',
    ],
    [
      'a sample older than max age',
      withSeries(gaugeSeries('g', NOW - 3_600_001)),
      'SLC_ERR_INGEST_TIMESTAMP_TOO_OLD',
    ],
    ['a sample at time 0', withSeries(gaugeSeries('g', 0)), 'SLC_ERR_INGEST_TIMESTAMP_TOO_OLD'],
    [
      'a sample too far ahead',
      withSeries(gaugeSeries('g', NOW + 600_001)),
      'SLC_ERR_INGEST_TIMESTAMP_IN_FUTURE',
    ],
  ])('refuses %s', (_what, bytes, code) => {
    expect(codeOf(bytes)).toBe(code);
  });

  it('accepts the exact edges of every bound', () => {
    const edge = withSeries(
      gaugeSeries('a'.repeat(32), NOW - 3_600_000, 1, { a: 'x'.repeat(16), b: '€€€€€', _c: '' }),
      gaugeSeries('g:sub_total', NOW + 600_000),
      { name: 'g', kind: Kind.GAUGE, gauge: Array.from({ length: 4 }, (_, i) => ({ tMs: t - i, v: -i })) },
      { name: 'c', kind: Kind.COUNTER, counter: [{ tMs: t, v: 0, d: 0, tpMs: t - 1 }] },
      {
        name: 'h',
        kind: Kind.HISTOGRAM,
        histogram: [
          { tMs: t, count: 4, sum: -2, schema: -4, positive: { 1: 1, 2: 1 }, negative: { 1: 1, 2: 1 } },
        ],
      },
    );
    expect(codeOf(edge)).toBe('ok');
  });

  it('refuses invalid UTF-8 in any string field rather than replacing it', () => {
    const marker = 'zzzzzz';
    const cases: IAgentPayload[] = [
      { agentId: marker, seq: 1 },
      { agentId: 'a', seq: 1, series: [gaugeSeries(marker, t)] },
      { agentId: 'a', seq: 1, series: [gaugeSeries('g', t, 1, { [marker]: 'v' })] },
      { agentId: 'a', seq: 1, series: [gaugeSeries('g', t, 1, { l: marker })] },
      { agentId: 'a', seq: 1, host: { hostname: marker } },
    ];
    for (const c of cases) {
      const bytes = encode(c);
      const at = bytes.indexOf(marker);
      bytes[at + 2] = 0xc3; // a lead byte followed by ASCII: invalid
      expect(codeOf(bytes)).toBe('SLC_ERR_INGEST_UTF8_INVALID');
    }
  });

  it('reports where the problem is', () => {
    const v = validatePayload(
      withSeries(gaugeSeries('ok', t), gaugeSeries('bad', t, Number.NaN)),
      limits,
      NOW,
    );
    expect(v.ok ? undefined : v.refusal).toEqual({
      code: 'SLC_ERR_INGEST_VALUE_NOT_FINITE',
      message: 'series bad has a value NaN',
      detail: { series: 1, name: 'bad', sample: 0 },
    });
  });

  it('never throws on random bytes', () => {
    const good = encode(validPayload('a1', 1, NOW));
    let seed = 42;
    const rnd = () => {
      seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
      return seed;
    };
    for (let i = 0; i < 2000; i++) {
      const b = Buffer.from(good);
      for (let k = 0; k < 3; k++) b[rnd() % b.length] = rnd() & 0xff;
      const v = validatePayload(b, limits, NOW);
      if (v.ok) expect(AgentPayload.decode(b).agentId).toBe(v.agentId);
    }
  });
});
