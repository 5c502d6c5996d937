/**
 * Named crash points for fault tests: `SLUICE_FAILPOINTS=connect.after-write=3,processor.before-commit=2`
 * makes the process kill itself with SIGKILL the 3rd time it passes `connect.after-write` (the 2nd
 * time for the other). `name=N:throw` throws a FailpointError there instead (a failure the process
 * survives, e.g. a transaction that fails inside). No effect when the variable is unset; read once at
 * start (tests in one process arm points with `armFailpoints`).
 */
import { SluiceError } from './errors.ts';

type Mode = 'kill' | 'throw';
const plan = new Map<string, { at: number; mode: Mode }>();
const seen = new Map<string, number>();

export class FailpointError extends SluiceError {
  constructor(name: string) {
    super('SLC_ERR_FAILPOINT', `failpoint ${name} fired`, { retriable: true });
  }
}

/** Replaces the plan (the format of SLUICE_FAILPOINTS) and resets the pass counts. */
export function armFailpoints(spec: string): void {
  plan.clear();
  seen.clear();
  for (const item of spec.split(',').filter(Boolean)) {
    const [name, rest] = item.split('=');
    const [n, mode] = (rest ?? '1').split(':');
    if (name) plan.set(name.trim(), { at: Number(n ?? 1), mode: mode === 'throw' ? 'throw' : 'kill' });
  }
}

armFailpoints(process.env.SLUICE_FAILPOINTS ?? '');

export function failpoint(name: string): void {
  const p = plan.get(name);
  if (p === undefined) return;
  const count = (seen.get(name) ?? 0) + 1;
  seen.set(name, count);
  if (count !== p.at) return;
  if (p.mode === 'throw') throw new FailpointError(name);
  process.stderr.write(
    `${JSON.stringify({ level: 60, msg: 'failpoint: SIGKILL', failpoint: name, count })}\n`,
  );
  process.kill(process.pid, 'SIGKILL');
}
