/**
 * The disk buffer's drop counters reach the agent's /metrics (sluice_agent_dropped_payloads_total and
 * _samples_total by reason) and the log, exactly, including the persisted totals of an earlier run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { open } from '../../agent/diskbuffer/index.ts';
import { BufferDropReporter } from '../../agent/drops.ts';
import { createAgentMetrics } from '../../agent/metrics.ts';
import type { Registry } from '../../common/metrics.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function dropped(registry: Registry): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const m of (await registry.getMetricsAsJSON()) as Array<{
    name: string;
    values: Array<{ labels: Record<string, string>; value: number }>;
  }>) {
    if (!m.name.startsWith('sluice_agent_dropped_')) continue;
    for (const v of m.values) out[`${m.name}{${v.labels.reason}}`] = v.value;
  }
  return out;
}

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'info' }, { write: (s: string) => lines.push(JSON.parse(s)) });
  return { log, lines };
}

it('disk_bound drops are exported with their payload and sample counts, and survive a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-agent-drops-'));
  dirs.push(dir);
  // 4 KiB segments under a 16 KiB bound: appending 1000-byte payloads evicts whole old segments.
  const buf = await open(dir, { maxBytes: 16 * 1024, segmentBytes: 4 * 1024, fsync: 'never' });
  const metrics = createAgentMetrics();
  const { log, lines } = capture();
  const reporter = new BufferDropReporter(metrics, log);
  reporter.observe(buf.stats().drops);
  expect(await dropped(metrics.registry)).toEqual({});

  for (let i = 1; i <= 40; i++) buf.append(new Uint8Array(1000), { samples: 7, minTimeMs: i, maxTimeMs: i });
  const d = buf.stats().drops.disk_bound;
  expect(d.records).toBeGreaterThan(0);
  expect(d.samples).toBe(7 * d.records);
  expect(d.minTimeMs).toBe(1);
  reporter.observe(buf.stats().drops);
  reporter.observe(buf.stats().drops); // nothing new: nothing added
  expect(await dropped(metrics.registry)).toEqual({
    'sluice_agent_dropped_payloads_total{disk_bound}': d.records,
    'sluice_agent_dropped_samples_total{disk_bound}': d.samples,
  });
  const warned = lines.filter((l) => l.msg === 'disk buffer: payloads dropped');
  expect(warned).toEqual([
    expect.objectContaining({
      reason: 'disk_bound',
      payloads: d.records,
      samples: d.samples,
      totalPayloads: d.records,
      minTimeMs: 1,
      maxTimeMs: d.maxTimeMs,
    }),
  ]);
  await buf.close();

  // A new process: its counters start at the persisted totals (no reset seen by rate()).
  const again = await open(dir, { maxBytes: 16 * 1024, segmentBytes: 4 * 1024, fsync: 'never' });
  const m2 = createAgentMetrics();
  const c2 = capture();
  new BufferDropReporter(m2, c2.log).observe(again.stats().drops);
  expect(await dropped(m2.registry)).toEqual({
    'sluice_agent_dropped_payloads_total{disk_bound}': d.records,
    'sluice_agent_dropped_samples_total{disk_bound}': d.samples,
  });
  expect(c2.lines.map((l) => l.msg)).toEqual([
    'disk buffer: payloads dropped so far (persisted totals, earlier runs included)',
  ]);
  await again.close();
});
