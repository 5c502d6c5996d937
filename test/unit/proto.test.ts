import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentPayload, Kind, RawRecord } from '../../proto/index.ts';

const root = new URL('../../', import.meta.url).pathname;

describe('proto', () => {
  it('proto/gen is what scripts/gen-proto makes of proto/sluice.proto', () => {
    const out = mkdtempSync(join(tmpdir(), 'sluice-proto-'));
    try {
      const r = spawnSync('bash', [join(root, 'scripts/gen-proto'), out], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      for (const f of ['sluice.js', 'sluice.d.ts']) {
        expect(readFileSync(join(out, f), 'utf8'), `proto/gen/${f} is stale: run scripts/gen-proto`).toBe(
          readFileSync(join(root, 'proto/gen', f), 'utf8'),
        );
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('decodes 64-bit fields as numbers and round-trips a payload', () => {
    const p = {
      agentId: 'host-1',
      seq: 2 ** 40 + 3,
      series: [
        {
          name: 'x_total',
          kind: Kind.COUNTER,
          counter: [{ tMs: 1_700_000_000_123, v: 7.5, d: 0.5, tpMs: 1_700_000_000_000 }],
        },
      ],
    };
    const m = AgentPayload.decode(AgentPayload.encode(p).finish());
    expect(m.seq).toBe(2 ** 40 + 3);
    expect(m.series[0]?.counter?.[0]?.tMs).toBe(1_700_000_000_123);
  });

  it('a raw record built by appending the payload bytes decodes like one built from the message', () => {
    const payload = AgentPayload.encode({ agentId: 'a', seq: 9 }).finish();
    const head = RawRecord.encode({ tenant: 't1', receivedMs: 5 }).finish();
    // field 1, wire type 2 (length-delimited), then the length and the bytes.
    const spliced = Buffer.concat([head, Buffer.from([0x0a, payload.length as number]), payload]);
    const built = RawRecord.encode({
      tenant: 't1',
      receivedMs: 5,
      payload: { agentId: 'a', seq: 9 },
    }).finish();
    expect(RawRecord.decode(spliced)).toEqual(RawRecord.decode(built));
  });
});
