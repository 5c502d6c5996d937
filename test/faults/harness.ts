/**
 * The fault harness: the whole pipeline as separate OS processes against the real stack, synthetic
 * agents at a steady known rate (test/faults/load.ts), faults injected on a schedule, a bounded wait
 * for the pipeline to drain, and a comparison of every rollup document with the ground truth.
 *
 * Like systemd with Restart=always, the harness restarts a service that exits on its own (a
 * failpoint, a crash-only exit); a service the scenario kills or stops is left to the scenario.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectStore, type Doc, type Store } from '../../common/mongo.ts';
import { serviceAddresses } from '../../common/services.ts';
import { freePort, metricValue, type ServiceProcess, startService } from '../support/pipeline.ts';
import { uniqueName, until } from '../support/wait.ts';
import { type Diff, diagnose } from './diagnose.ts';
import { Load, type LoadOptions } from './load.ts';

const root = new URL('../../', import.meta.url).pathname;
const runDir = process.env.SLUICE_RUN_DIR || join(root, '.run');

/** Samples counted, lost and doubled in one rollups collection; wrong sums count as doubles. */
interface Tally {
  counted: number;
  lost: number;
  doubled: number;
  wrongSums: number;
}

function newTally(): Tally {
  return { counted: 0, lost: 0, doubled: 0, wrongSums: 0 };
}

export interface Row {
  scenario: string;
  sent: number;
  counted: number;
  lost: number;
  doubled: number;
  /** The same three counted from the 1-hour documents (every sample is in one of those too). */
  counted1h: number;
  lost1h: number;
  doubled1h: number;
  drainS: number;
  notes: string;
  /** Set when the store did not drain to the truth: where the difference is (diagnose.ts). */
  diagnosis?: string;
}

interface Managed {
  name: string;
  kind: string;
  env: Record<string, string>;
  port: number;
  proc?: ServiceProcess;
  /** Set while the scenario itself has the process down (no automatic restart). */
  held: boolean;
  restarts: number;
}

export class Harness {
  readonly prefix = `${uniqueName('fault')}.`;
  readonly db = uniqueName('sluice_fault').replace(/-/g, '_');
  readonly key = 'fault-key-0123456789abcdef';
  readonly services = new Map<string, Managed>();
  load!: Load;
  store!: Store;
  #closing = false;
  #common: Record<string, string>;

