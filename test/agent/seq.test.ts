import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterState } from '../../agent/counters.ts';
import { counter } from '../../agent/model.ts';
import { SeqAllocator, type SeqStore } from '../../agent/seq.ts';
import { StateDir, writeFileAtomicSync } from '../../agent/state.ts';

/** A store whose save can be made to fail, as a crash before the reservation is durable. */
function memoryStore(): SeqStore & { value: number | undefined; failNext: boolean } {
  const s = {
    value: undefined as number | undefined,
    failNext: false,
    load: () => s.value,
    save: (n: number) => {
      if (s.failNext) {
        s.failNext = false;
        throw new Error('crash before the reservation was persisted');
      }
      s.value = n;
    },
  };
  return s;
}

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'sluice-agent-state-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('seq reservation', () => {
  it('starts at 1, reserves a block before using it', () => {
    const store = memoryStore();
    const a = new SeqAllocator(store, 10);
    expect(store.value).toBeUndefined();
    expect(a.next()).toBe(1);
    expect(store.value).toBe(11);
    for (let i = 2; i <= 10; i++) expect(a.next()).toBe(i);
    expect(store.value).toBe(11);
    expect(a.next()).toBe(11);
    expect(store.value).toBe(21);
  });

  it('never goes backwards across restarts, including a crash before persisting a reservation', () => {
    const store = memoryStore();
    const used: number[] = [];
    // Run 1: 25 seqs, then "kill -9" (the allocator is simply abandoned).
    let a = new SeqAllocator(store, 10);
    for (let i = 0; i < 25; i++) used.push(a.next());
    // Run 2: 5 seqs; then the save of the next block fails (crash mid-reservation).
    a = new SeqAllocator(store, 10);
    for (let i = 0; i < 5; i++) used.push(a.next());
    const before = store.value;
    for (let i = 0; i < 5; i++) used.push(a.next());
    store.failNext = true;
    expect(() => a.next()).toThrow('crash before');
    expect(store.value).toBe(before);
    // Run 3 after the crash.
    a = new SeqAllocator(store, 10);
    for (let i = 0; i < 12; i++) used.push(a.next());
    expect(used).toEqual([...used].sort((x, y) => x - y));
    expect(new Set(used).size).toBe(used.length);
    expect(used.slice(0, 3)).toEqual([1, 2, 3]);
    // Run 1 handed out 1..25 inside the reservation up to 31; run 2 starts there.
    expect(used[25]).toBe(31);
    // Run 2 used 31..40 inside its reservation up to 41; the reservation of 41..50 never became durable,
    // so run 3 starts at 41: nothing run 2 handed out is repeated.
    expect(used[35]).toBe(41);
  });

  it('on disk: a torn temp file left by a crash does not move the reservation back', () => {
    const dir = tempDir();
    const state = new StateDir(dir);
    const a = new SeqAllocator(state.seqStore(), 1000);
    expect([a.next(), a.next()]).toEqual([1, 2]);
    expect(JSON.parse(readFileSync(join(dir, 'seq.json'), 'utf8'))).toEqual({ reservedUpTo: 1001 });
    writeFileSync(join(dir, 'seq.json.tmp'), '{"reservedUpTo": 1'); // crash between write and rename
    const b = new SeqAllocator(new StateDir(dir).seqStore(), 1000);
    expect(b.next()).toBe(1001);
    expect(JSON.parse(readFileSync(join(dir, 'seq.json'), 'utf8'))).toEqual({ reservedUpTo: 2001 });
    expect(readdirSync(dir).sort()).toEqual(['seq.json']);
  });
});

describe('state directory', () => {
  it('agent id is generated once and kept', () => {
    const dir = tempDir();
    const id = new StateDir(dir).agentId();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new StateDir(dir).agentId()).toBe(id);
  });

  it('counter state survives an agent restart, is dropped after a reboot (btime moved > 2 s)', () => {
    const dir = tempDir();
    const s = new CounterState();
    s.observe([{ key: 'k', point: counter('x_total', 100) }], 1000);
    new StateDir(dir).saveCounters(1_700_000_000, s, 1000);

    const same = new StateDir(dir).loadCounters(1_700_000_001, 10);
    expect(same.discarded).toBeUndefined();
    expect(same.state.observe([{ key: 'k', point: counter('x_total', 130) }], 2000)).toEqual([
      { tMs: 2000, v: 130, d: 30, tpMs: 1000, reset: false },
    ]);
    const rebooted = new StateDir(dir).loadCounters(1_700_000_500, 10);
    expect(rebooted.discarded).toBe('host rebooted');
    expect(rebooted.state.size).toBe(0);
  });

  it('a second agent on a live agent’s directory is refused; a stale lock is taken over', () => {
    const dir = tempDir();
    writeFileAtomicSync(join(dir, 'lock'), String(process.ppid));
    expect(() => new StateDir(dir).lock()).toThrow(/used by the running agent/);
    writeFileAtomicSync(join(dir, 'lock'), '2147483646');
    const st = new StateDir(dir);
    st.lock();
    expect(readFileSync(join(dir, 'lock'), 'utf8')).toBe(String(process.pid));
    st.unlock();
    expect(readdirSync(dir)).toEqual([]);
  });
});
