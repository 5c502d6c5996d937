import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  classifyError,
  classifyStatus,
  DEFAULT_POLICY,
  errorCode,
  parseRetryAfter,
  type RetryPolicy,
  retryDelayMs,
} from '../../agent/retry.ts';

const NOW = Date.parse('2026-05-01T12:00:00Z');

describe('retriability table', () => {
  it.each([
    [200, { action: 'ack' }],
    [204, { action: 'ack' }],
    [400, { action: 'drop', reason: 'SLC_ERR_INGEST_BAD_PAYLOAD' }],
    [401, { action: 'drop', reason: 'SLC_ERR_INGEST_BAD_PAYLOAD' }],
    [413, { action: 'drop', reason: 'SLC_ERR_INGEST_BAD_PAYLOAD' }],
    [415, { action: 'drop', reason: 'SLC_ERR_INGEST_BAD_PAYLOAD' }],
    [500, { action: 'retry', reason: 'http_500' }],
    [502, { action: 'retry', reason: 'http_502' }],
    [408, { action: 'retry', reason: 'http_408' }],
    [404, { action: 'retry', reason: 'http_404' }],
  ])('%i → %o', (status, verdict) => {
    expect(
      classifyStatus(status, undefined, '{"error":"SLC_ERR_INGEST_BAD_PAYLOAD","detail":"x"}', NOW),
    ).toEqual(verdict);
  });

  it('429/503 carry Retry-After (seconds or HTTP date); without it they back off', () => {
    expect(classifyStatus(503, '7', '', NOW)).toEqual({
      action: 'retry',
      reason: 'http_503',
      retryAfterMs: 7000,
    });
    expect(classifyStatus(429, 'Fri, 01 May 2026 12:00:30 GMT', '', NOW)).toEqual({
      action: 'retry',
      reason: 'http_429',
      retryAfterMs: 30_000,
    });
    expect(classifyStatus(503, undefined, '', NOW)).toEqual({ action: 'retry', reason: 'http_503' });
  });

  it('a drop without a well-formed code in the body is counted by status', () => {
    expect(classifyStatus(400, undefined, 'not json', NOW)).toEqual({ action: 'drop', reason: 'http_400' });
    expect(classifyStatus(400, undefined, '{"error":"a b c {}"}', NOW)).toEqual({
      action: 'drop',
      reason: 'http_400',
    });
    expect(errorCode('{"error":"SLC_ERR_X"}')).toBe('SLC_ERR_X');
  });

  it('network errors retry by code; a TypeError is a bug and is thrown', () => {
    expect(classifyError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toEqual({
      action: 'retry',
      reason: 'ECONNREFUSED',
    });
    expect(classifyError(new Error('x'))).toEqual({ action: 'retry', reason: 'network' });
    expect(() => classifyError(new TypeError('bug'))).toThrow(TypeError);
  });
});

describe('Retry-After', () => {
  it('parses seconds, HTTP dates (past → 0), rejects junk', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
    expect(parseRetryAfter('Fri, 01 May 2026 11:59:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('-5', NOW)).toBeUndefined();
    expect(parseRetryAfter('1.5', NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });
});

describe('backoff', () => {
  const policy = (random: number): RetryPolicy => ({ ...DEFAULT_POLICY, random: () => random });

  it('full jitter under a ceiling that doubles from base to cap', () => {
    const top = policy(0.999999);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffMs(top, n))).toEqual([
      499, 999, 1999, 3999, 7999, 15_999, 29_999, 29_999,
    ]);
    expect(backoffMs(policy(0.5), 3)).toBe(1000);
    expect(backoffMs(policy(0), 20)).toBe(0);
  });

  it('Retry-After wins over backoff, plus its jitter (never less), capped at maxRetryAfterMs', () => {
    const p = { ...policy(0.5), maxRetryAfterMs: 60_000 };
    // 2000 ms waited out, plus random 0.5 × jitter 0.5 of it.
    expect(retryDelayMs(p, { action: 'retry', reason: 'http_503', retryAfterMs: 2000 }, 9)).toBe(2500);
    expect(
      retryDelayMs({ ...p, random: () => 0 }, { action: 'retry', reason: 'http_503', retryAfterMs: 2000 }, 9),
    ).toBe(2000);
    expect(retryDelayMs(p, { action: 'retry', reason: 'http_503', retryAfterMs: 3_600_000 }, 1)).toBe(60_000);
    expect(retryDelayMs(p, { action: 'retry', reason: 'http_503', retryAfterMs: 50_000 }, 1)).toBe(60_000);
    expect(retryDelayMs(p, { action: 'retry', reason: 'http_500' }, 2)).toBe(500);
  });
});
