/**
 * Lock contention (agent-buffer-notes §5.7): a second opener fails at once with the directory and the
 * holder's pid; a holder killed with -9 frees the directory for the next opener at once; a stopped
 * holder is never considered stale; a LOCK naming a dead or reused pid is taken over.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { BufferLockedError, open } from '../../../agent/diskbuffer/index.ts';
import { until } from '../../support/wait.ts';
import { removeTempDirs, tempDir } from './helpers.ts';

const DRIVER = new URL('./driver.ts', import.meta.url).pathname;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  removeTempDirs();
});

async function holder(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [DRIVER, 'hold', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  await until('the holder to open the buffer', () => out.includes('ready'), { timeoutMs: 20_000 });
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((r) => {
    if (child.exitCode !== null || child.signalCode !== null) r();
    else child.once('exit', () => r());
  });
}

it('a second open in the same process fails clearly; after close it succeeds', async () => {
  const dir = tempDir();
  const first = await open(dir);
  const err = await open(dir).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(BufferLockedError);
  expect((err as BufferLockedError).code).toBe('SLC_ERR_DISKBUFFER_LOCKED');
  expect((err as Error).message).toBe(`disk buffer directory ${dir} is locked by pid ${process.pid}`);
  await first.close();
  const second = await open(dir);
  await second.close();
});

it('another live process holds it (even stopped); after its kill -9 the next open gets it at once', async () => {
  const dir = tempDir();
  const child = await holder(dir);
  const refused = await open(dir).catch((e: unknown) => e);
  expect((refused as BufferLockedError).holderPid).toBe(child.pid);
  expect((refused as Error).message).toContain(dir);
  expect((refused as Error).message).toContain(`pid ${child.pid}`);

  child.kill('SIGSTOP'); // a suspended holder is not stale
  const stillRefused = await open(dir).catch((e: unknown) => e);
  expect(stillRefused).toBeInstanceOf(BufferLockedError);
  child.kill('SIGKILL');
  await exited(child);

  const buf = await open(dir); // the LOCK file still names the dead pid: stale, taken over
  expect(JSON.parse(readFileSync(join(dir, 'LOCK'), 'utf8')).pid).toBe(process.pid);
  await buf.close();
});

it('a LOCK file naming a dead pid, or a live pid with another start time (reused), is stale', async () => {
  const dir = tempDir();
  const gone = spawn(process.execPath, ['-e', '0']);
  await exited(gone);
  writeFileSync(join(dir, 'LOCK'), JSON.stringify({ pid: gone.pid, bootId: null, startTicks: null }));
  const a = await open(dir);
  await a.close();
  // Our parent is alive, but a LOCK claiming it with a different start time was written by another process.
  writeFileSync(join(dir, 'LOCK'), JSON.stringify({ pid: process.ppid, bootId: null, startTicks: 1 }));
  const b = await open(dir);
  await b.close();
  // A LOCK naming a live process as written (same start time) refuses, socket or not.
  const child = await holder(tempDir());
  const ticks = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[19];
  writeFileSync(
    join(dir, 'LOCK'),
    JSON.stringify({ pid: child.pid, bootId: null, startTicks: Number(ticks) }),
  );
  await expect(open(dir)).rejects.toThrow(`locked by pid ${child.pid}`);
});
