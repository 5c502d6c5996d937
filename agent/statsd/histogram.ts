/**
 * Sparse exponential histogram buckets at the schema rollups are kept at (processor/aggregate.ts
 * HISTOGRAM_SCHEMA = 3; the agent cannot import the processor, so the number is repeated here and a
 * test holds the two equal). Pure.
 *
 * At schema s the base is 2^(2^-s); bucket i > 0 side covers (base^(i-1), base^i] of |x|. Schema 3:
 * 8 buckets per doubling, each ≈ 9 % wide. The index is computed as Prometheus' client_golang does it
 * (frexp, then the fraction against the bucket bounds of one doubling), which is exact at powers of two
 * where a naive ceil(log2(x) · 8) can be off by one through rounding.
 */

export const SCHEMA = 3;
const PER_DOUBLING = 2 ** SCHEMA;
/** Upper bounds of the buckets of one doubling, as fractions in [0.5, 1): 0.5 · base^k. */
const BOUNDS = Array.from({ length: PER_DOUBLING }, (_, k) => 0.5 * 2 ** (k / PER_DOUBLING));

/** x = frac · 2^exp with frac in [0.5, 1) (x finite and > 0). */
function frexp(x: number): [number, number] {
  // Every finite x is below 2^1024 (log2 rounds Number.MAX_VALUE up to 1024); divided in two steps,
  // since 2^1024 itself is not a finite number.
  let exp = Math.min(Math.floor(Math.log2(x)) + 1, 1024);
  let frac = x / 2 ** (exp - 1) / 2;
  // log2 can round across an integer near powers of two; one step puts it right.
  if (frac >= 1) {
    exp += 1;
    frac /= 2;
  } else if (frac < 0.5) {
    exp -= 1;
    frac *= 2;
  }
  return [frac, exp];
}

/** The bucket index of |x| (x finite, non-zero). */
export function bucketIndex(x: number): number {
  const [frac, exp] = frexp(Math.abs(x));
  let k = 0;
  while (k < PER_DOUBLING && (BOUNDS[k] as number) < frac) k++;
  return k + (exp - 1) * PER_DOUBLING;
}

/** One interval's observations of one series, as a HistogramSample wants them. */
export class HistogramAcc {
  count = 0;
  sum = 0;
  zero = 0;
  readonly positive = new Map<number, number>();
  readonly negative = new Map<number, number>();

  get buckets(): number {
    return this.positive.size + this.negative.size;
  }

  /** Whether observing x would open a bucket not yet populated. */
  opensBucket(x: number): boolean {
    if (x === 0) return false;
    return !(x > 0 ? this.positive : this.negative).has(bucketIndex(x));
  }

  /** Counts x `weight` times (weight ≥ 1, integer). */
  observe(x: number, weight: number): void {
    this.count += weight;
    this.sum += x * weight;
    if (x === 0) {
      this.zero += weight;
      return;
    }
    const m = x > 0 ? this.positive : this.negative;
    const i = bucketIndex(x);
    m.set(i, (m.get(i) ?? 0) + weight);
  }
}
