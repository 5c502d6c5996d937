/**
 * Ingest's view of agents' drop reports (ingest/drops.ts): the max per (agent, epoch, reason) whatever
 * the order reports arrive in, summed over epochs, exported per tenant and agent, logged once per
 * change, bounded in agents (evicted, counted) and epochs (retired without lowering the sums); a
 * malformed report is refused with its code.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../common/metrics.ts';
import { AgentDropReports, checkDrops, MAX_EPOCHS_PER_AGENT } from '../../ingest/drops.ts';
import { ingestMetrics } from '../../ingest/metrics.ts';
import { type Limits, validatePayload } from '../../ingest/validate.ts';
import type { IAgentDrops, IDropCount } from '../../proto/index.ts';
import { encode, validPayload } from './payloads.ts';

function setup(maxAgents = 10) {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'info' }, { write: (s: string) => lines.push(JSON.parse(s)) });
  const metrics = ingestMetrics(createRegistry('ingest-test'));
  let now = 0;
  const reports = new AgentDropReports({ maxAgents, metrics, log, now: () => now });
  /** Every sluice_ingest_agent_* series as `name{tenant,agent,reason}` → value. */
  const exported = async () => {
    const out: Record<string, number> = {};
    for (const m of (await metrics.registry.getMetricsAsJSON()) as Array<{
      name: string;
      values: Array<{ labels: Record<string, string>; value: number }>;
    }>) {
      if (!m.name.startsWith('sluice_ingest_agent_')) continue;
      for (const v of m.values) {
        const l = v.labels;
        out[l.agent ? `${m.name}{${l.tenant},${l.agent},${l.reason}}` : m.name] = v.value;
      }
    }
    return out;
  };
  return { reports, lines, exported, tick: (ms: number) => (now += ms) };
}

const count = (reason: string, payloads: number, samples: number, min = 0, max = 0): IDropCount => ({
  reason,
  payloads,
  samples,
  bytes: payloads * 100,
  minTimeMs: min,
  maxTimeMs: max,
});
const report = (epoch: number, ...counts: IDropCount[]): IAgentDrops => ({ epoch, counts });

