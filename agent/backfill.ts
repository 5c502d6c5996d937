/**
 * The agent's side of server-paced backfill (ARCHITECTURE P8; ingest/backfill.ts is the server's): how
 * fast the backfill lane may start requests. Pure, no timers: the sender passes the monotonic clock.
 *
 * Ingest answers every request with `Sluice-Backfill-Rate: <payload bytes/s>`, this agent's share of its
 * budget. The pacer schedules backfill payloads one after the other, each `its bytes / rate` after the
 * previous one's slot (GCRA, a token bucket by another name): the mean rate is exactly the grant. A slot
 * missed by less than CREDIT of a gap (a late timer) keeps its place, so the grant is reached; after a
 * longer pause the schedule restarts at a random phase instead of catching up: idle time is never
 * turned into a burst, and agents paused together (one outage, one busy host) fall out of step.
 * Each send happens at its slot plus a random delay of up to JITTER of a gap, never before it: agents
 * granted the same rate do not fall into step, and no two sends are ever closer than (1 − JITTER) gap
 * except right after a missed slot.
 *
 * - No header (an ingest that does not pace, or no answer yet): not paced; the sender then keeps one
 *   backfill request in flight, as before pacing existed.
 * - Rate 0 ("live data only", or ingest refusing): no backfill, except one probe after `probeMs` (plus up
 *   to 50 % jitter) without any answer at all, so an agent whose live lane is quiet still learns when
 *   the budget comes back. Any answer (live lane included) carries the newest grant.
 * - A new grant applies from the next payload on: a halved budget is followed within one round trip; a
 *   cut (below 1 − JITTER of the last grant) also moves the next slot by a random part of the new gap,
 *   so that the agents cut at the same moment do not all send in the same part of their new period.
 *   Going from 0 (or unpaced) to a rate starts at a random phase within one gap: agents that learn the
 *   grant at the same moment do not start together (no thundering herd after an outage).
 */

/** A send happens up to this fraction of a gap after its slot (uniform; the schedule does not move). */
export const JITTER = 0.1;
/** Lateness (fraction of a gap) the schedule absorbs without losing rate; beyond it time is forfeited. */
export const CREDIT = 0.5;
/** Gap assumed for the first start phase before any payload size is known, bytes. */
const TYPICAL_PAYLOAD_BYTES = 4096;

export class Pacer {
  readonly #probeMs: number;
  readonly #random: () => number;
  #rate: number | undefined;
  /** The next payload's slot, monotonic ms (the schedule). */
  #nextAt = 0;
  /** When it may actually start: its slot plus its jitter. */
  #sendAt = 0;
  #probeAt = 0;
  #lastSize = TYPICAL_PAYLOAD_BYTES;

  constructor(o: { probeMs: number; random: () => number; nowMs: number }) {
    this.#probeMs = o.probeMs;
    this.#random = o.random;
    this.#answeredAt(o.nowMs);
  }

  /** The grant in payload bytes/s; undefined while ingest does not pace. */
  get rate(): number | undefined {
    return this.#rate;
  }

  /** An answer arrived (any lane, any status) with this grant (undefined: no header). */
  answered(rate: number | undefined, nowMs: number): void {
    this.#answeredAt(nowMs);
    const was = this.#rate;
    this.#rate = rate;
    if (rate === undefined || rate <= 0) return;
    if (!(was !== undefined && was > 0)) {
      this.#nextAt = nowMs + this.#random() * this.#gapMs(this.#lastSize, rate);
      this.#sendAt = this.#nextAt;
    } else if (rate < was * (1 - JITTER)) {
      // A cut reaches every agent within one round trip: left alone, their slots (spread over the old,
      // shorter gap) would all sit in the first part of the new one, in step. Each moves its next slot
      // by a random part of a new gap (never earlier), which spreads them over all of it.
      this.#nextAt += this.#random() * this.#gapMs(this.#lastSize, rate);
      this.#sendAt = this.#nextAt;
    }
  }

  /** Milliseconds until a backfill payload may start (0: now; Infinity: wait for an answer). */
  delayMs(nowMs: number): number {
    const r = this.#rate;
    if (r === undefined) return 0;
    if (r > 0) return Math.max(0, this.#sendAt - nowMs);
    return Math.max(0, this.#probeAt - nowMs);
  }

  /** A backfill payload of `bytes` starts now: the next one waits its share of the grant. */
  took(bytes: number, nowMs: number): void {
    this.#lastSize = Math.max(1, bytes);
    const r = this.#rate;
    if (r === undefined) return;
    if (r <= 0) {
      // The probe: the next one only after another probeMs without an answer.
      this.#answeredAt(nowMs);
      return;
    }
    const gap = this.#gapMs(bytes, r);
    // A slot missed by up to CREDIT of a gap keeps its place in the schedule. One missed by more (a
    // pause, a stalled event loop) is given up and the schedule restarts at a random phase, 0.5 to 1.5
    // gaps on: agents stalled together do not come back in step.
    if (nowMs - this.#nextAt <= CREDIT * gap) this.#nextAt += gap;
    else this.#nextAt = nowMs + gap * (0.5 + this.#random());
    this.#sendAt = this.#nextAt + this.#random() * JITTER * gap;
  }

  #gapMs(bytes: number, rate: number): number {
    return (1000 * bytes) / rate;
  }

  #answeredAt(nowMs: number): void {
    this.#probeAt = nowMs + this.#probeMs * (1 + this.#random() / 2);
  }
}
