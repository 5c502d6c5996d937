/**
 * `POST /v1/ingest`: method → kill switch → API key → content type and encoding → producer precheck →
 * body (bounded) → gunzip (bounded) → validation → stamp → Kafka. Each step can refuse with a code from
 * ingest/errors.ts; every refusal is answered as JSON, counted, and never throws out of the handler.
 *
 * The record written to Kafka is a RawRecord whose field 1 is the validated payload bytes, appended
 * unchanged (its wire form is that of `bytes`), so the processor decodes exactly what was validated.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { failpoint } from '../common/failpoints.ts';
import type { Logger } from '../common/log.ts';
import type { Handler } from '../common/service.ts';
import { RawRecord } from '../proto/index.ts';
import { type BackfillGovernor, parseAnnouncement } from './backfill.ts';
import { gunzipBounded, readBody } from './body.ts';
import type { AgentDropReports } from './drops.ts';
import { INGEST_ERRORS, type IngestErrorCode, type Refusal, refusal } from './errors.ts';
import { bearerKey, type KeyTable } from './keys.ts';
import type { IngestMetrics, UnavailableCause } from './metrics.ts';
import type { IngestProducer } from './producer.ts';
import { type Limits, validatePayload } from './validate.ts';

export const INGEST_PATH = '/v1/ingest';
/** The answer header carrying the asking agent's backfill grant, payload bytes/s (ingest/backfill.ts). */
export const BACKFILL_RATE_HEADER = 'sluice-backfill-rate';

export interface HandlerOptions {
  keys: KeyTable;
  limits: Limits;
  maxBodyBytes: number;
  maxDecompressedBytes: number;
  retryAfterS: number;
  refuseAll: boolean;
  producer: IngestProducer;
  metrics: IngestMetrics;
  log: Logger;
  /** Server-paced backfill: announcements in, the agent's grant out on every answer (ingest/backfill.ts). */
  backfill?: BackfillGovernor;
  /** Other routes on this port (ingest/admin.ts), asked for every path but /v1/ingest. */
  admin?: Handler;
  /** Agents' drop reports, taken from each accepted payload (ingest/drops.ts). */
  dropReports?: AgentDropReports;
  now?: () => number;
}

const UNAVAILABLE: Record<UnavailableCause, IngestErrorCode> = {
  refuse_all: 'SLC_ERR_INGEST_REFUSE_ALL',
  overloaded: 'SLC_ERR_INGEST_OVERLOADED',
  kafka_unavailable: 'SLC_ERR_INGEST_KAFKA_UNAVAILABLE',
  produce_timeout: 'SLC_ERR_INGEST_PRODUCE_TIMEOUT',
  shutting_down: 'SLC_ERR_INGEST_SHUTTING_DOWN',
};

