/**
 * kill -9 (agent-buffer-notes §5.1): a child appends (fsync 'always', writes split into random short
 * pieces) and acks in a loop; it is SIGKILLed at a random point, or kills itself at a named crash point
 * (before its n-th write / fdatasync / rename / unlink / open: mid-record, before a sync, between the
 * position's temp file and its rename, between the position and a segment's unlink, during a roll).
 * After all rounds the buffer is opened and drained. Exact identity: every id ever assigned is acked by
 * the child or delivered by the final drain (once), or else counted dropped — exactly the ids neither
 * reached; no id the child saw appended is lost; an acked id comes back only when the kill cut its
 * ack (≤ 1 per round); every record is byte-for-byte what was appended for its id.
 */
import { spawn } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { open } from '../../../agent/diskbuffer/index.ts';
import { until } from '../../support/wait.ts';
import { drain, dropped, numberOf, prng, removeTempDirs, tempDir } from './helpers.ts';

afterEach(removeTempDirs);

const DRIVER = new URL('./driver.ts', import.meta.url).pathname;
const OPS = ['-', 'write', 'write', 'fdatasync', 'rename', 'unlink', 'open'];

interface Round {
  appended: number[];
  acked: number[];
  how: string;
}

async function round(dir: string, fsync: string, seed: number, r: () => number): Promise<Round> {
  const op = OPS[Math.floor(r() * OPS.length)] as string;
  const at = 1 + Math.floor(r() * 80);
  const killAfter = 1 + Math.floor(r() * 250);
  const child = spawn(process.execPath, [DRIVER, 'append', dir, fsync, String(seed), op, String(at)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let lines = 0;
  child.stdout.on('data', (d: Buffer) => {
    out += d;
    lines += d.toString().split('\n').length - 1;
    if (lines > killAfter && child.exitCode === null) child.kill('SIGKILL');
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d;
  });
  const exited = new Promise<string>((res) => child.once('exit', (code, sig) => res(`${code}/${sig}`)));
  const status = await Promise.race([
    exited,
    until('the child to be killed', () => child.exitCode !== null || child.signalCode !== null, {
      timeoutMs: 30_000,
      describe: () => `lines=${lines} stderr=${err}`,
    }).then(() => exited),
  ]);
  expect(status, `child must die by SIGKILL, stderr: ${err}`).toBe('null/SIGKILL');
  const complete = out.slice(0, out.lastIndexOf('\n') + 1).split('\n');
  const ids = (tag: string) => complete.filter((l) => l.startsWith(`${tag} `)).map((l) => Number(l.slice(2)));
  return { appended: ids('A'), acked: ids('K'), how: `${op}#${at} or after ${killAfter} lines` };
}

async function crashRounds(fsync: string, seed: number, rounds: number): Promise<void> {
  const dir = tempDir();
  const r = prng(seed);
  const appended = new Set<number>();
  const acked = new Set<number>();
  for (let i = 0; i < rounds; i++) {
    const got = await round(dir, fsync, seed * 1000 + i, r);
    for (const id of got.appended) appended.add(id);
    for (const id of got.acked) acked.add(id);
  }
  expect(appended.size).toBeGreaterThan(rounds);
  const buf = await open(dir);
  const s = buf.stats();
  const maxId = s.nextId - 1;
  const delivered = drain(buf);
  const ids = delivered.map((x) => x.id);
  for (const x of delivered) expect(numberOf(x.bytes), `record ${x.id} is not what was appended`).toBe(x.id);
  expect(new Set(ids).size).toBe(ids.length); // exactly once
  // An ack is persisted before ack() returns here (positionIntervalMs 0): only an ack cut by the kill
  // (K printed, ack not done) can come back, at most one per round.
  expect(ids.filter((id) => acked.has(id)).length).toBeLessThanOrEqual(rounds);
  const reached = new Set([...ids, ...acked]);
  const lost: number[] = [];
  for (let id = 1; id <= maxId; id++) if (!reached.has(id)) lost.push(id);
  expect(
    lost.filter((id) => appended.has(id)),
    'records whose append returned, lost',
  ).toEqual([]);
  expect(dropped(s.drops), `lost ids ${lost.join(',')} drops ${JSON.stringify(s.drops)}`).toBe(lost.length);
  expect(s.drops.corrupt.records).toBe(0);
  expect(lost.length).toBeLessThanOrEqual(rounds); // at most the one in flight per kill
  await buf.close();
}

it('kill -9 at random points and named crash points, fsync always (seed 20260101, 24 rounds)', async () => {
  await crashRounds('always', 20260101, 24);
}, 240_000);

it('kill -9 at random points, fsync never: the page cache survives a process kill (seed 424242, 12 rounds)', async () => {
  await crashRounds('never', 424242, 12);
}, 240_000);
