/**
 * Series identity: tenant + metric name + labels sorted by name, hashed to a stable id. The same
 * series always gets the same id, whatever order its labels arrive in, so its buckets are one
 * document each in the store.
 */
import { createHash } from 'node:crypto';

export interface Label {
  name: string;
  value: string;
}

export function sortLabels(labels: readonly Label[]): Label[] {
  return [...labels].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** 96 bits of SHA-256 over an unambiguous encoding (NUL cannot occur in names or UTF-8 values we accept). */
export function seriesId(tenant: string, name: string, sortedLabels: readonly Label[]): string {
  const h = createHash('sha256');
  h.update(tenant).update('\0').update(name);
  for (const l of sortedLabels) h.update('\0').update(l.name).update('\0').update(l.value);
  return h.digest('base64url').slice(0, 16);
}

/** End of the right-closed bucket `(end - res, end]` holding time `tMs`: a sample on a boundary ends its bucket. */
export function bucketEnd(tMs: number, resMs: number): number {
  return Math.ceil(tMs / resMs) * resMs;
}
