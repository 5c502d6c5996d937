/**
 * The StatsD / DogStatsD line format, parsed. Pure functions: no state, no I/O.
 *
 *   <name>:<value>|<type>[|@<sample rate>][|#<tag>,<tag>...]
 *
 * - type: `c` counter, `g` gauge, `ms` timer, `h` histogram, `d` distribution, `s` set;
 * - a gauge value written with an explicit sign (`+3`, `-3`) is a delta to the current value (statsd's
 *   rule: to set a negative gauge, set 0 first); without a sign it sets the value;
 * - `@rate` (0 < rate ≤ 1): a counter's value counts value ÷ rate; a timer/histogram observation counts
 *   round(1 ÷ rate) times; gauges and sets ignore it (as statsd does);
 * - `#k:v,k2:v2` DogStatsD tags become labels; a bare tag `k` has the value "" (which, like every empty
 *   label value in Sluice, is no label at all: `foo|#k` and `foo` are one series);
 * - DogStatsD's `|c:<container>`, `|e:<external data>` and `|card:<cardinality>` sections are accepted
 *   and ignored; any other section (e.g. `|T<timestamp>`) is refused, so nothing is silently misread;
 * - events (`_e{`) and service checks (`_sc|`) are refused (`not_a_metric`).
 *
 * Names become Prometheus names: every character outside `[a-zA-Z0-9_:]` is replaced by `_` (one per
 * code point: `api.req-time` → `api_req_time`), and a leading digit gets a `_` in front. Tag keys the
 * same with `[a-zA-Z0-9_]` (label names have no `:`). A value is a decimal number (no NaN/Inf, finite);
 * a set's value is any non-empty string up to MAX_SET_VALUE_BYTES.
 *
 * The bounds below mirror ingest's defaults (SLUICE_INGEST_MAX_NAME_BYTES, _MAX_LABEL_VALUE_BYTES,
 * _MAX_LABELS less `job` and `instance`): a line that ingest would refuse is refused here, one line at a
 * time, rather than making ingest refuse a whole payload of host metrics.
 */

export type StatsdType = 'c' | 'g' | 'ms' | 'h' | 'd' | 's';

export interface StatsdMetric {
  /** Sanitised Prometheus name. */
  name: string;
  type: StatsdType;
  /** The number (counter, gauge, timer, histogram, distribution); 0 for a set. */
  value: number;
  /** A set's member. */
  member?: string;
  /** Gauge only: the value was signed, it modifies the current gauge. */
  delta: boolean;
  /** Sample rate, 0 < rate ≤ 1 (1 when absent). */
  rate: number;
  /** Sanitised tag keys → values. */
  tags: Record<string, string>;
  /** The tag section as received (without `#`; '' when none): a cheap identity for caches. */
  tagText?: string;
}

/** Why a line was not recorded: the `reason` label of sluice_agent_statsd_errors_total. */
export type ParseError =
  | 'line_syntax'
  | 'not_a_metric'
  | 'name_empty'
  | 'name_too_long'
  | 'type_unknown'
  | 'value_invalid'
  | 'counter_negative'
  | 'sample_rate_invalid'
  | 'section_unknown'
  | 'tag_invalid'
  | 'tag_duplicate'
  | 'tag_value_too_long'
  | 'too_many_tags';

export type Parsed = { ok: true; metric: StatsdMetric } | { ok: false; error: ParseError };

export const MAX_NAME_BYTES = 256;
export const MAX_TAG_VALUE_BYTES = 2048;
/** ingest's SLUICE_INGEST_MAX_LABELS default (32) less the stamped `job` and `instance`. */
export const MAX_TAGS = 30;
export const MAX_SET_VALUE_BYTES = 256;

