/** A driver script run as a child process of a test, to be killed at a point it reports. */
import { type ChildProcess, spawn } from 'node:child_process';
import { until } from './wait.ts';

export interface Driver {
  child: ChildProcess;
  /** Everything it wrote so far, stdout and stderr. */
  output(): string;
  /** Its exit: the signal's name if a signal ended it, else its exit code. */
  exited: Promise<NodeJS.Signals | number | null>;
  /** Waits (bounded) until its output matches `re`; fails naming `what`, with the output. */
  match(re: RegExp, what: string, timeoutMs?: number): Promise<RegExpExecArray>;
}

/** Starts `node <script> ...args`; the caller kills it (and registers that for its cleanup). */
export function spawnDriver(script: URL, args: string[]): Driver {
  const child = spawn(process.execPath, [script.pathname, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<NodeJS.Signals | number | null>((r) =>
    child.on('exit', (code, signal) => r(signal ?? code)),
  );
  const output = () => out;
  return {
    child,
    output,
    exited,
    match: (re, what, timeoutMs = 20_000) =>
      until(what, () => re.exec(out) ?? undefined, { timeoutMs, describe: output }),
  };
}
