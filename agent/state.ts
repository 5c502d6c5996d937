/**
 * The agent's state directory (SLUICE_AGENT_STATE_DIR):
 *
 * - `agent-id`: the agent's identity, a random UUID generated on first start and kept forever (a host
 *   name can be reused by another machine or change; a UUID cannot collide). Delete the directory to
 *   make a new agent.
 * - `seq.json`: `{ "reservedUpTo": n }`, the seq reservation (see seq.ts).
 * - `counters.json`: `{ "bootTime": s, "savedMs": ms, "counters": {...} }`, each counter's last raw value
 *   and pass time, so that a restart of the agent (not of the host) keeps the step across it. Discarded
 *   when `btime` moved by more than 2 s: the host rebooted and every counter restarted.
 * - `lock`: the pid of the agent using the directory; a second agent on the same directory would reuse
 *   seqs, so it is refused while that pid is alive.
 *
 * Every write is atomic: temp file, fsync, rename, fsync of the directory. A crash leaves either the
 * old or the new file, never a torn one (a leftover `*.tmp` is ignored and overwritten).
 */
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { SluiceError } from '../common/errors.ts';
import { CounterState } from './counters.ts';
import type { SeqStore } from './seq.ts';

/** Writes `data` to `path` atomically and durably. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dir = openSync(resolve(path, '..'), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/** Parsed JSON of `path`, or undefined when it is missing or unreadable JSON. */
export function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Boot-time moves larger than this are a reboot (btime is computed and can wobble by a second). */
export const REBOOT_TOLERANCE_S = 2;

export class StateDir {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
    mkdirSync(this.dir, { recursive: true });
  }

  /** Takes the directory's lock; throws SLC_ERR_AGENT_STATE_LOCKED while another live agent holds it. */
  lock(): void {
    const path = join(this.dir, 'lock');
    const holder = Number(readJson(path));
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
      throw new SluiceError(
        'SLC_ERR_AGENT_STATE_LOCKED',
        `state directory ${this.dir} is used by the running agent pid ${holder}`,
      );
    }
    writeFileAtomicSync(path, String(process.pid));
  }

  unlock(): void {
    try {
      if (Number(readJson(join(this.dir, 'lock'))) === process.pid) unlinkSync(join(this.dir, 'lock'));
    } catch {
      // already gone
    }
  }

  /** The persisted agent id, generated (and persisted) on first call. */
  agentId(): string {
    const path = join(this.dir, 'agent-id');
    try {
      const id = readFileSync(path, 'utf8').trim();
      if (id) return id;
    } catch {
      // first start
    }
    const id = randomUUID();
    writeFileAtomicSync(path, `${id}\n`);
    return id;
  }

  seqStore(): SeqStore {
    const path = join(this.dir, 'seq.json');
    return {
      load: () => {
        const j = readJson(path) as { reservedUpTo?: unknown } | undefined;
        return typeof j?.reservedUpTo === 'number' ? j.reservedUpTo : undefined;
      },
      save: (reservedUpTo) => writeFileAtomicSync(path, JSON.stringify({ reservedUpTo })),
    };
  }

  /** The saved counter state, or an empty one when missing, unreadable, or from before a reboot. */
  loadCounters(
    bootTime: number | undefined,
    forgetAfterPasses: number,
  ): { state: CounterState; discarded?: string } {
    const j = readJson(join(this.dir, 'counters.json')) as
      | { bootTime?: unknown; counters?: unknown }
      | undefined;
    if (!j) return { state: new CounterState(forgetAfterPasses) };
    if (typeof j.bootTime !== 'number' || bootTime === undefined) {
      // Without both boot times a reboot cannot be ruled out; a wrong step is worse than a lost one.
      return { state: new CounterState(forgetAfterPasses), discarded: 'boot time unknown' };
    }
    if (Math.abs(j.bootTime - bootTime) > REBOOT_TOLERANCE_S) {
      return { state: new CounterState(forgetAfterPasses), discarded: 'host rebooted' };
    }
    return { state: CounterState.fromJSON(j.counters, forgetAfterPasses) };
  }

  saveCounters(bootTime: number | undefined, state: CounterState, nowMs: number): void {
    writeFileAtomicSync(
      join(this.dir, 'counters.json'),
      JSON.stringify({ bootTime: bootTime ?? null, savedMs: nowMs, counters: state.toJSON() }),
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
