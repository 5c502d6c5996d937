/**
 * The ingest error-code registry: every refusal ingest answers carries one of these codes in its JSON
 * body (`{"error": "<code>", "message": "...", ...detail}`) and in `sluice_ingest_rejected_total{reason}`.
 * Codes are part of the API: never renamed or reused; add new ones at the end of their group.
 * `errorTableMarkdown()` renders the README table; a test keeps it stable.
 */

export interface ErrorSpec {
  status: number;
  description: string;
}

export const INGEST_ERRORS = {
  // HTTP shape
  SLC_ERR_INGEST_METHOD_NOT_ALLOWED: { status: 405, description: 'Only POST is accepted on /v1/ingest.' },
  SLC_ERR_INGEST_KEY_MISSING: {
    status: 401,
    description: 'No `Authorization: Bearer <api key>` header.',
  },
  SLC_ERR_INGEST_KEY_UNKNOWN: { status: 401, description: 'The API key is not in the key file.' },
  SLC_ERR_INGEST_CONTENT_TYPE: {
    status: 415,
    description: 'Content-Type is not `application/x-protobuf`.',
  },
  SLC_ERR_INGEST_CONTENT_ENCODING: {
    status: 415,
    description: 'Content-Encoding is neither absent/`identity` nor `gzip`.',
  },
  SLC_ERR_INGEST_BODY_TOO_LARGE: {
    status: 413,
    description: 'The body as sent exceeds SLUICE_INGEST_MAX_BODY_BYTES.',
  },
  SLC_ERR_INGEST_DECOMPRESSED_TOO_LARGE: {
    status: 413,
    description: 'The payload exceeds SLUICE_INGEST_MAX_DECOMPRESSED_BYTES (after gunzip, if gzipped).',
  },
  SLC_ERR_INGEST_GZIP_INVALID: { status: 400, description: 'The body is not valid gzip.' },
  // Payload structure
  SLC_ERR_INGEST_DECODE: { status: 400, description: 'The body is not a protobuf `AgentPayload`.' },
  SLC_ERR_INGEST_UTF8_INVALID: { status: 400, description: 'A string field is not valid UTF-8.' },
  SLC_ERR_INGEST_AGENT_ID_MISSING: { status: 400, description: '`agent_id` is empty.' },
  SLC_ERR_INGEST_AGENT_ID_INVALID: {
    status: 400,
    description: '`agent_id` is longer than 128 bytes or contains control characters.',
  },
  SLC_ERR_INGEST_SEQ_MISSING: {
    status: 400,
    description: '`seq` is 0 (proto3 cannot tell 0 from absent; agents number payloads from 1).',
  },
  SLC_ERR_INGEST_SEQ_INVALID: { status: 400, description: '`seq` is above 2^53 − 1.' },
  SLC_ERR_INGEST_TOO_MANY_SERIES: {
    status: 400,
    description: 'More series in one payload than SLUICE_INGEST_MAX_SERIES.',
  },
  SLC_ERR_INGEST_DROPS_INVALID: {
    status: 400,
    description:
      'The drop report (`drops`) has a zero epoch, more than 32 counts, a reason not matching `^[a-z][a-z0-9_]{0,63}$` or given twice, a count above 2^53 − 1, or a time range with min > max.',
  },
  // Series identity
  SLC_ERR_INGEST_METRIC_NAME_INVALID: {
    status: 400,
    description:
      'A metric name does not match `^[a-zA-Z_:][a-zA-Z0-9_:]*$` or exceeds SLUICE_INGEST_MAX_NAME_BYTES.',
  },
  SLC_ERR_INGEST_TOO_MANY_LABELS: {
    status: 400,
    description: 'A series has more labels than SLUICE_INGEST_MAX_LABELS.',
  },
  SLC_ERR_INGEST_LABEL_NAME_INVALID: {
    status: 400,
    description:
      'A label name does not match `^[a-zA-Z_][a-zA-Z0-9_]*$` or exceeds SLUICE_INGEST_MAX_NAME_BYTES.',
  },
  SLC_ERR_INGEST_LABEL_NAME_RESERVED: {
    status: 400,
    description: 'A label name starts with `__` (reserved for Sluice and PromQL).',
  },
  SLC_ERR_INGEST_LABEL_NAME_DUPLICATE: { status: 400, description: 'A series names the same label twice.' },
  SLC_ERR_INGEST_LABEL_VALUE_TOO_LONG: {
    status: 400,
    description: 'A label value exceeds SLUICE_INGEST_MAX_LABEL_VALUE_BYTES (UTF-8 bytes).',
  },
  // Samples
  SLC_ERR_INGEST_KIND_INVALID: {
    status: 400,
    description: 'A series kind is unspecified or unknown (must be GAUGE, COUNTER or HISTOGRAM).',
  },
  SLC_ERR_INGEST_KIND_MISMATCH: {
    status: 400,
    description: "A series carries samples in a list other than its kind's.",
  },
  SLC_ERR_INGEST_SERIES_EMPTY: { status: 400, description: "A series has no samples in its kind's list." },
  SLC_ERR_INGEST_TOO_MANY_SAMPLES: {
    status: 400,
    description: 'A series has more samples than SLUICE_INGEST_MAX_SAMPLES_PER_SERIES.',
  },
  SLC_ERR_INGEST_VALUE_NOT_FINITE: {
    status: 400,
    description: 'A sample value is NaN or ±Inf (not accepted for now, staleness markers included).',
  },
  SLC_ERR_INGEST_COUNTER_INVALID: {
    status: 400,
    description: 'A counter sample has a negative delta `d`, or a previous time `tp_ms` not before `t_ms`.',
  },
  SLC_ERR_INGEST_HISTOGRAM_INVALID: {
    status: 400,
    description:
      'A histogram sample has a schema outside −4..8, a negative zero threshold, or more buckets than SLUICE_INGEST_MAX_HISTOGRAM_BUCKETS.',
  },
  SLC_ERR_INGEST_TIMESTAMP_TOO_OLD: {
    status: 400,
    description: 'A sample is older than SLUICE_INGEST_MAX_AGE_S.',
  },
  SLC_ERR_INGEST_TIMESTAMP_IN_FUTURE: {
    status: 400,
    description: 'A sample is further ahead than SLUICE_INGEST_MAX_FUTURE_S.',
  },
  // Availability (always with Retry-After; the agent keeps the payload and retries)
  SLC_ERR_INGEST_REFUSE_ALL: {
    status: 503,
    description: 'The kill switch SLUICE_INGEST_REFUSE_ALL is on.',
  },
  SLC_ERR_INGEST_OVERLOADED: {
    status: 503,
    description: 'In-flight bytes reached SLUICE_INGEST_MAX_INFLIGHT_BYTES.',
  },
  SLC_ERR_INGEST_KAFKA_UNAVAILABLE: {
    status: 503,
    description: 'The Kafka producer is not connected, or the produce failed.',
  },
  SLC_ERR_INGEST_PRODUCE_TIMEOUT: {
    status: 503,
    description:
      'No Kafka ack within SLUICE_INGEST_PRODUCE_TIMEOUT_MS. The record may still be written; the retry is deduplicated by (agentId, seq).',
  },
  SLC_ERR_INGEST_SHUTTING_DOWN: { status: 503, description: 'This ingest process is shutting down.' },
} as const satisfies Record<string, ErrorSpec>;

export type IngestErrorCode = keyof typeof INGEST_ERRORS;

/** A refusal: the code, a human message, and machine-readable detail merged into the JSON body. */
export interface Refusal {
  code: IngestErrorCode;
  message: string;
  detail?: Record<string, string | number>;
}

export function refusal(
  code: IngestErrorCode,
  message: string,
  detail?: Record<string, string | number>,
): Refusal {
  return detail === undefined ? { code, message } : { code, message, detail };
}

/** The README table of ingest error codes, in registry order. */
export function errorTableMarkdown(): string {
  const lines = ['| code | HTTP status | meaning |', '| --- | --- | --- |'];
  for (const [code, spec] of Object.entries(INGEST_ERRORS) as Array<[string, ErrorSpec]>) {
    lines.push(`| \`${code}\` | ${spec.status} | ${spec.description.replaceAll('|', '\\|')} |`);
  }
  return lines.join('\n');
}
