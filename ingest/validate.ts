/**
 * Payload validation: a pure function from the decompressed request bytes (and `now`) to either the
 * decoded payload or the first refusal found. No I/O, no clock: the caller passes `nowMs`.
 *
 * Strings are decoded strictly (the generated code calls protobufjs' `stringVerify`, a fatal UTF-8
 * decoder), so invalid UTF-8 is refused here rather than replaced with U+FFFD and forwarded; the bytes
 * ingest forwards are the bytes it validated. Unknown fields are allowed (forward compatibility) and pass
 * through unchanged.
 */
import {
  AgentPayload,
  type ICounterSample,
  type IHistogramSample,
  type ISeries,
  Kind,
} from '../proto/index.ts';
import { checkDrops } from './drops.ts';
import { type Refusal, refusal } from './errors.ts';

export interface Limits {
  maxSeries: number;
  maxLabels: number;
  maxNameBytes: number;
  maxLabelValueBytes: number;
  maxSamplesPerSeries: number;
  maxHistogramBuckets: number;
  /** Oldest accepted sample: `now - maxAgeMs`. */
  maxAgeMs: number;
  /** Newest accepted sample: `now + maxFutureMs`. */
  maxFutureMs: number;
}

export type DecodedPayload = ReturnType<typeof AgentPayload.decode>;

export type Verdict =
  | { ok: true; payload: DecodedPayload; agentId: string; seq: number; series: number; samples: number }
  | { ok: false; refusal: Refusal };

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_AGENT_ID_BYTES = 128;
const MIN_SCHEMA = -4;
const MAX_SCHEMA = 8;

/** Decodes and checks one payload. Never throws for any input bytes. */
export function validatePayload(bytes: Uint8Array, limits: Limits, nowMs: number): Verdict {
  let payload: DecodedPayload;
  try {
    payload = AgentPayload.decode(bytes);
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
      return fail(refusal('SLC_ERR_INGEST_UTF8_INVALID', 'a string field is not valid UTF-8'));
    }
    return fail(refusal('SLC_ERR_INGEST_DECODE', `not an AgentPayload: ${(err as Error).message}`));
  }
  const agentId = payload.agentId;
  if (agentId === '') return fail(refusal('SLC_ERR_INGEST_AGENT_ID_MISSING', 'agentId is empty'));
  if (Buffer.byteLength(agentId) > MAX_AGENT_ID_BYTES || CONTROL.test(agentId)) {
    return fail(
      refusal('SLC_ERR_INGEST_AGENT_ID_INVALID', 'agentId is too long or has control characters', {
        limit: MAX_AGENT_ID_BYTES,
      }),
    );
  }
  const seq = payload.seq as number;
  if (seq === 0) return fail(refusal('SLC_ERR_INGEST_SEQ_MISSING', 'seq is 0 or absent'));
  if (seq > Number.MAX_SAFE_INTEGER) {
    return fail(refusal('SLC_ERR_INGEST_SEQ_INVALID', 'seq is above 2^53-1'));
  }
  const badDrops = checkDrops(payload.drops);
  if (badDrops) return fail(badDrops);
  const series = payload.series;
  if (series.length > limits.maxSeries) {
    return fail(
      refusal('SLC_ERR_INGEST_TOO_MANY_SERIES', `${series.length} series > ${limits.maxSeries}`, {
        limit: limits.maxSeries,
        count: series.length,
      }),
    );
  }
  const window = { min: nowMs - limits.maxAgeMs, max: nowMs + limits.maxFutureMs };
  let samples = 0;
  for (let i = 0; i < series.length; i++) {
    const s = series[i]!;
    const r = checkIdentity(s, limits) ?? checkSamples(s, limits, window);
    if (typeof r !== 'number') return fail({ ...r, detail: { series: i, ...r.detail } });
    samples += r;
  }
  return { ok: true, payload, agentId, seq, series: series.length, samples };
}

function fail(r: Refusal): Verdict {
  return { ok: false, refusal: r };
}

function checkIdentity(s: ISeries, limits: Limits): Refusal | undefined {
  const name = s.name ?? '';
  if (name.length > limits.maxNameBytes || !METRIC_NAME.test(name)) {
    return refusal('SLC_ERR_INGEST_METRIC_NAME_INVALID', `metric name ${JSON.stringify(name)} is invalid`, {
      name: name.slice(0, limits.maxNameBytes),
    });
  }
  const labels = s.labels ?? [];
  if (labels.length > limits.maxLabels) {
    return refusal('SLC_ERR_INGEST_TOO_MANY_LABELS', `${labels.length} labels > ${limits.maxLabels}`, {
      name,
      limit: limits.maxLabels,
      count: labels.length,
    });
  }
  for (let j = 0; j < labels.length; j++) {
    const l = labels[j]!;
    const ln = l.name ?? '';
    if (ln.length > limits.maxNameBytes || !LABEL_NAME.test(ln)) {
      return refusal('SLC_ERR_INGEST_LABEL_NAME_INVALID', `label name ${JSON.stringify(ln)} is invalid`, {
        name,
        label: ln.slice(0, limits.maxNameBytes),
      });
    }
    if (ln.startsWith('__')) {
      return refusal('SLC_ERR_INGEST_LABEL_NAME_RESERVED', `label name ${ln} starts with __`, {
        name,
        label: ln,
      });
    }
    for (let k = 0; k < j; k++) {
      if (labels[k]!.name === ln) {
        return refusal('SLC_ERR_INGEST_LABEL_NAME_DUPLICATE', `label ${ln} appears twice`, {
          name,
          label: ln,
        });
      }
    }
    const v = l.value ?? '';
    // A UTF-16 unit is at most 3 UTF-8 bytes: measure only values that could be too long.
    if (v.length * 3 > limits.maxLabelValueBytes && Buffer.byteLength(v) > limits.maxLabelValueBytes) {
      return refusal('SLC_ERR_INGEST_LABEL_VALUE_TOO_LONG', `label ${ln} value is too long`, {
        name,
        label: ln,
        limit: limits.maxLabelValueBytes,
      });
    }
  }
  return undefined;
}