/** Builds the RawRecord bytes: tenant and receive time, then field 1 = the payload bytes as received. */
export function stampRecord(payload: Uint8Array, tenant: string, receivedMs: number): Buffer {
  const w = RawRecord.encode({ tenant, receivedMs });
  const out = w
    .uint32((1 << 3) | 2)
    .bytes(payload)
    .finish();
  return Buffer.isBuffer(out) ? out : Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

export function ingestHandler(o: HandlerOptions): Handler {
  const now = o.now ?? Date.now;

  const answer = (res: ServerResponse, tenant: string, r: Refusal, cause?: UnavailableCause) => {
    const status = INGEST_ERRORS[r.code].status;
    o.metrics.requests.inc({ status: String(status) });
    o.metrics.rejected.inc({ reason: r.code, tenant });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (status === 405) headers.allow = 'POST';
    if (status === 503) {
      headers['retry-after'] = String(o.retryAfterS);
      o.metrics.unavailable.inc({ cause: cause ?? 'kafka_unavailable' });
    }
    if (cause === 'shutting_down') headers.connection = 'close';
    res.writeHead(status, headers).end(JSON.stringify({ error: r.code, message: r.message, ...r.detail }));
  };
  const unavailable = (res: ServerResponse, tenant: string, cause: UnavailableCause, message: string) =>
    answer(res, tenant, refusal(UNAVAILABLE[cause], message), cause);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Every answer, refusals included, carries the agent's backfill grant (set before any writeHead).
    const announced = parseAnnouncement(req.headers);
    o.metrics.laneRequests.inc({ lane: announced.lane });
    if (o.backfill) res.setHeader(BACKFILL_RATE_HEADER, o.backfill.observe(announced, performance.now()));
    if (req.method !== 'POST') {
      return answer(
        res,
        'unknown',
        refusal('SLC_ERR_INGEST_METHOD_NOT_ALLOWED', `${req.method} not allowed`),
      );
    }
    if (o.refuseAll) return unavailable(res, 'unknown', 'refuse_all', 'ingest is refusing all payloads');
    const key = bearerKey(req.headers.authorization);
    if (key === undefined) {
      return answer(res, 'unknown', refusal('SLC_ERR_INGEST_KEY_MISSING', 'no Bearer API key'));
    }
    const tenant = o.keys.get(key);
    if (tenant === undefined) {
      return answer(res, 'unknown', refusal('SLC_ERR_INGEST_KEY_UNKNOWN', 'unknown API key'));
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/x-protobuf') {
      return answer(
        res,
        tenant,
        refusal(
          'SLC_ERR_INGEST_CONTENT_TYPE',
          `content-type ${JSON.stringify(type)} is not application/x-protobuf`,
        ),
      );
    }
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity' && encoding !== 'gzip') {
      return answer(
        res,
        tenant,
        refusal(
          'SLC_ERR_INGEST_CONTENT_ENCODING',
          `content-encoding ${JSON.stringify(encoding)} is not gzip`,
        ),
      );
    }
    const early = o.producer.precheck();
    if (!early.ok) return unavailable(res, tenant, early.cause, `cannot accept now: ${early.cause}`);

    const wire = await readBody(req, o.maxBodyBytes);
    if (!wire.ok) return answer(res, tenant, wire.refusal);
    let body = wire.body;
    if (encoding === 'gzip') {
      const inflated = await gunzipBounded(body, o.maxDecompressedBytes);
      if (!inflated.ok) return answer(res, tenant, inflated.refusal);
      body = inflated.body;
    } else if (body.length > o.maxDecompressedBytes) {
      return answer(
        res,
        tenant,
        refusal('SLC_ERR_INGEST_DECOMPRESSED_TOO_LARGE', `payload exceeds ${o.maxDecompressedBytes} bytes`, {
          limit: o.maxDecompressedBytes,
        }),
      );
    }
    const receivedMs = now();
    const v = validatePayload(body, o.limits, receivedMs);
    if (!v.ok) return answer(res, tenant, v.refusal);

    const produceStart = performance.now();
    const produced = o.producer.tryProduce(v.agentId, stampRecord(body, tenant, receivedMs));
    o.backfill?.handedOver();
    const sent = await produced;
    if (sent.ok || sent.cause === 'produce_timeout')
      o.backfill?.latency((performance.now() - produceStart) / 1000);
    if (!sent.ok) return unavailable(res, tenant, sent.cause, `not acknowledged by Kafka: ${sent.cause}`);
    // Fault tests: die with the record in Kafka but no answer sent (the agent retries: a duplicate).
    failpoint('ingest.after-produce');
    o.metrics.requests.inc({ status: '204' });
    o.metrics.payloads.inc({ tenant });
    o.metrics.samples.inc({ tenant }, v.samples);
    o.metrics.receivedBytes.inc({ tenant, stage: 'wire' }, wire.body.length);
    o.metrics.receivedBytes.inc({ tenant, stage: 'payload' }, body.length);
    o.metrics.payloadBytes.observe(body.length);
    o.metrics.laneBytes.inc({ lane: announced.lane }, body.length);
    o.dropReports?.observe(tenant, v.agentId, v.payload.drops);
    res.writeHead(204).end();
  }

  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== INGEST_PATH) return o.admin ? o.admin(req, res) : false;
    try {
      await handle(req, res);
    } catch (err) {
      o.log.error({ err }, 'ingest handler failed');
      if (!res.headersSent) {
        o.metrics.requests.inc({ status: '500' });
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"SLC_ERR_INTERNAL"}');
      }
    }
    return true;
  };
}
