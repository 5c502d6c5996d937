import { describe, expect, it } from 'vitest';
import {
  type ParseError,
  parseLine,
  sanitizeName,
  sanitizeTagKey,
  splitLines,
} from '../../../agent/statsd/index.ts';

function ok(line: string) {
  const p = parseLine(line);
  if (!p.ok) throw new Error(`${line}: refused with ${p.error}`);
  return p.metric;
}

describe('parseLine', () => {
  it('reads each type with its value', () => {
    expect(ok('page.views:3|c')).toEqual({
      name: 'page_views',
      type: 'c',
      value: 3,
      delta: false,
      rate: 1,
      tags: {},
      tagText: '',
    });
    expect(ok('temp:21.5|g')).toMatchObject({ type: 'g', value: 21.5, delta: false });
    expect(ok('db.query:12.25|ms')).toMatchObject({ name: 'db_query', type: 'ms', value: 12.25 });
    expect(ok('size:-3|h')).toMatchObject({ type: 'h', value: -3 });
    expect(ok('lat:1e3|d')).toMatchObject({ type: 'd', value: 1000 });
    expect(ok('users:alice|s')).toMatchObject({ type: 's', value: 0, member: 'alice' });
    // A set member is everything after the first colon.
    expect(ok('peers:10.0.0.1:443|s').member).toBe('10.0.0.1:443');
  });

  it('a signed gauge value is a delta, an unsigned one a set', () => {
    expect(ok('g:+4|g')).toMatchObject({ value: 4, delta: true });
    expect(ok('g:-2.5|g')).toMatchObject({ value: -2.5, delta: true });
    expect(ok('g:7|g')).toMatchObject({ value: 7, delta: false });
  });

  it('reads the sample rate; gauges and sets ignore it', () => {
    expect(ok('c:1|c|@0.1').rate).toBe(0.1);
    expect(ok('t:5|ms|@0.25').rate).toBe(0.25);
    expect(ok('g:5|g|@0.5').rate).toBe(1);
    expect(ok('s:x|s|@0.5').rate).toBe(1);
    expect(ok('c:1|c|@1').rate).toBe(1);
  });

  it('reads DogStatsD tags in any section order; a bare tag has the value ""', () => {
    expect(ok('req:1|c|#env:prod,region:eu-1,canary').tagText).toBe('env:prod,region:eu-1,canary');
    expect(ok('req:1|c|#env:prod,region:eu-1,canary').tags).toEqual({
      env: 'prod',
      region: 'eu-1',
      canary: '',
    });
    expect(ok('req:1|c|#url:http://x/y|@0.5')).toMatchObject({ rate: 0.5, tags: { url: 'http://x/y' } });
    expect(ok('req:1|c|#a.b:1,,2c:2,').tags).toEqual({ a_b: '1', _2c: '2' });
    expect(ok('req:1|c|c:abc123|#k:v|e:ext|card:low').tags).toEqual({ k: 'v' });
  });

  it('sanitises names and tag keys to Prometheus names', () => {
    expect(sanitizeName('api.req-time')).toBe('api_req_time');
    expect(sanitizeName('5xx.count')).toBe('_5xx_count');
    expect(sanitizeName('héllo wörld')).toBe('h_llo_w_rld');
    expect(sanitizeName('a😀b')).toBe('a_b');
    expect(sanitizeName('ns:name')).toBe('ns:name');
    expect(sanitizeTagKey('ns:key')).toBe('ns_key');
    expect(sanitizeTagKey('9lives')).toBe('_9lives');
  });

  const refused: Array<[string, ParseError]> = [
    ['no colon|c', 'line_syntax'],
    ['nopipe:1', 'line_syntax'],
    ['c:1|c|@0.5|@0.5', 'line_syntax'],
    ['c:1|c|#a:1|#b:2', 'line_syntax'],
    ['_e{5,4}:title|text', 'not_a_metric'],
    ['_sc|svc|0', 'not_a_metric'],
    [':1|c', 'name_empty'],
    [`${'a'.repeat(257)}:1|c`, 'name_too_long'],
    ['c:1|x', 'type_unknown'],
    ['c:1|', 'type_unknown'],
    ['c:abc|c', 'value_invalid'],
    ['c:|c', 'value_invalid'],
    ['c:NaN|g', 'value_invalid'],
    ['c:Infinity|g', 'value_invalid'],
    ['c:1e400|g', 'value_invalid'],
    ['c:1:2|ms', 'value_invalid'],
    ['c:0x10|c', 'value_invalid'],
    ['s:|s', 'value_invalid'],
    [`s:${'x'.repeat(257)}|s`, 'value_invalid'],
    ['c:-1|c', 'counter_negative'],
    ['c:1|c|@0', 'sample_rate_invalid'],
    ['c:1|c|@1.5', 'sample_rate_invalid'],
    ['c:1|c|@-0.5', 'sample_rate_invalid'],
    ['c:1|c|@x', 'sample_rate_invalid'],
    ['c:1|c|T1700000000', 'section_unknown'],
    ['c:1|c|', 'section_unknown'],
    ['c:1|c|#:v', 'tag_invalid'],
    ['c:1|c|#__name__:x', 'tag_invalid'],
    ['c:1|c|#a:1,a:2', 'tag_duplicate'],
    ['c:1|c|#a.b:1,a_b:2', 'tag_duplicate'],
    [`c:1|c|#k:${'v'.repeat(2049)}`, 'tag_value_too_long'],
    [`c:1|c|#${Array.from({ length: 31 }, (_, i) => `t${i}:1`).join(',')}`, 'too_many_tags'],
  ];
  it.each(refused)('refuses %j as %s', (line, error) => {
    expect(parseLine(line)).toEqual({ ok: false, error });
  });

  it('accepts the bounds themselves', () => {
    expect(ok(`${'a'.repeat(256)}:1|c`).name).toHaveLength(256);
    expect(ok(`c:1|c|#k:${'é'.repeat(1024)}`).tags.k).toHaveLength(1024);
    expect(
      Object.keys(ok(`c:1|c|#${Array.from({ length: 30 }, (_, i) => `t${i}:1`).join(',')}`).tags),
    ).toHaveLength(30);
  });
});

describe('splitLines', () => {
  it('splits on newlines, drops CR and empty lines', () => {
    expect(splitLines('a:1|c\nb:2|g\r\n\n\nc:3|ms\n')).toEqual(['a:1|c', 'b:2|g', 'c:3|ms']);
    expect(splitLines('')).toEqual([]);
  });
});
