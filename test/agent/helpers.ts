/** Shared helpers for the agent tests. */
import { readFileSync } from 'node:fs';
import { convert, type Point } from '../../agent/model.ts';

export const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

export function fixture(path: string): string {
  return readFileSync(`${FIXTURES}${path}`, 'utf8');
}

/** Labels as sent: empty values dropped, sorted. */
function labelText(labels: Record<string, string>): string {
  return Object.keys(labels)
    .filter((k) => labels[k] !== '')
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

/** Points as `name{labels}` → value (counters converted from raw with their unit), for exact asserts. */
export function values(points: Point[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of points) {
    const key = `${p.name}{${labelText(p.labels)}}`;
    out[key] = p.kind === 'gauge' ? p.value : convert(p.raw, p.unit);
  }
  return out;
}

/** Points as `name{labels}` → raw integer (counters only). */
export function raws(points: Point[]): Record<string, number | bigint> {
  const out: Record<string, number | bigint> = {};
  for (const p of points) if (p.kind === 'counter') out[`${p.name}{${labelText(p.labels)}}`] = p.raw;
  return out;
}