describe('AgentDropReports', () => {
  it('keeps the max per (agent, epoch, reason) in any order, sums epochs, exports per tenant and agent', async () => {
    const { reports, lines, exported } = setup();
    reports.observe('acme', 'a1', report(7, count('disk_bound', 5, 50, 1_000, 9_000)));
    // A backlog payload built earlier arrives later: it lowers nothing.
    reports.observe('acme', 'a1', report(7, count('disk_bound', 2, 20, 1_000, 3_000)));
    reports.observe('acme', 'a1', report(7, count('disk_bound', 5, 50, 1_000, 9_000))); // same again
    // The agent's counters restarted (a new epoch): its totals add to the first epoch's.
    reports.observe(
      'acme',
      'a1',
      report(8, count('disk_bound', 1, 4, 20_000, 20_000), count('rejected_4xx', 1, 3)),
    );
    // Same agent id under another tenant is another agent; no report / empty report: nothing tracked.
    reports.observe('other', 'a1', report(1, count('corrupt', 1, 0)));
    reports.observe('acme', 'quiet', undefined);
    reports.observe('acme', 'quiet', report(0));
    expect(await exported()).toEqual({
      'sluice_ingest_agent_dropped_payloads{acme,a1,disk_bound}': 6,
      'sluice_ingest_agent_dropped_samples{acme,a1,disk_bound}': 54,
      'sluice_ingest_agent_dropped_bytes{acme,a1,disk_bound}': 600,
      'sluice_ingest_agent_dropped_oldest_timestamp_seconds{acme,a1,disk_bound}': 1,
      'sluice_ingest_agent_dropped_newest_timestamp_seconds{acme,a1,disk_bound}': 20,
      'sluice_ingest_agent_dropped_payloads{acme,a1,rejected_4xx}': 1,
      'sluice_ingest_agent_dropped_samples{acme,a1,rejected_4xx}': 3,
      'sluice_ingest_agent_dropped_bytes{acme,a1,rejected_4xx}': 100,
      'sluice_ingest_agent_dropped_payloads{other,a1,corrupt}': 1,
      'sluice_ingest_agent_dropped_samples{other,a1,corrupt}': 0,
      'sluice_ingest_agent_dropped_bytes{other,a1,corrupt}': 100,
      sluice_ingest_agent_drop_reports_agents: 2,
      sluice_ingest_agent_drop_reports_evicted_total: 0,
    });
    // One line per change of (agent, epoch, reason); the stale and repeated reports logged nothing.
    expect(
      lines
        .filter((l) => l.msg === 'agent reported dropped payloads')
        .map((l) => [l.tenant, l.agentId, l.epoch, l.reason, l.payloads]),
    ).toEqual([
      ['acme', 'a1', 7, 'disk_bound', 5],
      ['acme', 'a1', 8, 'disk_bound', 1],
      ['acme', 'a1', 8, 'rejected_4xx', 1],
      ['other', 'a1', 1, 'corrupt', 1],
    ]);
  });

  it('bounds agents: the least recently reporting is evicted, its series removed, counted, logged once a minute', async () => {
    const { reports, lines, exported, tick } = setup(2);
    reports.observe('t', 'a', report(1, count('disk_bound', 1, 1)));
    reports.observe('t', 'b', report(1, count('disk_bound', 2, 2)));
    reports.observe('t', 'a', report(1, count('disk_bound', 1, 1))); // a reported last: b is the oldest
    reports.observe('t', 'c', report(1, count('disk_bound', 3, 3)));
    reports.observe('t', 'd', report(1, count('disk_bound', 4, 4))); // evicts a
    const e = await exported();
    expect(Object.keys(e).filter((k) => k.startsWith('sluice_ingest_agent_dropped_payloads'))).toEqual([
      'sluice_ingest_agent_dropped_payloads{t,c,disk_bound}',
      'sluice_ingest_agent_dropped_payloads{t,d,disk_bound}',
    ]);
    expect(e.sluice_ingest_agent_drop_reports_evicted_total).toBe(2);
    expect(e.sluice_ingest_agent_drop_reports_agents).toBe(2);
    expect(reports.size).toBe(2);
    const evictionLogs = () => lines.filter((l) => String(l.msg).startsWith('drop reports: agents beyond'));
    expect(evictionLogs().map((l) => [l.evicted, (l.last as { agentId: string }).agentId])).toEqual([
      [1, 'b'],
    ]);
    tick(60_000);
    reports.observe('t', 'e', report(1, count('disk_bound', 5, 5)));
    expect(evictionLogs().map((l) => [l.evicted, (l.last as { agentId: string }).agentId])).toEqual([
      [1, 'b'],
      [2, 'c'],
    ]);
    // An evicted agent that reports again is exact again at once: its reports are cumulative.
    reports.observe('t', 'b', report(1, count('disk_bound', 2, 2)));
    expect(reports.totals('t', 'b', 'disk_bound')).toMatchObject({ payloads: 2, samples: 2 });
  });

  it('bounds epochs per agent: the oldest is retired into the sums, and a late report of it is not counted twice', () => {
    const { reports } = setup();
    for (let epoch = 1; epoch <= MAX_EPOCHS_PER_AGENT + 1; epoch++)
      reports.observe('t', 'a', report(epoch, count('missing', 1, 10, epoch * 1000, epoch * 1000)));
    const all = { payloads: MAX_EPOCHS_PER_AGENT + 1, samples: 10 * (MAX_EPOCHS_PER_AGENT + 1) };
    expect(reports.totals('t', 'a', 'missing')).toMatchObject({ ...all, minTimeMs: 1000 });
    reports.observe('t', 'a', report(1, count('missing', 2, 20, 1000, 1000))); // retired epoch 1
    expect(reports.totals('t', 'a', 'missing')).toMatchObject(all);
  });
});

describe('drop report validation', () => {
  const limits: Limits = {
    maxSeries: 5,
    maxLabels: 3,
    maxNameBytes: 32,
    maxLabelValueBytes: 16,
    maxSamplesPerSeries: 4,
    maxHistogramBuckets: 4,
    maxAgeMs: 3_600_000,
    maxFutureMs: 600_000,
  };
  const NOW = 1_700_000_000_000;
  const verdict = (drops: IAgentDrops) => {
    const v = validatePayload(encode({ ...validPayload('a1', 1, NOW), drops }), limits, NOW);
    return v.ok ? v.payload.drops : v.refusal.code;
  };

  it('accepts a well-formed report and passes it through decoded', () => {
    const ok = report(2 ** 48 - 1, count('disk_bound', 3, 30, 5, 6), count('rejected_4xx', 1, 1, 7, 7));
    expect(verdict(ok)).toEqual(ok);
    expect(checkDrops(undefined)).toBeUndefined();
    expect(checkDrops(report(0))).toBeUndefined(); // no counts: nothing to check
  });

  it.each<[string, IAgentDrops]>([
    ['epoch 0 with counts', report(0, count('disk_bound', 1, 1))],
    ['a reason with capitals', report(1, count('Disk', 1, 1))],
    ['an empty reason', report(1, count('', 1, 1))],
    ['a reason given twice', report(1, count('x', 1, 1), count('x', 2, 2))],
    ['min after max', report(1, count('x', 1, 1, 10, 5))],
    ['33 counts', report(1, ...Array.from({ length: 33 }, (_, i) => count(`r${i}`, 1, 1)))],
    ['a count above 2^53', report(1, { ...count('x', 1, 1), samples: 2 ** 53 + 2 })],
  ])('refuses %s with SLC_ERR_INGEST_DROPS_INVALID', (_, drops) => {
    expect(verdict(drops)).toBe('SLC_ERR_INGEST_DROPS_INVALID');
  });
});
