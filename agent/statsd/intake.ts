/**
 * The thin driver of StatsD intake: a UDP socket and the `POST /v1/statsd` route of the agent's HTTP
 * server feed lines to the aggregator; the agent's pass drains it (agent.ts). Everything that decides
 * is in parse.ts and aggregate.ts.
 *
 * Delivery: a line recorded here is in the payload of the next pass (appended to the disk buffer in the
 * same synchronous step as the drain), from where the agent's guarantees hold. Before that it lives
 * only in memory: a `kill -9` loses the lines of the current interval (at most once); SIGTERM closes
 * intake first and runs one more pass (main.ts), so a graceful stop loses nothing that was answered
 * 204. UDP itself may drop datagrams before they reach the socket (kernel buffer full): not seen, not
 * counted — that is UDP; the HTTP route answers for every line.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../common/log.ts';
import type { Counter, Gauge } from '../../common/metrics.ts';
import { splitHostPort } from '../../common/service.ts';
import type { ISeries } from '../../proto/index.ts';
import type { StatsdAggregator } from './aggregate.ts';
import { STATSD_HTTP_ERRORS, type StatsdHttpError } from './errors.ts';
import { parseLine, splitLines } from './parse.ts';

export const STATSD_PATH = '/v1/statsd';

/** The agent metrics intake moves (agent/metrics.ts declares them). */
export interface StatsdMetrics {
  statsdPackets: Counter<'transport'>;
  statsdLines: Counter<'transport'>;
  statsdErrors: Counter<'reason'>;
  statsdSeries: Gauge;
  statsdListening: Gauge;
}

export interface IntakeOptions {
  aggregator: StatsdAggregator;
  metrics: StatsdMetrics;
  log: Logger;
  maxPacketBytes: number;
  maxBodyBytes: number;
}

export interface IngestResult {
  recorded: number;
  /** reason → lines. */
  refused: Record<string, number>;
  /** The first refused line (1-based) and its reason. */
  first?: { line: number; reason: string };
}

type Transport = 'udp' | 'http';

export class StatsdIntake {
  readonly #o: IntakeOptions;
  readonly #utf8 = new TextDecoder('utf-8', { fatal: true });
  #socket: Socket | undefined;
  #closed = false;

  constructor(o: IntakeOptions) {
    this.#o = o;
    o.metrics.statsdListening.set(0);
  }

  /** Whether lines wait for the next pass. */
  get pending(): boolean {
    return this.#o.aggregator.pending;
  }

  /** The interval's series (see StatsdAggregator.drain); called by the agent's pass. */
  drain(nowMs: number): ISeries[] {
    const out = this.#o.aggregator.drain(nowMs);
    this.#o.metrics.statsdSeries.set(this.#o.aggregator.size);
    return out;
  }

  /** Records every line of one packet or body; each line stands alone (a bad one refuses only itself). */
  ingest(text: string, transport: Transport): IngestResult {
    const { aggregator, metrics } = this.#o;
    const result: IngestResult = { recorded: 0, refused: {} };
    const lines = splitLines(text);
    for (let i = 0; i < lines.length; i++) {
      const p = parseLine(lines[i] as string);
      const reason = p.ok ? aggregator.record(p.metric) : p.error;
      if (reason === undefined) {
        result.recorded++;
        continue;
      }
      metrics.statsdErrors.inc({ reason });
      result.refused[reason] = (result.refused[reason] ?? 0) + 1;
      result.first ??= { line: i + 1, reason };
    }
    if (result.recorded > 0) metrics.statsdLines.inc({ transport }, result.recorded);
    metrics.statsdSeries.set(aggregator.size);
    return result;
  }

  /** Feeds one datagram. */
  packet(msg: Uint8Array): void {
    const { metrics } = this.#o;
    metrics.statsdPackets.inc({ transport: 'udp' });
    if (msg.length > this.#o.maxPacketBytes) {
      metrics.statsdErrors.inc({ reason: 'packet_too_large' });
      return;
    }
    let text: string;
    try {
      text = this.#utf8.decode(msg);
    } catch {
      metrics.statsdErrors.inc({ reason: 'utf8_invalid' });
      return;
    }
    this.ingest(text, 'udp');
  }

