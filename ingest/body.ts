/**
 * Reading a request body with hard bounds: the bytes as sent (SLUICE_INGEST_MAX_BODY_BYTES) and, for
 * gzip, the bytes after decompression (SLUICE_INGEST_MAX_DECOMPRESSED_BYTES). zlib stops inflating as
 * soon as the output passes the bound, so a gzip bomb costs at most the bound in memory, never more.
 */
import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';
import { type Refusal, refusal } from './errors.ts';

export type BodyResult = { ok: true; body: Buffer } | { ok: false; refusal: Refusal };

/**
 * Reads the whole body, or refuses once it passes `maxBytes` (declared Content-Length or counted).
 * After a refusal the rest of the body is discarded as it arrives (not buffered), so the connection
 * stays usable for the answer.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const tooLarge = (): BodyResult => ({
    ok: false,
    refusal: refusal('SLC_ERR_INGEST_BODY_TOO_LARGE', `body exceeds ${maxBytes} bytes`, { limit: maxBytes }),
  });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return Promise.resolve(tooLarge());
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyResult) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.resume();
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish(tooLarge());
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish({ ok: true, body: Buffer.concat(chunks, size) }));
    req.once('error', () => finish({ ok: false, refusal: refusal('SLC_ERR_INGEST_DECODE', 'body aborted') }));
    req.once('close', () => {
      if (!req.complete) finish({ ok: false, refusal: refusal('SLC_ERR_INGEST_DECODE', 'body aborted') });
    });
  });
}

/** Gunzips `body` into at most `maxBytes`; refuses invalid gzip (400) and oversized output (413). */
export function gunzipBounded(body: Buffer, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    gunzip(body, { maxOutputLength: maxBytes }, (err, out) => {
      if (!err) return resolve({ ok: true, body: out });
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        return resolve({
          ok: false,
          refusal: refusal('SLC_ERR_INGEST_DECOMPRESSED_TOO_LARGE', `payload exceeds ${maxBytes} bytes`, {
            limit: maxBytes,
          }),
        });
      }
      resolve({ ok: false, refusal: refusal('SLC_ERR_INGEST_GZIP_INVALID', `not gzip: ${err.message}`) });
    });
  });
}