interface Window {
  min: number;
  max: number;
}

/** Returns the number of samples, or the refusal. */
function checkSamples(s: ISeries, limits: Limits, w: Window): number | Refusal {
  const name = s.name ?? '';
  const gauge = s.gauge ?? [];
  const counter = s.counter ?? [];
  const histogram = s.histogram ?? [];
  const kind = s.kind ?? Kind.KIND_UNSPECIFIED;
  let own: unknown[];
  let others: number;
  if (kind === Kind.GAUGE) [own, others] = [gauge, counter.length + histogram.length];
  else if (kind === Kind.COUNTER) [own, others] = [counter, gauge.length + histogram.length];
  else if (kind === Kind.HISTOGRAM) [own, others] = [histogram, gauge.length + counter.length];
  else {
    return refusal('SLC_ERR_INGEST_KIND_INVALID', `series ${name} has kind ${kind}`, {
      name,
      kind: Number(kind),
    });
  }
  if (others > 0) {
    return refusal('SLC_ERR_INGEST_KIND_MISMATCH', `series ${name} has samples of another kind`, { name });
  }
  if (own.length === 0)
    return refusal('SLC_ERR_INGEST_SERIES_EMPTY', `series ${name} has no samples`, { name });
  if (own.length > limits.maxSamplesPerSeries) {
    return refusal('SLC_ERR_INGEST_TOO_MANY_SAMPLES', `series ${name} has ${own.length} samples`, {
      name,
      limit: limits.maxSamplesPerSeries,
      count: own.length,
    });
  }
  for (let i = 0; i < own.length; i++) {
    const r =
      kind === Kind.GAUGE
        ? checkValues(name, [(gauge[i]!.v as number) ?? 0])
        : kind === Kind.COUNTER
          ? checkCounter(name, counter[i]!)
          : checkHistogram(name, histogram[i]!, limits);
    const t = (own[i] as { tMs?: number }).tMs ?? 0;
    const bad = r ?? checkTime(name, t, w);
    if (bad) return { ...bad, detail: { ...bad.detail, sample: i } };
  }
  return own.length;
}

function checkValues(name: string, values: Array<number | null | undefined>): Refusal | undefined {
  for (const v of values) {
    if (v != null && !Number.isFinite(v)) {
      return refusal('SLC_ERR_INGEST_VALUE_NOT_FINITE', `series ${name} has a value ${v}`, { name });
    }
  }
  return undefined;
}

function checkCounter(name: string, c: ICounterSample): Refusal | undefined {
  const bad = checkValues(name, [c.v, c.d]);
  if (bad) return bad;
  const t = (c.tMs as number) ?? 0;
  const tp = (c.tpMs as number) ?? 0;
  if ((c.d ?? 0) < 0 || tp < 0 || (tp !== 0 && tp >= t)) {
    return refusal('SLC_ERR_INGEST_COUNTER_INVALID', `counter ${name}: negative d or tp_ms not before t_ms`, {
      name,
    });
  }
  return undefined;
}

function checkHistogram(name: string, h: IHistogramSample, limits: Limits): Refusal | undefined {
  const bad = checkValues(name, [h.sum, h.zeroThreshold]);
  if (bad) return bad;
  const schema = h.schema ?? 0;
  const buckets = Object.keys(h.positive ?? {}).length + Object.keys(h.negative ?? {}).length;
  if (schema < MIN_SCHEMA || schema > MAX_SCHEMA || (h.zeroThreshold ?? 0) < 0) {
    return refusal('SLC_ERR_INGEST_HISTOGRAM_INVALID', `histogram ${name}: bad schema or zero threshold`, {
      name,
    });
  }
  if (buckets > limits.maxHistogramBuckets) {
    return refusal('SLC_ERR_INGEST_HISTOGRAM_INVALID', `histogram ${name}: ${buckets} buckets`, {
      name,
      limit: limits.maxHistogramBuckets,
      count: buckets,
    });
  }
  return undefined;
}

function checkTime(name: string, t: number, w: Window): Refusal | undefined {
  if (t < w.min) {
    return refusal('SLC_ERR_INGEST_TIMESTAMP_TOO_OLD', `series ${name}: sample at ${t} is too old`, {
      name,
      tMs: t,
      minMs: w.min,
    });
  }
  if (t > w.max) {
    return refusal('SLC_ERR_INGEST_TIMESTAMP_IN_FUTURE', `series ${name}: sample at ${t} is in the future`, {
      name,
      tMs: t,
      maxMs: w.max,
    });
  }
  return undefined;
}