  /**
   * Binds the UDP listener. A failure (port taken, address not local) is logged and leaves
   * sluice_agent_statsd_listening at 0: the agent's host metrics must not stop for it. Returns the
   * bound address, or undefined.
   */
  async listenUdp(listen: string): Promise<AddressInfo | undefined> {
    const { host, port } = splitHostPort(listen);
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
    socket.on('message', (msg) => {
      if (!this.#closed) this.packet(msg);
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(port, host, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      socket.close();
      this.#o.log.error(
        { err, listen },
        'StatsD UDP listener not started: app metrics over UDP are not received',
      );
      return undefined;
    }
    socket.on('error', (err) => this.#o.log.error({ err }, 'StatsD UDP socket error'));
    this.#socket = socket;
    this.#o.metrics.statsdListening.set(1);
    return socket.address();
  }

  /** The `POST /v1/statsd` route for the agent's HTTP server (common/service.ts `routes`). */
  readonly route = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if ((req.url ?? '/').split('?')[0] !== STATSD_PATH) return false;
    const { metrics } = this.#o;
    if (req.method !== 'POST') return answer(res, 'SLC_ERR_STATSD_METHOD_NOT_ALLOWED', {}, { allow: 'POST' });
    const enc = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (enc !== 'identity') return answer(res, 'SLC_ERR_STATSD_CONTENT_ENCODING', {});
    metrics.statsdPackets.inc({ transport: 'http' });
    const body = await readBounded(req, this.#o.maxBodyBytes);
    if (body === 'aborted') return true;
    if (body === 'too_large') {
      metrics.statsdErrors.inc({ reason: 'body_too_large' });
      req.resume();
      return answer(
        res,
        'SLC_ERR_STATSD_BODY_TOO_LARGE',
        { limit: this.#o.maxBodyBytes },
        { connection: 'close' },
      );
    }
    if (this.#closed) return answer(res, 'SLC_ERR_STATSD_SHUTTING_DOWN', {});
    let text: string;
    try {
      text = this.#utf8.decode(body);
    } catch {
      metrics.statsdErrors.inc({ reason: 'utf8_invalid' });
      return answer(res, 'SLC_ERR_STATSD_UTF8_INVALID', {});
    }
    const r = this.ingest(text, 'http');
    if (r.first === undefined) {
      res.writeHead(204).end();
      return true;
    }
    return answer(res, 'SLC_ERR_STATSD_LINES_REFUSED', {
      recorded: r.recorded,
      refused: r.refused,
      first: r.first,
    });
  };

  /** Stops intake: the UDP socket closes, the route answers 503. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    const s = this.#socket;
    this.#socket = undefined;
    this.#o.metrics.statsdListening.set(0);
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}

function answer(
  res: ServerResponse,
  code: StatsdHttpError,
  detail: Record<string, unknown>,
  headers: Record<string, string> = {},
): true {
  const e = STATSD_HTTP_ERRORS[code];
  res
    .writeHead(e.status, { 'content-type': 'application/json', ...headers })
    .end(JSON.stringify({ error: code, message: e.description, ...detail }));
  return true;
}

/**
 * The body; `too_large` as soon as it is longer than `max` bytes (by Content-Length or as read: the
 * rest is read and discarded, so the answer reaches the client); `aborted` when the client went away.
 */
function readBounded(req: IncomingMessage, max: number): Promise<Buffer | 'too_large' | 'aborted'> {
  if (Number(req.headers['content-length'] ?? 0) > max) return Promise.resolve('too_large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let n = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      n += c.length;
      if (n > max) {
        over = true;
        chunks.length = 0;
        resolve('too_large');
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, n)));
    // After 'end' or a resolve above this changes nothing (a promise settles once).
    req.on('close', () => resolve('aborted'));
    req.on('error', () => resolve('aborted'));
  });
}