  constructor(env: Record<string, string> = {}) {
    const keys = join(tmpdir(), `${this.prefix}keys.json`);
    writeFileSync(keys, JSON.stringify({ keys: { [this.key]: 'faults' } }));
    this.#common = {
      SLUICE_RAW_PARTITIONS: '4',
      SLUICE_ROLLUP_PARTITIONS: '4',
      SLUICE_INGEST_API_KEYS_FILE: keys,
      SLUICE_PROCESSOR_FLUSH_MS: '500',
      SLUICE_PROCESSOR_SESSION_TIMEOUT_MS: '10000',
      ...env,
    };
  }

  /** Starts ingest, `processors` processors and connect, and the load (not yet running). */
  async start(
    opts: {
      processors?: number;
      env?: Record<string, Record<string, string>>;
      load?: Partial<LoadOptions>;
    } = {},
  ) {
    this.store = await connectStore(serviceAddresses().mongoUrl, this.db);
    const first = new Map<string, Record<string, string>>();
    const names = [
      'ingest',
      ...Array.from({ length: opts.processors ?? 1 }, (_, i) => `processor${i || ''}`),
      'connect',
    ];
    for (const name of names) {
      const kind = name.replace(/\d+$/, '');
      // A failpoint applies to the first start only: the supervisor's restarts run without it.
      const { SLUICE_FAILPOINTS, ...env } = { ...this.#common, ...(opts.env?.[name] ?? {}) };
      const m: Managed = { name, kind, env, port: await freePort(), held: false, restarts: 0 };
      this.services.set(name, m);
      first.set(name, SLUICE_FAILPOINTS ? { SLUICE_FAILPOINTS } : {});
    }
    await Promise.all([...this.services.values()].map((m) => this.#launch(m, first.get(m.name))));
    const ingest = this.services.get('ingest')!;
    this.load = new Load(
      {
        agents: 10,
        series: 20,
        intervalMs: 500,
        stepMs: 15_000,
        startMs: Math.floor((Date.now() - 6 * 3_600_000) / 60_000) * 60_000,
        seed: 1,
        key: this.key,
        tenant: 'faults',
        ...opts.load,
      },
      () => `http://127.0.0.1:${ingest.port}`,
    );
  }

  /**
   * Starts a service and supervises it: an exit the scenario did not cause restarts it. A failpoint
   * in `extraEnv` applies to the first start only (it may fire before the service reports ready).
   */
  async #launch(m: Managed, extraEnv: Record<string, string> = {}): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const proc = await startService(m.kind, {
          prefix: this.prefix,
          db: this.db,
          port: m.port,
          env: { ...m.env, ...(attempt === 0 ? extraEnv : {}) },
        });
        m.proc = proc;
        void proc.exited.then(() => {
          if (this.#closing || m.held || m.proc !== proc) return;
          m.restarts++;
          void this.#launch(m).catch(() => undefined);
        });
        return;
      } catch (err) {
        if (this.#closing || attempt >= 5) throw err;
        m.restarts++;
      }
    }
  }

  get(name: string): Managed {
    const m = this.services.get(name);
    if (!m) throw new Error(`no service ${name}`);
    return m;
  }

  /** kill -9, and wait for the exit. The service stays down until `restart`. */
  async kill9(name: string): Promise<void> {
    const m = this.get(name);
    m.held = true;
    m.proc?.child.kill('SIGKILL');
    await m.proc?.exited;
  }

  async restart(name: string, extraEnv: Record<string, string> = {}): Promise<void> {
    const m = this.get(name);
    await this.#launch(m, extraEnv);
    m.held = false;
  }

  signal(name: string, sig: 'SIGSTOP' | 'SIGCONT'): void {
    this.get(name).proc?.child.kill(sig);
  }

  /** Waits until a service that killed itself (failpoint) was restarted by the harness and is ready. */
  async restartedOnce(name: string, timeoutMs = 120_000): Promise<void> {
    const m = this.get(name);
    await until(`${name} restarted after its failpoint`, () => m.restarts >= 1 && m.proc !== undefined, {
      timeoutMs,
      everyMs: 200,
    });
    await until(
      `${name} ready again`,
      async () => (await fetch(`${m.proc!.url}/readyz`).catch(() => null))?.status === 200,
      { timeoutMs, everyMs: 200 },
    );
  }

  metric(name: string, metric: string, labels: Record<string, string> = {}): Promise<number> {
    return metricValue(this.get(name).proc!.url, metric, labels);
  }

  /** Compares the store with the ground truth once; positive differences are doubles, negative losses. */
  async compare(): Promise<{
    m1: Tally;
    h1: Tally;
    equal: boolean;
    diffs: Diff[];
  }> {
    const series = new Map<string, string>();
    for (const s of await this.store.db
      .collection<Doc>('series')
      .find({}, { projection: { labels: 1, name: 1 } })
      .toArray()) {
      series.set(s._id, `${s.name}{agent=${(s.labels as Record<string, string>).agent}}`);
    }
    const tally = { rollups_1m: newTally(), rollups_1h: newTally() };
    let equal = true;
    const diffs: Diff[] = [];
    for (const [coll, truth] of [
      ['rollups_1m', this.load.truth.m1],
      ['rollups_1h', this.load.truth.h1],
    ] as const) {
      const seen = new Set<string>();
      const t = tally[coll];
      for (const d of await this.store.db
        .collection<Doc>(coll)
        .find({}, { projection: { sid: 1, start: 1, n: 1, sum: 1 } })
        .toArray()) {
        const key = `${series.get(d.sid)}|${(d.start as Date).getTime()}`;
        seen.add(key);
        const want = truth.get(key) ?? { n: 0, sum: 0 };
        t.counted += d.n;
        if (d.n > want.n) t.doubled += d.n - want.n;
        if (d.n < want.n) t.lost += want.n - d.n;
        if (d.n !== want.n || d.sum !== want.sum) {
          equal = false;
          diffs.push({
            coll,
            series: series.get(d.sid) ?? String(d.sid),
            startMs: (d.start as Date).getTime(),
            want: want.n,
            have: d.n,
          });
        }
        if (d.n === want.n && d.sum !== want.sum) t.wrongSums++;
      }
      for (const [key, want] of truth) {
        if (!seen.has(key)) {
          equal = false;
          const i = key.lastIndexOf('|');
          diffs.push({
            coll,
            series: key.slice(0, i),
            startMs: Number(key.slice(i + 1)),
            want: want.n,
            have: 0,
          });
          t.lost += want.n;
        }
      }
    }
    return { m1: tally.rollups_1m, h1: tally.rollups_1h, equal, diffs };
  }

  /** Waits (bounded) until the store equals the truth; returns the row. */
  async drain(scenario: string, notes: string, timeoutMs = 300_000): Promise<Row> {
    const started = Date.now();
    let last = await this.compare();
    const check = async () => {
      last = await this.compare();
      return last.equal;
    };
    await until('the store to equal the ground truth', check, {
      timeoutMs,
      everyMs: 1000,
      describe: () => JSON.stringify(last),
    }).catch(() => undefined);
    const diagnosis = last.equal
      ? undefined
      : await diagnose(this.prefix, last.diffs, (s, start, res) => this.load.seqsOf(s, start, res));
    if (diagnosis) console.log(`${scenario}: the store does not equal the truth\n${diagnosis}`);
    return {
      scenario,
      sent: this.load.truth.samples,
      counted: last.m1.counted,
      lost: last.m1.lost,
      doubled: last.m1.doubled + last.m1.wrongSums,
      counted1h: last.h1.counted,
      lost1h: last.h1.lost,
      doubled1h: last.h1.doubled + last.h1.wrongSums,
      drainS: Math.round((Date.now() - started) / 100) / 10,
      notes,
      diagnosis,
    };
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all([...this.services.values()].map((m) => m.proc?.stop()));
    // No dropDatabase: FerretDB 1.24 (SQLite) can die of SIGBUS when a database is dropped while its
    // files are still mapped (README). Each run's database is unique and lives in the run folder.
    await this.store?.client.close();
  }
}

