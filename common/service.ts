/**
 * One lifecycle and one operations port for every Sluice process.
 *
 * `startHttp` serves `/metrics` (Prometheus), `/healthz` (the process is alive), `/readyz` (it can do
 * its work now: 503 with the reason when not), then the service's own routes. `runService` wires
 * SIGTERM/SIGINT to a graceful, idempotent close with a deadline: stop intake → finish or hand back
 * in-flight work → close clients, each step in its own try/catch, in the order they were registered
 * in reverse. A second signal, or the deadline, exits at once with code 1.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from './log.ts';
import type { Registry } from './metrics.ts';

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean;
export interface Readiness {
  ok: boolean;
  reason?: string;
}

export interface HttpOptions {
  listen: string;
  registry: Registry;
  log: Logger;
  ready: () => Readiness;
  /** The service's own routes; returns true when it handled the request. */
  routes?: Handler;
}

export function splitHostPort(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  return { host: listen.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(listen.slice(i + 1)) };
}

export async function startHttp(opts: HttpOptions): Promise<Server> {
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const path = (req.url ?? '/').split('?')[0];
        if (req.method === 'GET' && path === '/metrics') {
          const body = await opts.registry.metrics();
          res.writeHead(200, { 'content-type': opts.registry.contentType }).end(body);
        } else if (req.method === 'GET' && path === '/healthz') {
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
        } else if (req.method === 'GET' && path === '/readyz') {
          const r = opts.ready();
          res
            .writeHead(r.ok ? 200 : 503, { 'content-type': 'text/plain' })
            .end(r.ok ? 'ready\n' : `not ready: ${r.reason}\n`);
        } else if (!(opts.routes && (await opts.routes(req, res)))) {
          res
            .writeHead(404, { 'content-type': 'application/json' })
            .end('{"error":"SLC_ERR_HTTP_NOT_FOUND"}');
        }
      } catch (err) {
        opts.log.error({ err }, 'request handler failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"error":"SLC_ERR_INTERNAL"}');
      }
    })();
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 60_000;
  const { host, port } = splitHostPort(opts.listen);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** Stops accepting connections and waits for in-flight requests (bounded by the caller's deadline). */
export function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

export interface Lifecycle {
  /** Registers a shutdown step; steps run in reverse order of registration. */
  onClose(label: string, step: () => Promise<unknown> | unknown): void;
  /** Idempotent: every call returns the same promise. */
  close(reason: string): Promise<void>;
  readonly closing: boolean;
}

export function createLifecycle(log: Logger): Lifecycle {
  const steps: Array<{ label: string; step: () => Promise<unknown> | unknown }> = [];
  let closing: Promise<void> | undefined;
  return {
    onClose(label, step) {
      steps.push({ label, step });
    },
    get closing() {
      return closing !== undefined;
    },
    close(reason) {
      closing ??= (async () => {
        log.info({ reason }, 'shutting down');
        for (const { label, step } of [...steps].reverse()) {
          try {
            await step();
            log.debug({ step: label }, 'shutdown step done');
          } catch (err) {
            log.error({ err, step: label }, 'shutdown step failed');
          }
        }
        log.info('shutdown complete');
      })();
      return closing;
    },
  };
}

/**
 * Runs a service: SIGTERM/SIGINT close it within `deadlineMs`; an uncaught error is logged and closes
 * it with exit code 1. Exit code 0 after a clean close.
 */
export function handleSignals(life: Lifecycle, log: Logger, deadlineMs = 30_000): void {
  let code = 0;
  const shutdown = (reason: string) => {
    if (life.closing) {
      log.warn({ reason }, 'second signal: exiting now');
      process.exit(1);
    }
    const timer = setTimeout(() => {
      log.error({ deadlineMs }, 'shutdown deadline passed: exiting');
      process.exit(1);
    }, deadlineMs);
    timer.unref();
    void life.close(reason).then(() => process.exit(code));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception');
    code = 1;
    shutdown('uncaughtException');
  });
  process.on('unhandledRejection', (err) => {
    log.fatal({ err }, 'unhandled rejection');
    code = 1;
    shutdown('unhandledRejection');
  });
}