const TYPES = new Set<string>(['c', 'g', 'ms', 'h', 'd', 's']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** `api.req-time` → `api_req_time`; `5xx` → `_5xx`. Empty stays empty. */
export function sanitizeName(raw: string): string {
  const s = raw.replace(/[^a-zA-Z0-9_:]/gu, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

/** A tag key as a label name: like a metric name, without `:`. */
export function sanitizeTagKey(raw: string): string {
  const s = raw.replace(/[^a-zA-Z0-9_]/gu, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

function parseNumber(s: string): number | undefined {
  if (!NUMBER.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

function parseTags(body: string, into: Record<string, string>): ParseError | undefined {
  for (const tag of body.split(',')) {
    if (tag === '') continue; // `#a:1,,b:2` and a trailing comma: clients emit them; nothing to read
    const i = tag.indexOf(':');
    const key = sanitizeTagKey(i < 0 ? tag : tag.slice(0, i));
    const value = i < 0 ? '' : tag.slice(i + 1);
    if (key === '' || key.startsWith('__') || key.length > MAX_NAME_BYTES) return 'tag_invalid';
    if (Object.hasOwn(into, key)) return 'tag_duplicate';
    if (Buffer.byteLength(value) > MAX_TAG_VALUE_BYTES) return 'tag_value_too_long';
    into[key] = value;
    if (Object.keys(into).length > MAX_TAGS) return 'too_many_tags';
  }
  return undefined;
}

/** Parses one line (no newline in it). */
export function parseLine(line: string): Parsed {
  const fail = (error: ParseError): Parsed => ({ ok: false, error });
  if (line.startsWith('_e{') || line.startsWith('_sc|')) return fail('not_a_metric');
  const sections = line.split('|');
  const head = sections[0] as string;
  const colon = head.indexOf(':');
  if (colon < 0 || sections.length < 2) return fail('line_syntax');
  const name = sanitizeName(head.slice(0, colon));
  const rawValue = head.slice(colon + 1);
  const type = sections[1] as string;
  if (name === '') return fail('name_empty');
  if (name.length > MAX_NAME_BYTES) return fail('name_too_long');
  if (!TYPES.has(type)) return fail('type_unknown');

  let rate = 1;
  let sawRate = false;
  let sawTags = false;
  let tagText = '';
  const tags: Record<string, string> = Object.create(null);
  for (const s of sections.slice(2)) {
    if (s.startsWith('@') && !sawRate) {
      sawRate = true;
      const r = parseNumber(s.slice(1));
      if (r === undefined || !(r > 0 && r <= 1)) return fail('sample_rate_invalid');
      rate = r;
    } else if (s.startsWith('#') && !sawTags) {
      sawTags = true;
      tagText = s.slice(1);
      const bad = parseTags(tagText, tags);
      if (bad) return fail(bad);
    } else if (s.startsWith('c:') || s.startsWith('e:') || s.startsWith('card:')) {
      // DogStatsD container id, external data, tag cardinality: origin detection we do not do.
    } else return fail(s.startsWith('@') || s.startsWith('#') ? 'line_syntax' : 'section_unknown');
  }

  const metric: StatsdMetric = {
    name,
    type: type as StatsdType,
    value: 0,
    delta: false,
    rate,
    tags,
    tagText,
  };
  if (type === 's') {
    if (rawValue === '' || Buffer.byteLength(rawValue) > MAX_SET_VALUE_BYTES) return fail('value_invalid');
    metric.member = rawValue;
    metric.rate = 1;
    return { ok: true, metric };
  }
  const value = parseNumber(rawValue);
  if (value === undefined) return fail('value_invalid');
  metric.value = value;
  if (type === 'c' && value < 0) return fail('counter_negative');
  if (type === 'g') {
    metric.delta = rawValue.startsWith('+') || rawValue.startsWith('-');
    metric.rate = 1;
  }
  return { ok: true, metric };
}

/**
 * The lines of a packet or an HTTP body: split on `\n` (a `\r` before it is dropped); empty lines are
 * skipped, not errors (clients end packets with a newline).
 */
export function splitLines(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line !== '') out.push(line);
  }
  return out;
}