/** The pid of a stack service, only if it is still the process the stack script started. */
export function stackPid(svc: 'kafka' | 'ferretdb'): number {
  if ((svc === 'kafka' && process.env.KAFKA_BROKERS) || (svc === 'ferretdb' && process.env.MONGO_URL)) {
    throw new Error(
      `${svc} is external (its address is set in the environment): this scenario needs the local stack's`,
    );
  }
  const [pid, start] = readFileSync(join(runDir, svc, `${svc}.pid`), 'utf8')
    .trim()
    .split(' ');
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  if (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] !== start)
    throw new Error(`${svc}'s pid file is stale`);
  return Number(pid);
}

/** kill -9 of a stack service, returning once the process is gone (its port free). */
export async function killStack(svc: 'kafka' | 'ferretdb'): Promise<void> {
  const pid = stackPid(svc);
  process.kill(pid, 'SIGKILL');
  const gone = () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  };
  await until(`${svc} (pid ${pid}) to exit`, gone, { timeoutMs: 30_000, everyMs: 50 });
}

/** `scripts/stack up`: starts whatever of the stack is not running, and waits until it is ready. */
export function stackUp(): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('bash', [join(root, 'scripts/stack'), 'up'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`scripts/stack up failed: ${err}`))));
  });
}

/** Resident set size of a process, and its peak (VmHWM), in MB. */
export function rss(pid: number): { rss: number; peak: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

export function formatRows(rows: Row[]): string {
  const head = [
    'scenario',
    'samples sent',
    'counted',
    'lost',
    'doubled',
    'lost 1h',
    'doubled 1h',
    'drain s',
    'notes',
  ];
  const lines = rows.map((r) =>
    [r.scenario, r.sent, r.counted, r.lost, r.doubled, r.lost1h, r.doubled1h, r.drainS, r.notes].map(String),
  );
  const w = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(w[i]!)).join(' | ')} |`;
  return [fmt(head), fmt(w.map((n) => '-'.repeat(n))), ...lines.map(fmt)].join('\n');
}
