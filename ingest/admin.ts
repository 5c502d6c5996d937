/**
 * Runtime controls on the ingest port (SLUICE_INGEST_ADMIN=true), for operators and tests. Only clients
 * on a loopback address are served; anything else gets 403. Changes last until the process exits (its
 * environment holds the start values).
 *
 *   GET /admin/backfill                → {"maxBytesPerS", "headroomFraction", "budget", "agents", "latencyS"}
 *   PUT /admin/backfill   {"maxBytesPerS"?: int ≥ 0, "headroomFraction"?: 0..1}   → the same, after the change
 *   GET /admin/refuse-all              → {"refuseAll": bool}
 *   PUT /admin/refuse-all {"refuseAll": bool}  (the kill switch SLUICE_INGEST_REFUSE_ALL, at runtime)
 *
 * Refusals, as JSON `{"error": code, "message"}` and counted in
 * `sluice_ingest_admin_requests_total{status, reason}`: 403 SLC_ERR_INGEST_ADMIN_FORBIDDEN (not loopback),
 * 404 SLC_ERR_INGEST_ADMIN_NOT_FOUND, 405 SLC_ERR_INGEST_ADMIN_METHOD, 400 SLC_ERR_INGEST_ADMIN_INVALID
 * (body not JSON, unknown field, value out of range, body over 4 KiB).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../common/log.ts';
import type { Handler } from '../common/service.ts';
import type { BackfillGovernor, BackfillSettings } from './backfill.ts';
import type { IngestMetrics } from './metrics.ts';

export interface AdminOptions {
  backfill: BackfillGovernor;
  /** The handler's options object: its `refuseAll` is read on every request. */
  switches: { refuseAll: boolean };
  metrics: IngestMetrics;
  log: Logger;
}

const MAX_BODY = 4096;

type AdminCode =
  | 'SLC_ERR_INGEST_ADMIN_FORBIDDEN'
  | 'SLC_ERR_INGEST_ADMIN_NOT_FOUND'
  | 'SLC_ERR_INGEST_ADMIN_METHOD'
  | 'SLC_ERR_INGEST_ADMIN_INVALID';

const STATUS: Record<AdminCode, number> = {
  SLC_ERR_INGEST_ADMIN_FORBIDDEN: 403,
  SLC_ERR_INGEST_ADMIN_NOT_FOUND: 404,
  SLC_ERR_INGEST_ADMIN_METHOD: 405,
  SLC_ERR_INGEST_ADMIN_INVALID: 400,
};

class Invalid extends Error {}

/** Whether a peer address is a loopback address (IPv4 127/8, ::1, or IPv4-mapped 127/8). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.replace(/^::ffff:/, '');
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > MAX_BODY) throw new Invalid(`body over ${MAX_BODY} bytes`);
    chunks.push(c);
  }
  let v: unknown;
  try {
    v = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new Invalid('body is not JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Invalid('body is not a JSON object');
  return v as Record<string, unknown>;
}

function only(body: Record<string, unknown>, allowed: string[]): void {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length > 0)
    throw new Invalid(`unknown field(s) ${extra.join(', ')}; allowed: ${allowed.join(', ')}`);
}

function backfillChange(body: Record<string, unknown>): Partial<BackfillSettings> {
  only(body, ['maxBytesPerS', 'headroomFraction']);
  const out: Partial<BackfillSettings> = {};
  const { maxBytesPerS: rate, headroomFraction: f } = body;
  if (rate !== undefined) {
    if (typeof rate !== 'number' || !Number.isSafeInteger(rate) || rate < 0)
      throw new Invalid('maxBytesPerS must be an integer ≥ 0');
    out.maxBytesPerS = rate;
  }
  if (f !== undefined) {
    if (typeof f !== 'number' || !(f >= 0 && f <= 1)) throw new Invalid('headroomFraction must be in 0..1');
    out.headroomFraction = f;
  }
  return out;
}

/** The /admin/* routes; returns false for every other path. */
export function adminHandler(o: AdminOptions): Handler {
  const send = (res: ServerResponse, status: number, body: unknown, reason = 'ok') => {
    o.metrics.adminRequests.inc({ status: String(status), reason });
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const refuse = (res: ServerResponse, code: AdminCode, message: string) =>
    send(res, STATUS[code], { error: code, message }, code);
  const backfillState = () => ({
    ...o.backfill.settings,
    budget: o.backfill.budget(),
    agents: o.backfill.agents,
    latencyS: o.backfill.latencyS,
  });

  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path !== '/admin' && !path.startsWith('/admin/')) return false;
    if (!isLoopback(req.socket.remoteAddress)) {
      refuse(res, 'SLC_ERR_INGEST_ADMIN_FORBIDDEN', 'admin endpoints answer loopback clients only');
      return true;
    }
    const routes: Record<string, () => Promise<unknown>> = {
      'GET /admin/backfill': async () => backfillState(),
      'PUT /admin/backfill': async () => {
        const before = o.backfill.settings;
        const after = o.backfill.set(backfillChange(await readJson(req)));
        o.log.warn({ before, after }, 'backfill budget changed through /admin/backfill');
        return backfillState();
      },
      'GET /admin/refuse-all': async () => ({ refuseAll: o.switches.refuseAll }),
      'PUT /admin/refuse-all': async () => {
        const body = await readJson(req);
        only(body, ['refuseAll']);
        if (typeof body.refuseAll !== 'boolean') throw new Invalid('refuseAll must be true or false');
        o.switches.refuseAll = body.refuseAll;
        o.log.warn({ refuseAll: body.refuseAll }, 'kill switch changed through /admin/refuse-all');
        return { refuseAll: o.switches.refuseAll };
      },
    };
    const route = routes[`${req.method} ${path}`];
    if (!route) {
      if (routes[`GET ${path}`]) refuse(res, 'SLC_ERR_INGEST_ADMIN_METHOD', `${req.method} not allowed`);
      else refuse(res, 'SLC_ERR_INGEST_ADMIN_NOT_FOUND', `no admin endpoint ${path}`);
      return true;
    }
    try {
      send(res, 200, await route());
    } catch (err) {
      if (!(err instanceof Invalid)) throw err;
      refuse(res, 'SLC_ERR_INGEST_ADMIN_INVALID', err.message);
    }
    return true;
  };
}
